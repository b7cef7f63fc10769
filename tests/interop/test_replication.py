"""Primary and standby (pg_basebackup -R, streaming replication) behind one multi-host URL with
target_session_attrs=read-write: writes land on the primary; after the primary stops and the
standby is promoted the same URL keeps working; a URL naming only a standby gives 69."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import GOOD, usersctl  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
DEV_DB = os.path.join(TOP, "scripts/dev-db")
PGBIN = "/usr/lib/postgresql/15/bin"
AS_OWNER = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def dev_db(directory, *args):
    return subprocess.run([DEV_DB, "--dir", directory, *args], check=True, capture_output=True, text=True).stdout.strip()


def read(path):
    with open(path) as f:
        return f.read().strip()


def psql(url, sql):
    return subprocess.run(["psql", "-qAtX", url, "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def eventually(check, seconds=30):
    """Polls check() (a failing query counts as not yet) until it holds or time runs out."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if check():
                return True
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.2)
    return False


class Replication(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="usersctl-repl.")
        os.chmod(self.tmp, 0o755)
        self.primary = os.path.join(self.tmp, "primary")
        self.standby = os.path.join(self.tmp, "standby")
        dev_db(self.primary, "--fast", "start")
        self.primary_url = dev_db(self.primary, "url")
        os.makedirs(self.standby)
        if AS_OWNER:
            shutil.chown(self.standby, "postgres")
        subprocess.run(AS_OWNER + [PGBIN + "/pg_basebackup", "-h", read(self.primary + "/socket_dir"), "-p",
                                   read(self.primary + "/port"), "-U", "postgres", "-D", self.standby + "/data", "-R", "-c", "fast"],
                       check=True, capture_output=True)
        dev_db(self.standby, "--fast", "start")
        self.standby_url = dev_db(self.standby, "url")
        self.assertEqual(psql(self.standby_url, "SELECT pg_is_in_recovery()"), "t")
        ports = (read(self.primary + "/port"), read(self.standby + "/port"))
        self.both = ("postgresql://postgres@127.0.0.1:%s,127.0.0.1:%s/usersctl?target_session_attrs=read-write"
                     % ports)
        self.standby_only = "postgresql://postgres@127.0.0.1:%s/usersctl" % ports[1]

    def tearDown(self):
        if os.environ.get("KEEP"):
            return
        for d in (self.standby, self.primary):
            subprocess.run([DEV_DB, "--dir", d, "destroy"], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def add(self, url, email):
        return usersctl("-d", url, "add-user", email, "--password-stdin", "--cost", "4", stdin=GOOD + "\n")

    def test_writes_follow_the_primary_through_a_failover(self):
        self.assertEqual(usersctl("-d", self.both, "init-db").returncode, 0)
        r = self.add(self.both, "before@example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(psql(self.primary_url, "SELECT count(*) FROM users"), "1")
        self.assertTrue(eventually(lambda: psql(self.standby_url, "SELECT count(*) FROM users") == "1"))

        # A URL naming only the standby: reads work, writes give 69 and say why.
        r = usersctl("-d", self.standby_only, "verify", "before@example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.add(self.standby_only, "nope@example.com")
        self.assertEqual(r.returncode, 69)
        self.assertIn(b"read-only", r.stderr)
        r = self.add(self.standby_only + "?target_session_attrs=read-write", "nope@example.com")
        self.assertEqual(r.returncode, 69)
        self.assertIn(b"usersctl: error: cannot connect", r.stderr)

        # Failover: stop the primary, promote the standby; the same URL keeps working.
        dev_db(self.primary, "stop")
        subprocess.run(AS_OWNER + [PGBIN + "/pg_ctl", "-D", self.standby + "/data", "-w", "promote"],
                       check=True, capture_output=True)
        self.assertTrue(eventually(lambda: psql(self.standby_url, "SELECT pg_is_in_recovery()") == "f"))
        r = self.add(self.both, "after@example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = usersctl("-d", self.both, "verify", "after@example.com", "--password-stdin", "--record-login",
                     stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(psql(self.standby_url, "SELECT string_agg(email, ',' ORDER BY id) FROM users"),
                         "before@example.com,after@example.com")


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""The server stopped with `pg_ctl stop -m immediate` (a crash, as far as clients can tell) in the
middle of an import and in the middle of a commit: usersctl exits 69 or 75 with a message that says
whether the outcome is known; after a restart nothing is half-written; a re-run reaches the
intended state. Each test runs its own private server, since it stops it."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, GOOD, clean_env, usersctl  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
DEV_DB = os.path.join(TOP, "scripts/dev-db")
PGBIN = "/usr/lib/postgresql/15/bin"
AS_OWNER = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
HASH = None  # a bcrypt cost-4 hash of GOOD, made once by usersctl


def dev_db(directory, *args):
    return subprocess.run([DEV_DB, "--dir", directory, *args], check=True, capture_output=True, text=True).stdout.strip()


def psql(url, sql):
    r = subprocess.run(["psql", "-qAtX", url, "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError("psql failed: " + r.stderr)
    return r.stdout.strip()


def good_hash():
    global HASH
    if HASH is None:
        r = usersctl("hash", "--password-stdin", "--cost", "4", stdin=GOOD + "\n")
        HASH = r.stdout.decode().strip()
    return HASH


def rows(start, count):
    return "".join("user%d@example.com,First,Last,%s\n" % (i, good_hash()) for i in range(start, start + count))


class ServerStop(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="usersctl-stop.")
        os.chmod(self.tmp, 0o755)
        self.dir = os.path.join(self.tmp, "pg")
        dev_db(self.dir, "start")  # not --fast: synchronous_commit=off would lose commits on a crash
        self.url = dev_db(self.dir, "url")
        self.assertEqual(usersctl("-d", self.url, "init-db", "-q").returncode, 0)

    def tearDown(self):
        subprocess.run([DEV_DB, "--dir", self.dir, "destroy"], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def crash(self):
        subprocess.run(AS_OWNER + [PGBIN + "/pg_ctl", "-D", self.dir + "/data", "-m", "immediate", "-w", "stop"],
                       check=True, capture_output=True)

    def restart(self):
        dev_db(self.dir, "start")
        self.url = dev_db(self.dir, "url")  # a fresh socket directory each start

    def count(self):
        return int(psql(self.url, "SELECT count(*) FROM users"))

    def test_server_stopped_during_an_import(self):
        header = "email,first_name,last_name,password_hash\n"
        p = subprocess.Popen([BINARY, "-d", self.url, "import", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
        # 50,000 rows reach the server's staging table (COPY chunks of 20,000), then the server dies
        # while usersctl waits for the rest of its input.
        p.stdin.write((header + rows(0, 50000)).encode())
        p.stdin.flush()
        time.sleep(2)
        self.crash()
        try:
            p.stdin.write(rows(50000, 30000).encode())
            p.stdin.flush()
        except BrokenPipeError:
            pass  # usersctl found the server gone and stopped reading
        try:
            p.stdin.close()
        except BrokenPipeError:
            pass
        p.stdin = None  # communicate() must not flush it again
        out, err = p.communicate(timeout=60)
        self.assertIn(p.returncode, (69, 75), err)
        self.assertIn(b"nothing was committed", err)

        self.restart()
        self.assertEqual(self.count(), 0, "nothing of the import remains")
        r = usersctl("-d", self.url, "import", "-", "--json", stdin=header + rows(0, 80000))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b'"created":80000', r.stdout)
        self.assertEqual(self.count(), 80000)

    def slow_commit(self):
        # A deferred constraint trigger runs at COMMIT: it holds the commit open for a few
        # seconds, long enough to stop the server in the middle of it.
        psql(self.url, """
            CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.email = 'slow@example.com' THEN PERFORM pg_sleep(4); END IF;
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON users
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();""")

    def wait_for_commit(self):
        """Waits until usersctl's session runs COMMIT (the trigger's sleep)."""
        deadline = time.time() + 20
        while time.time() < deadline:
            state = psql(self.url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'usersctl' "
                                   "AND query ILIKE 'commit%' AND state = 'active'")
            if state == "1":
                return
            time.sleep(0.05)
        self.fail("usersctl never reached COMMIT")

    def crash_during_commit(self, args, stdin):
        """Runs usersctl, stops the server while its COMMIT runs: 75, outcome unknown."""
        p = subprocess.Popen([BINARY, "-d", self.url, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=clean_env())
        p.stdin.write(stdin.encode())
        p.stdin.close()
        p.stdin = None  # communicate() must not flush it again
        self.wait_for_commit()
        self.crash()
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 75, err)
        self.assertIn(b"outcome is unknown", err)

    def test_server_stopped_during_the_commit_of_add_user(self):
        self.slow_commit()
        self.crash_during_commit(["add-user", "slow@example.com", "--password-stdin", "--cost", "4"], GOOD + "\n")

        self.restart()
        self.assertEqual(self.count(), 0, "the commit did not complete")
        r = usersctl("-d", self.url, "add-user", "slow@example.com", "--password-stdin", "--cost", "4", "--if-not-exists",
                     stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.count(), 1)

    def test_server_stopped_during_the_commit_of_an_import(self):
        self.slow_commit()
        content = "email,password_hash\n" + "".join("u%d@example.com,%s\n" % (i, good_hash()) for i in range(1000)) + \
            "slow@example.com,%s\n" % good_hash()
        self.crash_during_commit(["import", "-"], content)

        self.restart()
        self.assertEqual(self.count(), 0, "nothing half-written")
        # The re-run with --on-conflict skip is right whichever way the commit had gone.
        r = usersctl("-d", self.url, "import", "-", "--on-conflict", "skip", stdin=content)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.count(), 1001)


if __name__ == "__main__":
    unittest.main(verbosity=2)

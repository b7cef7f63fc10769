"""The README's first command from the folders newcomers clone to (#17): scripts/demo from a
mode-700 folder (as root's home is), and scripts/dev-db keeping its port across stop and start
and leaving nothing behind on destroy."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, clean_env  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def run(args, cwd, env=None, timeout=300):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=clean_env(env), timeout=timeout)


class FirstRun(unittest.TestCase):
    def setUp(self):
        if os.getuid() != 0:
            self.skipTest("the mode-700 case is root's (initdb refuses root, so the server runs as postgres)")
        # A private folder like /root: mode 700, unreachable by the server's account.
        self.home = tempfile.mkdtemp(prefix="usersctl-home-")
        os.chmod(self.home, 0o700)
        self.checkout = os.path.join(self.home, "usersctl")
        # A fresh clone of what is committed, plus the scripts as they are in this tree.
        r = subprocess.run(["git", "clone", "-q", "--no-hardlinks", TOP, self.checkout], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        for script in ("demo", "dev-db", "deps"):
            shutil.copy(os.path.join(TOP, "scripts", script), os.path.join(self.checkout, "scripts", script))

    def tearDown(self):
        run([os.path.join(self.checkout, "scripts/dev-db"), "destroy"], self.checkout)
        shutil.rmtree(self.home, ignore_errors=True)

    def cluster_dirs(self):
        return set(glob.glob("/var/tmp/usersctl-dev-db-*"))

    def test_the_demo_runs_from_a_mode_700_folder(self):
        before = self.cluster_dirs()
        r = run(["scripts/demo"], self.checkout, {"USERSCTL_DEMO_BINARY": BINARY})
        self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
        self.assertIn("cannot reach", r.stderr)
        self.assertIn("/var/tmp/usersctl-dev-db-", r.stderr)
        self.assertIn('"created":true', r.stdout)
        self.assertIn("export USERSCTL_DATABASE_URL=", r.stdout)
        created = self.cluster_dirs() - before
        self.assertEqual(len(created), 1, created)
        # The URL it printed works from a fresh shell.
        url = [line for line in r.stdout.splitlines() if "export USERSCTL_DATABASE_URL=" in line][0]
        url = url.split("=", 1)[1].strip().strip("'")
        r = run([BINARY, "list", "--format", "csv"], self.checkout, {"USERSCTL_DATABASE_URL": url})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ada@example.com", r.stdout)

        # Stop and start keep the port, so that URL keeps working.
        dev_db = os.path.join(self.checkout, "scripts/dev-db")
        url_before = run([dev_db, "url"], self.checkout).stdout.strip()
        self.assertEqual(run([dev_db, "stop"], self.checkout).returncode, 0)
        r = run([dev_db, "start"], self.checkout)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(run([dev_db, "url"], self.checkout).stdout.strip(), url_before)
        r = run([BINARY, "list", "--format", "csv"], self.checkout, {"USERSCTL_DATABASE_URL": url_before})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ada@example.com", r.stdout)

        # destroy removes the cluster folder and its socket folder.
        sock = open(os.path.join(created.pop(), "socket_dir")).read().strip()
        self.assertTrue(os.path.isdir(sock))
        self.assertEqual(run([dev_db, "destroy"], self.checkout).returncode, 0)
        self.assertEqual(self.cluster_dirs(), before)
        self.assertFalse(os.path.exists(sock))


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""import on a terminal and under Ctrl-C: a progress line on stderr only when stderr is a terminal,
and an interrupted import rolls back and exits 130."""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, DatabaseTest, TerminalSession, clean_env  # noqa: E402


def password_file(rows):
    """A CSV file of `rows` accounts with strong random passwords."""
    f = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
    f.write("email,password\n")
    for i in range(rows):
        f.write("p%d@example.com,%s\n" % (i, secrets.token_urlsafe(18)))
    f.close()
    return f.name


class ImportOnATerminal(DatabaseTest):
    def setUp(self):
        super().setUp()
        # bcrypt cost 9 takes ~30 ms a row: 80 rows give the progress line time to appear.
        self.path = password_file(80)

    def tearDown(self):
        os.unlink(self.path)
        super().tearDown()

    def count(self):
        return self.sql("SELECT count(*) FROM users")[0][0]

    def test_progress_line_on_a_terminal(self):
        session = TerminalSession("-d", self.url, "import", self.path, "--cost", "9", "--jobs", "1")
        self.assertEqual(session.finish(timeout=60), 0, session.output)
        self.assertIn(b"\rimport: ", session.output.replace(b"\x1b[K", b""))
        self.assertIn(b" rows/s, about ", session.output)
        self.assertIn(b" left", session.output)
        self.assertIn(b"imported 80 rows: created 80", session.output)
        self.assertEqual(self.count(), 80)

    def test_no_progress_line_when_stderr_is_not_a_terminal(self):
        r = self.run_usersctl("import", self.path, "--cost", "9", "--jobs", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(b"rows/s", r.stderr)
        self.assertNotIn(b"\r", r.stderr)
        self.assertEqual(r.stderr, b"usersctl: info: imported 80 rows: created 80, updated 0, skipped 0\n")

    def test_ctrl_c_rolls_back_and_exits_130(self):
        p = subprocess.Popen([BINARY, "-d", self.url, "import", self.path, "--cost", "9", "--jobs", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
        time.sleep(1.0)  # well into hashing the 80 passwords
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn(b"interrupted; the import was rolled back, nothing was written", err)
        self.assertEqual(self.count(), 0)

    def test_ctrl_c_while_waiting_for_stdin(self):
        p = subprocess.Popen([BINARY, "-d", self.url, "import", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
        p.stdin.write(b"email,password_hash\n")
        p.stdin.flush()
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        self.assertEqual(self.count(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)

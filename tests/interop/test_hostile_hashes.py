"""Stored hashes whose parameters would cost gigabytes or minutes (yescrypt's r, scrypt's p,
Argon2's m and t): verify and hash --verify refuse them at once, with a small peak RSS, and never
compute them."""

import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, GOOD, DatabaseTest, clean_env  # noqa: E402

DOTS43 = "." * 43
HOSTILE = [
    "$y$jFj$Ha0l4U2hX2Rkq.Xd6nnn21$" + DOTS43,   # N = 2^18, r = 48: 1.5 GiB (1.58 GB RSS before)
    "$y$jGT$Ha0l4U2hX2Rkq.Xd6nnn21$" + DOTS43,   # N = 2^19, r = 32: 2 GiB
    "scrypt:1048576:8:16$salt$" + "0" * 128,     # 1 GiB x p = 16: about 90 s of work before
    "scrypt:524288:16:1$salt$" + "0" * 128,      # 1 GiB, work 2^23
    "$2b$31$" + "." * 53,
    "pbkdf2:sha512:999999999$salt$" + "0" * 128,
    "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,   # 4 GiB
    "$argon2id$v=19$m=1048576,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,   # 1 GiB, 3 passes: about 7 s
    "argon2$argon2i$v=19$m=65536,t=4294967295,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,
]


def run_measured(args, stdin):
    """Runs usersctl; returns (exit code, seconds, peak RSS in MiB) of that one process."""
    started = time.monotonic()
    p = subprocess.Popen([BINARY, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=clean_env({"USERSCTL_COST": "4"}))
    p.stdin.write(stdin.encode())
    p.stdin.close()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stdout.close()
    p.stderr.close()
    return p.returncode, time.monotonic() - started, usage.ru_maxrss / 1024


class HostileHashes(DatabaseTest):
    def test_verify_refuses_at_once_with_small_rss(self):
        r = self.run_usersctl("add-user", "victim@example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        # The bound is over what a harmless check of this binary takes (an ASan build starts
        # near 170 MiB of shadow memory; a hostile value computed would take a gigabyte).
        _, _, baseline = run_measured(["-d", self.url, "verify", "nobody@example.com", "--password-stdin"], GOOD + "\n")
        for stored in HOSTILE:
            with self.subTest(stored=stored):
                self.sql("UPDATE users SET password_hash = %s", (stored,))
                self.conn.commit()
                code, seconds, rss = run_measured(["-d", self.url, "verify", "victim@example.com",
                                                   "--password-stdin"], GOOD + "\n")
                self.assertEqual(code, 1)
                self.assertLess(seconds, 3)
                self.assertLess(rss, baseline + 100)
                code, seconds, rss = run_measured(["hash", "--verify", stored, "--password-stdin"], GOOD + "\n")
                self.assertEqual(code, 1)
                self.assertLess(seconds, 3)
                self.assertLess(rss, baseline + 100)

    def test_writing_past_a_ceiling_is_a_usage_error(self):
        for scheme, cost in (("bcrypt", "17"), ("yescrypt", "12"), ("werkzeug-scrypt", "1048576"),
                             ("werkzeug-pbkdf2", "4000001"), ("sha512crypt", "10000001"), ("argon2id", "786433"),
                             ("argon2id", "1023")):
            with self.subTest(scheme=scheme):
                r = subprocess.run([BINARY, "hash", "--scheme", scheme, "--cost", cost, "--password-stdin"],
                                   input=(GOOD + "\n").encode(), capture_output=True, env=clean_env())
                self.assertEqual(r.returncode, 64, r.stderr)


if __name__ == "__main__":
    unittest.main()

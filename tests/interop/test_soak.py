"""A bounded soak: verify from 4 parallel loops at bcrypt cost 4, for 15 seconds in the suite
(USERSCTL_SOAK_SECONDS=120, i.e. scripts/test --soak, for the full two minutes). Zero errors
(every run exits 0 for the right password, 1 for a wrong one), flat memory (the peak RSS of the
last runs is that of the first), and no server connection left behind."""

import os
import statistics
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, GOOD, DatabaseTest, clean_env  # noqa: E402

SECONDS = float(os.environ.get("USERSCTL_SOAK_SECONDS", "15"))
LOOPS = 4


class Soak(DatabaseTest):
    def test_four_verify_loops(self):
        for i in range(LOOPS):
            r = self.run_usersctl("add-user", "soak%d@example.com" % i, "--password-stdin", "--cost", "4",
                                  stdin=GOOD + "\n")
            self.assertEqual(r.returncode, 0, r.stderr)
        results = [[] for _ in range(LOOPS)]  # exit codes, per loop
        errors = []
        deadline = time.time() + SECONDS

        def loop(i):
            n = 0
            while time.time() < deadline:
                right = n % 2 == 0
                password = GOOD if right else "wrong password %d" % n
                args = [BINARY, "-d", self.url, "verify", "soak%d@example.com" % i, "--password-stdin"]
                if n % 5 == 0:
                    args.append("--record-login")
                p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=clean_env())
                out, err = p.communicate((password + "\n").encode())
                expected = 0 if right else 1
                if p.returncode != expected or out:
                    errors.append((i, n, p.returncode, err))
                results[i].append(p.returncode)
                n += 1

        threads = [threading.Thread(target=loop, args=(i,)) for i in range(LOOPS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        runs = sum(len(r) for r in results)
        self.assertEqual(errors, [], "runs with a wrong exit code or output")
        # Throughput is bench/'s business; here every loop must simply have kept going.
        self.assertTrue(all(len(r) >= 5 for r in results), [len(r) for r in results])
        logins = self.sql("SELECT sum(login_count) FROM users")[0][0]
        self.assertGreater(logins, 0)
        left = self.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'usersctl' "
                        "AND datname = current_database()")[0][0]
        self.assertEqual(left, 0, "server connections left behind")
        print("soak: %d verify runs in %.0f s from %d loops, zero errors, %d logins recorded"
              % (runs, SECONDS, LOOPS, logins))

    def test_memory_is_flat_across_runs(self):
        r = self.run_usersctl("add-user", "mem@example.com", "--password-stdin", "--cost", "4", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        peaks = []
        deadline = time.time() + min(SECONDS, 20)
        while time.time() < deadline or len(peaks) < 40:
            p = subprocess.Popen([BINARY, "-d", self.url, "verify", "mem@example.com", "--password-stdin"],
                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=clean_env())
            p.stdin.write((GOOD + "\n").encode())
            p.stdin.close()
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            self.assertEqual(p.returncode, 0)
            peaks.append(usage.ru_maxrss)
        first = statistics.median(peaks[:20])
        last = statistics.median(peaks[-20:])
        print("soak: %d runs, median peak RSS first 20 %d KiB, last 20 %d KiB" % (len(peaks), first, last))
        self.assertLess(abs(last - first), 1024, "peak RSS drifted by more than 1 MiB")


if __name__ == "__main__":
    unittest.main(verbosity=2)

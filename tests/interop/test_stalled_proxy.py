"""A TCP proxy on loopback that stops forwarding (socat stopped with SIGSTOP): usersctl exits 69
within its timeouts plus a small slack, before connecting and in the middle of a statement."""

import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import DatabaseTest, free_port, server, usersctl, wait_for_port  # noqa: E402


class StalledProxy(DatabaseTest):
    def setUp(self):
        super().setUp()
        _, pgport = server()
        self.port = free_port()
        self.proxy = subprocess.Popen(["socat", "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork" % self.port,
                                       "TCP:127.0.0.1:%s" % pgport], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertTrue(wait_for_port(self.port), "listener did not start")
        self.proxied = "postgresql://postgres@127.0.0.1:%d/%s" % (self.port, self.dbname)

    def tearDown(self):
        # Children of the forking proxy are in the same process group only if we made one; kill by name.
        subprocess.run(["pkill", "-CONT", "-f", "TCP-LISTEN:%d" % self.port])
        subprocess.run(["pkill", "-KILL", "-f", "TCP-LISTEN:%d" % self.port])
        self.proxy.wait(5)
        super().tearDown()

    def stop_proxy(self):
        subprocess.run(["pkill", "-STOP", "-f", "TCP-LISTEN:%d" % self.port], check=True)

    def test_proxy_works_when_forwarding(self):
        r = usersctl("-d", self.proxied, "list")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_stalled_before_connecting_exits_69_within_the_connect_timeout(self):
        self.stop_proxy()
        start = time.time()
        r = usersctl("-d", self.proxied, "--connect-timeout", "2", "list", timeout=30)
        elapsed = time.time() - start
        self.assertEqual(r.returncode, 69, r.stderr)
        self.assertLess(elapsed, 2 + 2)

    def test_stalled_mid_statement_exits_69_within_the_statement_timeout_plus_slack(self):
        self.stalled_mid_statement(["list"])

    def test_stalled_mid_lookup_verify_exits_69_within_the_statement_timeout_plus_slack(self):
        # verify's look-up is one pipelined round trip that waits in poll(), not in the watchdog's
        # blocking call (#18): the same deadline, the same message.
        self.stalled_mid_statement(["verify", "nobody@example.com", "--password-env", "PW"], {"PW": "correct horse"})

    def stalled_mid_statement(self, args, env=None):
        # Hold a lock so the statement is in flight when the proxy stalls.
        holder = subprocess.Popen(["psql", "-qAtX", self.url, "-c",
                                   "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(20); COMMIT;"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1)
            start = time.time()
            p = subprocess.Popen([sys.modules["harness"].BINARY, "-d", self.proxied, "--lock-timeout", "60",
                                  "--statement-timeout", "2"] + args,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=dict(sys.modules["harness"].clean_env(), **(env or {})))
            time.sleep(1)
            self.stop_proxy()
            out, err = p.communicate(timeout=30)
            elapsed = time.time() - start
            self.assertEqual(p.returncode, 69, err)
            self.assertIn(b"no answer from the server", err)
            self.assertLess(elapsed, 2 + 5 + 3)
        finally:
            holder.kill()
            holder.wait()


if __name__ == "__main__":
    unittest.main(verbosity=2)

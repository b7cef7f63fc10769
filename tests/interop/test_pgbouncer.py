"""Every command works behind PgBouncer 1.18 in transaction pooling mode (2 server connections,
16 concurrent clients), and no session setting leaks to other clients of a pooled connection."""

import os
import subprocess
import sys
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from harness import GOOD, DatabaseTest, free_port, server, usersctl, wait_for_port  # noqa: E402


class PgBouncer(DatabaseTest):
    def setUp(self):
        super().setUp()
        host, port = server()
        self.dir = tempfile.mkdtemp(prefix="usersctl-pgb.")
        os.chmod(self.dir, 0o777)
        self.port = free_port()
        with open(os.path.join(self.dir, "userlist.txt"), "w") as f:
            f.write('"postgres" ""\n')
        with open(os.path.join(self.dir, "pgbouncer.ini"), "w") as f:
            f.write("""[databases]
%(db)s = host=%(host)s port=%(pgport)s dbname=%(db)s user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %(port)d
unix_socket_dir =
auth_type = trust
auth_file = %(dir)s/userlist.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 200
server_reset_query =
logfile = %(dir)s/pgbouncer.log
pidfile = %(dir)s/pgbouncer.pid
""" % {"db": self.dbname, "host": host, "pgport": port, "port": self.port, "dir": self.dir})
        for name in os.listdir(self.dir):
            os.chmod(os.path.join(self.dir, name), 0o666)
        # PgBouncer refuses to run as root.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.bouncer = subprocess.Popen(prefix + ["/usr/sbin/pgbouncer", os.path.join(self.dir, "pgbouncer.ini")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertTrue(wait_for_port(self.port), "listener did not start")
        self.pooled = "postgresql://postgres@127.0.0.1:%d/%s" % (self.port, self.dbname)
        self.assertIsNone(self.bouncer.poll(), "pgbouncer did not start")

    def tearDown(self):
        self.bouncer.terminate()
        self.bouncer.wait(10)
        super().tearDown()

    def pooled_usersctl(self, *args, stdin=""):
        return usersctl("-d", self.pooled, *args, stdin=stdin, env={"USERSCTL_COST": "4"})

    def test_every_command_with_16_concurrent_clients_and_2_server_connections(self):
        def client(i):
            email = "user%02d@example.com" % i
            steps = [
                ("init-db",),
                ("add-user", email, "--password-stdin", "--first-name", "U%d" % i),
                ("add-user", email, "--password-stdin", "--if-not-exists", "--json"),
                ("verify", email, "--password-stdin", "--record-login"),
                ("verify", email, "--password-stdin", "--rehash", "--cost", "5"),
                ("set-password", email, "--password-stdin"),
                ("update-user", email, "--last-name", "L%d" % i, "--json"),
                ("list", "--format", "jsonl", "--email", "user*"),
                ("doctor", "--fail-on", "error"),
                ("hash", "--password-stdin"),
                ("import", "-", "--on-conflict", "skip"),  # COPY, savepoints, a temporary table
                ("import", "-", "--on-conflict", "skip"),  # again: every row skipped
                ("export", "--format", "jsonl", "--email", "bulk%02d*" % i),
            ]
            rows = "email,first_name,password\n" + "".join(
                "bulk%02d_%d@example.com,B,%s\n" % (i, n, GOOD) for n in range(3))
            failures = []
            for step in steps:
                r = self.pooled_usersctl(*step, stdin=rows if step[0] == "import" else GOOD + "\n")
                if r.returncode != 0 or (step[0] == "export" and r.stdout.count(b"\n") != 3):
                    failures.append((step, r.returncode, r.stderr.decode()))
            return failures

        with ThreadPoolExecutor(16) as pool:
            failures = [f for result in pool.map(client, range(16)) for f in result]
        self.assertEqual(failures, [])
        self.assertEqual(self.sql("SELECT count(*), sum(login_count) FROM users WHERE email LIKE 'user%%'")[0], (16, 16))
        self.assertEqual(self.sql("SELECT count(*) FROM users WHERE email LIKE 'bulk%%'")[0][0], 48)
        for i in range(0, 16, 2):
            r = self.pooled_usersctl("delete-user", "user%02d@example.com" % i, "--yes")
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM users WHERE email LIKE 'user%%'")[0][0], 8)

    def test_lock_timeout_does_not_leak_to_other_clients(self):
        # list runs a transaction; verify's look-up is one pipelined round trip whose Sync ends
        # the transaction (#18): neither may leave its settings on a pooled server connection.
        self.assertEqual(self.pooled_usersctl("init-db").returncode, 0)
        self.assertEqual(self.pooled_usersctl("add-user", "a@example.com", "--password-stdin",
                                              stdin=GOOD + "\n").returncode, 0)
        # The pipeline's error path too: a missing table fails the look-up (78), and the Sync
        # still rolls the transaction back and hands the server connection back to the pool.
        for args, code in ((("list",), 0), (("verify", "a@example.com", "--password-stdin"), 0),
                           (("verify", "nobody@example.com", "--password-stdin"), 1),
                           (("--table", "missing", "verify", "a@example.com", "--password-stdin"), 78),
                           (("verify", "a@example.com", "--password-stdin"), 0)):
            r = self.pooled_usersctl("--lock-timeout", "1.5", "--statement-timeout", "7", *args, stdin=GOOD + "\n")
            self.assertEqual(r.returncode, code, (args, r.stderr))
            for _ in range(4):  # whichever pooled server connection it gets
                out = subprocess.run(["psql", "-qAtX", self.pooled, "-c", "SHOW lock_timeout", "-c",
                                      "SHOW statement_timeout"],
                                     capture_output=True, text=True, check=True).stdout.split()
                self.assertEqual(out, ["0", "0"], args)


if __name__ == "__main__":
    unittest.main(verbosity=2)

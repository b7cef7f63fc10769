"""TLS: sslmode=verify-full against a server whose certificate a test CA signed works; a wrong
CA gives 69 with a message that says why."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import usersctl  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
DEV_DB = os.path.join(TOP, "scripts/dev-db")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(cwd, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=%s" % name,
            "-keyout", name + ".key", "-out", name + ".crt", cwd=cwd)


class Tls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="usersctl-tls.")
        os.chmod(cls.tmp, 0o755)
        make_ca(cls.tmp, "ca")
        make_ca(cls.tmp, "wrongca")
        with open(os.path.join(cls.tmp, "san.cnf"), "w") as f:
            f.write("subjectAltName=DNS:localhost\n")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
                "-out", "server.csr", cwd=cls.tmp)
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.cnf", "-out", "server.crt", cwd=cls.tmp)
        cls.cluster = os.path.join(cls.tmp, "cluster")
        subprocess.run([DEV_DB, "--dir", cls.cluster, "--fast", "start"], check=True, capture_output=True)
        url = subprocess.run([DEV_DB, "--dir", cls.cluster, "url"], check=True, capture_output=True,
                             text=True).stdout.strip()
        data = os.path.join(cls.cluster, "data")
        owner = os.stat(data).st_uid
        for name in ("server.crt", "server.key"):
            path = os.path.join(data, name)
            shutil.copy(os.path.join(cls.tmp, name), path)
            os.chown(path, owner, -1)
            os.chmod(path, 0o600)
        subprocess.run(["psql", "-qAtX", url, "-c", "ALTER SYSTEM SET ssl = on"], check=True)
        subprocess.run(["psql", "-qAtX", url, "-c", "SELECT pg_reload_conf()"], check=True, capture_output=True)
        with open(os.path.join(cls.cluster, "port")) as f:
            cls.port = f.read().strip()

    @classmethod
    def tearDownClass(cls):
        subprocess.run([DEV_DB, "--dir", cls.cluster, "destroy"], capture_output=True)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def url(self, ca):
        return ("postgresql://postgres@localhost:%s/usersctl?sslmode=verify-full&sslrootcert=%s"
                % (self.port, os.path.join(self.tmp, ca)))

    def test_verify_full_with_the_right_ca(self):
        r = usersctl("-d", self.url("ca.crt"), "init-db")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = usersctl("-d", self.url("ca.crt"), "list", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        # and the session really is encrypted
        out = subprocess.run(["psql", "-qAtX", self.url("ca.crt"), "-c",
                              "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"],
                             capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(out, "t")

    def test_a_wrong_ca_is_69_with_a_clear_message(self):
        r = usersctl("-d", self.url("wrongca.crt"), "init-db")
        self.assertEqual(r.returncode, 69)
        self.assertIn(b"certificate verify failed", r.stderr)
        self.assertIn(b"usersctl: error: cannot connect", r.stderr)

    def test_verify_full_refuses_a_host_name_the_certificate_does_not_name(self):
        # the same server, reached by an address the certificate does not name
        url = self.url("ca.crt").replace("localhost", "127.0.0.1")
        r = usersctl("-d", url, "--connect-timeout", "3", "init-db")
        self.assertEqual(r.returncode, 69)
        self.assertIn(b"does not match host name", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)

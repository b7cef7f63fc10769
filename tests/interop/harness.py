"""Shared helpers for the interop tests: the usersctl binary, a fresh database per test on the
throwaway server scripts/test started, and a runner that never puts a password in argv."""

import os
import pty
import random
import select
import signal
import socket
import subprocess
import termios
import time
import unittest

import psycopg2

BINARY = os.environ.get("USERSCTL_BINARY", os.path.join(os.path.dirname(__file__), "../../build/usersctl"))
GOOD = "correct horse battery staple"
UNICODE = "pässwörd-密码-🔑"


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=10):
    """Waits until something accepts TCP connections on 127.0.0.1:port; True if it did."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def server():
    host = os.environ.get("USERSCTL_TEST_PGHOST")
    port = os.environ.get("USERSCTL_TEST_PGPORT")
    if not host or not port:
        raise RuntimeError("USERSCTL_TEST_PGHOST/PORT not set: run through scripts/test")
    return host, port


def url(dbname):
    host, port = server()
    return "postgresql:///%s?host=%s&port=%s&user=postgres" % (dbname, host.replace("/", "%2F"), port)


def connect(dbname):
    host, port = server()
    conn = psycopg2.connect(host=host, port=port, user="postgres", dbname=dbname)
    conn.autocommit = True
    return conn


def clean_env(extra=None):
    """The runner's environment without database settings. Most tests hash with bcrypt at cost 4,
    which only --verifier any (or crypt) accepts, so USERSCTL_VERIFIER is "any" and, since any's
    own default is argon2id, USERSCTL_SCHEME "bcrypt", unless `extra` sets the verifier (then that
    verifier's own default applies); a value of None removes a variable (for tests of the real
    defaults). A user's own config file never reaches a test."""
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("USERSCTL_") or k.startswith("PG") or k in ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"))}
    if "USERSCTL_VERIFIER" not in (extra or {}):
        env["USERSCTL_VERIFIER"] = "any"
        env["USERSCTL_SCHEME"] = "bcrypt"
    env["XDG_CONFIG_HOME"] = "/nonexistent/usersctl-test-config"
    for k, v in (extra or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def usersctl(*args, stdin="", env=None, timeout=120):
    """Runs usersctl; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([BINARY, *args], input=stdin.encode(), capture_output=True,
                          env=clean_env(env), timeout=timeout)


def usersctl_verifies(stored, password):
    """Whether `usersctl hash --verify STORED` accepts the password (given on stdin)."""
    r = usersctl("hash", "--verify", stored, "--password-stdin", stdin=password + "\n")
    assert r.returncode in (0, 1), r.stderr
    return r.returncode == 0


class DatabaseTest(unittest.TestCase):
    """Each test gets a fresh database with the users table made by init-db."""

    init_db = True

    def setUp(self):
        self.dbname = "usersctl_py_%d_%d" % (os.getpid(), random.randrange(1_000_000))
        admin = connect("postgres")
        with admin.cursor() as cur:
            cur.execute('CREATE DATABASE "%s"' % self.dbname)
        admin.close()
        self.url = url(self.dbname)
        self.conn = connect(self.dbname)
        if self.init_db:
            r = self.run_usersctl("init-db", "-q")
            self.assertEqual(r.returncode, 0, r.stderr)

    def tearDown(self):
        self.conn.close()
        admin = connect("postgres")
        with admin.cursor() as cur:
            cur.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.dbname)
        admin.close()

    def run_usersctl(self, *args, stdin="", env=None):
        return usersctl("-d", self.url, *args, stdin=stdin, env=env)

    def sql(self, query, params=()):
        with self.conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall() if cur.description else None

    def hash_of(self, email):
        return self.sql("SELECT password_hash FROM users WHERE email = %s", (email,))[0][0]


class TerminalSession:
    """usersctl on a pseudo-terminal, as a person at a keyboard would run it."""

    def __init__(self, *args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(BINARY, [BINARY, *args], clean_env())
        self.output = b""

    def read_until(self, text, timeout=10):
        deadline = time.time() + timeout
        while text.encode() not in self.output and time.time() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.fd, 4096)
                except OSError:
                    break
        return text.encode() in self.output

    def echo_enabled(self):
        return bool(termios.tcgetattr(self.fd)[3] & termios.ECHO)

    def send(self, text):
        os.write(self.fd, text.encode())

    def finish(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                try:
                    while True:
                        ready, _, _ = select.select([self.fd], [], [], 0.1)
                        if not ready:
                            break
                        self.output += os.read(self.fd, 4096)
                except OSError:
                    pass
                return os.waitstatus_to_exitcode(status)
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if ready:
                    self.output += os.read(self.fd, 4096)
            except OSError:
                pass
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("usersctl did not finish: %r" % self.output)

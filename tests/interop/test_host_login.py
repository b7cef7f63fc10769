"""Host logins against the app's accounts (#14): `verify --pam` as pam_exec's backend, through
Debian's Linux-PAM run by pamtester under cwrap's pam_wrapper (no file under /etc/pam.d is
touched), and `checkpassword` as dovecot's passdb, with a real dovecot (run as nobody) answering
`doveadm auth test` and IMAP LOGIN on loopback. Config files are root's (the suite runs as root
in CI); as another user these tests are skipped, since no file of theirs may give settings."""

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, GOOD, free_port, usersctl, wait_for_port  # noqa: E402
from webapp import AppDatabaseTest, register  # noqa: E402

PAM_WRAPPER = "libpam_wrapper.so"
PAM_DIR = "/lib/x86_64-linux-gnu/security"
PAM_EXEC = PAM_DIR + "/pam_exec.so"
CHECKPASSWORD_REPLY = "/usr/lib/dovecot/checkpassword-reply"
HOSTILE = {
    "PGHOST": "/nonexistent", "PGPORT": "1", "PGDATABASE": "evil", "PGUSER": "evil", "PGSERVICE": "evil",
    "USERSCTL_VERIFIER": "garbage", "USERSCTL_DATABASE_URL": "postgresql://evil@127.0.0.1:1/evil",
    "DATABASE_URL": "postgresql://evil@127.0.0.1:1/evil", "SQLALCHEMY_DATABASE_URI": "postgresql://evil@127.0.0.1:1/e",
    "USERSCTL_CONFIG": "/nonexistent/usersctl.conf", "USERSCTL_TABLE": "evil", "USERSCTL_LOCK_TIMEOUT": "nan",
    "HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent",
    # Libraries' own variables: OpenSSL would load a provider module named in this file (code run
    # as root), Kerberos would write its trace as root, ICU would read data from elsewhere.
    "OPENSSL_CONF": "%(evil)s/openssl.cnf", "OPENSSL_MODULES": "%(evil)s", "KRB5_TRACE": "%(evil)s/krb5-trace",
    "KRB5_CONFIG": "%(evil)s/krb5.conf", "ICU_DATA": "%(evil)s", "LOCALDOMAIN": "evil.example",
    "RES_OPTIONS": "ndots:15", "HOSTALIASES": "%(evil)s/hosts", "TZ": ":%(evil)s/tz",
}
EVIL_OPENSSL_CNF = """openssl_conf = init
[init]
providers = provider_sect
[provider_sect]
evil = evil_sect
[evil_sect]
module = %s/evil-provider.so
activate = 1
"""
CLOSED_URL = "postgresql://postgres@127.0.0.1:%d/none?connect_timeout=2"


@unittest.skipUnless(os.geteuid() == 0, "host logins read config files only when root's: run as root (CI does)")
class HostLoginTest(AppDatabaseTest):
    def setUp(self):
        super().setUp()
        # A folder of root's, readable by all (dovecot runs usersctl as nobody), writable by root alone.
        self.confdir = tempfile.mkdtemp(prefix="usersctl-hl.")
        os.chmod(self.confdir, 0o755)
        self.conf = self.write_config("usersctl.conf", self.url)
        self.evil = os.path.join(self.confdir, "evil")
        os.mkdir(self.evil)
        with open(os.path.join(self.evil, "openssl.cnf"), "w") as f:
            f.write(EVIL_OPENSSL_CNF % self.evil)
        self.hostile = {k: v % {"evil": self.evil} for k, v in HOSTILE.items()}
        self.down_conf = self.write_config("down.conf", CLOSED_URL % free_port())
        self.password = "Tr0ub4dor&3-host-login"
        r = self.run_usersctl("add-user", "ada@example.com", "--first-name", "Ada", "--last-name", "L",
                              "--password-stdin", "--scheme", "werkzeug-pbkdf2", "--cost", "1000",
                              stdin=self.password + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)

    def tearDown(self):
        shutil.rmtree(self.confdir, ignore_errors=True)
        super().tearDown()

    def write_config(self, name, database_url, extra=""):
        path = os.path.join(self.confdir, name)
        with open(path, "w") as f:
            f.write('database-url = "%s"\n%s' % (database_url, extra))
        os.chmod(path, 0o644)
        return path

    def add(self, email, password, *args):
        r = self.run_usersctl("add-user", email, "--first-name", "X", "--last-name", "Y", "--password-stdin",
                              *args, stdin=password + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)

    # --- verify --pam, run as pam_exec runs it: only the PAM environment, the token on stdin ---

    def pam(self, user, token, config=None, extra=None, args=()):
        env = {"PAM_USER": user, "PAM_TYPE": "auth", "PAM_SERVICE": "sshd", "PAM_RHOST": "192.0.2.1"}
        env.update(extra or {})
        return subprocess.run([BINARY, "verify", "--pam", "--config", config or self.conf, *args],
                              input=token, capture_output=True, env=env, timeout=60)

    def test_pam_right_wrong_unknown_and_empty(self):
        token = self.password.encode()
        self.assertEqual(self.pam("ada@example.com", token).returncode, 0)
        # PAM grants the name it was given: only the email as the app stores it logs in.
        for spelling in ("Ada@Example.COM", " ada@example.com", "ada@example.com ", "\u212a@example.com"):
            self.assertEqual(self.pam(spelling, token).returncode, 1, spelling)
        self.assertEqual(self.pam("ada@example.com", token + b"\0").returncode, 0, "one NUL (older PAMs)")
        self.assertEqual(self.pam("ada@example.com", token + b"\0\0").returncode, 1, "only one NUL is removed")
        self.assertEqual(self.pam("ada@example.com", token + b"\n").returncode, 1, "no newline stripping")
        self.assertEqual(self.pam("ada@example.com", b"wrong").returncode, 1)
        self.assertEqual(self.pam("nobody@example.com", token).returncode, 1)
        self.assertEqual(self.pam("root", token).returncode, 1, "a host account name is no account")
        self.assertEqual(self.pam("ada@example.com", b"").returncode, 1)
        self.assertEqual(self.pam("ada@example.com", b"\0").returncode, 1)
        r = self.pam("ada@example.com", token, extra={"PAM_TYPE": "account"})
        self.assertEqual(r.returncode, 64, "only the auth stack: an account check has no password")
        r = self.pam("", token)
        self.assertEqual(r.returncode, 64)
        for argv_extra in (["ada@example.com"], ["--password-stdin"], ["--id", "1"]):
            r = subprocess.run([BINARY, "verify", "--pam", "--config", self.conf, *argv_extra], input=token,
                               capture_output=True, env={"PAM_USER": "ada@example.com"}, timeout=60)
            self.assertEqual(r.returncode, 64, argv_extra)

    def test_pam_passwords_of_511_and_512_bytes_with_and_without_a_nul(self):
        for size in (511, 512):
            email = "long%d@example.com" % size
            password = ("%d-" % size + "x" * size)[:size]
            self.add(email, password, "--scheme", "werkzeug-pbkdf2", "--cost", "1000")
            self.assertEqual(self.pam(email, password.encode()).returncode, 0, size)
            self.assertEqual(self.pam(email, password.encode() + b"\0").returncode, 0, size)
            self.assertEqual(self.pam(email, password.encode()[:-1]).returncode, 1, size)
        self.assertEqual(self.pam("long512@example.com", b"y" * 513).returncode, 1, "over 512 bytes")
        self.assertEqual(self.pam("long512@example.com", b"y" * 513 + b"\0").returncode, 1)

    def test_pam_takes_no_setting_from_the_environment(self):
        token = self.password.encode()
        # The evil OpenSSL config is real: read, it fails every hash (70) instead of loading.
        r = subprocess.run([BINARY, "hash", "--verify", self.hash_of("ada@example.com"), "--password-stdin"],
                           input=token + b"\n", capture_output=True,
                           env={"OPENSSL_CONF": self.hostile["OPENSSL_CONF"]}, timeout=60)
        self.assertEqual(r.returncode, 70, "the evil OpenSSL config is read by an ordinary command")
        r = self.pam("ada@example.com", token, extra=self.hostile)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.pam("ada@example.com", b"wrong", extra=self.hostile).returncode, 1)
        self.assertFalse(os.path.exists(os.path.join(self.evil, "krb5-trace")))
        # A URL only in the environment is not used: no database, so no login.
        env = {"PAM_USER": "ada@example.com", "USERSCTL_DATABASE_URL": self.url, "DATABASE_URL": self.url}
        r = subprocess.run([BINARY, "verify", "--pam"], input=token, capture_output=True, env=env, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertNotEqual(r.returncode, 1)
        # Nor a config file named by USERSCTL_CONFIG.
        env = {"PAM_USER": "ada@example.com", "USERSCTL_CONFIG": self.conf}
        r = subprocess.run([BINARY, "verify", "--pam"], input=token, capture_output=True, env=env, timeout=60)
        self.assertNotIn(r.returncode, (0, 1))

    def test_pam_refuses_config_files_others_could_change(self):
        token = self.password.encode()
        os.chmod(self.conf, 0o664)
        r = self.pam("ada@example.com", token)
        self.assertEqual(r.returncode, 78)
        self.assertIn(b"refused for host logins", r.stderr)
        os.chmod(self.conf, 0o644)
        os.chown(self.conf, 65534, 65534)
        self.assertEqual(self.pam("ada@example.com", token).returncode, 78, "not root's")
        os.chown(self.conf, 0, 0)
        os.chmod(self.confdir, 0o777)
        self.assertEqual(self.pam("ada@example.com", token).returncode, 78, "a folder others can write")
        os.chmod(self.confdir, 0o1777)
        self.assertEqual(self.pam("ada@example.com", token).returncode, 0, "a sticky folder, as /tmp")
        os.chmod(self.confdir, 0o755)
        self.assertEqual(self.pam("ada@example.com", token).returncode, 0)
        # A link someone else could replace, to a root-owned file, is no way in either.
        theirs = tempfile.mkdtemp(prefix="usersctl-theirs.")
        self.addCleanup(shutil.rmtree, theirs, True)
        os.chown(theirs, 65534, 65534)
        link = os.path.join(theirs, "usersctl.conf")
        os.symlink(self.conf, link)
        self.assertEqual(self.pam("ada@example.com", token, config=link).returncode, 78, "link in a folder of nobody's")
        root_link = os.path.join(self.confdir, "link.conf")
        os.symlink(self.conf, root_link)
        self.assertEqual(self.pam("ada@example.com", token, config=root_link).returncode, 0, "root's own link")
        r = subprocess.run([BINARY, "verify", "--pam", "--config", "usersctl.conf"], input=token, capture_output=True,
                           env={"PAM_USER": "ada@example.com"}, cwd=self.confdir, timeout=60)
        self.assertEqual(r.returncode, 78, "a relative path")

    def test_pam_database_down_and_record_login(self):
        token = self.password.encode()
        r = self.pam("ada@example.com", token, config=self.down_conf)
        self.assertEqual(r.returncode, 69, r.stderr)
        self.assertNotIn(token, r.stderr)
        self.assertEqual(self.pam("ada@example.com", token, args=["--record-login"]).returncode, 0)
        count, last = self.sql("SELECT login_count, last_login_at FROM users WHERE email = 'ada@example.com'")[0]
        self.assertEqual(count, 1)
        self.assertIsNotNone(last)

    def test_pam_problems_reach_syslog_authpriv_without_the_password(self):
        # A private mount namespace whose /dev/log is this test's socket: the host's is untouched.
        if subprocess.run(["unshare", "--mount", "true"], capture_output=True).returncode != 0:
            self.skipTest("unshare --mount is not permitted here")
        folder = tempfile.mkdtemp(prefix="usersctl-syslog.")
        self.addCleanup(shutil.rmtree, folder, True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(listener.close)
        listener.bind(os.path.join(folder, "log"))
        listener.settimeout(10)
        script = ('mount -t tmpfs tmpfs /dev && : > /dev/log && mount --bind "$LOG" /dev/log && '
                  'exec "$0" "$@"')
        token = b"never-logged-password"
        r = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, BINARY, "verify",
                            "--pam", "--config", self.down_conf], input=token, capture_output=True,
                           env={"PAM_USER": "ada@example.com", "LOG": os.path.join(folder, "log")}, timeout=60)
        self.assertEqual(r.returncode, 69, r.stderr)
        line = listener.recv(8192)
        # <83>: facility authpriv (10) * 8 + severity err (3).
        self.assertTrue(line.startswith(b"<83>"), line)
        self.assertIn(b"usersctl[", line)
        self.assertIn(b"cannot connect", line)
        self.assertNotIn(token, line)

    # --- the real Linux-PAM stack: pamtester under pam_wrapper ---

    def pamtester(self, user, password, config=None):
        """The README's stack: usersctl sufficient before what common-auth would do (here
        pam_deny, as for a name with no local password)."""
        servicedir = tempfile.mkdtemp(prefix="usersctl-pam.")
        try:
            with open(os.path.join(servicedir, "usersctl-test"), "w") as f:
                f.write("auth sufficient %s expose_authtok quiet %s verify --pam --config %s\n"
                        "auth required %s/pam_deny.so\n"
                        "account required %s/pam_permit.so\n"
                        % (PAM_EXEC, BINARY, config or self.conf, PAM_DIR, PAM_DIR))
            env = dict(os.environ, LD_PRELOAD=PAM_WRAPPER, PAM_WRAPPER="1", PAM_WRAPPER_SERVICE_DIR=servicedir)
            return subprocess.run(["pamtester", "-v", "usersctl-test", user, "authenticate"],
                                  input=(password + "\n").encode(), capture_output=True, env=env, timeout=60)
        finally:
            shutil.rmtree(servicedir, ignore_errors=True)

    def test_linux_pam_logs_in_the_apps_accounts(self):
        register("Grace@Example.com", "Grace", "Hopper", "registered-in-the-app")
        r = self.pamtester("ada@example.com", self.password)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"successfully authenticated", r.stdout + r.stderr)
        self.assertEqual(self.pamtester("grace@example.com", "registered-in-the-app").returncode, 0)
        self.assertNotEqual(self.pamtester("ada@example.com", "wrong password").returncode, 0)
        self.assertNotEqual(self.pamtester("nobody@example.com", self.password).returncode, 0)
        self.assertNotEqual(self.pamtester("ada@example.com", self.password, config=self.down_conf).returncode, 0)

    def test_linux_pam_with_a_511_byte_password(self):
        password = ("p511-" + "z" * 511)[:511]
        self.add("long@example.com", password, "--scheme", "werkzeug-pbkdf2", "--cost", "1000")
        r = self.pamtester("long@example.com", password)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotEqual(self.pamtester("long@example.com", password[:-1] + "y").returncode, 0)

    # --- checkpassword, run as qmail and dovecot run it: the login on descriptor 3 ---

    def checkpassword(self, data, program=(), env=None, args=(), config=None):
        read_end, write_end = os.pipe()
        os.write(write_end, data)
        os.close(write_end)

        def on_fd_3():
            os.dup2(read_end, 3)

        try:
            return subprocess.run([BINARY, "checkpassword", "--config", config or self.conf, *args, *program],
                                  capture_output=True, env=env if env is not None else {"PATH": "/usr/bin:/bin"},
                                  preexec_fn=on_fd_3, pass_fds=(3,), timeout=60)
        finally:
            os.close(read_end)

    def request(self, login, password):
        return login.encode() + b"\0" + password.encode() + b"\0" + b"\0"

    def test_checkpassword_runs_prog_with_user_and_home_on_a_match_only(self):
        show = ["sh", "-c", 'echo "$USER|$HOME|$ORIG_UID|$PGHOST|$AUTHORIZED|$*"; exit 7', "sh", "-x", "--config"]
        env = {"PATH": "/usr/bin:/bin", "ORIG_UID": "1234", "PGHOST": "/nonexistent", "USERSCTL_VERIFIER": "bad"}
        r = self.checkpassword(self.request("Ada@Example.com", self.password), show, env, ["--home", "/var/mail/%d/%n"])
        self.assertEqual(r.returncode, 7, r.stderr)
        self.assertEqual(r.stdout.decode().strip(), "ada@example.com|/var/mail/example.com/ada|1234|/nonexistent||-x --config")
        r = self.checkpassword(self.request("ada@example.com", "wrong"), show, env)
        self.assertEqual((r.returncode, r.stdout), (1, b""))
        r = self.checkpassword(self.request("nobody@example.com", self.password), show, env)
        self.assertEqual((r.returncode, r.stdout), (1, b""))
        # No PROG: qmail style, the status alone.
        self.assertEqual(self.checkpassword(self.request("ada@example.com", self.password)).returncode, 0)

    def test_checkpassword_userdb_lookups(self):
        show = ["sh", "-c", 'echo "$USER|$AUTHORIZED"; exit 2']
        env = {"PATH": "/usr/bin:/bin", "AUTHORIZED": "1"}
        r = self.checkpassword(b"ADA@example.com\0\0\0", show, env)
        self.assertEqual((r.returncode, r.stdout.decode().strip()), (2, "ada@example.com|2"))
        r = self.checkpassword(b"nobody@example.com\0\0\0", show, env)
        self.assertEqual((r.returncode, r.stdout), (3, b""))
        r = self.checkpassword(b"ada@example.com\0\0\0", show, dict(env, CREDENTIALS_LOOKUP="1"))
        self.assertEqual(r.returncode, 2, "stored passwords are never handed out")

    def test_checkpassword_misuse_and_temporary_failures(self):
        good = self.request("ada@example.com", self.password)
        for bad in (b"", b"ada@example.com", b"ada@example.com\0" + self.password.encode(),
                    b"ada@example.com\0" + self.password.encode() + b"\0", good + b"x" * (513 - len(good))):
            r = self.checkpassword(bad, ["/bin/echo", "ran"])
            self.assertEqual((r.returncode, r.stdout), (2, b""), bad[:40])
        r = subprocess.run([BINARY, "checkpassword", "--config", self.conf, "/bin/echo", "ran"], capture_output=True,
                           env={"PATH": "/usr/bin:/bin"}, timeout=60)
        self.assertEqual((r.returncode, r.stdout), (2, b""), "no descriptor 3")
        r = self.checkpassword(good, ["/bin/echo", "ran"], config=self.down_conf)
        self.assertEqual((r.returncode, r.stdout), (111, b""), r.stderr)
        self.assertNotIn(self.password.encode(), r.stderr)
        r = self.checkpassword(good, ["/bin/echo", "ran"], args=["--home", "relative/%u"])
        self.assertEqual(r.returncode, 2)
        r = self.checkpassword(good, ["/nonexistent/prog"])
        self.assertEqual(r.returncode, 2, "a program that is not there is misuse, not worth a retry")
        r = self.checkpassword(b"ada@example.com\0\0\0", [], {"AUTHORIZED": "1"})
        self.assertEqual(r.returncode, 2, "a userdb lookup answers only through PROG")
        r = self.checkpassword(good, ["/bin/echo", "ran"], dict(self.hostile, PATH="/usr/bin:/bin"))
        self.assertEqual((r.returncode, r.stdout), (0, b"ran\n"), r.stderr)
        os.chmod(self.conf, 0o666)
        r = self.checkpassword(good, ["/bin/echo", "ran"])
        self.assertEqual((r.returncode, r.stdout), (111, b""))
        os.chmod(self.conf, 0o644)

    def test_checkpassword_refuses_a_home_the_email_would_escape(self):
        self.sql("INSERT INTO users (email, first_name, last_name, password_hash) SELECT '../../etc@example.com', "
                 "'E', 'vil', password_hash FROM users WHERE email = 'ada@example.com'")
        r = self.checkpassword(self.request("../../etc@example.com", self.password), ["/bin/echo", "ran"],
                               args=["--home", "/var/mail/%u"])
        self.assertEqual((r.returncode, r.stdout), (2, b""), r.stderr)

    # --- dovecot ---

    def start_dovecot(self, config):
        self.dovedir = tempfile.mkdtemp(prefix="usersctl-dovecot.")
        for sub in ("run", "state", "mail", "home"):
            os.mkdir(os.path.join(self.dovedir, sub))
        self.imap_port = free_port()
        conf = os.path.join(self.dovedir, "dovecot.conf")
        with open(conf, "w") as f:
            # dovecot runs usersctl as nobody, who may not reach the build tree (a checkout in a
            # mode-700 folder such as /root or mktemp -d): a copy in the root-owned 0755 folder.
            binary = shutil.copy(BINARY, os.path.join(self.confdir, "usersctl"))
            f.write(DOVECOT_CONF % {"dir": self.dovedir, "port": self.imap_port, "binary": binary, "config": config,
                                    "reply": CHECKPASSWORD_REPLY})
        subprocess.run(["chown", "-R", "nobody:nogroup", self.dovedir], check=True)
        self.doveconf = conf
        self.dovecot = subprocess.Popen(["runuser", "-u", "nobody", "--", "/usr/sbin/dovecot", "-F", "-c", conf],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self.stop_dovecot)
        self.assertTrue(wait_for_port(self.imap_port), self.dovecot_log())

    def stop_dovecot(self):
        self.dovecot.send_signal(signal.SIGTERM)
        try:
            self.dovecot.wait(10)
        except subprocess.TimeoutExpired:
            self.dovecot.kill()
        shutil.rmtree(self.dovedir, ignore_errors=True)

    def dovecot_log(self):
        try:
            with open(os.path.join(self.dovedir, "dovecot.log")) as f:
                return f.read()
        except OSError:
            return ""

    def doveadm_auth(self, user, password):
        return subprocess.run(["runuser", "-u", "nobody", "--", "doveadm", "-c", self.doveconf, "auth", "test", user,
                               password], capture_output=True, timeout=60)

    def imap_login(self, user, password):
        with imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=30) as imap:
            try:
                imap.login(user, password)
            except imaplib.IMAP4.error as e:
                return str(e)
            status, _ = imap.select("INBOX")
            imap.logout()
            return "OK " + status

    def test_dovecot_logs_in_accounts_of_every_origin_over_imap(self):
        self.add("bcrypt@example.com", "bcrypt-account-pw", "--verifier", "any", "--scheme", "bcrypt", "--cost", "4")
        # The real default: --verifier werkzeug, so werkzeug-pbkdf2 at its default cost.
        r = self.run_usersctl("add-user", "default@example.com", "--first-name", "X", "--last-name", "Y",
                              "--password-stdin", stdin="default-scheme-pw\n",
                              env={"USERSCTL_VERIFIER": None, "USERSCTL_SCHEME": None})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.hash_of("default@example.com").startswith("pbkdf2:sha256:600000$"))
        register("Grace@Example.com", "Grace", "Hopper", "registered-in-the-app")
        self.start_dovecot(self.conf)
        for user, password in (("default@example.com", "default-scheme-pw"), ("bcrypt@example.com", "bcrypt-account-pw"),
                               ("grace@example.com", "registered-in-the-app"), ("ada@example.com", self.password)):
            r = self.doveadm_auth(user, password)
            self.assertEqual(r.returncode, 0, (user, r.stdout, r.stderr, self.dovecot_log()))
            self.assertIn(b"auth succeeded", r.stdout)
            self.assertEqual(self.imap_login(user, password), "OK OK", (user, self.dovecot_log()))
            r = self.doveadm_auth(user, password + "x")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(b"auth failed", r.stdout)
            self.assertIn("AUTHENTICATIONFAILED", self.imap_login(user, password + "x"))
        self.assertIn("AUTHENTICATIONFAILED", self.imap_login("nobody@example.com", "whatever"))
        # A userdb lookup with no login (LMTP delivery, doveadm user) works with the static userdb.
        r = subprocess.run(["runuser", "-u", "nobody", "--", "doveadm", "-c", self.doveconf, "user", "ada@example.com"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, (r.stdout, r.stderr, self.dovecot_log()))

    def test_dovecot_reports_a_database_down_as_a_temporary_failure(self):
        self.start_dovecot(self.down_conf)
        result = self.imap_login("ada@example.com", self.password)
        self.assertIn("UNAVAILABLE", result, self.dovecot_log())
        self.assertNotIn("AUTHENTICATIONFAILED", result)
        self.assertIn("exited with status 111", self.dovecot_log())


# dovecot as nobody: no chroot, every listener and file in the test's folder, IMAP on loopback,
# plaintext logins (checkpassword needs the password) without TLS on loopback only.
DOVECOT_CONF = """
base_dir = %(dir)s/run
state_dir = %(dir)s/state
log_path = %(dir)s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
# The auth service's 256 MiB address-space limit also binds the checkpassword child: an
# AddressSanitizer build reserves more than that, and so may a check of a costly stored hash.
default_vsz_limit = 0
mail_location = maildir:%(dir)s/mail/%%u
passdb {
  driver = checkpassword
  args = %(binary)s checkpassword --config %(config)s
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=%(dir)s/home/%%u allow_all_users=yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %(port)d
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    user = nobody
  }
  unix_listener stats-writer {
    user = nobody
  }
}
"""

if __name__ == "__main__":
    unittest.main()

"""usersctl's hashes against real peers from Debian 12: python3-bcrypt, python3-passlib,
htpasswd (apache2-utils), pgcrypto, werkzeug 2.2 and hashlib.scrypt (werkzeug 3's layout)."""

import hashlib
import subprocess
import sys
import unittest
import warnings

import bcrypt
from passlib.hash import bcrypt as passlib_bcrypt, sha256_crypt, sha512_crypt
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.insert(0, __import__("os").path.dirname(__file__))
from harness import GOOD, UNICODE, DatabaseTest, usersctl, usersctl_verifies  # noqa: E402

warnings.filterwarnings("ignore")
PASSWORDS = [GOOD, UNICODE, "naïve café crème brûlée", "日本語のパスワードです", "emoji 🐍🔐🚀 pass"]


def make_hash(password, scheme, cost=None):
    args = ["hash", "--password-stdin", "--scheme", scheme, "--allow-weak-password"]
    if cost is not None:
        args += ["--cost", str(cost)]
    r = usersctl(*args, stdin=password + "\n")
    assert r.returncode == 0, r.stderr
    return r.stdout.decode().strip()


def htpasswd_verifies(stored, password, tmpdir="/tmp"):
    import os
    import tempfile
    fd, path = tempfile.mkstemp(dir=tmpdir)
    with os.fdopen(fd, "w") as f:
        f.write("user:%s\n" % stored)
    try:
        # -i reads the password from stdin: it never appears in argv.
        r = subprocess.run(["htpasswd", "-v", "-i", path, "user"], input=password.encode(), capture_output=True)
        return r.returncode == 0
    finally:
        os.unlink(path)


class UsersctlHashesVerifyElsewhere(unittest.TestCase):
    def test_bcrypt_in_python_bcrypt_passlib_and_htpasswd(self):
        for password in PASSWORDS:
            with self.subTest(password=password):
                h = make_hash(password, "bcrypt", 5)
                self.assertTrue(h.startswith("$2b$05$"))
                self.assertTrue(bcrypt.checkpw(password.encode(), h.encode()))
                self.assertFalse(bcrypt.checkpw((password + "x").encode(), h.encode()))
                self.assertTrue(passlib_bcrypt.verify(password, h))
                self.assertTrue(htpasswd_verifies(h, password))
                self.assertFalse(htpasswd_verifies(h, password + "x"))

    def test_werkzeug_pbkdf2_in_werkzeug(self):
        for password in PASSWORDS:
            with self.subTest(password=password):
                h = make_hash(password, "werkzeug-pbkdf2")
                self.assertRegex(h, r"^pbkdf2:sha256:600000\$[A-Za-z0-9]{16}\$[0-9a-f]{64}$")
                self.assertTrue(check_password_hash(h, password))
                self.assertFalse(check_password_hash(h, password + "x"))

    def test_werkzeug_scrypt_matches_hashlib_in_werkzeug3_layout(self):
        for password in PASSWORDS:
            with self.subTest(password=password):
                h = make_hash(password, "werkzeug-scrypt")
                method, salt, digest = h.split("$")
                self.assertEqual(method, "scrypt:32768:8:1")
                self.assertRegex(salt, r"^[A-Za-z0-9]{16}$")
                expected = hashlib.scrypt(password.encode(), salt=salt.encode(), n=32768, r=8, p=1,
                                          maxmem=132 * 32768 * 8).hex()
                self.assertEqual(digest, expected)

    def test_sha512crypt_and_yescrypt_in_passlib_and_crypt(self):
        import crypt
        for password in PASSWORDS:
            with self.subTest(password=password):
                h = make_hash(password, "sha512crypt")
                self.assertTrue(sha512_crypt.verify(password, h))
                y = make_hash(password, "yescrypt")
                self.assertEqual(crypt.crypt(password, y), y)


class OtherToolsHashesVerifyInUsersctl(unittest.TestCase):
    def test_werkzeug_versions(self):
        for password in PASSWORDS:
            with self.subTest(password=password):
                # werkzeug 2.2's default, and werkzeug 1.0's (150000 iterations, 8-character salt)
                default = generate_password_hash(password)
                self.assertTrue(default.startswith("pbkdf2:sha256:260000$"))
                old = generate_password_hash(password, method="pbkdf2:sha256:150000", salt_length=8)
                sha1 = generate_password_hash(password, method="pbkdf2:sha1:1000", salt_length=22)
                for h in (default, old, sha1):
                    self.assertTrue(usersctl_verifies(h, password), h)
                    self.assertFalse(usersctl_verifies(h, password + " "), h)

    def test_bcrypt_flavours(self):
        for password in PASSWORDS:
            with self.subTest(password=password):
                flask_bcrypt_style = bcrypt.hashpw(password.encode(), bcrypt.gensalt(12)).decode()
                self.assertTrue(flask_bcrypt_style.startswith("$2b$12$"))
                a_prefix = bcrypt.hashpw(password.encode(), bcrypt.gensalt(5, prefix=b"2a")).decode()
                for h in (flask_bcrypt_style, a_prefix, passlib_bcrypt.using(rounds=5).hash(password)):
                    self.assertTrue(usersctl_verifies(h, password), h)
                    self.assertFalse(usersctl_verifies(h, password[:-1]), h)
                # htpasswd -B writes $2y$
                r = subprocess.run(["htpasswd", "-n", "-i", "-B", "-C", "5", "user"], input=password.encode(),
                                   capture_output=True, check=True)
                y = r.stdout.decode().strip().split(":", 1)[1]
                self.assertTrue(y.startswith("$2y$05$"))
                self.assertTrue(usersctl_verifies(y, password))

    def test_passlib_sha_crypt(self):
        for password in PASSWORDS:
            with self.subTest(password=password):
                for h in (sha512_crypt.using(rounds=5000).hash(password), sha512_crypt.using(rounds=20000).hash(password),
                          sha256_crypt.using(rounds=5000).hash(password)):
                    self.assertTrue(usersctl_verifies(h, password), h)
                    self.assertFalse(usersctl_verifies(h, password + "!"), h)

    def test_no_unicode_normalisation(self):
        import unicodedata
        nfc = unicodedata.normalize("NFC", "Ångström-passphrase")
        nfd = unicodedata.normalize("NFD", nfc)
        self.assertNotEqual(nfc, nfd)
        h = generate_password_hash(nfc)
        self.assertTrue(usersctl_verifies(h, nfc))
        self.assertFalse(usersctl_verifies(h, nfd))


class Pgcrypto(DatabaseTest):
    init_db = False

    def test_bcrypt_in_pgcrypto_with_the_2a_prefix(self):
        self.sql("CREATE EXTENSION pgcrypto")
        for password in PASSWORDS:
            with self.subTest(password=password):
                h = make_hash(password, "bcrypt", 5)
                # pgcrypto 15 knows only $2a$, which computes the same hash for passwords up to 72 bytes.
                a = "$2a$" + h[4:]
                self.assertEqual(self.sql("SELECT crypt(%s, %s)", (password, a))[0][0], a)
                self.assertNotEqual(self.sql("SELECT crypt(%s, %s)", (password + "x", a))[0][0], a)
                # and pgcrypto's own hashes verify in usersctl
                pg = self.sql("SELECT crypt(%s, gen_salt('bf', 5))", (password,))[0][0]
                self.assertTrue(usersctl_verifies(pg, password))


if __name__ == "__main__":
    unittest.main(verbosity=2)

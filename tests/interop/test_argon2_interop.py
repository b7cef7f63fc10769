"""Argon2 (issue #16) against real peers from Debian 12: argon2-cffi (python3-argon2), passlib's
argon2 handler and PHP 8.2's password_hash / password_verify (php8.2-cli), plus Django's
"argon2$" layout built the way Django's Argon2PasswordHasher builds it. Both directions, through
`hash --verify` and through `verify` against the database; passwords only on stdin."""

import csv
import json
import os
import secrets
import string
import subprocess
import sys
import tempfile
import time
import unittest
import warnings

import argon2
from argon2.low_level import Type, hash_secret
from passlib.hash import argon2 as passlib_argon2

sys.path.insert(0, os.path.dirname(__file__))
from harness import GOOD, UNICODE, DatabaseTest, usersctl, usersctl_verifies  # noqa: E402

warnings.filterwarnings("ignore")
PASSWORDS = [GOOD, UNICODE, "naïve café crème brûlée", "日本語のパスワードです", "emoji 🐍🔐🚀 pass"]
ANY = {"USERSCTL_VERIFIER": "any"}  # any's own default, argon2id (not the harness's bcrypt)
SMALL = "4096"  # m in KiB where the parameters do not matter, to keep the suite quick

# PHP reads the stored hash and the password from stdin, separated by a NUL: never from argv.
PHP_VERIFY = ('[$h, $p] = explode("\\0", stream_get_contents(STDIN), 2);'
              'exit(password_verify($p, $h) ? 0 : 1);')
PHP_HASH = 'echo password_hash(stream_get_contents(STDIN), PASSWORD_ARGON2ID);'


def make_hash(password, cost=None):
    args = ["hash", "--password-stdin", "--allow-weak-password"] + (["--cost", cost] if cost else [])
    r = usersctl(*args, stdin=password + "\n", env=ANY)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode().strip()


def php_verifies(stored, password):
    r = subprocess.run(["php", "-r", PHP_VERIFY], input=(stored + "\0" + password).encode(), capture_output=True)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode == 0


def php_hash(password):
    r = subprocess.run(["php", "-r", PHP_HASH], input=password.encode(), capture_output=True, check=True)
    return r.stdout.decode()


def cffi_verifies(stored, password):
    try:
        return argon2.PasswordHasher().verify(stored, password)
    except argon2.exceptions.VerificationError:
        return False


def django_hash(password):
    """As Django's Argon2PasswordHasher.encode: a 22-character alphanumeric salt (128 bits of
    entropy) passed as bytes, argon2id at Django's time_cost 2, memory_cost 102400 and
    parallelism 8, argon2-cffi's default hash length, "argon2" before the PHC string."""
    salt = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(22))
    data = hash_secret(password.encode(), salt.encode(), time_cost=2, memory_cost=102400, parallelism=8,
                       hash_len=argon2.DEFAULT_HASH_LENGTH, type=Type.ID)
    return "argon2" + data.decode("ascii")


class UsersctlArgon2VerifiesElsewhere(unittest.TestCase):
    def test_the_default_under_any_is_argon2id_at_64_mib_two_passes_one_lane(self):
        h = make_hash(GOOD)
        self.assertRegex(h, r"^\$argon2id\$v=19\$m=65536,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$")
        params = argon2.extract_parameters(h)
        self.assertEqual((params.type, params.version, params.memory_cost, params.time_cost, params.parallelism,
                          params.salt_len, params.hash_len), (Type.ID, 19, 65536, 2, 1, 16, 32))
        self.assertTrue(cffi_verifies(h, GOOD))
        self.assertTrue(php_verifies(h, GOOD))

    def test_in_argon2_cffi_passlib_and_php_and_the_wrong_password_fails_in_each(self):
        for password in PASSWORDS:
            with self.subTest(password=password):
                h = make_hash(password, SMALL)
                self.assertTrue(h.startswith("$argon2id$v=19$m=4096,t=2,p=1$"), h)
                self.assertTrue(cffi_verifies(h, password))
                self.assertFalse(cffi_verifies(h, password + "x"))
                self.assertTrue(passlib_argon2.verify(password, h))
                self.assertFalse(passlib_argon2.verify(password[:-1], h))
                self.assertTrue(php_verifies(h, password))
                self.assertFalse(php_verifies(h, password + " "))


class PeersArgon2VerifiesInUsersctl(unittest.TestCase):
    def test_argon2_cffi_php_and_django_defaults(self):
        hasher = argon2.PasswordHasher()
        self.assertEqual((hasher.parallelism, hasher.hash_len), (8, 16))
        peers = (("argon2-cffi", hasher.hash, "$argon2id$v=19$m=102400,t=2,p=8$"),
                 ("PHP", php_hash, "$argon2id$v=19$m=65536,t=4,p=1$"),
                 ("Django", django_hash, "argon2$argon2id$v=19$m=102400,t=2,p=8$"))
        for (peer, make, prefix), password in ((p, w) for p in peers for w in PASSWORDS[:2]):
            with self.subTest(peer=peer, password=password):
                h = make(password)
                self.assertTrue(h.startswith(prefix), h)
                self.assertTrue(usersctl_verifies(h, password), h)
                self.assertFalse(usersctl_verifies(h, password + "x"), h)
                self.assertFalse(usersctl_verifies(h, password[:-1]), h)

    def test_passlib_and_the_other_variants_and_versions(self):
        password = UNICODE
        low = dict(time_cost=3, memory_cost=1024, parallelism=2, hash_len=24)
        v16 = hash_secret(password.encode(), os.urandom(12), type=Type.I, version=16, **low).decode()
        for h in (passlib_argon2.using(rounds=2, memory_cost=2048, parallelism=4).hash(password),
                  hash_secret(password.encode(), os.urandom(16), type=Type.I, **low).decode(),
                  hash_secret(password.encode(), os.urandom(16), type=Type.D, **low).decode(),
                  v16, v16.replace("$v=16", "")):
            with self.subTest(stored=h):
                self.assertTrue(usersctl_verifies(h, password), h)
                self.assertFalse(usersctl_verifies(h, GOOD), h)


class Argon2AgainstTheDatabase(DatabaseTest):
    def store(self, email, stored):
        r = self.run_usersctl("add-user", email, "--password-stdin", "--cost", "4", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.sql("UPDATE users SET password_hash = %s WHERE email = %s", (stored, email))

    def verify(self, email, password, *args, env=None):
        return self.run_usersctl("verify", email, "--password-stdin", *args, stdin=password + "\n", env=env)

    def test_peers_hashes_verify_and_wrong_passwords_fail(self):
        peers = {"cffi@example.com": argon2.PasswordHasher().hash(UNICODE), "php@example.com": php_hash(UNICODE),
                 "django@example.com": django_hash(UNICODE)}
        for email, stored in peers.items():
            with self.subTest(email=email):
                self.store(email, stored)
                self.assertEqual(self.verify(email, UNICODE).returncode, 0)
                self.assertEqual(self.verify(email, GOOD).returncode, 1)

    def test_import_takes_peers_hashes_and_counts_them_unreadable_for_werkzeug(self):
        rows = {"cffi@example.com": argon2.PasswordHasher().hash(GOOD), "php@example.com": php_hash(GOOD),
                "django@example.com": django_hash(GOOD)}
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as f:
            out = csv.writer(f)  # the parameters hold commas: quoted, as an export writes them
            out.writerow(["email", "first_name", "last_name", "password_hash"])
            out.writerows([email, "A", "B", stored] for email, stored in rows.items())
        self.addCleanup(os.unlink, f.name)
        r = self.run_usersctl("import", f.name, "--dry-run", "--json", env={"USERSCTL_VERIFIER": None})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["unreadable"], 3)
        r = self.run_usersctl("import", f.name, "--json", env=ANY)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((json.loads(r.stdout)["created"], json.loads(r.stdout)["unreadable"]), (3, 0))
        for email, stored in rows.items():
            self.assertEqual(self.hash_of(email), stored)
            self.assertEqual(self.verify(email, GOOD).returncode, 0)
            self.assertEqual(self.verify(email, UNICODE).returncode, 1)

    def test_rehash_under_any_writes_argon2id_and_peers_still_read_it(self):
        self.store("old@example.com", argon2.PasswordHasher().hash(GOOD))
        r = self.verify("old@example.com", GOOD, "--rehash", env=ANY)
        self.assertEqual(r.returncode, 0, r.stderr)
        h = self.hash_of("old@example.com")
        self.assertTrue(h.startswith("$argon2id$v=19$m=65536,t=2,p=1$"), h)
        self.assertTrue(cffi_verifies(h, GOOD))
        self.assertTrue(php_verifies(h, GOOD))
        r = self.verify("old@example.com", GOOD, "--rehash", env=ANY)  # already current: unchanged
        self.assertEqual((r.returncode, self.hash_of("old@example.com")), (0, h))

    def test_add_user_under_any_writes_argon2id_and_werkzeug_cannot_have_it(self):
        r = self.run_usersctl("add-user", "new@example.com", "--password-stdin", "--cost", SMALL, stdin=GOOD + "\n",
                              env=ANY)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.hash_of("new@example.com").startswith("$argon2id$v=19$m=4096,t=2,p=1$"))
        self.assertEqual(self.verify("new@example.com", GOOD).returncode, 0)
        for verifier in ("werkzeug", "werkzeug-2.3", "crypt"):
            r = self.run_usersctl("add-user", "no@example.com", "--password-stdin", "--scheme", "argon2id",
                                  stdin=GOOD + "\n", env={"USERSCTL_VERIFIER": verifier})
            self.assertEqual(r.returncode, 64, verifier)
            self.assertIn("cannot read", r.stderr.decode())

    def test_corrupt_truncated_and_over_the_cap_never_verify_and_return_quickly(self):
        # A cut that still decodes is a well-formed value with a shorter hash: it is computed (and
        # fails, the length being an input of Argon2), so the value cut is a cheap one.
        good = make_hash(GOOD, SMALL)
        salt = good.split("$")[4]
        bad = [good[:-1], good[:-4], good[: good.rfind("$")], good + "=", good.replace("$v=19", "$v=20"),
               good.replace("m=4096", "m=04096"), good.replace("$argon2id$", "$argon2ds$"),
               "$argon2id$v=19$m=4194304,t=1,p=1$%s$%s" % (salt, "A" * 43),        # 4 GiB
               "$argon2id$v=19$m=1048576,t=3,p=1$%s$%s" % (salt, "A" * 43),        # 1 GiB x 3 passes
               "$argon2d$v=19$m=2040,t=4294967295,p=255$%s$%s" % (salt, "A" * 43),
               "argon2$argon2id$v=19$m=1048576,t=64,p=8$%s$%s" % (salt, "A" * 43)]
        self.store("x@example.com", good)
        for stored in bad:
            with self.subTest(stored=stored):
                self.sql("UPDATE users SET password_hash = %s", (stored,))
                started = time.monotonic()
                self.assertEqual(self.verify("x@example.com", GOOD).returncode, 1)
                self.assertLess(time.monotonic() - started, 3)
                started = time.monotonic()
                self.assertFalse(usersctl_verifies(stored, GOOD))
                self.assertLess(time.monotonic() - started, 3)

    def test_doctor_counts_argon2_by_parameters_and_flags_weak_ones_with_the_fix(self):
        weak = hash_secret(GOOD.encode(), os.urandom(16), time_cost=3, memory_cost=4096, parallelism=1,
                           hash_len=32, type=Type.ID).decode()
        self.store("weak@example.com", weak)
        self.store("strong@example.com", php_hash(GOOD))
        self.store("django@example.com", django_hash(GOOD))
        r = self.run_usersctl("doctor", "--format", "json", env=ANY)
        self.assertEqual(r.returncode, 1, r.stdout)
        report = json.loads(r.stdout)
        self.assertEqual(report["hashes"], {"argon2id:m=4096,t=3,p=1": 1, "argon2id:m=65536,t=4,p=1": 1,
                                            "django-argon2id:m=102400,t=2,p=8": 1})
        findings = {f["check"]: f for f in report["findings"]}
        self.assertEqual(list(findings), ["weak-hashes"])
        self.assertEqual([a["email"] for a in findings["weak-hashes"]["accounts"]], ["weak@example.com"])
        self.assertIn("OWASP", findings["weak-hashes"]["message"])
        self.assertEqual(findings["weak-hashes"]["fix"], "usersctl --verifier any verify --id ID --rehash, "
                                                         "or usersctl --verifier any set-password --id ID")
        # The fix, run as printed: the account is argon2id at the default cost, and not weak.
        weak_id = findings["weak-hashes"]["accounts"][0]["id"]
        r = self.run_usersctl("--verifier", "any", "verify", "--id", str(weak_id), "--rehash", "--password-stdin",
                              stdin=GOOD + "\n", env=ANY)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_usersctl("doctor", "--format", "json", env=ANY)
        self.assertEqual((r.returncode, json.loads(r.stdout)["findings"]), (0, []))
        # Under the seed app's werkzeug, every Argon2 account is one it cannot read.
        r = self.run_usersctl("doctor", "--format", "json", env={"USERSCTL_VERIFIER": None})
        unreadable = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "unreadable-by-verifier"]
        self.assertEqual(unreadable[0]["count"], 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)

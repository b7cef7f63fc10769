"""usersctl doctor against tables built with each kind of finding: the report, the JSON and the
exit codes. Doctor is read only: the table is byte for byte the same afterwards."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import GOOD, DatabaseTest, usersctl  # noqa: E402

WEAK_PBKDF2 = "pbkdf2:sha256:260000$sTEfocD7d1LM5nMB$185394f860b82e2fdd5c4f6d2407c921ae25aed8f153c736fb00ce9aa5b5822b"
OK_PBKDF2 = "pbkdf2:sha256:600000$aaaaaaaaaaaaaaaa$" + "0" * 64


def make_hash(scheme, cost):
    r = usersctl("hash", "--password-stdin", "--scheme", scheme, "--cost", str(cost), stdin=GOOD + "\n")
    assert r.returncode == 0, r.stderr
    return r.stdout.decode().strip()


class Doctor(DatabaseTest):
    def insert(self, email, password_hash, last_login=None):
        self.sql("INSERT INTO users (email, first_name, last_name, password_hash, last_login_at) "
                 "VALUES (%s, '', '', %s, %s)", (email, password_hash, last_login))

    def doctor(self, *args):
        # The real default verifier (werkzeug), as an operator of the seed app runs it.
        r = self.run_usersctl("doctor", "--format", "json", *args, env={"USERSCTL_VERIFIER": None})
        return r.returncode, json.loads(r.stdout), r

    def finding(self, report, check):
        found = [f for f in report["findings"] if f["check"] == check]
        self.assertEqual(len(found), 1, [f["check"] for f in report["findings"]])
        return found[0]

    def snapshot(self):
        return self.sql("SELECT * FROM users ORDER BY id")

    def test_a_healthy_table_exits_0(self):
        self.insert("a@example.com", OK_PBKDF2, "2024-01-02 03:04:05")
        self.insert("b@example.com", make_hash("werkzeug-pbkdf2", 600000))
        code, report, r = self.doctor()
        self.assertEqual(code, 0, r.stdout)
        self.assertEqual(report["findings"], [])
        self.assertEqual(report["accounts"], 2)
        self.assertEqual(report["hashes"], {"werkzeug-pbkdf2:600000": 2})
        self.assertEqual(report["never_logged_in"], 1)
        self.assertEqual(report["oldest_last_login"], "2024-01-02T03:04:05Z")
        self.assertTrue(report["lower_email_index"])
        text = self.run_usersctl("doctor")
        self.assertEqual(text.returncode, 0)
        self.assertIn(b"Nothing needs attention.", text.stdout)

    def test_weak_corrupt_legacy_and_crypt_hashes(self):
        self.insert("weak@example.com", WEAK_PBKDF2)
        self.insert("bcrypt4@example.com", make_hash("bcrypt", 4))
        self.insert("bcrypt12@example.com", "$2b$12$" + "a" * 53)
        self.insert("sha512@example.com", make_hash("sha512crypt", 5000))
        self.insert("scrypt@example.com", "scrypt:16384:8:1$abcdefghijklmnop$" + "0" * 128)
        self.insert("corrupt@example.com", "garbage")
        self.insert("empty@example.com", "")
        self.insert("plain@example.com", "plain$$hunter2")
        self.insert("hmac@example.com", "sha256$salt$" + "0" * 64)
        before = self.snapshot()
        code, report, _ = self.doctor()
        self.assertEqual(code, 1)
        weak = self.finding(report, "weak-hashes")
        self.assertEqual(weak["severity"], "warning")
        self.assertEqual({a["email"] for a in weak["accounts"]},
                         {"weak@example.com", "bcrypt4@example.com", "sha512@example.com", "scrypt@example.com"})
        self.assertEqual(weak["fix"], "usersctl verify --id ID --rehash, or usersctl set-password --id ID")
        corrupt = self.finding(report, "unsupported-hashes")
        self.assertEqual(corrupt["severity"], "error")
        self.assertEqual(corrupt["count"], 2)
        self.assertIn("set-password", corrupt["fix"])
        legacy = self.finding(report, "legacy-werkzeug-hashes")
        self.assertEqual({a["email"] for a in legacy["accounts"]}, {"plain@example.com", "hmac@example.com"})
        # werkzeug before 2.3 reads neither crypt(3) formats nor scrypt:
        unreadable = self.finding(report, "unreadable-by-verifier")
        self.assertEqual({a["email"] for a in unreadable["accounts"]},
                         {"bcrypt4@example.com", "bcrypt12@example.com", "sha512@example.com", "scrypt@example.com"})
        self.assertIn("verifier 'werkzeug' cannot read", unreadable["message"])
        self.assertEqual(report["hashes"]["bcrypt:12"], 1)
        self.assertEqual(report["hashes"]["werkzeug-pbkdf2:260000"], 1)
        self.assertEqual(report["hashes"]["unsupported"], 2)
        self.assertEqual(report["hashes"]["werkzeug-legacy"], 2)
        self.assertEqual(self.snapshot(), before)
        # --fail-on error: errors are present, so still 1; without errors it would be 0
        self.assertEqual(self.doctor("--fail-on", "error")[0], 1)
        self.sql("DELETE FROM users WHERE email IN ('corrupt@example.com', 'empty@example.com', "
                 "'plain@example.com', 'hmac@example.com')")
        self.assertEqual(self.doctor("--fail-on", "error")[0], 0)
        self.assertEqual(self.doctor()[0], 1)

    def test_uppercase_emails_case_duplicates_and_a_missing_index(self):
        self.sql("DROP INDEX users_email_lower_key")
        self.insert("Bob@Example.com", OK_PBKDF2)
        self.insert("bob@example.com", OK_PBKDF2)
        self.insert("Carol@Example.com", OK_PBKDF2)
        code, report, _ = self.doctor()
        self.assertEqual(code, 1)
        self.assertFalse(report["lower_email_index"])
        self.assertEqual(self.finding(report, "missing-lower-email-index")["severity"], "error")
        dupes = self.finding(report, "case-duplicate-emails")
        self.assertEqual([a["email"] for a in dupes["accounts"]], ["Bob@Example.com", "bob@example.com"])
        upper = self.finding(report, "uppercase-emails")
        self.assertEqual({a["email"] for a in upper["accounts"]}, {"Bob@Example.com", "Carol@Example.com"})
        self.assertIn("update-user", upper["fix"])
        self.sql("DELETE FROM users WHERE email = 'Bob@Example.com'")
        code, report, _ = self.doctor()
        index = self.finding(report, "missing-lower-email-index")
        self.assertEqual(index["severity"], "warning")
        self.assertEqual(index["fix"], "usersctl init-db")

    def test_bounded_listing_says_how_many_more(self):
        for i in range(15):
            self.insert("u%02d@example.com" % i, WEAK_PBKDF2)
        r = self.run_usersctl("doctor", "--max-listed", "3")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"and 12 more", r.stdout)
        self.assertEqual(r.stdout.count(b"    id "), 3)

    def test_incompatible_and_missing_tables(self):
        self.sql("ALTER TABLE users DROP COLUMN login_count")
        code, report, _ = self.doctor()
        self.assertEqual(code, 1)
        self.assertEqual(self.finding(report, "incompatible-table")["severity"], "error")
        self.assertIn("login_count", self.finding(report, "incompatible-table")["message"])
        self.sql("DROP TABLE users")
        code, report, _ = self.doctor()
        self.assertEqual(code, 1)
        self.assertFalse(report["table_exists"])
        self.assertEqual(self.finding(report, "missing-table")["fix"], "usersctl init-db")

    def test_read_only_connection_and_missing_privileges(self):
        self.insert("a@example.com", OK_PBKDF2)
        self.sql('ALTER DATABASE "%s" SET default_transaction_read_only = on' % self.dbname)
        code, report, _ = self.doctor()
        self.assertEqual(code, 1)
        self.assertTrue(report["server"]["read_only"])
        self.assertEqual(self.finding(report, "read-only")["severity"], "warning")
        self.assertEqual(self.doctor("--fail-on", "error")[0], 0)

    def test_missing_privileges_and_connection_failures_keep_their_codes(self):
        role = "doctor_ro_%s" % self.dbname[-6:]
        self.sql('CREATE ROLE "%s" LOGIN' % role)
        self.sql('GRANT SELECT ON users TO "%s"' % role)
        try:
            r = usersctl("-d", self.url.replace("user=postgres", "user=" + role), "doctor", "--format", "json")
            report = json.loads(r.stdout)
            self.assertEqual(r.returncode, 1)
            priv = self.finding(report, "privileges")
            self.assertEqual(priv["severity"], "warning")
            self.assertIn("INSERT", priv["message"])
            self.assertIn("GRANT", priv["fix"])
        finally:
            self.sql('REVOKE ALL ON users FROM "%s"' % role)
            self.sql('DROP ROLE "%s"' % role)
        self.assertEqual(usersctl("-d", "postgresql://postgres@127.0.0.1:1/x", "doctor").returncode, 69)
        self.assertEqual(usersctl("-d", self.url.replace("user=postgres", "user=nobody_x"), "doctor").returncode, 77)


if __name__ == "__main__":
    unittest.main(verbosity=2)

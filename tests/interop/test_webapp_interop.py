"""usersctl and the web app share one table: accounts made by either side log in on the other,
and a recorded login changes the same fields in the same way."""

import datetime
import os
import sys
import unittest
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from harness import GOOD, UNICODE  # noqa: E402
import webapp  # noqa: E402

warnings.filterwarnings("ignore")


class WebAppInterop(webapp.AppDatabaseTest):
    def test_users_made_by_usersctl_log_in_to_the_app(self):
        for i, password in enumerate([GOOD, UNICODE]):
            email = "Person%d@Example.com" % i
            r = self.run_usersctl("add-user", email, "--first-name", "P", "--password-stdin",
                                  "--scheme", "werkzeug-pbkdf2", stdin=password + "\n")
            self.assertEqual(r.returncode, 0, r.stderr)
            user = webapp.User.query.filter_by(email=email.lower()).one()
            self.assertTrue(user.verify_password(password))
            self.assertFalse(user.verify_password(password + "x"))
            self.assertTrue(webapp.login(email, password))

    def test_accounts_made_by_apply_from_the_environment_log_in_to_the_app(self):
        # apply (#15) with password_env under the default verifier (werkzeug): the app logs in,
        # and a second run with if_changed leaves the app's hash as it is.
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write("accounts:\n  - email: Applied@Example.com\n    first_name: Ap\n"
                    "    password_env: APPLY_PASSWORD\n    update_password: if_changed\n")
        try:
            env = {"APPLY_PASSWORD": UNICODE, "USERSCTL_VERIFIER": "werkzeug"}
            r = self.run_usersctl("apply", f.name, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.decode(), "+ create applied@example.com\n1 created, 0 updated, 0 deleted, 0 unchanged\n")
            self.assertTrue(webapp.login("applied@example.com", UNICODE))
            self.assertFalse(webapp.login("applied@example.com", GOOD))
            stored = self.hash_of("applied@example.com")
            r = self.run_usersctl("apply", f.name, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("1 unchanged", r.stdout.decode())
            self.assertEqual(self.hash_of("applied@example.com"), stored)
        finally:
            os.unlink(f.name)

    def test_users_made_by_the_app_verify_in_usersctl(self):
        webapp.register("Alice@Example.com", "Alice", "Liddell", UNICODE)
        r = self.run_usersctl("verify", "alice@example.com", "--password-stdin", stdin=UNICODE + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_usersctl("verify", "ALICE@example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 1)

    def test_record_login_changes_what_the_app_login_changes(self):
        webapp.register("app@example.com", "A", "B", GOOD)
        webapp.register("cli@example.com", "A", "B", GOOD)
        before = datetime.datetime.utcnow()
        self.assertTrue(webapp.login("app@example.com", GOOD))
        r = self.run_usersctl("verify", "cli@example.com", "--password-stdin", "--record-login", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        after = datetime.datetime.utcnow()
        rows = dict((e, (t, c)) for e, t, c in self.sql("SELECT email, last_login_at, login_count FROM users"))
        for email in ("app@example.com", "cli@example.com"):
            t, c = rows[email]
            self.assertEqual(c, 1)
            self.assertIsNone(t.tzinfo)  # naive UTC, as the app stores it
            self.assertLessEqual(before - datetime.timedelta(seconds=5), t)
            self.assertLessEqual(t, after + datetime.timedelta(seconds=5))
        # the app goes on counting from what usersctl wrote, and the other way round
        self.assertTrue(webapp.login("cli@example.com", GOOD))
        self.run_usersctl("verify", "app@example.com", "--password-stdin", "--record-login", stdin=GOOD + "\n")
        counts = dict(self.sql("SELECT email, login_count FROM users"))
        self.assertEqual(counts, {"app@example.com": 2, "cli@example.com": 2})

    def test_the_app_works_on_the_table_init_db_made_and_init_db_accepts_the_apps_table(self):
        webapp.db.create_all()  # no-op on the existing table
        webapp.register("x@example.com", "X", "Y", GOOD)
        self.sql("DROP TABLE users")
        webapp.db.session.remove()
        webapp.db.create_all()
        r = self.run_usersctl("init-db")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("created its unique index on lower(email)", r.stderr.decode())

    def test_bcrypt_accounts_break_the_app_login_which_is_why_the_readme_says_werkzeug_pbkdf2(self):
        self.run_usersctl("add-user", "b@example.com", "--password-stdin", "--cost", "4", stdin=GOOD + "\n")
        user = webapp.User.query.filter_by(email="b@example.com").one()
        with self.assertRaises(Exception):
            user.verify_password(GOOD)


if __name__ == "__main__":
    unittest.main(verbosity=2)

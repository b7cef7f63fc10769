"""The app is the oracle (issue #11): whatever usersctl writes with its real defaults, the web app
(a Flask-SQLAlchemy app with the seed's model and Debian's werkzeug) can log in; every lookup
lands on the row the app's own email.lower() lookup would; doctor's fixes, run as printed,
leave accounts the app can read; empty input and config mistakes are errors, never guesses."""

import datetime
import json
import os
import re
import stat
import sys
import tempfile
import unittest
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, GOOD, UNICODE, DatabaseTest, clean_env  # noqa: E402
import webapp  # noqa: E402

warnings.filterwarnings("ignore")

# The real defaults: no USERSCTL_VERIFIER from the harness.
REAL = {"USERSCTL_VERIFIER": None}
OTHER = "Tr0ub4dor&3 horse staple"


class AppTest(webapp.AppDatabaseTest):
    def real(self, *args, stdin="", env=None):
        e = dict(REAL)
        e.update(env or {})
        return self.run_usersctl(*args, stdin=stdin, env=e)

    def app_login(self, email, password):
        webapp.db.session.remove()
        try:
            return webapp.login(email, password)
        except Exception:  # werkzeug raises on formats it cannot read: the login page fails
            webapp.db.session.rollback()
            return False


class DefaultsTheAppReads(AppTest):
    def test_a_bare_add_user_writes_a_hash_the_app_logs_in(self):
        r = self.real("add-user", "Bare@Example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.hash_of("bare@example.com").startswith("pbkdf2:sha256:600000$"))
        self.assertTrue(self.app_login("Bare@Example.com", GOOD))
        self.assertFalse(self.app_login("Bare@Example.com", GOOD + "x"))

    def test_import_of_plain_passwords_writes_hashes_the_app_logs_in(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("email,first_name,last_name,password\nImp@Example.com,I,M,%s\n" % UNICODE)
        try:
            r = self.real("import", f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.app_login("imp@example.com", UNICODE))

    def test_set_password_on_an_app_account_keeps_it_readable(self):
        webapp.register("Reg@Example.com", "R", "G", GOOD)
        r = self.real("set-password", "reg@example.com", "--password-stdin", stdin=OTHER + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.app_login("reg@example.com", OTHER))

    def test_werkzeug_2_3_writes_scrypt_and_crypt_writes_bcrypt(self):
        r = self.real("hash", "--password-stdin", stdin=GOOD + "\n", env={"USERSCTL_VERIFIER": "werkzeug-2.3"})
        self.assertTrue(r.stdout.decode().startswith("scrypt:32768:8:1$"), r.stderr)
        r = self.real("--verifier", "crypt", "hash", "--password-stdin", stdin=GOOD + "\n")
        self.assertTrue(r.stdout.decode().startswith("$2b$12$"), r.stderr)

    def test_a_scheme_the_verifier_cannot_read_is_refused_before_anything_is_written(self):
        for scheme in ("bcrypt", "yescrypt", "sha512crypt", "werkzeug-scrypt"):
            r = self.real("add-user", "no@example.com", "--password-stdin", "--scheme", scheme, stdin=GOOD + "\n")
            self.assertEqual(r.returncode, 64, scheme)
            self.assertIn("verifier 'werkzeug' cannot read", r.stderr.decode())
            self.assertIn("werkzeug-pbkdf2", r.stderr.decode())
        self.assertEqual(self.sql("SELECT count(*) FROM users")[0][0], 0)
        r = self.real("--verifier", "crypt", "set-password", "x@example.com", "--password-stdin",
                      "--scheme", "werkzeug-pbkdf2", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 64)

    def test_verify_rehash_moves_a_bcrypt_account_to_what_the_app_reads(self):
        self.run_usersctl("add-user", "b@example.com", "--password-stdin", "--cost", "4", stdin=GOOD + "\n")
        self.assertFalse(self.app_login("b@example.com", GOOD))  # bcrypt: werkzeug raises
        r = self.real("verify", "b@example.com", "--rehash", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.hash_of("b@example.com").startswith("pbkdf2:sha256:"))
        self.assertTrue(self.app_login("b@example.com", GOOD))

    def test_import_reports_hashes_the_verifier_cannot_read_and_can_refuse_them(self):
        bcrypt = self.run_usersctl("hash", "--password-stdin", "--cost", "4", stdin=GOOD + "\n").stdout.decode().strip()
        pbkdf2 = self.real("hash", "--password-stdin", "--cost", "1000", stdin=GOOD + "\n").stdout.decode().strip()
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("email,password_hash\na@example.com,%s\nb@example.com,%s\nc@example.com,%s\n" % (pbkdf2, bcrypt, bcrypt))
        try:
            r = self.real("import", f.name, "--dry-run", "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            summary = json.loads(r.stdout)
            self.assertEqual(summary["unreadable"], 2)
            self.assertEqual(summary["unreadable_lines"], [3, 4])
            self.assertIn("cannot read", r.stderr.decode())
            self.assertIn("lines 3,4", r.stderr.decode())
            r = self.real("import", f.name, "--require-readable")
            self.assertEqual(r.returncode, 65)
            self.assertIn("line 3:", r.stderr.decode())
            self.assertEqual(self.sql("SELECT count(*) FROM users")[0][0], 0)
            # Under a verifier that reads bcrypt nothing is reported.
            r = self.real("--verifier", "any", "import", f.name, "--json")
            self.assertEqual(json.loads(r.stdout)["unreadable"], 0)
        finally:
            os.unlink(f.name)


class DoctorFixesAsPrinted(AppTest):
    """Every fix line doctor prints, run as printed (ID and EMAIL filled in, the password on
    stdin), leaves the account readable by the verifier: the app logs it in."""

    def test_every_fix_line_leaves_the_account_readable_by_the_app(self):
        webapp.register("weak@example.com", "W", "K", GOOD)
        # pbkdf2 at 1,000 iterations is weak by current guidance, but the app reads it
        self.sql("UPDATE users SET password_hash = %s WHERE email = 'weak@example.com'",
                 (self.real("hash", "--password-stdin", "--cost", "1000", stdin=GOOD + "\n").stdout.decode().strip(),))
        for email, scheme in (("bc@example.com", "bcrypt"), ("sc@example.com", "werkzeug-scrypt"),
                              ("ye@example.com", "yescrypt")):
            r = self.run_usersctl("add-user", email, "--password-stdin", "--scheme", scheme,
                                  "--cost", {"bcrypt": "4", "werkzeug-scrypt": "1024", "yescrypt": "1"}[scheme],
                                  stdin=GOOD + "\n")
            self.assertEqual(r.returncode, 0, r.stderr)
        webapp.register("broken@example.com", "B", "R", GOOD)
        self.sql("UPDATE users SET password_hash = '!' WHERE email = 'broken@example.com'")
        self.sql("INSERT INTO users (email, first_name, last_name, password_hash) "
                 "SELECT 'Upper@Example.com', '', '', password_hash FROM users WHERE email = 'weak@example.com'")
        for email in ("bc@example.com", "sc@example.com", "ye@example.com"):
            self.assertFalse(self.app_login(email, GOOD), email)  # what doctor must flag

        r = self.real("doctor", "--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        report = json.loads(r.stdout)
        findings = {f["check"]: f for f in report["findings"]}
        unreadable = findings["unreadable-by-verifier"]
        self.assertEqual(sorted(a["email"] for a in unreadable["accounts"]),
                         ["bc@example.com", "sc@example.com", "ye@example.com"])
        self.assertIn("weak@example.com", [a["email"] for a in findings["weak-hashes"]["accounts"]])
        self.assertEqual([a["email"] for a in findings["unsupported-hashes"]["accounts"]], ["broken@example.com"])
        self.assertEqual([a["email"] for a in findings["uppercase-emails"]["accounts"]], ["Upper@Example.com"])

        ran = 0
        current = {}  # id -> the account's password now (an account may be in several findings)
        # Upper-case emails first: the app finds no account until its email is lower-cased.
        for check in ("uppercase-emails", "unreadable-by-verifier", "weak-hashes", "unsupported-hashes"):
            finding = findings[check]
            for account in finding["accounts"]:
                lower = account["email"].lower()
                for command in finding["fix"].split(", or "):
                    words = command.split()
                    self.assertEqual(words[0], "usersctl", command)
                    args = [str(account["id"]) if w == "ID" else lower if w == "EMAIL" else w for w in words[1:]]
                    before = current.get(account["id"], GOOD)
                    password = None
                    if "verify" in args:
                        password = before
                    elif "set-password" in args:
                        password = OTHER
                    if password is not None:
                        args.append("--password-stdin")
                    r = self.real(*args, stdin=password + "\n" if password else "")
                    ran += 1
                    if "verify" in args and account["email"] == "broken@example.com":
                        self.assertEqual(r.returncode, 1)  # nothing verifies against '!'
                        continue
                    self.assertEqual(r.returncode, 0, (command, r.stderr))
                    current[account["id"]] = password or before
                    self.assertTrue(self.app_login(lower, current[account["id"]]), (check, command, account))
        self.assertGreaterEqual(ran, 10)
        r = self.real("doctor", "--format", "json")
        left = {f["check"] for f in json.loads(r.stdout)["findings"]}
        self.assertFalse(left & {"unreadable-by-verifier", "weak-hashes", "unsupported-hashes", "uppercase-emails"}, left)

    def test_fix_lines_carry_a_non_default_verifier_and_table(self):
        self.sql("CREATE SCHEMA app")
        r = self.run_usersctl("--table", "app.people", "init-db", env={"USERSCTL_VERIFIER": None})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.run_usersctl("--table", "app.people", "--verifier", "werkzeug-2.3", "add-user", "a@example.com",
                          "--password-stdin", "--scheme", "werkzeug-pbkdf2", "--cost", "1000", stdin=GOOD + "\n")
        r = self.real("--verifier", "werkzeug-2.3", "--table", "app.people", "doctor", "--format", "json")
        weak = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "weak-hashes"][0]
        self.assertTrue(weak["fix"].startswith("usersctl --verifier werkzeug-2.3 --table app.people verify --id ID"),
                        weak["fix"])
        # werkzeug 2.3 reads scrypt:, so it is not flagged; under the default verifier it is.
        self.run_usersctl("--table", "app.people", "add-user", "s@example.com", "--password-stdin",
                          "--scheme", "werkzeug-scrypt", "--cost", "32768", stdin=GOOD + "\n")
        r = self.real("--verifier", "werkzeug-2.3", "--table", "app.people", "doctor", "--format", "json")
        self.assertNotIn("unreadable-by-verifier", [f["check"] for f in json.loads(r.stdout)["findings"]])
        r = self.real("--table", "app.people", "doctor", "--format", "json")
        flagged = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "unreadable-by-verifier"][0]
        self.assertEqual([a["email"] for a in flagged["accounts"]], ["s@example.com"])


class LastLoginsAsTheAppLoadsThem(AppTest):
    """PostgreSQL holds last_login_at values the app cannot load (a year before 1 or after 9999:
    psycopg2 raises ValueError) and two it loads as Python's limits (infinity, -infinity)."""

    VALUES = {"ok@example.com": "2024-05-01 12:00:00", "inf@example.com": "infinity",
              "ninf@example.com": "-infinity", "max@example.com": "9999-12-31 23:59:59.999999",
              "min@example.com": "0001-01-01 00:00:00", "bc@example.com": "0001-12-31 23:59:59 BC",
              "far@example.com": "10000-01-01 00:00:00"}

    def app_loads(self, email):
        webapp.db.session.remove()
        try:
            return webapp.User.query.filter_by(email=email).first().last_login_at
        except ValueError:
            webapp.db.session.rollback()
            return None

    def test_doctor_flags_exactly_the_accounts_the_app_cannot_load_and_its_fix_lets_them_log_in(self):
        for email, value in self.VALUES.items():
            webapp.register(email, "F", "L", GOOD)
            self.sql("UPDATE users SET last_login_at = %s::timestamp WHERE email = %s", (value, email))
        unloadable = {email for email in self.VALUES if self.app_loads(email) is None}
        self.assertEqual(unloadable, {"bc@example.com", "far@example.com"})  # the premise, from the app
        r = self.real("doctor", "--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        flagged = {f["check"]: f for f in json.loads(r.stdout)["findings"]}["last-login-beyond-python"]
        self.assertEqual({a["email"] for a in flagged["accounts"]}, unloadable)
        for account in flagged["accounts"]:
            words = flagged["fix"].split()
            self.assertEqual(words[0], "usersctl")
            r = self.real(*[str(account["id"]) if w == "ID" else w for w in words[1:]])
            self.assertEqual(r.returncode, 0, r.stderr)
        for email in self.VALUES:
            self.assertTrue(self.app_login(email, GOOD), email)

    def test_list_prints_infinite_logins_and_import_writes_what_the_app_reads_as_its_limits(self):
        for email in ("inf@example.com", "ninf@example.com"):
            webapp.register(email, "F", "L", GOOD)
            self.sql("UPDATE users SET last_login_at = %s::timestamp WHERE email = %s", (self.VALUES[email], email))
        r = self.real("list", "--format", "jsonl", "--sort", "email")
        self.assertEqual([json.loads(line)["last_login_at"] for line in r.stdout.decode().splitlines()],
                         ["infinity", "-infinity"])
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write(self.real("export").stdout.decode().replace("@example.com", "@copy.example.com"))
        try:
            r = self.real("import", f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.app_loads("inf@copy.example.com"), datetime.datetime.max)
        self.assertEqual(self.app_loads("ninf@copy.example.com"), datetime.datetime.min)


class LookupsLikeTheApp(AppTest):
    init_db = False  # the app's own table: no unique index on lower(email)

    def setUp(self):
        super().setUp()
        webapp.db.create_all()

    def ids(self):
        return dict(self.sql("SELECT email, id FROM users"))

    def test_dotted_capital_i_finds_the_apps_own_row(self):
        self.sql("INSERT INTO users (email, first_name, last_name, password_hash) VALUES ('inci@example.com', '', '', 'x')")
        webapp.register("\u0130nci@example.com", "I", "N", GOOD)  # stored as i + U+0307
        stored = "i\u0307nci@example.com"
        self.assertIn(stored, self.ids())
        r = self.real("set-password", "\u0130nci@example.com", "--password-stdin", stdin=OTHER + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.app_login("\u0130nci@example.com", OTHER))
        self.assertEqual(self.hash_of("inci@example.com"), "x")  # the other account untouched

    def test_final_sigma_is_lower_cased_as_python_does(self):
        webapp.register("\u039f\u0394\u039f\u03a3@example.com", "O", "S", GOOD)  # stored with a final ς
        r = self.real("verify", "\u039f\u0394\u039f\u03a3@example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.real("add-user", "\u03a3\u0399\u03a3@example.com", "--password-stdin", "--cost", "1000",
                      stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("\u03c3\u03b9\u03c2@example.com", self.ids())
        self.assertTrue(self.app_login("\u03a3\u0399\u03a3@example.com", GOOD))

    def test_case_duplicates_are_refused_not_guessed_and_id_chooses(self):
        for email in ("Zed@Example.com", "ZED@example.com"):
            self.sql("INSERT INTO users (email, first_name, last_name, password_hash) VALUES (%s, 'z', 'z', 'x')", (email,))
        ids = self.ids()
        before = self.sql("SELECT * FROM users ORDER BY id")
        for args in (["update-user", "zed@example.com", "--first-name", "Q"],
                     ["delete-user", "zed@example.com", "--yes"],
                     ["set-password", "zed@example.com", "--password-stdin"],
                     ["verify", "zed@example.com", "--password-stdin", "--record-login"]):
            r = self.real(*args, stdin=GOOD + "\n")
            self.assertEqual(r.returncode, 65, (args, r.stderr))
            err = r.stderr.decode()
            self.assertIn("id %d Zed@Example.com" % ids["Zed@Example.com"], err)
            self.assertIn("id %d ZED@example.com" % ids["ZED@example.com"], err)
            self.assertIn("--id", err)
        self.assertEqual(self.sql("SELECT * FROM users ORDER BY id"), before)
        r = self.real("update-user", "--id", str(ids["ZED@example.com"]), "--first-name", "Q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.sql("SELECT email FROM users WHERE first_name = 'Q'"), [("ZED@example.com",)])
        # One case-insensitive match and no exact one: acted on, as before.
        r = self.real("delete-user", "--id", str(ids["ZED@example.com"]), "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.real("update-user", "zed@example.com", "--last-name", "Only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.sql("SELECT email FROM users WHERE last_name = 'Only'"), [("Zed@Example.com",)])

    def test_an_exact_match_wins_over_case_duplicates(self):
        for email in ("zed@example.com", "Zed@Example.com", "ZED@example.com"):
            self.sql("INSERT INTO users (email, first_name, last_name, password_hash) VALUES (%s, 'z', 'z', 'x')", (email,))
        r = self.real("update-user", "ZED@EXAMPLE.COM", "--first-name", "Exact")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.sql("SELECT email FROM users WHERE first_name = 'Exact'"), [("zed@example.com",)])

    def test_legacy_upper_case_emails_with_dotted_i_or_final_sigma_are_found(self):
        # PostgreSQL's lower() spells these differently from Python's (σ, plain i): still found.
        stored = self.run_usersctl("hash", "--password-stdin", "--cost", "4", stdin=GOOD + "\n").stdout.decode().strip()
        for email in ("\u039f\u0394\u039f\u03a3@Example.com", "\u0130VY@Example.com"):
            self.sql("INSERT INTO users (email, first_name, last_name, password_hash) VALUES (%s, '', '', %s)",
                     (email, stored))
        r = self.real("verify", "\u039f\u0394\u039f\u03a3@example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.real("set-password", "\u0130vy@example.com", "--password-stdin", stdin=OTHER + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        # And a new account that the app would see as one of them is refused (73), as is a
        # new email that another account has case-insensitively.
        r = self.real("add-user", "\u03bf\u03b4\u03bf\u03c2@example.com", "--password-stdin", "--cost", "1000",
                      stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 73, r.stderr)
        webapp.register("other@example.com", "O", "T", GOOD)
        r = self.real("update-user", "other@example.com", "--new-email", "\u0130VY@EXAMPLE.COM")
        self.assertEqual(r.returncode, 73, r.stderr)
        r = self.real("update-user", "other@example.com", "--new-email", "\u039f\u0394\u039f\u03a3@EXAMPLE.COM")
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM users WHERE email = 'other@example.com'")[0][0], 1)

    def test_import_update_refuses_an_email_several_accounts_match(self):
        for email in ("Zed@Example.com", "ZED@example.com", "Solo@Example.com"):
            self.sql("INSERT INTO users (email, first_name, last_name, password_hash) VALUES (%s, 'z', 'z', 'x')", (email,))
        before = self.sql("SELECT * FROM users ORDER BY id")
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("email,first_name,last_name,password\nsolo@example.com,I,One,%s\nzed@EXAMPLE.com,a,b,%s\n"
                    % (GOOD, GOOD))
        try:
            for extra in ([], ["--dry-run"]):
                r = self.real("import", "--on-conflict", "update", "--cost", "1000", f.name, *extra)
                self.assertEqual(r.returncode, 65, r.stderr)
                self.assertIn("line 3:", r.stderr.decode())
                self.assertEqual(self.sql("SELECT * FROM users ORDER BY id"), before)
        finally:
            os.unlink(f.name)

    def test_new_emails_with_invisible_or_unassigned_characters_are_refused(self):
        for email in ("ad\u200dmin@example.com", "ad\u00admin@example.com", "\u202eadmin@example.com",
                      "a\u0378b@example.com", "admin\ufeff@example.com", "zz\u034f@example.com",
                      "zz\ufe0f@example.com", "zz\U000e0100@example.com", "zz\u3164@example.com",
                      "zz\u2800@example.com", "zz\ue000@example.com"):
            r = self.real("add-user", email, "--password-stdin", "--cost", "1000", stdin=GOOD + "\n")
            self.assertEqual(r.returncode, 65, (email, r.stderr))
            r = self.real("update-user", "--id", "1", "--new-email", email)
            self.assertEqual(r.returncode, 65, email)
        self.assertEqual(self.sql("SELECT count(*) FROM users")[0][0], 0)
        # A lookup still finds what the app itself stored.
        webapp.register("ad\u200dmin@example.com", "A", "D", GOOD)
        r = self.real("verify", "ad\u200dmin@example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)


class NothingEchoedFromTheCommandLine(DatabaseTest):
    SECRET = "Tr0ub4dor3horsestaple"

    def test_mistyped_values_and_stray_arguments_are_not_repeated(self):
        for args in (["hash", "--password-fd", self.SECRET], ["add-user", "a@example.com", self.SECRET],
                     ["hash", "--cost", self.SECRET], ["list", "--limit", self.SECRET],
                     ["verify", "a@example.com", "--password", self.SECRET]):
            r = self.run_usersctl(*args, stdin=GOOD + "\n")
            self.assertEqual(r.returncode, 64, args)
            self.assertNotIn(self.SECRET, r.stderr.decode() + r.stdout.decode(), args)

    def test_show_config_names_a_command_without_its_arguments(self):
        for command in ("add-user", "import", "verify"):
            r = self.run_usersctl("--show-config", command)
            self.assertEqual(r.returncode, 0, (command, r.stderr))
            self.assertIn("[%s]" % command, r.stdout.decode())


class NoSilentGuesses(DatabaseTest):
    def test_empty_passwords_are_input_errors_everywhere(self):
        self.run_usersctl("add-user", "a@example.com", "--password-stdin", stdin=GOOD + "\n")
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            pass
        try:
            for source, stdin, env in ((["--password-stdin"], "", None), (["--password-stdin"], "\n", None),
                                       (["--password-file", f.name], "", None),
                                       (["--password-env", "EMPTY_PW"], "", {"EMPTY_PW": ""})):
                for command in (["verify", "a@example.com"], ["set-password", "a@example.com"],
                                ["add-user", "b@example.com"], ["hash"], ["hash", "--verify", self.hash_of("a@example.com")]):
                    r = self.run_usersctl(*command, *source, stdin=stdin, env=env)
                    self.assertEqual(r.returncode, 65, (command, source, r.stderr))
                    self.assertIn("no password given", r.stderr.decode())
        finally:
            os.unlink(f.name)
        self.assertEqual(self.sql("SELECT count(*) FROM users")[0][0], 1)

    def test_an_empty_or_blank_stored_hash_never_verifies(self):
        for stored in ("", " ", "\t", "   \n"):
            r = self.run_usersctl("hash", "--verify", stored, "--password-stdin", stdin=GOOD + "\n")
            self.assertEqual(r.returncode, 1, repr(stored))
            self.assertEqual(r.stdout, b"")  # no fresh hash printed as if --verify were absent


class ConfigFiles(DatabaseTest):
    def write(self, text, mode=0o600, name="config"):
        folder = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(folder))
        path = os.path.join(folder, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def test_unknown_keys_are_errors_with_file_line_and_the_nearest_key(self):
        for text, line, suggestion in (("tabel = users\n", 1, "table"), ("\n# c\nsheme = bcrypt\n", 3, "scheme"),
                                       ("[add-user]\nfirst-nme = A\n", 2, "first-name"),
                                       ("database_urll = x\n", 1, "database-url")):
            path = self.write(text)
            r = self.run_usersctl("--config", path, "list")
            self.assertEqual(r.returncode, 78, (text, r.stderr))
            err = r.stderr.decode()
            self.assertIn("%s:%d" % (path, line), err)
            self.assertIn("did you mean '%s'" % suggestion, err)
        r = self.run_usersctl("--config", self.write("[no-such-command]\nx = 1\n"), "list")
        self.assertEqual(r.returncode, 78)
        r = self.run_usersctl("--config", self.write("password-file = /etc/shadow\n"), "list")
        self.assertEqual(r.returncode, 78)
        self.assertIn("cannot be set in a config file", r.stderr.decode())
        # a one-off change to an account: set in a file it would erase logins on every update-user
        r = self.run_usersctl("--config", self.write("[update-user]\nclear-last-login = true\n"), "update-user",
                              "--id", "1", "--first-name", "X")
        self.assertEqual(r.returncode, 78)
        self.assertIn("'clear-last-login' cannot be set in a config file", r.stderr.decode())
        r = self.run_usersctl("--config", self.write("verifier = werkzeug # comment\n"), "list", env=REAL)
        self.assertEqual(r.returncode, 78)  # a stray comment is an invalid value, not a shortened one

    def test_a_missing_config_file_is_66(self):
        r = self.run_usersctl("--config", "/nonexistent/usersctl.conf", "list")
        self.assertEqual(r.returncode, 66)
        r = self.run_usersctl("list", env={"USERSCTL_CONFIG": "/nonexistent/usersctl.conf"})
        self.assertEqual(r.returncode, 66)

    def test_top_level_keys_apply_to_every_command_that_has_the_option(self):
        path = self.write("scheme = sha512crypt\ndatabase_url = %s\n" % self.url)
        r = usersctl_raw(["--config", path, "add-user", "s@example.com", "--password-stdin"], GOOD + "\n",
                         {"USERSCTL_VERIFIER": "crypt"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.hash_of("s@example.com").startswith("$6$"))
        r = usersctl_raw(["--config", path, "list", "--format", "csv"], "", {})  # list has no --scheme: fine
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_precedence_command_line_then_environment_then_files_in_order(self):
        xdg = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(xdg))
        os.makedirs(os.path.join(xdg, "usersctl"))
        with open(os.path.join(xdg, "usersctl", "config"), "w") as f:
            f.write("verifier = crypt\nlock-timeout = 7\nstatement-timeout = 8\n[hash]\ncost = 5\n")
        explicit = self.write("lock-timeout = 9\n")
        env = {"XDG_CONFIG_HOME": xdg, "USERSCTL_VERIFIER": None}
        r = usersctl_raw(["--config", explicit, "--show-config", "hash"], "", env)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertRegex(out, r"(?m)^verifier = crypt +# .*/usersctl/config:1$")
        self.assertRegex(out, r"(?m)^lock-timeout = 9 +# %s:1$" % re.escape(explicit))
        self.assertRegex(out, r"(?m)^\[hash\] cost = 5 +# .*/usersctl/config:5$")
        self.assertRegex(out, r"(?m)^table = public.users +# default$")
        env["USERSCTL_VERIFIER"] = "any"
        r = usersctl_raw(["--config", explicit, "--show-config", "--lock-timeout", "3", "hash"], "", env)
        out = r.stdout.decode()
        self.assertRegex(out, r"(?m)^verifier = any +# environment USERSCTL_VERIFIER$")
        self.assertRegex(out, r"(?m)^lock-timeout = 3 +# command line$")
        # And the setting is really used: crypt's bcrypt at the file's cost 5.
        env["USERSCTL_VERIFIER"] = None
        r = usersctl_raw(["hash", "--password-stdin"], GOOD + "\n", env)
        self.assertTrue(r.stdout.decode().startswith("$2b$05$"), (r.stdout, r.stderr))

    def test_a_readable_config_file_with_a_url_password_is_refused(self):
        for key in ("database-url = postgresql://app:s3cret@localhost/app",
                    "database_url = 'host=localhost password=s3cret'",
                    "database-url = postgresql://app@localhost/app?password=s3cret"):
            path = self.write(key + "\n", mode=0o644)
            r = self.run_usersctl("--config", path, "list")
            self.assertEqual(r.returncode, 78, key)
            self.assertNotIn("s3cret", r.stderr.decode())
            os.chmod(path, 0o600)
            r = usersctl_raw(["--config", path, "--show-config"], "", {})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("s3cret", r.stdout.decode() + r.stderr.decode())
            self.assertIn("***", r.stdout.decode())
        path = self.write("database-url = postgresql://app@localhost/app\n", mode=0o644)  # no secret: fine
        self.assertEqual(usersctl_raw(["--config", path, "--show-config"], "", {}).returncode, 0)


def usersctl_raw(args, stdin, env):
    import subprocess
    return subprocess.run([BINARY, *args], input=stdin.encode(), capture_output=True, env=clean_env(env), timeout=120)


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""Commands that talk to a person at a terminal: delete-user's confirmation, add-user's prompt."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import GOOD, DatabaseTest  # noqa: E402
from test_password_input import TerminalSession  # noqa: E402


class DeleteConfirmation(DatabaseTest):
    def add(self, email):
        r = self.run_usersctl("add-user", email, "--password-stdin", "--cost", "4", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)

    def count(self):
        return self.sql("SELECT count(*) FROM users")[0][0]

    def test_no_keeps_the_account_and_yes_deletes_it(self):
        self.add("a@example.com")
        t = TerminalSession("-d", self.url, "delete-user", "a@example.com")
        self.assertTrue(t.read_until("Delete account a@example.com (id 1)? [y/N] "))
        t.send("n\n")
        self.assertEqual(t.finish(), 1)
        self.assertEqual(self.count(), 1)
        t = TerminalSession("-d", self.url, "delete-user", "a@example.com")
        self.assertTrue(t.read_until("[y/N] "))
        t.send("y\n")
        self.assertEqual(t.finish(), 0)
        self.assertEqual(self.count(), 0)

    def test_from_file_asks_once_with_the_count(self):
        for email in ("a@example.com", "b@example.com", "c@example.com"):
            self.add(email)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# leavers\nA@example.com\n\nb@example.com\n")
        listing = f.name
        self.addCleanup(os.unlink, listing)
        t = TerminalSession("-d", self.url, "delete-user", "--from-file", listing)
        self.assertTrue(t.read_until("Delete 2 accounts? [y/N] "))
        t.send("\n")
        self.assertEqual(t.finish(), 1)
        self.assertEqual(self.count(), 3)
        t = TerminalSession("-d", self.url, "delete-user", "--from-file", listing)
        self.assertTrue(t.read_until("Delete 2 accounts? [y/N] "))
        t.send("y\n")
        self.assertEqual(t.finish(), 0)
        self.assertEqual(self.sql("SELECT email FROM users"), [("c@example.com",)])

    def test_add_user_prompts_twice_on_a_terminal(self):
        t = TerminalSession("-d", self.url, "add-user", "p@example.com", "--cost", "4")
        self.assertTrue(t.read_until("New password: "))
        t.send(GOOD + "\n")
        self.assertTrue(t.read_until("Retype new password: "))
        t.send(GOOD + "\n")
        self.assertEqual(t.finish(), 0)
        r = self.run_usersctl("verify", "p@example.com", "--password-stdin", stdin=GOOD + "\n")
        self.assertEqual(r.returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)

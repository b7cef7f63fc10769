"""cmake --install puts the binary, man pages and bash completion in place; the completion
loads in bash and offers every option each command's --help lists."""

import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY  # noqa: E402
from shells import bash_complete  # noqa: E402

COMMANDS = ["init-db", "hash", "add-user", "verify", "set-password", "update-user", "delete-user", "list", "import", "apply", "export", "doctor"]
BUILD_DIR = os.path.dirname(os.path.abspath(BINARY))


def complete(prefix, completion):
    return bash_complete(prefix, completion)


class Install(unittest.TestCase):
    def test_install_and_completion(self):
        with tempfile.TemporaryDirectory() as prefix:
            r = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", prefix], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.access(os.path.join(prefix, "bin/usersctl"), os.X_OK))
            man = os.path.join(prefix, "share/man/man1")
            for page in ["usersctl"] + ["usersctl-" + c for c in COMMANDS]:
                path = os.path.join(man, page + ".1")
                self.assertTrue(os.path.exists(path), path)
                rendered = subprocess.run(["mandoc", "-T", "ascii", "-O", "width=200", path], capture_output=True, text=True)
                self.assertEqual(rendered.returncode, 0)
                self.assertIn("SYNOPSIS", re.sub(".\x08", "", rendered.stdout))
            completion = os.path.join(prefix, "share/bash-completion/completions/usersctl")
            self.assertTrue(os.path.exists(completion))

            self.assertEqual(complete("usersctl ", completion) & set(COMMANDS), set(COMMANDS))
            self.assertEqual(complete("usersctl ad", completion), {"add-user"})
            self.assertEqual(complete("usersctl list --format j", completion), {"json", "jsonl"})
            self.assertIn("werkzeug-pbkdf2", complete("usersctl add-user a@b.c --scheme w", completion))
            self.assertEqual(complete("usersctl hash --scheme a", completion), {"argon2id"})
            for command in COMMANDS:
                with self.subTest(command=command):
                    help_text = subprocess.run([BINARY, command, "--help"], capture_output=True, text=True).stdout
                    listed = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])\b", help_text))
                    offered = complete("usersctl %s -" % command, completion)
                    self.assertEqual(listed - offered, set(), "options in --help but not completed")


if __name__ == "__main__":
    unittest.main(verbosity=2)

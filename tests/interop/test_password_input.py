"""Password input end to end: a real terminal (pty), stdin, files, descriptors, environment,
generation, and the rules about newlines, size and missing sources."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY, GOOD, UNICODE, TerminalSession, clean_env, usersctl  # noqa: E402


def verifies(stored, password):
    r = usersctl("hash", "--verify", stored, "--password-stdin", stdin=password + "\n")
    return r.returncode == 0


def hash_from(*args, stdin="", env=None):
    r = usersctl("hash", "--cost", "4", *args, stdin=stdin, env=env)
    return r.returncode, r.stdout.decode().strip(), r.stderr.decode()


def wait_for_echo_off(t, timeout=10):
    deadline = time.time() + timeout
    while t.echo_enabled() and time.time() < deadline:
        time.sleep(0.02)
    return not t.echo_enabled()


class TypedIntoATerminal(unittest.TestCase):
    """--password-stdin, --password-fd 0 and a --password-file that is a tty, read from a
    terminal: echo is off while the password is typed and back on afterwards."""

    def check_source(self, *source):
        t = TerminalSession("hash", "--cost", "4", *source)
        self.assertTrue(wait_for_echo_off(t), "echo stayed on for %r" % (source,))
        t.send(UNICODE + "\n")
        self.assertEqual(t.finish(), 0, t.output)
        self.assertNotIn(UNICODE.encode(), t.output)
        self.assertTrue(t.echo_enabled())
        stored = [line for line in t.output.decode().split("\r\n") if line.startswith("$2b$04$")]
        self.assertEqual(len(stored), 1, t.output)
        self.assertTrue(verifies(stored[0], UNICODE))

    def test_password_stdin(self):
        self.check_source("--password-stdin")

    def test_password_fd_0(self):
        self.check_source("--password-fd", "0")

    def test_password_file_that_is_the_terminal(self):
        self.check_source("--password-file", "/dev/tty")

    def test_ctrl_c_while_typing_restores_echo(self):
        for source in (["--password-stdin"], ["--password-fd", "0"]):
            t = TerminalSession("hash", "--cost", "4", *source)
            self.assertTrue(wait_for_echo_off(t))
            t.send("half-typed")
            t.send("\x03")
            self.assertEqual(t.finish(), -signal.SIGINT)
            self.assertTrue(t.echo_enabled())
            self.assertNotIn(b"half-typed", t.output)

    def test_refused_input_restores_echo(self):
        t = TerminalSession("hash", "--cost", "4", "--password-stdin")
        self.assertTrue(wait_for_echo_off(t))
        t.send("abc\n")  # too short: refused by the policy after the read
        self.assertEqual(t.finish(), 65)
        self.assertTrue(t.echo_enabled())


class Prompt(unittest.TestCase):
    def test_prompt_with_echo_off_asks_twice_for_a_new_password(self):
        t = TerminalSession("hash", "--cost", "4")
        self.assertTrue(t.read_until("New password: "))
        self.assertFalse(t.echo_enabled())
        t.send(UNICODE + "\n")
        self.assertTrue(t.read_until("Retype new password: "))
        t.send(UNICODE + "\n")
        self.assertEqual(t.finish(), 0)
        self.assertNotIn(UNICODE.encode(), t.output)
        stored = [line for line in t.output.decode().split("\r\n") if line.startswith("$2b$04$")]
        self.assertEqual(len(stored), 1, t.output)
        self.assertTrue(verifies(stored[0], UNICODE))

    def test_mismatched_retype_is_65(self):
        t = TerminalSession("hash", "--cost", "4")
        t.read_until("New password: ")
        t.send(GOOD + "\n")
        t.read_until("Retype new password: ")
        t.send(GOOD + "!\n")
        self.assertEqual(t.finish(), 65)
        self.assertIn(b"do not match", t.output)

    def test_ctrl_c_at_the_prompt_restores_the_terminal(self):
        t = TerminalSession("hash", "--cost", "4")
        self.assertTrue(t.read_until("New password: "))
        self.assertFalse(t.echo_enabled())
        t.send("\x03")
        code = t.finish()
        self.assertEqual(code, -signal.SIGINT)
        self.assertTrue(t.echo_enabled())

    def test_verify_prompts_once(self):
        stored = hash_from("--password-stdin", stdin=GOOD + "\n")[1]
        t = TerminalSession("hash", "--verify", stored)
        self.assertTrue(t.read_until("Password: "))
        t.send(GOOD + "\n")
        self.assertEqual(t.finish(), 0)


class Sources(unittest.TestCase):
    def test_stdin_takes_the_first_line_and_removes_exactly_one_newline(self):
        for given, password in [(GOOD + "\n", GOOD), (GOOD + "\r\n", GOOD), (GOOD, GOOD),
                                ("  " + GOOD + "  \n", "  " + GOOD + "  "), (GOOD + "\nsecond line\n", GOOD)]:
            with self.subTest(given=given):
                code, stored, err = hash_from("--password-stdin", stdin=given)
                self.assertEqual(code, 0, err)
                self.assertTrue(verifies(stored, password))
                self.assertFalse(verifies(stored, password.strip() + "x"))

    def test_file_and_descriptor(self):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(UNICODE + "\n")
        try:
            code, stored, err = hash_from("--password-file", f.name)
            self.assertEqual(code, 0, err)
            self.assertTrue(verifies(stored, UNICODE))
            with open(f.name, "rb") as src:
                r = subprocess.run([BINARY, "hash", "--cost", "4", "--password-fd", str(src.fileno())],
                                   pass_fds=[src.fileno()], capture_output=True, env=clean_env())
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(verifies(r.stdout.decode().strip(), UNICODE))
        finally:
            os.unlink(f.name)
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(GOOD + "\nextra\n")
        try:
            code, _, err = hash_from("--password-file", f.name)
            self.assertEqual(code, 65)
            self.assertIn("more than one line", err)
        finally:
            os.unlink(f.name)
        self.assertEqual(hash_from("--password-file", "/nonexistent/pw")[0], 66)
        self.assertEqual(hash_from("--password-fd", "77")[0], 64)

    def test_environment_variable(self):
        code, stored, err = hash_from("--password-env", "MY_PW", env={"MY_PW": UNICODE})
        self.assertEqual(code, 0, err)
        self.assertTrue(verifies(stored, UNICODE))
        self.assertEqual(hash_from("--password-env", "UNSET_VARIABLE_X")[0], 64)

    def test_generate(self):
        code, out, err = hash_from("--generate-password")
        self.assertEqual(code, 0, err)
        password, stored = out.split("\n")
        self.assertRegex(password, r"^[A-Za-z0-9]{20}$")
        self.assertTrue(verifies(stored, password))
        code, out, _ = hash_from("--generate-password=40")
        self.assertEqual(len(out.split("\n")[0]), 40)
        self.assertEqual(hash_from("--generate-password=3")[0], 64)

    def test_no_terminal_and_no_source_is_64_naming_the_options(self):
        code, out, err = hash_from()
        self.assertEqual(code, 64)
        self.assertEqual(out, "")
        for option in ("--password-stdin", "--password-file", "--password-fd", "--password-env", "--generate-password"):
            self.assertIn(option, err)

    def test_two_sources_are_a_usage_error(self):
        self.assertEqual(hash_from("--password-stdin", "--password-env", "X", stdin="a\n", env={"X": "b"})[0], 64)

    def test_no_option_takes_the_password_as_a_value(self):
        for option in ("--password", "-p", "--pass"):
            r = usersctl("hash", option, GOOD)
            self.assertEqual(r.returncode, 64)

    def test_a_huge_stdin_is_refused_not_slurped(self):
        start = time.time()
        p = subprocess.Popen([BINARY, "hash", "--password-stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=clean_env())
        chunk = b"x" * (1 << 20)
        try:
            for _ in range(1024):  # up to 1 GiB
                p.stdin.write(chunk)
        except BrokenPipeError:
            pass
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 65)
        self.assertIn(b"longer than 4096 bytes", err)
        self.assertLess(time.time() - start, 20)


if __name__ == "__main__":
    unittest.main(verbosity=2)

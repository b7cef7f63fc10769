"""The completions, the sample config, --version and the man pages' version against what the
binary says (#19). Every command and option `--help` lists must be offered by bash, zsh and
fish, and nothing else: a command or option added, renamed or removed without its completion
fails here, in both directions. zsh and fish run for real (zsh on a pseudo-terminal, fish with
`complete -C`) on the files the build generated (build/packaging/)."""

import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY  # noqa: E402
from shells import bash_complete, fish_complete, help_model, zsh_complete  # noqa: E402

BUILD_DIR = os.path.dirname(os.path.abspath(BINARY))
SOURCE_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
GENERATED = os.path.join(BUILD_DIR, "packaging")
BASH = os.path.join(SOURCE_DIR, "completion/usersctl.bash")
FISH = os.path.join(GENERATED, "usersctl.fish")
SAMPLE = os.path.join(GENERATED, "usersctl.conf")


def project_version():
    with open(os.path.join(BUILD_DIR, "CMakeCache.txt")) as f:
        return re.search(r"^CMAKE_PROJECT_VERSION:STATIC=(.*)$", f.read(), re.M).group(1)


def zsh(line):
    return zsh_complete(line, fpath_dir=GENERATED, path_dir=BUILD_DIR)


def fish(line):
    return fish_complete(line, FISH, BUILD_DIR)


def bash(line):
    return bash_complete(line, BASH)


class Completions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.commands, cls.top = help_model(BINARY)

    def test_commands_offered_exactly(self):
        commands = set(self.commands)
        self.assertIn("add-user", commands)
        self.assertEqual(bash("usersctl "), commands | self.top, "bash")
        self.assertEqual(zsh("usersctl "), commands, "zsh")
        self.assertEqual(fish("usersctl "), commands, "fish")
        self.assertEqual(zsh("usersctl ad"), {"add-user"})
        self.assertEqual(fish("usersctl ad"), {"add-user"})

    def test_options_offered_exactly(self):
        self.assertEqual(zsh("usersctl -"), self.top, "zsh, top level")
        self.assertEqual(fish("usersctl -"), self.top, "fish, top level")
        for command, options in self.commands.items():
            # Global options are taken after the command too (CLI11's fallthrough).
            expected = options | self.top
            with self.subTest(command=command):
                self.assertEqual(bash("usersctl %s -" % command), expected, "bash")
                # checkpassword's PROG completes as a command: zsh offers its precommand
                # modifier '-' there, which is not an option.
                self.assertEqual(zsh("usersctl %s -" % command) - {"-"}, expected, "zsh")
                self.assertEqual(fish("usersctl %s -" % command), expected, "fish")

    def test_values(self):
        cases = [("usersctl list --format j", {"json", "jsonl"}),
                 ("usersctl import --on-conflict s", {"skip"}),
                 ("usersctl --verifier werkzeug", {"werkzeug", "werkzeug-2.3"}),
                 ("usersctl add-user --scheme a", {"argon2id"}),
                 ("usersctl doctor --format ", {"text", "json"})]
        for line, expected in cases:
            with self.subTest(line=line):
                self.assertEqual(zsh(line), expected, "zsh")
                self.assertEqual(fish(line), expected, "fish")

    def test_file_arguments(self):
        with tempfile.TemporaryDirectory() as folder:
            open(os.path.join(folder, "staff.csv"), "w").close()
            line = "usersctl --config %s/st" % folder
            self.assertIn("staff.csv", zsh(line))  # zsh's _files also offers the folders on the way
            self.assertEqual(fish(line), {folder + "/staff.csv"})


def run(*args, env=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=env)


def config_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("USERSCTL_")}
    env["XDG_CONFIG_HOME"] = "/nonexistent/usersctl-test-config"
    return env


class SampleConfig(unittest.TestCase):
    def setUp(self):
        with open(SAMPLE) as f:
            self.text = f.read()

    def test_every_key_commented_and_the_file_reads(self):
        for line in self.text.splitlines():
            self.assertTrue(line == "" or line.startswith("#"), line)
        r = run("--config", SAMPLE, "--show-config", env=config_env())
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_keys_are_the_configurable_options(self):
        """The keys of each section are what --show-config lists for it, in both directions."""
        section, in_file = None, {}
        for line in self.text.splitlines():
            match = re.match(r"^#\[([\w-]+)\]$", line)
            if match:
                section = match.group(1)
            match = re.match(r"^#([\w-]+) = ", line)
            if match:
                in_file.setdefault(section, set()).add(match.group(1))
        shown = run("--show-config", env=config_env()).stdout
        expected = {None: set(re.findall(r"^([\w-]+) = ", shown, re.M))}
        for command in help_model(BINARY)[0]:
            shown = run("--show-config", command, env=config_env()).stdout
            keys = set(re.findall(r"^\[%s\] ([\w-]+) = " % re.escape(command), shown, re.M))
            if keys:
                expected[command] = keys
        self.assertEqual(in_file, expected)

    def test_each_line_uncommented_is_valid(self):
        """Each key line with a real value, uncommented alone (with its section), is accepted
        and shown as coming from the file."""
        lines = self.text.splitlines()
        section, tried = None, 0
        for number, line in enumerate(lines):
            match = re.match(r"^#\[([\w-]+)\]$", line)
            if match:
                section = match.group(1)
            match = re.match(r"^#([\w-]+) = (.*)$", line)
            if not match or re.fullmatch(r"[A-Z]+", match.group(2)):
                continue  # a placeholder (N, URL, SECONDS) to fill in
            with tempfile.NamedTemporaryFile("w", suffix=".conf") as f:
                f.write(("[%s]\n" % section if section else "") + line[1:] + "\n")
                f.flush()
                os.chmod(f.name, 0o600)
                r = run("--config", f.name, "--show-config", *([section] if section else []), env=config_env())
                self.assertEqual(r.returncode, 0, "%s: %s" % (line, r.stderr))
                self.assertRegex(r.stdout, r"%s = .*# %s:" % (re.escape(match.group(1)), re.escape(f.name)))
                tried += 1
        self.assertGreater(tried, 20)


class VersionAgreement(unittest.TestCase):
    def test_version_in_the_gnu_form(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "usersctl " + project_version())
        self.assertRegex(lines[1], r"^libpq \d+\.\d+$")
        self.assertRegex(lines[2], r"^libxcrypt \d+\.\d+\.\d+ \(compiled against\)$")
        self.assertRegex(lines[3], r"^OpenSSL \d+\.\d+\.\d+")
        self.assertTrue(any(line.startswith("License Expat") for line in lines), r.stdout)
        self.assertEqual(r.stderr, "")

    def test_libraries_are_the_ones_loaded(self):
        """libpq and OpenSSL as the versions of the files the dynamic loader maps."""
        lines = run("--version").stdout.splitlines()
        libpq = subprocess.run(["pkg-config", "--modversion", "libpq"], capture_output=True, text=True).stdout.strip()
        self.assertEqual(lines[1], "libpq " + libpq)
        openssl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.split()[1]
        self.assertEqual(lines[3].split()[1], openssl)

    def test_licence_matches_the_copyright_file(self):
        with open(os.path.join(SOURCE_DIR, "packaging/copyright")) as f:
            copyright_text = f.read()
        stanza = re.search(r"^Files: \*\nCopyright: (.*)\nLicense: (\S+)", copyright_text, re.M)
        lines = run("--version").stdout.splitlines()
        self.assertIn("Copyright (C) " + stanza.group(1), lines)
        self.assertTrue(lines[5].startswith("License " + stanza.group(2) + " "), lines[5])

    def test_man_pages_carry_the_version(self):
        pages = [p for p in os.listdir(os.path.join(BUILD_DIR, "man")) if p.endswith(".1")]
        sources = [p for p in os.listdir(os.path.join(SOURCE_DIR, "man")) if p.endswith(".1")]
        self.assertEqual(sorted(pages), sorted(sources))
        for page in pages:
            with self.subTest(page=page):
                rendered = subprocess.run(["mandoc", "-T", "ascii", os.path.join(BUILD_DIR, "man", page)],
                                          capture_output=True, text=True).stdout
                self.assertIn("usersctl " + project_version(), rendered.rstrip().splitlines()[-1])

    def test_changelog_names_the_version(self):
        with open(os.path.join(SOURCE_DIR, "CHANGELOG.md")) as f:
            self.assertRegex(f.read(), r"(?m)^## %s " % re.escape(project_version()))


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""The Debian package (#19): scripts/package builds it from the build tree under test, lintian
finds no error or warning, `apt-get install ./usersctl_*.deb` installs it, and the installed
files work: /usr/bin/usersctl --version, man, the completions in bash, zsh and fish from where
each shell looks, /etc/usersctl.conf (skipped for a user its mode keeps out), and an
init-db/add-user/verify run against the test server. The package is purged at the end, whatever
happened.

It changes the machine (/usr/bin, /etc), so it needs root and apt, runs alone (RUN_SERIAL), and
exits 77 (skipped) when it cannot run or when a usersctl package is already installed."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../interop"))
from harness import BINARY, GOOD, connect, url  # noqa: E402
from shells import bash_complete, fish_complete, help_model, zsh_complete  # noqa: E402

SKIP = 77
SOURCE_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
BUILD_DIR = os.path.dirname(os.path.abspath(BINARY))
INSTALLED = "/usr/bin/usersctl"


def skip_reason():
    if os.geteuid() != 0:
        return "not root"
    for tool in ("apt-get", "dpkg-deb", "dpkg-shlibdeps", "lintian", "zsh", "fish", "man"):
        if shutil.which(tool) is None:
            return tool + " is missing (scripts/deps)"
    if subprocess.run(["dpkg-query", "-W", "-f=${Status}", "usersctl"], capture_output=True,
                      text=True).stdout.startswith("install"):
        return "a usersctl package is installed already; this test would replace and purge it"
    return None


def sh(*args, **kwargs):
    return subprocess.run(list(args), capture_output=True, text=True, **kwargs)


def project_version():
    with open(os.path.join(BUILD_DIR, "CMakeCache.txt")) as f:
        return re.search(r"^CMAKE_PROJECT_VERSION:STATIC=(.*)$", f.read(), re.M).group(1)


class Package(unittest.TestCase):
    deb = None

    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="usersctl-package-")
        os.chmod(cls.out, 0o755)  # apt's sandbox user reads the .deb from here
        r = sh(os.path.join(SOURCE_DIR, "scripts/package"), "--build-dir", BUILD_DIR, "--out", cls.out, "--lintian")
        cls.package_output = r
        if r.returncode == 0:
            cls.deb = r.stdout.strip().splitlines()[-1]
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            cls.install = sh("apt-get", "install", "-y", "--no-install-recommends", cls.deb, env=env)

    @classmethod
    def tearDownClass(cls):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "remove", "-y", "--purge", "usersctl", env=env)
        shutil.rmtree(cls.out, ignore_errors=True)

    def setUp(self):
        self.assertIsNotNone(self.deb, "scripts/package failed:\n%s%s" % (self.package_output.stdout,
                                                                           self.package_output.stderr))
        self.assertEqual(self.install.returncode, 0, self.install.stdout + self.install.stderr)

    def test_1_contents(self):
        arch = sh("dpkg", "--print-architecture").stdout.strip()
        self.assertEqual(os.path.basename(self.deb), "usersctl_%s-1_%s.deb" % (project_version(), arch))
        listing = sh("dpkg-deb", "-c", self.deb).stdout
        entries = {line.split()[-1]: line.split()[0:2] for line in listing.splitlines()}
        for path in ["./usr/bin/usersctl", "./usr/share/man/man1/usersctl.1.gz",
                     "./usr/share/man/man1/usersctl-add-user.1.gz",
                     "./usr/share/bash-completion/completions/usersctl",
                     "./usr/share/zsh/vendor-completions/_usersctl",
                     "./usr/share/fish/vendor_completions.d/usersctl.fish",
                     "./usr/share/doc/usersctl/copyright", "./usr/share/doc/usersctl/changelog.gz",
                     "./usr/share/doc/usersctl/changelog.Debian.gz", "./etc/usersctl.conf"]:
            self.assertIn(path, entries)
            self.assertEqual(entries[path][1], "root/root", path)
        self.assertEqual(entries["./etc/usersctl.conf"][0], "-rw-r-----")
        self.assertEqual(entries["./usr/bin/usersctl"][0], "-rwxr-xr-x")
        self.assertEqual(sh("dpkg-deb", "-f", self.deb, "Version").stdout.strip(), project_version() + "-1")
        self.assertEqual(sh("dpkg-deb", "-I", self.deb, "conffiles").stdout.split(), ["/etc/usersctl.conf"])
        # Depends as dpkg-shlibdeps computed it: the runtime libraries, versioned.
        depends = sh("dpkg-deb", "-f", self.deb, "Depends").stdout
        for library in ("libc6 (>=", "libpq5 (>=", "libcrypt1 (>=", "libssl3 (>=", "libicu72 (>="):
            self.assertIn(library, depends)
        self.assertIn("stripped", sh("file", "-L", INSTALLED).stdout)
        self.assertNotIn("not stripped", sh("file", "-L", INSTALLED).stdout)

    def test_2_installed_binary(self):
        r = sh(INSTALLED, "--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "usersctl " + project_version())
        self.assertEqual([line.split()[0] for line in lines[1:4]], ["libpq", "libxcrypt", "OpenSSL"])
        # man finds the installed page, and its footer has the same version.
        page = sh("man", "-P", "cat", "usersctl", env=dict(os.environ, MANWIDTH="80", MANPATH="/usr/share/man"))
        self.assertEqual(page.returncode, 0, page.stderr)
        self.assertIn("SYNOPSIS", page.stdout)
        self.assertIn("usersctl " + project_version(), page.stdout.rstrip().splitlines()[-1])
        rendered = sh("man", "-l", "-P", "cat", "/usr/share/man/man1/usersctl-verify.1.gz")
        self.assertIn("--record-login", rendered.stdout)

    def test_3_conffile(self):
        # All comments: nothing changes; root reads it, anyone else is not stopped by it.
        r = sh(INSTALLED, "--show-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("verifier = werkzeug    # default", r.stdout)
        r = sh("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", INSTALLED, "-v", "--show-config",
               env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent-usersctl-test"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("not reading /etc/usersctl.conf", r.stderr)

    def test_4_completions_from_installed_files(self):
        commands, top = help_model(INSTALLED)
        bash = bash_complete("usersctl ad", "/usr/share/bash-completion/completions/usersctl")
        self.assertEqual(bash, {"add-user"})
        # zsh and fish find the files where they look by themselves: no fpath or source here.
        self.assertEqual(zsh_complete("usersctl ad"), {"add-user"})
        self.assertEqual(fish_complete("usersctl ad"), {"add-user"})
        self.assertEqual(zsh_complete("usersctl list --so") - {"-"}, {"--sort"})
        self.assertEqual(fish_complete("usersctl list --so"), {"--sort"})
        self.assertEqual(fish_complete("usersctl list -"), commands["list"] | top)

    def test_5_a_full_run_against_the_test_server(self):
        dbname = "usersctl_pkg_%d" % os.getpid()
        admin = connect("postgres")
        admin.cursor().execute('CREATE DATABASE "%s"' % dbname)
        try:
            env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "USERSCTL_DATABASE_URL": url(dbname)}
            r = sh(INSTALLED, "init-db", env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = sh(INSTALLED, "add-user", "pkg@example.com", "--password-stdin", input=GOOD + "\n", env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = sh(INSTALLED, "verify", "pkg@example.com", "--password-stdin", input=GOOD + "\n", env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = sh(INSTALLED, "verify", "pkg@example.com", "--password-stdin", input="wrong password\n", env=env)
            self.assertEqual(r.returncode, 1, r.stderr)
            stored = connect(dbname)
            with stored.cursor() as cur:
                cur.execute("SELECT password_hash FROM users WHERE email = 'pkg@example.com'")
                self.assertTrue(cur.fetchone()[0].startswith("pbkdf2:sha256:"))
            stored.close()
        finally:
            admin.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % dbname)


if __name__ == "__main__":
    reason = skip_reason()
    if reason:
        print("skipped: " + reason)
        sys.exit(SKIP)
    unittest.main(verbosity=2)

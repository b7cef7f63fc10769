"""Completion requests answered by real bash, zsh and fish, non-interactively, and what
`usersctl --help` says the commands and options are (read here on its own, not by
packaging/generate, so that a fault in the generator cannot agree with itself)."""

import os
import pty
import re
import select
import signal
import subprocess
import tempfile
import time


def help_model(binary):
    """({command: {options}}, {top-level options}) from `usersctl --help` and each
    `usersctl COMMAND --help`: the names in the options column (every `-x` and `--name` before
    the first space of an entry), never the ones a description mentions."""
    def options_of(text):
        found = set()
        for line in text.splitlines():
            match = re.match(r"^ {2,4}(-[^ ]+)", line)
            if match:
                found.update(match.group(1).split(","))
        return found

    def run(*args):
        return subprocess.run([binary, *args, "--help"], capture_output=True, text=True, check=True).stdout

    top = run()
    commands = re.findall(r"^  ([a-z][a-z-]*) {2,}", top.split("Subcommands:")[1], re.M)
    return {c: options_of(run(c)) for c in commands}, options_of(top)


def bash_complete(line, completion, path_dir=None):
    """The words bash's completion function offers for `line` (the cursor at its end)."""
    words = line.split(" ")
    script = """
source %s
COMP_WORDS=(%s)
COMP_CWORD=%d
COMP_LINE=%s
COMP_POINT=${#COMP_LINE}
_usersctl
printf '%%s\\n' "${COMPREPLY[@]}"
""" % (completion, " ".join("'%s'" % w for w in words), len(words) - 1, "'%s'" % line)
    r = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return set(r.stdout.split())


def fish_complete(line, completion=None, path_dir=None):
    """What `fish -c 'complete -C LINE'` offers: the first column of each answer. With
    `completion` None, fish finds usersctl's completion where it looks itself (the installed
    vendor_completions.d)."""
    env = dict(os.environ)
    if path_dir:
        env["PATH"] = path_dir + ":" + env["PATH"]
    # No user configuration (fish's --no-config would also hide the vendor completions): fresh
    # folders, since fish creates its own in them.
    env.pop("XDG_DATA_DIRS", None)
    command = ("source %s; " % completion if completion else "") + "complete -C %s" % shell_quote(line)
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CONFIG_HOME"] = os.path.join(home, "config")
        env["XDG_DATA_HOME"] = os.path.join(home, "data")
        r = subprocess.run(["fish", "-c", command], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    return {answer.split("\t")[0] for answer in r.stdout.splitlines() if answer}


def shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def zsh_complete(line, fpath_dir=None, path_dir=None, seconds=15):
    """What zsh's completion system offers for `line`: an interactive `zsh -f` on a pseudo-
    terminal runs compinit (with `fpath_dir` first in $fpath when given, else the installed
    vendor-completions), `compadd` is wrapped to print every word offered between markers,
    and TAB is pressed after `line`."""
    pid, fd = pty.fork()
    if pid == 0:
        if path_dir:
            os.environ["PATH"] = path_dir + ":" + os.environ["PATH"]
        os.environ["TERM"] = "dumb"
        os.execvp("zsh", ["zsh", "-f", "-i"])
    setup = ("PS1='%% '; " + ("fpath=(%s $fpath); " % fpath_dir if fpath_dir else "") +
             "autoload -Uz compinit; compinit -u -D\n"
             "compadd() { local -a hits; builtin compadd -A hits \"$@\"; local h; "
             "for h in $hits; do print -rn -- \"<<HIT:$h>>\"; done; builtin compadd \"$@\"; }\n"
             "print -r -- READY''READY\n")
    output = b""
    deadline = time.time() + seconds

    def read(until=None, quiet=None):
        nonlocal output
        last = time.time()
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                output += chunk
                last = time.time()
            if until and until in output:
                return
            if quiet and time.time() - last > quiet:
                return

    try:
        os.write(fd, setup.encode())
        read(until=b"READYREADY")
        assert b"READYREADY" in output, output[-500:]
        output = b""
        os.write(fd, line.encode() + b"\t")
        read(quiet=1.0)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return set(re.findall(r"<<HIT:([^>]*)>>", output.decode(errors="replace")))

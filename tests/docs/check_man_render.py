#!/usr/bin/env python3
"""Renders every man page with both formatters users have (man-db's groff through `man -l`, and
mandoc) and fails on what a reader would see as broken: quotes that do not pair up, quote marks
doubled or nested, roff requests or escapes leaking into the text, and any groff warning at 80
columns (a line it cannot break, as lintian reports)."""

import os
import re
import subprocess
import sys

OPEN, CLOSE = "\u2018", "\u2019"
# Typographic quote marks straight against each other: what nested or empty Ql/Sq/Dq render as.
# (A straight quote inside typographic ones is content: the page quotes an apostrophe.)
DOUBLED = re.compile("[\u2018\u2019]{2}|[\u201c\u201d]{2}")
LEAKED = re.compile(r"(^|\s)\.(Bl|El|It|Ql|Fl|Ar|Pp|Sh|Nm|Op|Xr|Dl|Bd|Ed)\b|\\f[BIRP]|\\\(|\\\*")


def groff_warnings(page):
    """What groff warns about at a terminal's 80 columns (lintian reports these too)."""
    env = dict(os.environ, MANWIDTH="80", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    r = subprocess.run(["man", "--warnings", "-l", "-E", "UTF-8", page], env=env, capture_output=True, text=True)
    return [line for line in r.stderr.splitlines() if line.strip()]


def render(page):
    env = dict(os.environ, MANWIDTH="100", LANG="C.UTF-8", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
    groff = subprocess.run(["man", "-l", "-E", "UTF-8", page], env=env, capture_output=True, text=True, check=True)
    mandoc = subprocess.run(["mandoc", "-T", "utf8", "-O", "width=100", page], env=env, capture_output=True,
                            text=True, check=True)
    # Strip overstrike (bold, underline) so the text is what a reader sees.
    plain = lambda text: re.sub(".\b", "", text)
    return {"man -l": plain(groff.stdout), "mandoc": plain(mandoc.stdout)}


def problems(text):
    found = []
    # Paragraphs: a quote may wrap to the next line but never past a blank line.
    for paragraph in re.split(r"\n\s*\n", text):
        depth = 0
        around = lambda i: " ".join(paragraph[max(0, i - 70):i + 50].split())
        for i, c in enumerate(paragraph):
            depth += 1 if c == OPEN else -1 if c == CLOSE else 0
            if depth > 1 or depth < 0:
                found.append(("nested quotes near: " if depth > 1 else "a closing quote never opened near: ") + around(i))
                depth = 0
                break
        if depth > 0:
            found.append("an unclosed quote near: " + around(paragraph.rindex(OPEN)))
        for line in paragraph.splitlines():
            if DOUBLED.search(line):
                found.append("doubled quote marks: " + line.strip())
            if LEAKED.search(line):
                found.append("roff markup in the text: " + line.strip())
    return found


def main(pages):
    failed = False
    for page in pages:
        for warning in groff_warnings(page):
            print(f"{page} (groff at 80 columns): {warning}")
            failed = True
        for formatter, text in render(page).items():
            if len(text.strip()) < 200:
                print(f"{page} ({formatter}): renders to almost nothing")
                failed = True
            for problem in problems(text):
                print(f"{page} ({formatter}): {problem}")
                failed = True
    if failed:
        return 1
    print(f"{len(pages)} man pages render cleanly with man -l and mandoc")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

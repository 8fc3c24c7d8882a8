"""The tree reads like a map: every C file in src/ and tests/ is as
clang-format 14 (Debian 12) would write it with the project's .clang-format; no
.c file is loose in src/ (a folder per stage plus src/shared); no C file is
over 550 lines; a private header (*_int.h) is included only by the files of
its own folder, and a header only its own folder includes is named *_int.h.  The build keeps the stages' include paths apart; this keeps
what the build cannot see."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

SRC = h.SRCDIR
MAX_LINES = 550
# Made by the build from another file (in srcdir when built in the tree).
GENERATED = {os.path.join("src", "process", "process_sql.h"),
             os.path.join("src", "report", "report_sql.h"),
             os.path.join("src", "process", "tag_ignore_int.h")}


def c_files(top):
    for root, _dirs, files in os.walk(os.path.join(SRC, top)):
        for f in sorted(files):
            path = os.path.join(root, f)
            if f.endswith((".c", ".h")) and os.path.relpath(path, SRC) not in GENERATED:
                yield path


@h.case
def style():
    files = sorted(list(c_files("src")) + list(c_files("tests")))
    h.check(len(files) > 100, "only %d C files found under %s" % (len(files), SRC))

    # A folder per stage: nothing loose in src/.
    loose = [f for f in os.listdir(os.path.join(SRC, "src")) if f.endswith((".c", ".h"))]
    h.check(not loose, "C files loose in src/ (put each in its stage's folder): %s" % loose)

    # No file past the size at which a module is two.
    long_files = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            n = sum(1 for _ in fh)
        if n > MAX_LINES:
            long_files.append("%s (%d lines)" % (os.path.relpath(f, SRC), n))
    h.check(not long_files, "files over %d lines: %s" % (MAX_LINES, long_files))

    # A private header stays in its folder.  (Paths are taken below the tree, so
    # that a checkout in a folder named src is no different.)
    INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+_int\.h)"', re.M)


    def in_src(path):
        return os.path.relpath(path, SRC).split(os.sep)[0] == "src"


    private = {}
    for f in files:
        if f.endswith("_int.h") and in_src(f):
            private[os.path.basename(f)] = os.path.dirname(f)
    h.check(len(private) >= 4, "only %d private headers found: %s" % (len(private), sorted(private)))
    leaks = []
    for f in files:
        if not in_src(f):
            continue   # a unit test may look inside the module it tests
        with open(f, encoding="utf-8") as fh:
            for name in INCLUDE.findall(fh.read()):
                home = private.get(os.path.basename(name))
                if home is not None and os.path.dirname(f) != home:
                    leaks.append("%s includes %s" % (os.path.relpath(f, SRC), name))
    h.check(not leaks, "private headers used outside their folder: %s" % leaks)

    # ... and a header that no other folder includes is private: it says so.
    ANY_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+\.h)"', re.M)
    used_from = {}
    for f in files:
        if not in_src(f):
            continue
        with open(f, encoding="utf-8") as fh:
            for name in ANY_INCLUDE.findall(fh.read()):
                used_from.setdefault(os.path.basename(name), set()).add(os.path.dirname(f))
    unnamed = [os.path.relpath(f, SRC) for f in files
               if in_src(f) and f.endswith(".h") and not f.endswith("_int.h")
               and used_from.get(os.path.basename(f), set()) <= {os.path.dirname(f)}]
    h.check(not unnamed, "headers only their own folder includes, not named *_int.h: %s" % unnamed)

    # The format, with the version the style was written for: another
    # clang-format lays some lines out differently, so it would not be a check of
    # this tree but of the tool.
    cf = shutil.which("clang-format-14") or shutil.which("clang-format")
    version = ""
    if cf:
        version = subprocess.run([cf, "--version"], capture_output=True, text=True).stdout
    if not cf or not re.search(r"version 14\.", version):
        print("note: clang-format 14 not found (%s): the format is not checked"
              % (version.strip() or "no clang-format"))
    else:
        r = subprocess.run([cf, "--style=file", "--dry-run", "-Werror"] + files, cwd=SRC,
                           capture_output=True, text=True)
        bad = sorted({m for m in re.findall(r"^(\S+?):\d+:\d+: error", r.stderr, re.M)})
        h.check(r.returncode == 0,
                "not formatted as .clang-format says (run: clang-format -i %s): %s"
                % (" ".join(os.path.relpath(b, SRC) for b in bad[:10]) or "?",
                   r.stderr[:400]))
        print("%d C files checked with %s" % (len(files), version.strip()))


@h.case
def news():
    """NEWS's first entry is the version configure.ac gives: a change to the
    data or the report bumps both (the database records the version that
    built it, and another version's database is rebuilt)."""
    with open(os.path.join(SRC, "configure.ac"), encoding="utf-8") as f:
        m = re.search(r"AC_INIT\(\[lastfm-syncd\],\s*\[([^\]]+)\]", f.read())
    h.check(m is not None, "configure.ac: no AC_INIT([lastfm-syncd], [VERSION])")
    with open(os.path.join(SRC, "NEWS"), encoding="utf-8") as f:
        entries = re.findall(r"^(\d+\.\d+\.\d+) \((\d{4}-\d\d-\d\d)\)$", f.read(), re.M)
    h.check(entries, "NEWS: no entry 'VERSION (YYYY-MM-DD)'")
    h.check(entries[0][0] == m.group(1),
            "NEWS's first entry is %s, configure.ac's version %s: bump both" %
            (entries[0][0], m.group(1)))
    # The package says the same version (debian/changelog's first entry).
    with open(os.path.join(SRC, "debian", "changelog"), encoding="utf-8") as f:
        deb = re.match(r"lastfm-syncd \(([^)]+)\)", f.readline())
    h.check(deb and deb.group(1) == m.group(1),
            "debian/changelog's first entry is %s, configure.ac's version %s: add an entry"
            % (deb.group(1) if deb else None, m.group(1)))
    versions = [tuple(int(x) for x in v.split(".")) for v, _ in entries]
    h.check(versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions),
            "NEWS's entries are not newest first, each once: %s" % [v for v, _ in entries])


h.main()

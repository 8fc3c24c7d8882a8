"""The linker keeps the stages apart.  Each program links its own stage and
src/shared only: by ldd, only lastfm-syncd links libcurl and libev, lastfm-flatten
links neither SQLite nor libcrypto, lastfm-report no libcrypto; by nm, no
program holds another stage's code (lastfm-syncd, on top, holds them all).
And the unit tests of the pure modules link no curl.  Inside each folder's
static library the files call one way: no circle of calls between its files
(by nm: each member's undefined symbols against the other members' own)."""
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if not shutil.which("ldd") or not shutil.which("nm"):
    h.skip_all("no ldd or nm")

# A stage's code, by the names its functions carry (src/<stage>/).
STAGE_SYMBOLS = {
    "sync": r"(sync|plan|fetch|pass|passrun|passlist|stored|status|http|srvclock|identity|"
            r"backoff|ratelimit)_\w+|lastfm_classify|lastfm_build_url",
    "flatten": r"(flatten|rowcache)_\w+",
    "process": r"(process|rules|ledger)_\w+",
    "report": r"(report|svg|html|chart)_\w+",
}
# What each program may link and hold.
PROGRAMS = {
    "lastfm-syncd": ({"libcurl", "libev", "libsqlite3", "libcrypto"},
                     {"sync", "flatten", "process", "report"}),
    "lastfm-flatten": (set(), {"flatten"}),
    "lastfm-process": ({"libsqlite3", "libcrypto"}, {"process"}),
    "lastfm-report": ({"libsqlite3"}, {"report"}),
}
WATCHED = {"libcurl", "libev", "libsqlite3", "libcrypto"}


def libs(path):
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    return {w for w in WATCHED if re.search(r"\b%s\.so" % w, out)}


def stages(path):
    out = subprocess.run(["nm", "--defined-only", path], capture_output=True, text=True).stdout
    names = [line.split()[-1] for line in out.splitlines()
             if len(line.split()) == 3 and line.split()[1] in "Tt"]
    return {st for st, rx in STAGE_SYMBOLS.items()
            if any(re.fullmatch(rx, n) for n in names)}


@h.case
def programs():
    for prog, (may_link, may_hold) in PROGRAMS.items():
        path = os.path.join(h.BUILDDIR, "src", prog)
        got = libs(path)
        h.check(got == may_link, "%s links %s, want exactly %s" % (prog, sorted(got), sorted(may_link)))
        held = stages(path)
        h.check(held == may_hold, "%s holds the code of %s, want %s" % (prog, sorted(held),
                                                                       sorted(may_hold)))


@h.case
def unit_tests():
    units = [p for p in glob.glob(os.path.join(h.BUILDDIR, "tests", "unit", "test_*"))
             if os.access(p, os.X_OK) and not p.endswith((".c", ".h", ".o", ".log", ".trs"))]
    h.check(len(units) >= 10, "only %d unit tests found" % len(units))
    for p in units:
        if os.path.basename(p) in ("test_lastfm", "test_sync"):   # request URLs: the curl URL API
            continue
        h.check("libcurl" not in libs(p), "%s links libcurl" % os.path.basename(p))


def members(lib):
    """{member: (defined, undefined)} of a static library, by nm."""
    out = subprocess.run(["nm", lib], capture_output=True, text=True).stdout
    got, cur = {}, None
    for line in out.splitlines():
        if line.endswith(".o:"):
            cur = re.sub(r"^lib\w+_a-|\.o:$", "", line)
            got[cur] = (set(), set())
        elif cur and line.split():
            p = line.split()
            if len(p) == 2 and p[0] == "U":
                got[cur][1].add(p[1])
            elif len(p) == 3 and p[1] in "TDBR":
                got[cur][0].add(p[2])
    return got


def circles(graph):
    """The strongly connected parts of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                out.append(sorted(part))

    for v in graph:
        if v not in index:
            visit(v)
    return out


@h.case
def call_circles():
    for folder in ("shared", "sync", "flatten", "process", "report"):
        lib = os.path.join(h.BUILDDIR, "src", folder, "lib%s.a" % folder)
        m = members(lib)
        graph = {a: {b for b in m if b != a and m[a][1] & m[b][0]} for a in m}
        found = circles(graph)
        print("%s: %d files, %d call circles" % (folder, len(m), len(found)))
        h.check(not found, "src/%s: its files call each other in a circle: %s" % (folder, found))


h.main()

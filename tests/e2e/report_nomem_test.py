"""An allocation that fails anywhere in lastfm-report fails the build, and
nothing is published (issue 29: "any failed allocation or query fails the
build and nothing is published").

tests/failmalloc.so (LD_PRELOAD) fails the Nth malloc, calloc or realloc of
the process.  A small history with every page kind (index, listings, years,
months, artists, albums, tracks) is reported once as it should be; then the
report is run again with one allocation failing, at sampled points over the
whole run.  Each run must either exit 75 (EX_TEMPFAIL: out of memory, try
again) with the site published before left byte for byte, and no temporary
tree behind; or, where the failed allocation was one the program can do
without (SQLite's own caches), exit 0 with a site byte-identical to the
good one.  A page with rows silently missing fails the test."""
import calendar
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

REPORT = os.path.join(h.BUILDDIR, "src", "lastfm-report")
PROCESS = os.path.join(h.BUILDDIR, "src", "lastfm-process")
SHIM = os.path.join(h.BUILDDIR, "tests", "failmalloc.so")
SAMPLES = 160  # failure points spread over the run (plus the first 40)

SETTINGS = {"LASTFM_REPORT_ARTIST_MIN": "3", "LASTFM_REPORT_ALBUM_MIN": "3",
            "LASTFM_REPORT_TRACK_MIN": "3", "SOURCE_DATE_EPOCH": "1790100000",
            "LASTFM_TIMEZONE": "Europe/Berlin", "LASTFM_USERNAME": "planted"}


def rows():
    """Three years, four artists, their albums and tracks; noon UTC."""
    out = []
    for y in (2019, 2020, 2021):
        for m in range(1, 13, 2):
            for d in (3, 11, 19):
                for k, (artist, album) in enumerate((("Ånd & Co", "Første"), ("Band <b>", "Two"),
                                                     ("Third", ""), ("Idles", "Joy"))):
                    if (y + m + d + k) % 3:
                        out.append((calendar.timegm((y, m, d, 12 + k, 0, 0)),
                                    "Song %d" % ((m + k) % 4), artist, album))
    return sorted(out, reverse=True)


def run(work, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LASTFM_", "TEST_"))}
    env.update(SETTINGS)
    env["LASTFM_DATA_DIR"] = work.data
    env.update(extra or {})
    return h.run([REPORT, "--env-file", "/dev/null"], env, work.path)


def site(work):
    """Every file of report/ and its bytes."""
    out, top = {}, os.path.join(work.data, "report")
    for d, _, files in os.walk(top):
        for f in files:
            with open(os.path.join(d, f), "rb") as fh:
                out[os.path.relpath(os.path.join(d, f), top)] = fh.read()
    return out


@h.case
def one_failed_allocation():
    if h.asan_build():
        h.skip("an AddressSanitizer build owns malloc: LD_PRELOAD cannot replace it")
        return
    h.check(os.path.exists(SHIM), "no %s: make check builds it" % SHIM)
    with h.Workdir("nomem") as work:
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"), rows())
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        env.update(SETTINGS)
        env["LASTFM_DATA_DIR"] = work.data
        r = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)
        h.check(r.code == 0, "lastfm-process: exit %d: %s" % (r.code, r.err[-600:]))
        count_file = os.path.join(work.path, "mallocs")
        r = run(work, {"LD_PRELOAD": SHIM, "TEST_FAIL_MALLOC": "0", "TEST_MALLOC_COUNT": count_file})
        h.check(r.code == 0, "lastfm-report: exit %d: %s" % (r.code, r.err[-600:]))
        good = site(work)
        kinds = {p.split("/")[0] for p in good if "/" in p}
        h.check(kinds >= {"year", "month", "artist", "album", "track"},
                "the history lacks a page kind: %s" % sorted(kinds))
        with open(count_file) as f:
            calls = int(f.read())
        h.check(calls > 1000, "only %d allocations counted: the shim is not in use" % calls)
        points = sorted(set(list(range(1, 41)) +
                            [1 + (calls - 1) * i // SAMPLES for i in range(SAMPLES + 1)]))
        failed = 0
        for n in points:
            r = run(work, {"LD_PRELOAD": SHIM, "TEST_FAIL_MALLOC": str(n)})
            left = [f for f in os.listdir(work.data) if f.startswith(".report")]
            h.check(left == [], "allocation %d: left %s behind" % (n, left))
            if r.code == 0:
                h.check(site(work) == good,
                        "allocation %d failed, exit 0, and the site differs from the good one" % n)
                continue
            failed += 1
            h.check(r.code == 75, "allocation %d: exit %d, want 75: %s" % (n, r.code, r.err[-400:]))
            h.check("out of memory" in r.err, "allocation %d: no 'out of memory' in: %s"
                    % (n, r.err[-400:]))
            h.check(site(work) == good, "allocation %d: the published site changed" % n)
        print("# %d allocations in a good run; %d sampled, %d failed the build (75), the rest "
              "were done without" % (calls, len(points), failed))
        h.check(failed > len(points) // 2, "only %d of %d failures failed the build"
                % (failed, len(points)))


h.main()

"""The report's work grows with the history, not with its square.  A query
plan that reads one table once for each row of another (the new artists of a
year joined to every artist's first day without an index took hours at a
million artists), or a statement run once per page that reads the whole
history, shows at any size in SQLite's VM steps: lastfm-report -v gives the
steps of all its statements and of its heaviest one.

Three shapes of history (every scrobble a new artist; an artist page for every
100 scrobbles; one artist of all-distinct tracks), each at 20,000 and at
40,000 scrobbles:
- no statement takes more than 1,000 steps per scrobble (the healthy report's
  heaviest takes under 100: a scan, a sort, a group-by);
- twice the history takes at most 2.5 times the steps, in all and in the
  heaviest statement (linear work doubles, n log n a little more; work that
  grows with the square takes four times).
Counted in steps, not seconds: the same on any machine and under the
sanitizers."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

SIZES = (20000, 40000)
STEPS_PER_ROW = 1000
GROWTH = 2.5
START = 1420070400 + 86400 * 40   # 2015-02-10: in the past on any date the test runs
SPAN = 3 * 365 * 86400            # three years of history, whatever the size


def rows(shape, n):
    spacing = SPAN // n
    for i in range(n):
        uts = START + (n - 1 - i) * spacing   # newest first, as the flatten writes
        if shape == "distinct":
            yield uts, "Track %05d" % i, "Artist %05d" % i, "Album %05d" % i
        elif shape == "pages":
            a = i % (n // 100)
            yield uts, "Track %d-%d" % (a, i % 40), "Artist %03d" % a, "Album %d-%d" % (a, i % 10)
        else:
            yield uts, "Track %05d" % i, "The One Artist", "Album %04d" % (i // 10)


def report_steps(shape, n):
    """(steps in all, steps of the heaviest statement) of lastfm-report."""
    with h.Workdir("report-scale") as work:
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    rows(shape, n))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        env["LASTFM_DATA_DIR"] = work.data
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-process"), "--env-file", "/dev/null"],
                  env, work.path)
        h.check(r.code == 0, "%s: lastfm-process failed: %s" % (shape, r.err[-500:]))
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-report"), "-v", "--env-file",
                   "/dev/null"], env, work.path, timeout=900)
        h.check(r.code == 0, "%s: lastfm-report failed: %s" % (shape, r.err[-500:]))
        m = re.search(r"SQL: (\d+) VM steps in all; the heaviest statement: (\d+) VM steps "
                      r"in ([0-9.]+) s: (.*)", r.err)
        h.check(m is not None, "%s: lastfm-report -v does not give its SQL's steps" % shape)
        artist_dir = os.path.join(work.data, "report", "artist")
        pages = len(os.listdir(artist_dir)) if os.path.isdir(artist_dir) else 0
        want = {"distinct": 0, "pages": n // 100, "one artist": 1}[shape]
        h.check(pages == want, "%s: %d artist pages, expected %d" % (shape, pages, want))
        if not m:
            return None
        total, steps = int(m.group(1)), int(m.group(2))
        print("%-10s %6d rows, %3d artist pages: %9d steps in all (%4.0f per row); the heaviest "
              "statement %8d (%3.0f per row): %.60s" % (shape, n, pages, total, total / n, steps,
                                                        steps / n, m.group(4)))
        h.check(steps <= STEPS_PER_ROW * n,
                "%s: one statement took %d VM steps, %.0f per scrobble (at most %d): %s"
                % (shape, steps, steps / n, STEPS_PER_ROW, m.group(4)))
        return total, steps


@h.case
def scale():
    for shape in ("distinct", "pages", "one artist"):
        small, large = (report_steps(shape, n) for n in SIZES)
        if small and large:
            for what, a, b in (("in all", small[0], large[0]), ("in the heaviest statement",
                                                                 small[1], large[1])):
                h.check(b <= GROWTH * a,
                        "%s: twice the history took %.2f times the VM steps %s (%d, then %d): "
                        "at most %.1f" % (shape, b / a, what, a, b, GROWTH))


h.main()

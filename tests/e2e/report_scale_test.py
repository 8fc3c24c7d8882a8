"""The report's work grows with the history, not with its square.  A query
plan that visits one table once for each row of another (the new artists of a
year joined to every artist's first day, without an index, took hours at a
million artists) shows at any size as a statement with many more SQLite VM
steps than the database has rows.  lastfm-report -v names its heaviest
statement and its steps; for three shapes of a 40,000-scrobble history (every
scrobble a new artist; 400 artists with a page each; one artist of 40,000
tracks) no statement may take more than 1,000 steps per scrobble.  The healthy
report stays under 100 (a linear scan, a sort, a group-by); the quadratic
plan took about 100,000.  Counted in steps, not seconds: the same on any
machine and under the sanitizers."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

ROWS = 40000
STEPS_PER_ROW = 1000
START = 1420070400 + 86400 * 40   # 2015-02-10, in the past on any date the test runs
SPACING = 3 * 365 * 86400 // ROWS  # three years of history


def rows(shape):
    for i in range(ROWS):
        uts = START + (ROWS - 1 - i) * SPACING   # newest first, as the flatten writes
        if shape == "distinct":
            yield uts, "Track %05d" % i, "Artist %05d" % i, "Album %05d" % i
        elif shape == "pages":
            a = i % 400
            yield uts, "Track %d-%d" % (a, i % 40), "Artist %03d" % a, "Album %d-%d" % (a, i % 10)
        else:
            yield uts, "Track %05d" % i, "The One Artist", "Album %04d" % (i // 10)


for shape, pages_at_least in (("distinct", 0), ("pages", 400), ("one artist", 1)):
    with h.Workdir("report-scale") as work:
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    rows(shape))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        env["LASTFM_DATA_DIR"] = work.data
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-process"), "--env-file", "/dev/null"],
                  env, work.path)
        h.check(r.code == 0, "%s: lastfm-process failed: %s" % (shape, r.err[-500:]))
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-report"), "-v", "--env-file",
                   "/dev/null"], env, work.path, timeout=900)
        h.check(r.code == 0, "%s: lastfm-report failed: %s" % (shape, r.err[-500:]))
        m = re.search(r"the heaviest SQL statement: (\d+) VM steps in ([0-9.]+) s: (.*)", r.err)
        h.check(m is not None, "%s: lastfm-report -v does not name its heaviest statement"
                % shape)
        pages = re.search(r"\((\d+) pages?", r.err)
        artist_dir = os.path.join(work.data, "report", "artist")
        artist_pages = len(os.listdir(artist_dir)) if os.path.isdir(artist_dir) else 0
        h.check(artist_pages >= pages_at_least,
                "%s: %d artist pages, expected at least %d" % (shape, artist_pages, pages_at_least))
        if m:
            steps = int(m.group(1))
            print("%-10s %d rows, %d artist pages: heaviest statement %d steps (%.0f per row, "
                  "%s s): %s" % (shape, ROWS, artist_pages, steps, steps / ROWS, m.group(2),
                                 m.group(3)))
            h.check(steps <= STEPS_PER_ROW * ROWS,
                    "%s: one statement took %d VM steps, %.0f per scrobble (at most %d): %s"
                    % (shape, steps, steps / ROWS, STEPS_PER_ROW, m.group(3)))

h.finish("report_scale_test")

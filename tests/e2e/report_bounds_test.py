"""Bounds where a hostile value could multiply the report's output, and
leftovers (issue 27, finding 7).

- A stray row dated 9999-12-31T23:59:59Z, in a zone 14 hours east of UTC: it
  is bad_time (after the build), gets no year page, and its local time is
  given in UTC ("9999-12-31T23:59:59+00:00"), never "0000-01-01".
- 6,000 artists over LASTFM_REPORT_ARTIST_MIN: 5,000 pages (the cap), the
  index says so and the run logs it.
- A report/ made read-only by its owner (not root) is replaced whole, and no
  .report.tmp-* is left behind.
- A database of another version of lastfm-process (another schema_version) is
  named as such (65), not read as damaged, and nothing is published."""
import calendar
import os
import pwd
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

PROCESS = os.path.join(h.BUILDDIR, "src", "lastfm-process")
REPORT = os.path.join(h.BUILDDIR, "src", "lastfm-report")


def run(cmd, work, extra=None, prefix=()):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    env["LASTFM_DATA_DIR"] = work.data
    env.update(extra or {})
    return h.run(list(prefix) + [cmd, "--env-file", "/dev/null"], env, work.path)


def write_csv(work, rows):
    h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"), rows)


def day(y, m, d, hh=10, mm=0, ss=0):
    return calendar.timegm((y, m, d, hh, mm, ss))


@h.case
def year_9999():
    # A stray date in year 9999, east of UTC.
    with h.Workdir("bounds-9999") as work:
        rows = [(day(9999, 12, 31, 23, 59, 59), "Far", "Stray", "")]
        rows += [(day(2024, 5, d), "Song", "Band", "Album") for d in range(28, 0, -1)]
        write_csv(work, rows)
        r = run(PROCESS, work, {"LASTFM_TIMEZONE": "Pacific/Kiritimati"})
        h.check(r.code == 0, "lastfm-process: exit %d: %s" % (r.code, r.err[-600:]))
        h.check("1 scrobble is dated after the build" in r.err, "the stray row is not named: " + r.err)
        db = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        row = db.execute("SELECT played_at_local, local_year, tz, bad_time FROM scrobbles "
                         "WHERE artist = 'Stray'").fetchone()
        h.check(row == ("9999-12-31T23:59:59+00:00", 9999, "UTC", 1), "the stray row: %r" % (row,))
        h.check(db.execute("SELECT count(*) FROM scrobbles WHERE played_at_local LIKE '0000%'")
                .fetchone()[0] == 0, "a local date in year 0000")
        db.close()
        r = run(REPORT, work)
        h.check(r.code == 0, "lastfm-report: exit %d: %s" % (r.code, r.err[-600:]))
        years = sorted(os.listdir(os.path.join(work.data, "report", "year")))
        h.check(years == ["2024.html"], "year pages: %s" % years[:5])


@h.case
def artist_cap():
    # More artists over the threshold than the cap.
    with h.Workdir("bounds-cap") as work:
        rows = [(day(2024, 5, 1, 0) + i, "Song", "Artist %04d" % i, "") for i in range(5999, -1, -1)]
        write_csv(work, rows)
        r = run(PROCESS, work, {"LASTFM_BURST_LIMIT": "0", "SOURCE_DATE_EPOCH": "1735689600"})
        h.check(r.code == 0, "lastfm-process: exit %d: %s" % (r.code, r.err[-600:]))
        r = run(REPORT, work, {"LASTFM_REPORT_ARTIST_MIN": "1"})
        h.check(r.code == 0, "lastfm-report: exit %d: %s" % (r.code, r.err[-600:]))
        pages = len(os.listdir(os.path.join(work.data, "report", "artist")))
        h.check(pages == 5000, "%d artist pages, want the cap of 5000" % pages)
        h.check("6000 artists have at least 1 counted scrobbles" in r.err and "5000 most played"
                in r.err, "the cap is not logged: " + r.err[-600:])
        with open(os.path.join(work.data, "report", "index.html"), encoding="utf-8") as f:
            index = f.read()
        h.check("the 5000 most played of the 6000 artists of at least 1 counted scrobbles" in index,
                "the index does not state the cap")


@h.case
def read_only_report():
    # A read-only report/ of its owner's.
    if os.geteuid() == 0 and shutil.which("setpriv"):
        nobody = pwd.getpwnam("nobody")
        with h.Workdir("bounds-readonly") as work:
            os.chmod(work.path, 0o755)
            write_csv(work, [(day(2024, 5, d), "Song", "Band", "Album") for d in range(28, 0, -1)])
            for d, dirs, files in os.walk(work.data):
                for x in [d] + [os.path.join(d, f) for f in files]:
                    os.chown(x, nobody.pw_uid, nobody.pw_gid)
            as_nobody = ["setpriv", "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid,
                         "--clear-groups"]
            r = run(PROCESS, work, prefix=as_nobody)
            h.check(r.code == 0, "lastfm-process as nobody: exit %d: %s" % (r.code, r.err[-600:]))
            r = run(REPORT, work, prefix=as_nobody)
            h.check(r.code == 0, "lastfm-report as nobody: exit %d: %s" % (r.code, r.err[-600:]))
            report = os.path.join(work.data, "report")
            for d, dirs, files in os.walk(report):
                for f in files:
                    os.chmod(os.path.join(d, f), 0o444)
            for d, dirs, files in sorted(os.walk(report), reverse=True):
                os.chmod(d, 0o555)
            r = run(REPORT, work, prefix=as_nobody)
            h.check(r.code == 0, "a read-only report/: exit %d: %s" % (r.code, r.err[-600:]))
            left = [f for f in os.listdir(work.data) if f.startswith(".report")]
            h.check(left == [], "a read-only report/ left %s" % left)
    else:
        print("SKIP (read-only report/): not root, or no setpriv")


@h.case
def another_schema():
    # A database of another version of lastfm-process: named, not read.
    with h.Workdir("bounds-schema") as work:
        write_csv(work, [(day(2024, 5, d), "Song", "Band", "Album") for d in range(28, 0, -1)])
        r = run(PROCESS, work)
        h.check(r.code == 0, "lastfm-process: exit %d: %s" % (r.code, r.err[-600:]))
        db = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        db.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        db.commit()
        db.close()
        r = run(REPORT, work)
        h.check(r.code == 65 and "built by another version of lastfm-process (its schema 5"
                in r.err and "run lastfm-process" in r.err, "another schema: exit %d: %s"
                % (r.code, r.err[-400:]))
        h.check(not os.path.exists(os.path.join(work.data, "report")), "a report was published")


h.main()

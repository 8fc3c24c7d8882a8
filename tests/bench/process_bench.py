#!/usr/bin/env python3
"""make bench, the processed stage: lastfm-process on a listener's history of
146,000 and 1,460,000 scrobbles (interim CSVs written here, in the flatten's
format), with peak RSS, then every view queried once; beside a pandas script
doing the same derivations (process_reference.py).  Prints figures, asserts
nothing."""
import calendar
import collections
import csv
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness as h  # noqa: E402
import listener  # noqa: E402

VIEWS = ("daily", "monthly", "yearly", "punchcard", "artist_firsts", "sessions", "streaks",
         "eddington")


def write_csv(path, n):
    end = int(time.time()) - 60
    plays, planted = listener.generate(n, 146, end, per_day=33.0 * max(1, n // 146000))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(h.CSV_COLUMNS)
        for i, (uts, track, artist, album) in enumerate(reversed(plays)):
            page = i // 200 + 1
            w.writerow([h.utc(uts), track, artist, album, "", "", "", page,
                        "raw/pass-000001/page-%06d.json" % page])
    return planted["zones"]


def measured(cmd, env=None, log=None):
    """(seconds, peak RSS KiB) of one run, by GNU time (the child's own RSS);
    its stderr appended to the list `log` if given."""
    t0 = time.time()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env, capture_output=True,
                       text=True)
    secs = time.time() - t0
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], r.stderr[-2000:]))
    if log is not None:
        log.append(r.stderr)
    return secs, int(r.stderr.strip().splitlines()[-1])


def one_more_scrobble(path):
    """A scrobble a minute after the newest, on top of the CSV (newest first)."""
    with open(path, encoding="utf-8") as f:
        header, first = f.readline(), f.readline()
        rest = f.read()
    row = next(csv.reader([first]))
    newest = calendar.timegm(time.strptime(row[0], "%Y-%m-%dT%H:%M:%SZ"))
    row[0], row[1] = h.utc(newest + 60), "One More Song"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        csv.writer(f, lineterminator="\n").writerow(row)
        f.write(first + rest)


def carried(log):
    """(pages, bytes) carried over, from lastfm-report's log line."""
    m = re.search(r"(\d+) pages \((\d+) bytes\) the same as before, carried over", log)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def python_with_pandas():
    """This Python, or Debian's (python3-pandas), whichever has pandas."""
    for py in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(py) and subprocess.run([py, "-c", "import pandas"],
                                                 capture_output=True).returncode == 0:
            return py
    return None


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main():
    if not os.path.exists("/usr/bin/time"):
        print("[processed] skipped: /usr/bin/time (Debian package time) is not installed")
        return
    process = os.path.join(h.BUILDDIR, "src", "lastfm-process")
    print("\n[processed] lastfm-process: interim CSV -> processed/lastfm.sqlite "
          "(a listener's history, a move between zones)")
    print("  %-10s %9s %9s %9s %11s %9s %10s %9s" % ("rows", "CSV MiB", "build s", "RSS MiB",
                                                      "views s", "total s", "pandas s",
                                                      "pandas RSS"))
    sizes = [int(x) for x in os.environ.get("LASTFM_BENCH_SIZES", "146000,1460000").split(",")]
    reports = []
    for n in sizes:
        work = tempfile.mkdtemp(prefix="lastfm-bench-process-")
        try:
            data = os.path.join(work, "data")
            os.makedirs(os.path.join(data, "interim"))
            csv_path = os.path.join(data, "interim", "lastfm_scrobbles_interim.csv")
            zones = write_csv(csv_path, n)
            env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
            env.update({"LASTFM_DATA_DIR": data, "LASTFM_TIMEZONE": zones})
            runs = [measured([process, "--env-file", "/dev/null"], env) for _ in range(3)]
            build = median([s for s, _ in runs])
            rss = max(r for _, r in runs)
            db = os.path.join(data, "processed", "lastfm.sqlite")
            t0 = time.time()
            con = sqlite3.connect(db)
            for v in VIEWS:
                con.execute("SELECT * FROM %s" % v).fetchall()
            con.close()
            views = time.time() - t0
            try:
                py = python_with_pandas()
                if not py:
                    raise RuntimeError("no Python with pandas (apt-get install python3-pandas)")
                pd_s, pd_rss = measured([py, os.path.join(HERE, "process_reference.py"),
                                         csv_path, os.path.join(work, "pandas.sqlite"), zones,
                                         "30"])
                pd_text = "%10.2f %9.1f" % (pd_s, pd_rss / 1024)
            except RuntimeError as e:
                pd_s, pd_text = None, "  (pandas failed: %s)" % str(e)[:60]
            report = os.path.join(h.BUILDDIR, "src", "lastfm-report")
            rruns = [measured([report, "--env-file", "/dev/null"], env) for _ in range(3)]
            site = os.path.join(data, "report")
            files = [os.path.join(t, f) for t, _, fs in os.walk(site) for f in fs]
            site_bytes = sum(os.path.getsize(f) for f in files)
            # one new scrobble: the database again, then the site with what is unchanged
            # carried over
            one_more_scrobble(csv_path)
            measured([process, "--env-file", "/dev/null"], env)
            inodes = {f: os.stat(f).st_ino for f in files}
            log = []
            measured([report, "--env-file", "/dev/null"], env, log)
            written = collections.Counter(
                os.path.relpath(f, site).split(os.sep)[0] if os.sep in os.path.relpath(f, site)
                else "top" for f in files if not os.path.exists(f) or os.stat(f).st_ino !=
                inodes[f])
            reports.append({"n": n, "secs": median([s for s, _ in rruns]),
                            "rss": max(m for _, m in rruns), "bytes": site_bytes,
                            "pages": len(files),
                            "index": os.path.getsize(os.path.join(site, "index.html")),
                            "build": build, "pandas": pd_s, "carried": carried(log[0]),
                            "written": written})
            print("  %-10s %9.1f %9.3f %9.1f %11.3f %9.3f %s" % (
                "{:,}".format(n), os.path.getsize(csv_path) / 2 ** 20, build, rss / 1024, views,
                build + views, pd_text))
            if pd_s:
                print("  %-10s pandas / lastfm-process (build + every view): %.1fx"
                      % ("", pd_s / (build + views)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print("  (build: median of 3 runs; RSS: the largest; views: each view queried once)")
    print("\n[report] lastfm-report: processed/lastfm.sqlite -> report/, the whole site "
          "(published)")
    print("  %-10s %9s %9s %7s %10s %11s %22s" % ("rows", "seconds", "RSS MiB", "pages",
                                                  "site MiB", "index MiB",
                                                  "1 new: carried over"))
    for r in reports:
        cp, cb = r["carried"]
        print("  %-10s %9.3f %9.1f %7d %10.2f %11.2f %9d pages %4.0f%%" % (
            "{:,}".format(r["n"]), r["secs"], r["rss"] / 1024, r["pages"], r["bytes"] / 2 ** 20,
            r["index"] / 2 ** 20, cp, 100.0 * cb / r["bytes"] if r["bytes"] else 0))
    print("  (median of 3 runs; pages: index, listings, years, months, artists, albums and "
          "tracks over\n  their thresholds; 1 new: one more scrobble, then lastfm-process and "
          "lastfm-report again:\n  the pages of the same bytes carried over as hard links, "
          "and their share of the site's bytes)")
    for r in reports:
        print("  %-10s 1 new: written again: %s" % ("{:,}".format(r["n"]), ", ".join(
            "%s %d" % kv for kv in sorted(r["written"].items()))))
    print("\n[budgets] issue 29")
    for r in reports:
        total = r["build"] + r["secs"]
        if r["pandas"]:
            print("  %-10s lastfm-process + lastfm-report %.2f s against pandas (views alone) "
                  "%.2f s: %s" % ("{:,}".format(r["n"]), total, r["pandas"],
                                  "within" if total < r["pandas"] else "OVER"))
        print("  %-10s report peak RSS %.1f MiB (budget 64): %s" % (
            "{:,}".format(r["n"]), r["rss"] / 1024, "within" if r["rss"] <= 64 * 1024 else "OVER"))
    if len(reports) >= 2:
        a, b = reports[0], reports[-1]
        k = b["n"] / a["n"]
        print("  %.0fx the rows: report %.1fx the time, %.1fx the RSS, %.1fx the bytes "
              "(no worse than linear: at most %.0fx)" % (
                  k, b["secs"] / a["secs"], b["rss"] / a["rss"], b["bytes"] / a["bytes"], k))

if __name__ == "__main__":
    main()

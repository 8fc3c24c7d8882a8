"""A name is a name, whatever its length (issue 27, finding 4 and 7).

- One 40 MiB artist name and one 40 MiB album name in a 2-row CSV took
  lastfm-report to 537 MiB (over the unit's MemoryMax=512M).  The database cuts
  a name at 1,024 bytes (the CSV keeps it whole, the cut is logged), and the
  report's peak RSS stays under 128 MiB.
- An artist whose name is over 1,024 ASCII characters and who has a page is
  linked from every table that names it (the artist, album and track tables of
  its year), by the same cut as its page.
- A name ending in U+202E (RIGHT-TO-LEFT OVERRIDE) cannot turn our text
  around: in HTML every occurrence is inside <bdi>, in the page's <title> and
  the SVG tooltips it is between FSI and PDI."""
import calendar
import os
import re
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

HEADER = ("played_at_utc,track_name,artist_name,album_name,track_mbid,artist_mbid,"
          "album_mbid,source_page,source_file\n")
PROCESS = os.path.join(h.BUILDDIR, "src", "lastfm-process")
REPORT = os.path.join(h.BUILDDIR, "src", "lastfm-report")
MEASURE_RSS = not h.WRAPPER and not h.asan_build()


def run(cmd, work, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    env["LASTFM_DATA_DIR"] = work.data
    env.update(extra or {})
    p = subprocess.Popen(h.WRAPPER + [cmd, "--env-file", "/dev/null"], env=env, cwd=work.path,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), err, usage.ru_maxrss


def csv_path(work):
    return os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")


def sixty(name):
    """60 scrobbles of one artist in March 2024, newest first."""
    t0 = calendar.timegm((2024, 3, 1, 12, 0, 0))
    return [(t0 + 86400 * (i // 20) + 60 * (i % 60), "Song %d" % (i % 3), name, "Record")
            for i in range(59, -1, -1)]


@h.case
def long_names():
    with h.Workdir("long-names") as work:
        # Written a MiB at a time: a child's peak RSS counts this process's pages
        # until it execs, so this process never holds the names.
        os.makedirs(os.path.join(work.data, "interim"))
        with open(csv_path(work), "w", encoding="utf-8", newline="") as f:
            f.write(HEADER + "2024-06-10T20:30:05Z,Track,")
            for _ in range(40):
                f.write("A" * (1 << 20))
            f.write(",Album,,,,1,raw/pass-000001/page-000001.json\n2024-06-09T20:30:05Z,Track 2,B,")
            for _ in range(20):
                f.write("\u00e9" * (1 << 20))
            f.write(",,,,1,raw/pass-000001/page-000001.json\n")
        code, err, _ = run(PROCESS, work)
        h.check(code == 0, "lastfm-process: exit %d: %s" % (code, err[-600:]))
        h.check("2 scrobbles hold a name (or field) longer than 1024 bytes" in err,
                "the cut is not logged: " + err[-600:])
        db = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        for col in ("artist_name", "artist", "album_name"):
            longest = db.execute("SELECT max(length(CAST(%s AS BLOB))) FROM scrobbles" % col).fetchone()[0]
            h.check(longest <= 1024, "%s: %d bytes in the database" % (col, longest))
        album = db.execute("SELECT album_name FROM scrobbles WHERE artist = 'B'").fetchone()[0]
        h.check(album == "\u00e9" * 510 + "\u2026", "the cut is not at a character's start: %r..."
                % album[-4:])
        db.close()
        code, err, rss = run(REPORT, work)
        h.check(code == 0, "lastfm-report: exit %d: %s" % (code, err[-600:]))
        print("40 MiB names: lastfm-report peak RSS %d KiB" % rss)
        if MEASURE_RSS:
            h.check(rss < 128 * 1024, "lastfm-report peak RSS %d KiB, want under 128 MiB" % rss)


@h.case
def long_names_links():
    with h.Workdir("long-names-links") as work:
        name = "The " + "Long" * 400  # 1,604 ASCII characters
        h.write_csv(csv_path(work), sixty(name))
        code, err, _ = run(PROCESS, work, {"SOURCE_DATE_EPOCH": "1735689600"})
        h.check(code == 0, "lastfm-process: exit %d: %s" % (code, err[-600:]))
        code, err, _ = run(REPORT, work, {"LASTFM_REPORT_ARTIST_MIN": "50"})
        h.check(code == 0, "lastfm-report: exit %d: %s" % (code, err[-600:]))
        pages = os.listdir(os.path.join(work.data, "report", "artist"))
        h.check(len(pages) == 1, "artist pages: %s" % pages)
        with open(os.path.join(work.data, "report", "year", "2024.html"), encoding="utf-8") as f:
            year = f.read()
        links = len(re.findall(r'href="\.\./artist/%s"' % re.escape(pages[0]), year)) if pages else 0
        print("links to the long-named artist on its year page: %d" % links)
        # its row in the artist table, and the artist cell of each album and track row
        h.check(links >= 1 + 1 + 3, "the long-named artist is linked %d times on 2024.html" % links)


@h.case
def bidi_names():
    with h.Workdir("bidi-names") as work:
        name = "Evil\u202e"
        h.write_csv(csv_path(work), sixty(name))
        code, err, _ = run(PROCESS, work, {"SOURCE_DATE_EPOCH": "1735689600"})
        h.check(code == 0, "lastfm-process: exit %d: %s" % (code, err[-600:]))
        code, err, _ = run(REPORT, work, {"LASTFM_REPORT_ARTIST_MIN": "50"})
        h.check(code == 0, "lastfm-report: exit %d: %s" % (code, err[-600:]))
        report = os.path.join(work.data, "report")
        files = [os.path.join(d, f) for d, _, fs in os.walk(report) for f in fs if f.endswith(".html")]
        seen = 0
        for path in files:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for m in re.finditer(re.escape(name), text):
                seen += 1
                before, after = text[:m.start()], text[m.end():]
                in_title = before.rfind("<title>") > before.rfind("</title>")
                isolates = before.endswith("\u2068") and after.startswith("\u2069")
                if in_title:
                    ok = isolates
                else:  # HTML text in <bdi>; SVG <text>, where no markup goes, FSI ... PDI
                    ok = isolates or (before.rfind("<bdi") > before.rfind("</bdi>") and
                                      after.find("</bdi>") == after.find("<"))
                if not h.check(ok, "%s: the name is not isolated: ...%r" % (
                        os.path.relpath(path, report), text[max(0, m.start() - 60):m.end() + 40])):
                    break
        print("bidi: %d occurrences in %d pages" % (seen, len(files)))
        h.check(seen >= 5, "the name occurs only %d times" % seen)
        with open(os.path.join(report, "artist", os.listdir(os.path.join(report, "artist"))[0]),
                  encoding="utf-8") as f:
            head = re.search(r"<title>(.*?)</title>", f.read()).group(1)
        h.check(head.startswith("\u2068" + name + "\u2069 \u2013 "), "the page's title: %r" % head)


h.main()

"""The report as a library (issue 29): from the index, by links alone, a
listener reaches every page of the site, and nothing in the history is out of
reach.  On a 30k-scrobble listener with real shapes (silent and thin years,
import bursts) and planted names (case variants, markup, 300 characters,
right-to-left, one album title under two artists):

- a crawl from index.html following every link reaches every page written
  (no orphan), and every link resolves to a page inside report/;
- every page has the nav bar (Overview, Artists, Albums, Tracks);
- artists.html names every counted artist (the database's list), albums.html
  and tracks.html every album and track of at least 3 counted scrobbles;
- the album and track pages are exactly those of at least
  LASTFM_REPORT_ALBUM_MIN and LASTFM_REPORT_TRACK_MIN counted scrobbles, and
  the same title by two artists is two pages;
- a page per month with counted scrobbles and no other; for sampled days, the
  scrobbles listed under the day's anchor equal the database's counted rows of
  that local date (time, artist, track, album, in time order), and the year's
  calendar links that day;
- an artist page lists all its albums and tracks.
"""
import html.parser
import os
import random
import re
import sqlite3
import sys
import time
from collections import deque

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import harness as h  # noqa: E402
import listener  # noqa: E402

PLANTED = ["Idles", "IDLES", "</svg><script>alert(1)</script>", "y" * 300,
           "\u0645\u0631\u062d\u0628\u0627", "AC/DC", "Same Title Band"]
ALBUM_MIN, TRACK_MIN = 30, 20
QUERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "etc",
                       "report-queries.sql")


def query(name):
    """etc/report-queries.sql's query "-- @name:" (the figures' queries in the open)."""
    text = open(QUERIES, encoding="utf-8").read()
    m = re.search(r"^-- @%s:[^\n]*\n(.*?)(?=^--|\Z)" % name, text, re.S | re.M)
    return m.group(1)


class Page(html.parser.HTMLParser):
    """A page's links, nav, its cells' texts (and full names in titles), and
    the rows under each day's anchor."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.nav, self.names = [], [], set()
        self.days = {}            # "YYYY-MM-DD" -> [[cell texts]]
        self._in_nav = self._in_a = False
        self._cell = None
        self._title = None
        self._row = None
        self._day = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            self._in_a = True
        if tag == "nav" and a.get("class") == "site":
            self._in_nav = True
        if tag == "h3" and a.get("id"):
            self._day = a["id"]
            self.days[self._day] = []
        if tag == "tr":
            self._row = []
        if tag == "td":
            self._cell, self._title = "", None
        if tag == "bdi" and "title" in a:
            self._title = a["title"]

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_a = False
        if tag == "nav":
            self._in_nav = False
        if tag == "td" and self._cell is not None:
            text = self._title if self._title is not None else self._cell
            self.names.add(text)
            if self._row is not None:
                self._row.append(text)
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._day and self._row:
                self.days[self._day].append(self._row)
            self._row = None
        if tag == "section":
            self._day = None

    def handle_data(self, data):
        if self._in_nav and self._in_a:
            self.nav.append(data)
        if self._cell is not None:
            self._cell += data


def shown(name):
    return re.sub(r"[\t\n\r]", " ", name)


def plays_of(end):
    plays, _ = listener.generate(30000, 29, end, per_day=12.0)
    mid = plays[len(plays) // 2][0]
    t = mid - 50 * 86400
    for k, name in enumerate(PLANTED):
        for i in range(60):
            plays.append((t + k * 2 * 86400 + i * 3607 + 17, "Song %d" % (i % 3), name,
                          "Same Title" if name in ("AC/DC", "Same Title Band") else "LP " + name))
    return sorted(tuple(p) for p in plays)


def crawl(root):
    """Every page reached from index.html by links; the links that lead nowhere."""
    seen, broken, parsed = {"index.html"}, [], {}
    todo = deque(["index.html"])
    while todo:
        rel = todo.popleft()
        p = Page()
        p.feed(open(os.path.join(root, rel), encoding="utf-8").read())
        parsed[rel] = p
        for link in p.links:
            target = link.split("#", 1)[0]
            if not target:
                continue
            dest = os.path.normpath(os.path.join(os.path.dirname(rel), target))
            if dest.startswith("..") or not os.path.isfile(os.path.join(root, dest)):
                broken.append((rel, link))
            elif dest not in seen:
                seen.add(dest)
                todo.append(dest)
    return parsed, broken


@h.case
def library():
    with h.Workdir("library") as work:
        plays = plays_of(int(time.time()) - 86400)
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    list(reversed(plays)))
        t0 = time.time()
        r1, r2 = h.build_stages(work, {"LASTFM_TIMEZONE": "Europe/Berlin",
                                       "LASTFM_REPORT_ALBUM_MIN": str(ALBUM_MIN),
                                       "LASTFM_REPORT_TRACK_MIN": str(TRACK_MIN)})
        h.check(r1.code == 0 and r2.code == 0, "build: exit %d/%d: %s %s"
                % (r1.code, r2.code, r1.err[-800:], r2.err[-800:]))
        build = time.time() - t0
        root = os.path.join(work.data, "report")
        written = {os.path.relpath(os.path.join(top, f), root)
                   for top, _, files in os.walk(root) for f in files}
        parsed, broken = crawl(root)
        h.check(not broken, "%d links lead to no page: %s" % (len(broken), broken[:5]))
        orphans = sorted(written - set(parsed))
        h.check(not orphans, "%d of %d pages are reached by no link from the index: %s"
                % (len(orphans), len(written), orphans[:8]))
        for rel, p in parsed.items():
            h.check(p.nav[:4] == ["Overview", "Artists", "Albums", "Tracks"],
                    "%s: the nav bar is %s" % (rel, p.nav[:4]))

        con = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        artists = [a for a, _, _, _ in con.execute(query("library_artists"))]
        listed = parsed.get("artists.html", Page()).names
        # (html_int.h: a tab or a line break shows as a space)
        missing = [a for a in artists if shown(a) not in listed]
        h.check(not missing and len(artists) > 100, "artists.html misses %d of %d artists: %s"
                % (len(missing), len(artists), missing[:5]))
        for kind in ("albums", "tracks"):
            rows = [r[:3] for r in con.execute(query("library_" + kind), {"min": 1})]
            listed = parsed.get(kind + ".html", Page()).names
            want = [(a, n) for a, n, c in rows if c >= 3]
            missing = [x for x in want if shown(x[1]) not in listed]
            h.check(not missing and want, "%s.html misses %d of %d: %s"
                    % (kind, len(missing), len(want), missing[:5]))
            minimum = ALBUM_MIN if kind == "albums" else TRACK_MIN
            pages = [f for f in written if f.startswith(kind[:-1] + "/")]
            expect = sum(1 for _, _, c in rows if c >= minimum)
            h.check(len(pages) == expect and expect > 0, "%d %s pages, the database has %d of "
                    "at least %d scrobbles" % (len(pages), kind[:-1], expect, minimum))
        same = [f for f in written if f.startswith("album/same-title-")]
        h.check(len(same) == 2, "the album 'Same Title' of two artists: pages %s" % same)

        months = [m for (m,) in con.execute(query("library_months"))]
        month_pages = sorted(f[len("month/"):-len(".html")] for f in written
                             if f.startswith("month/"))
        h.check(month_pages == sorted(months), "month pages %d, months with scrobbles %d"
                % (len(month_pages), len(months)))
        days = [d for (d,) in con.execute("SELECT DISTINCT local_date FROM scrobbles "
                                          "WHERE counted ORDER BY 1")]
        sample = random.Random(5).sample(days, 12) + [days[0], days[-1]]
        for day in sample:
            want = [[t, shown(a), shown(tr), shown(al)]
                    for t, a, tr, al in con.execute(query("library_day"), {"day": day})]
            page = parsed.get("month/%s.html" % day[:7])
            got = page.days.get(day) if page else None
            diff = [(g, w) for g, w in zip(got or [], want) if g != w]
            h.check(got == want, "%s: %d scrobbles listed, the database has %d; first "
                    "difference %s" % (day, len(got or []), len(want), diff[:1]))
            year = parsed.get("year/%s.html" % day[:4], Page())
            h.check("../month/%s.html#%s" % (day[:7], day) in year.links,
                    "year/%s: the calendar does not link %s" % (day[:4], day))

        # an artist page lists all its albums and tracks
        name = "Idles"
        page = next((p for rel, p in parsed.items() if rel.startswith("artist/idles-") and
                     any("Song 0" == n for n in p.names)), None)
        h.check(page is not None, "no page for the artist %r" % name)
        tracks = [t for (t,) in con.execute("SELECT DISTINCT track_name FROM scrobbles WHERE "
                                            "counted AND artist = ?", (name,))]
        h.check(page is not None and all(t in page.names for t in tracks),
                "the page of %r lists not all of %s" % (name, tracks))
        con.close()

        # A rebuild carries every page whose bytes did not change into the new
        # site (a hard link: nothing written), and writes the others.
        index_inode = os.stat(os.path.join(root, "index.html")).st_ino
        env = dict(os.environ, LASTFM_DATA_DIR=work.data, LASTFM_TIMEZONE="Europe/Berlin",
                   LASTFM_REPORT_ALBUM_MIN=str(ALBUM_MIN), LASTFM_REPORT_TRACK_MIN=str(TRACK_MIN))
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-report"), "--env-file", "/dev/null"],
                  env, work.path)
        m = re.search(r"([0-9]+) pages \(([0-9]+) bytes\) the same as before", r.err)
        h.check(r.code == 0 and m and int(m.group(1)) == len(written),
                "a rebuild of the same database: %s of %d pages carried over: %s"
                % (m and m.group(1), len(written), r.err[-300:]))
        h.check(os.stat(os.path.join(root, "index.html")).st_ino == index_inode,
                "the unchanged index was written again")
        # one scrobble more (the newest again, 4 minutes later): the pages it
        # does not touch are carried over; every month page but its month's
        month_dir = os.path.join(root, "month")
        inodes = {f: os.stat(os.path.join(month_dir, f)).st_ino for f in os.listdir(month_dir)}
        newest = plays[-1]
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    [(newest[0] + 240,) + tuple(newest[1:])] + list(reversed(plays)))
        r1, r2 = h.build_stages(work, {"LASTFM_TIMEZONE": "Europe/Berlin",
                                       "LASTFM_REPORT_ALBUM_MIN": str(ALBUM_MIN),
                                       "LASTFM_REPORT_TRACK_MIN": str(TRACK_MIN)})
        m = re.search(r"wrote .*?: ([0-9]+) pages .*?, ([0-9]+) bytes in .*?; ([0-9]+) pages "
                      r"\(([0-9]+) bytes\) the same", r2.err)
        h.check(r2.code == 0 and m, "one new scrobble: exit %d: %s" % (r2.code, r2.err[-300:]))
        con = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        (touched,) = con.execute("SELECT local_month FROM scrobbles ORDER BY uts DESC, seq "
                                 "LIMIT 1").fetchone()
        con.close()
        rewritten = sorted(f for f, ino in inodes.items()
                           if os.stat(os.path.join(month_dir, f)).st_ino != ino)
        h.check(rewritten == [touched + ".html"], "one new scrobble in %s: the month pages "
                "written again: %s" % (touched, rewritten[:5]))
        if m:
            print("one new scrobble: %s of %s pages, %s of %s bytes carried over"
                  % (m.group(3), m.group(1), m.group(4), m.group(2)))
        size = sum(os.path.getsize(os.path.join(root, f)) for f in written)
        print("library_test: %d pages (%d reached from the index), %.1f MB, built in %.1f s"
              % (len(written), len(parsed), size / 1e6, build))


h.main()

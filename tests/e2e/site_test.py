"""The report as a site (issue 21): report/index.html, report/year/YYYY.html,
report/artist/FILE.html, from a 30k-scrobble listener with planted hostile
artist names.

- The index links a page for each of its 10 most played artists and for
  every year from the first to the last.
- Each artist page states the artist's all-time count and rank as the
  database has them; each year page its counted scrobbles and active days.
- The artists with pages are exactly those of at least
  LASTFM_REPORT_ARTIST_MIN counted scrobbles.
- Every relative link on every page resolves to a file inside report/;
  every page has the Content-Security-Policy and no script; every file name
  is printable ASCII, at most 255 bytes, unique also when case is ignored,
  and is the documented function of the name (an independent Python
  computation of report_links_int.h's rule), so an artist keeps its address as
  the history grows.
- Names that differ by case or by normalisation get two pages; "..", "/",
  "AC/DC", markup and a 300-character name stay inside artist/.
- Rebuilt with a larger threshold: the pages of artists no longer listed
  are gone, those kept have the same address.
- Every figure traceable: each query of etc/report-queries.sql, run with
  Python's sqlite3, gives what the pages show (counts, ranks, shares, dates,
  the top lists, the months, hours and weekdays, runs, absences and returns,
  the alias file's variants; the year's totals, top lists with last year's
  ranks, new artists, busiest day and week, longest streak, punchcard).
- kill -9 at random moments of the site's build: report/ is always the old
  site or the new one whole (never a link to a missing page), and the next
  build leaves no half-built directory behind.
"""
import hashlib
import html
import html.parser
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import harness as h  # noqa: E402
import listener  # noqa: E402

REPORT = os.path.join(h.BUILDDIR, "src", "lastfm-report")
HOSTILE = ["..", ".", "/", "AC/DC", "ac/dc", "ABBA", "abba", "</svg><script>alert(1)</script>",
           "x" * 300, "Beyonc\u00e9", "Beyonce\u0301", "CON", "a\\b", "-", "\u5742\u672c\u9f8d\u4e00",
           "name with \"quotes\" & <angles>", "%2e%2e%2f"]


def artist_file(name):
    """report_links_int.h's rule, computed independently."""
    data = name.encode("utf-8")
    slug, dash = [], False
    for c in data:
        if len(slug) >= 40:
            break
        ch = chr(c).lower() if 65 <= c <= 90 else chr(c)
        if c < 128 and (ch.isdigit() or "a" <= ch <= "z"):
            if dash and slug and len(slug) < 40:
                slug.append("-")
            dash = False
            if len(slug) < 40:
                slug.append(ch)
        else:
            dash = True
    hsh = 0xcbf29ce484222325
    for c in data:
        hsh = ((hsh ^ c) * 0x100000001b3) & (2 ** 64 - 1)
    s = "".join(slug)
    return (s + "-" if s else "") + "%016x.html" % hsh


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.scripts, self.csp, self.h1, self._in_h1 = [], 0, None, "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content")
        for k in ("href", "src", "action", "data"):
            if k in a:
                self.links.append(a[k])
        if tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


_parsed = {}


def check_site(root, label):
    """Every page's CSP, no script, every link inside root and existing; file
    names printable, short, unique ignoring case.  Returns {relpath: text}."""
    pages, seen = {}, {}
    for top, dirs, files in os.walk(root):
        for f in dirs + files:
            h.check(len(f.encode()) <= 255 and re.fullmatch(r"[a-z0-9][a-z0-9.-]*", f),
                    "%s: file name %r: not printable ASCII of at most 255 bytes" % (label, f))
            key = os.path.join(os.path.relpath(top, root), f).lower()
            h.check(key not in seen, "%s: %r and %r are one file on a case-insensitive file "
                    "system" % (label, f, seen.get(key)))
            seen[key] = f
        for f in files:
            path = os.path.join(top, f)
            rel = os.path.relpath(path, root)
            h.check(f.endswith(".html"), "%s: %s is not a page" % (label, rel))
            raw = open(path, "rb").read()
            text = raw.decode("utf-8")
            pages[rel] = text
            # a page seen before (the same bytes) is not parsed again
            digest = hashlib.sha1(raw).digest()
            p = _parsed.get(digest)
            if p is None:
                p = _parsed[digest] = Links()
                p.feed(text)
            h.check(p.scripts == 0, "%s: %s holds a script" % (label, rel))
            h.check(p.csp and "default-src 'none'" in p.csp, "%s: %s: CSP %r" % (label, rel, p.csp))
            for link in p.links:
                target = link.split("#", 1)[0]
                if not target:
                    continue
                h.check(not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/|\\", target),
                        "%s: %s links outside the site: %r" % (label, rel, link))
                dest = os.path.normpath(os.path.join(os.path.dirname(path), target))
                h.check(os.path.commonpath([dest, root]) == root and os.path.isfile(dest),
                        "%s: %s: the link %r leads to no page of the site" % (label, rel, link))
    return pages


def plays_of(end):
    plays, planted = listener.generate(30000, 21, end, per_day=12.0)
    # Each hostile name: 60 plays an hour apart, on days in the middle.
    mid = plays[len(plays) // 2][0]
    t = mid - 40 * 86400
    for k, name in enumerate(HOSTILE):
        for i in range(60):
            plays.append((t + k * 3 * 86400 + i * 3607 + 17, "Song %d" % (i % 7), name,
                          "Album of " + name))
    # two spellings the alias file merges
    for k, name in enumerate(("The Beatles", "Beatles, The")):
        for i in range(40 + 20 * k):
            plays.append((t - 86400 * 9 + k * 86400 + i * 3599 + 41, "Help %d" % (i % 5), name,
                          "Help!"))
    # ... and one artist just under the threshold
    for i in range(49):
        plays.append((t - 86400 * 5 + i * 3601 + 29, "Almost", "Forty-Nine Plays", "B"))
    plays = sorted(tuple(p) for p in plays)
    return plays


QUERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "etc",
                       "report-queries.sql")


def load_queries():
    """{name: SQL} of etc/report-queries.sql ("-- @name: ..." before each)."""
    out, name = {}, None
    for line in open(QUERIES, encoding="utf-8"):
        m = re.match(r"-- @([a-z_]+):", line)
        if m:
            name = m.group(1)
            out[name] = ""
        elif name and not line.startswith("--"):
            out[name] += line
    return out


def num(s):
    return int(s.replace(",", ""))


def section(text, sid):
    """The HTML of <section id="sid">...</section>."""
    i = text.find('<section id="%s">' % sid)
    return text[i:text.index("</section>", i)] if i >= 0 else ""


def cells(row):
    return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def rows_of(fragment):
    return [cells(r) for r in re.findall(r"<tr>(.*?)</tr>", fragment, re.S) if "<td" in r]


def full_names(fragment):
    """A table's names as given whole: the title of a cut one, else its text."""
    out = []
    for r in re.findall(r"<tr>(.*?)</tr>", fragment, re.S):
        t = re.search(r'<td class="t">(.*?)</td>', r, re.S)
        if t:
            title = re.search(r'<bdi title="([^"]*)"', t.group(1))
            out.append(html.unescape(title.group(1)) if title else
                       html.unescape(re.sub(r"<[^>]+>", "", t.group(1))))
    return out


def near(a, b):
    return abs(float(a) - float(b)) <= 0.11


def check_artist_page(con, q, name, text, years_thin):
    """The artist page against etc/report-queries.sql."""
    p = {"artist": name}
    one = lambda k: con.execute(q[k], p).fetchone()  # noqa: E731
    alln = lambda k: con.execute(q[k], p).fetchall()  # noqa: E731
    lbl = "artist %r" % name[:30]
    n, k, artists, share = one("artist_total")
    m = re.search(r"<dt>Scrobbles counted</dt><dd>([0-9,]+), rank ([0-9]+) of ([0-9,]+) "
                  r"artists \(([0-9.]+)% of all\)", text)
    h.check(m and (num(m.group(1)), int(m.group(2)), num(m.group(3))) == (n, k, artists)
            and near(m.group(4), share), "%s: total %s, the query %s" % (lbl, m and m.groups(),
                                                                      (n, k, artists, share)))
    first, last, days = one("artist_span")
    bd, bn = one("artist_busiest_day")
    h.check("<dt>First scrobble</dt><dd>%s</dd><dt>Last scrobble</dt><dd>%s</dd><dt>Active "
            "days</dt><dd>%d</dd><dt>Busiest day</dt><dd>%s: %d</dd>" % (first, last, days, bd, bn)
            in text, "%s: span or busiest day differ from %s" % (lbl, (first, last, days, bd, bn)))
    months = {r[0]: num(r[1]) for r in rows_of(text[text.find('id="artist-months"'):])
              if re.fullmatch(r"\d{4}-\d\d", r[0])}
    h.check({k2: v for k2, v in months.items() if v} == dict(alln("artist_months")),
            "%s: the months differ from the query" % lbl)
    got = [(int(r[0]), num(r[1]), r[2], r[3]) for r in rows_of(section(text, "years"))
           if num(r[1])]
    want = alln("artist_years")
    h.check(len(got) == len(want) and all(
        g[0] == w[0] and g[1] == w[1] and near(g[2].rstrip("%"), w[2]) and
        (g[3] == str(w[3]) or (w[0] in years_thin and "thin" in g[3]))
        for g, w in zip(got, want)), "%s: years %s, the query %s" % (lbl, got[:4], want[:4]))
    # all its albums and tracks: name, scrobbles, first and last local date
    for sid, key in (("albums", "artist_albums"), ("tracks", "artist_tracks")):
        frag = section(text, sid)
        want = [(a.replace("\t", " ").replace("\n", " "), n, f, t)
                for a, n, f, t in alln(key)]
        got = [(name, num(r[2]), r[3], r[4])
               for name, r in zip(full_names(frag), [r for r in rows_of(frag) if len(r) == 5])]
        h.check(got == want and got, "%s: %s %s, the query %s" % (lbl, key, got[:3], want[:3]))
    for fig, key, label in (("artist-hours", "artist_hours", lambda v: "%02d:00" % v),
                            ("artist-weekdays", "artist_weekdays", None)):
        frag = text[text.find('id="%s"' % fig):]
        frag = frag[:frag.find("</figure>")]
        shown = {r[0]: r[1].rstrip("%") for r in rows_of(frag)}
        for v, pct in alln(key):
            key2 = label(v) if label else ["", "Monday", "Tuesday", "Wednesday", "Thursday",
                                           "Friday", "Saturday", "Sunday"][v]
            h.check(near(shown.get(key2, "-1"), pct), "%s: %s %s: %s%%, the query %s%%"
                    % (lbl, key, key2, shown.get(key2), pct))
    f, t, d = one("artist_longest_run")
    h.check("<dt>Longest run</dt><dd>%d day%s in a row, %s to %s</dd>"
            % (d, "" if d == 1 else "s", f, t) in text, "%s: longest run, the query %s"
            % (lbl, (f, t, d)))
    gap = one("artist_longest_absence")
    h.check(("<dt>Longest absence</dt><dd>{:,} active day{} without it ({:,} calendar days), "
             "after {}, back on {}</dd>".format(gap[2], "" if gap[2] == 1 else "s", gap[3], gap[0],
                                                gap[1])
             if gap else "<dt>Longest absence</dt><dd>none") in text,
            "%s: longest absence, the query %s" % (lbl, gap))
    back = [(r[1], r[0], num(r[2]), num(r[3])) for r in rows_of(section(text, "runs"))]
    h.check(back == [tuple(x) for x in alln("artist_absences")][:12],
            "%s: returns %s, the query %s" % (lbl, back, alln("artist_absences")))
    var = [(r[0], num(r[1])) for r in rows_of(section(text, "variants"))]
    h.check(var == [tuple(x) for x in alln("artist_variants")][:20],
            "%s: variants %s, the query %s" % (lbl, var, alln("artist_variants")))
    return len(var)


def check_year_page(con, q, year, text, thin):
    p = {"year": year}
    one = lambda k: con.execute(q[k], p).fetchone()  # noqa: E731
    alln = lambda k: con.execute(q[k], p).fetchall()  # noqa: E731
    lbl = "year %d" % year
    n, days, artists = one("year_totals")
    h.check(re.search(r"<dt>Scrobbles counted</dt><dd>%s\b" % "{:,}".format(n), text) and
            re.search(r"<dt>Active days</dt><dd>%s of " % "{:,}".format(days), text) and
            "<dt>Artists</dt><dd>%s</dd>" % "{:,}".format(artists) in text,
            "%s: totals differ from the query %s" % (lbl, (n, days, artists)))
    bd, bn = one("year_busiest_day")
    bw, bwn = one("year_busiest_week")
    sf, st, sd = one("year_longest_streak")
    h.check("<dt>Busiest day</dt><dd>%s: %s scrobbles</dd><dt>Busiest week</dt><dd>from Monday "
            "%s: %s scrobbles</dd><dt>Longest streak</dt><dd>%d day%s, %s to %s" %
            (bd, "{:,}".format(bn), bw, "{:,}".format(bwn), sd, "" if sd == 1 else "s", sf, st)
            in text,
            "%s: busiest day, week or streak differ from %s" % (lbl, (bd, bn, bw, bwn, sf, st, sd)))
    top = section(text, "top")
    parts = re.split(r"<h3>(?:Albums|Tracks)</h3>", top)
    compare = "the year before: the rank then" in top
    for frag, key, width in zip(parts, ("year_artists", "year_albums", "year_tracks"), (2, 3, 3)):
        want = alln(key)
        got = []
        for r in rows_of(frag):
            if len(r) < 4:
                continue
            prev = r[1] if compare else None
            rest = r[2:] if compare else r[1:]
            got.append((num(r[0]), num(rest[width - 1]),
                        None if prev is None else {"new": -1, "back": 0}.get(prev) if
                        prev in ("new", "back") else num(prev.split()[0])))
        exp = [(w[-2] if key == "year_artists" else w[3], w[1] if key == "year_artists" else w[2],
                w[-1] if compare else None) for w in want]
        h.check(got == exp, "%s: %s %s, the query %s" % (lbl, key, got[:3], exp[:3]))
        names = full_names(frag)
        h.check([x.replace("\t", " ") for x in names] ==
                [w[0].replace("\t", " ").replace("\n", " ") for w in want] or
                any(len(w[0]) > 40 for w in want),
                "%s: %s names %s, the query %s" % (lbl, key, names[:3], [w[0] for w in want][:3]))
    nn, ns = one("year_new_artists")
    new = section(text, "new")
    h.check(re.search(r"<p>%s artists? heard for the first time.*?with %s scrobbles"
                      % ("{:,}".format(nn), "{:,}".format(ns)), new, re.S),
            "%s: new artists differ from the query %s" % (lbl, (nn, ns)))
    got = [(r[0], r[1], num(r[2])) for r in rows_of(new) if len(r) == 4]
    want = [(html.unescape(a), b, c) for a, b, c in alln("year_new_artists_top")]
    h.check([g[1:] for g in got] == [w[1:] for w in want],
            "%s: the new artists %s, the query %s" % (lbl, got[:3], want[:3]))
    frag = text[text.find('id="punchcard"'):]
    frag = frag[:frag.find("</figure>")]
    shown = {}
    for r in rows_of(frag):  # an hour a row, Monday to Sunday
        for d, v in enumerate(r[1:], 1):
            if num(v):
                shown[(d, int(r[0]))] = num(v)
    h.check(shown == {(a, b): c for a, b, c in alln("year_hours")},
            "%s: the punchcard differs from the query" % lbl)


def db_counts(work):
    con = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
    artists = dict(con.execute("SELECT artist, count(*) FROM scrobbles WHERE counted "
                               "GROUP BY artist"))
    years = {y: (n, d) for y, n, d in con.execute(
        "SELECT local_year, count(*), count(DISTINCT local_date) FROM scrobbles WHERE counted "
        "GROUP BY 1")}
    con.close()
    return artists, years


@h.case
def site():
    with h.Workdir("site") as work:
        end = int(time.time()) - 86400
        plays = plays_of(end)
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    list(reversed(plays)))
        aliases = os.path.join(work.path, "aliases.txt")
        with open(aliases, "w", encoding="utf-8") as f:
            f.write("Beatles, The = The Beatles\n")
        r1, r2 = h.build_stages(work, {"LASTFM_TIMEZONE": "Europe/Berlin", "LASTFM_USERNAME": "u",
                                       "LASTFM_ARTIST_ALIASES": aliases})
        h.check(r1.code == 0 and r2.code == 0, "build: exit %d/%d: %s %s"
                % (r1.code, r2.code, r1.err[-800:], r2.err[-800:]))
        root = os.path.realpath(os.path.join(work.data, "report"))
        pages = check_site(root, "the site")
        artists, years = db_counts(work)
        index = pages.get("index.html", "")
        # the index's links: its 10 most played artists, every year
        top10 = sorted(artists.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:10]
        for name, n in top10:
            h.check('href="artist/%s"' % artist_file(name) in index,
                    "the index does not link the page of %r (%d scrobbles)" % (name, n))
        first, last = min(years), max(years)
        for y in range(first, last + 1):
            h.check('href="year/%d.html"' % y in index, "the index does not link the year %d" % y)
            h.check("year/%d.html" % y in pages, "no page for the year %d" % y)
        # the artists with pages: exactly those of at least 50 counted scrobbles
        want = {artist_file(a): (a, n) for a, n in artists.items() if n >= 50}
        got = {p[len("artist/"):] for p in pages if p.startswith("artist/")}
        h.check(got == set(want), "artist pages: %d expected, %d written; missing %s, extra %s"
                % (len(want), len(got), sorted(set(want) - got)[:5], sorted(got - set(want))[:5]))
        h.check(artist_file("Forty-Nine Plays") not in got, "an artist of 49 scrobbles has a page")
        for name in HOSTILE:
            h.check(artist_file(name) in got, "no page for the hostile name %r" % name)
        h.check(len({artist_file(n) for n in HOSTILE}) == len(HOSTILE), "two names share a file")
        ranked = sorted(artists.values(), reverse=True)
        for f, (name, n) in want.items():
            text = pages.get("artist/" + f, "")
            p = Links()
            p.feed(text)
            shown = re.sub(r"[\t\n\r]", " ", name)   # html_int.h: a tab or line break shows as a space
            h.check(p.h1 == shown, "artist/%s: heading %r, not %r" % (f, p.h1[:60], shown[:60]))
            m = re.search(r"<dt>Scrobbles counted</dt><dd>([0-9,]+), rank ([0-9]+) of ([0-9,]+)",
                          text)
            h.check(m is not None and int(m.group(1).replace(",", "")) == n,
                    "artist/%s (%r): count %s, the database has %d"
                    % (f, name[:40], m and m.group(1), n))
            if m:
                h.check(int(m.group(2)) == ranked.index(n) + 1 and
                        int(m.group(3).replace(",", "")) == len(artists),
                        "artist/%s: rank %s of %s, the database has %d of %d"
                        % (f, m.group(2), m.group(3), ranked.index(n) + 1, len(artists)))
        for y, (n, d) in years.items():
            text = pages.get("year/%d.html" % y, "")
            m = re.search(r"<dt>Scrobbles counted</dt><dd>([0-9,]+).*?<dt>Active days</dt><dd>"
                          r"([0-9,]+)", text)
            h.check(m is not None and (int(m.group(1).replace(",", "")), int(m.group(2))) == (n, d),
                    "year/%d: %s, the database has %d scrobbles on %d days"
                    % (y, m and m.groups(), n, d))
        # every figure traceable: etc/report-queries.sql gives what the pages show
        q = load_queries()
        con = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        thin = {y for y, (n, d) in years.items() if d < 30}
        sample = [a for a, _ in top10] + HOSTILE + ["The Beatles"] + \
            random.Random(3).sample(sorted(a for a, n in artists.items() if n >= 50), 10)
        variants = 0
        for name in sample:
            variants += check_artist_page(con, q, name, pages.get("artist/" + artist_file(name), ""),
                                          thin)
        h.check(variants == 2, "The Beatles: %d names merged shown, 2 expected" % variants)
        for y in sorted(years):
            check_year_page(con, q, y, pages.get("year/%d.html" % y, ""), thin)
        used = set(re.findall(r"-- @([a-z_]+):", open(QUERIES, encoding="utf-8").read()))
        h.check(len(used) == len(q) >= 20, "report-queries.sql: %d queries" % len(q))
        con.close()

        # names are data: the markup name escaped on its page
        text = pages.get("artist/" + artist_file(HOSTILE[7]), "")
        h.check("&lt;/svg&gt;&lt;script&gt;" in text and "<script>" not in text,
                "the markup name is not escaped on its page")

        # A larger threshold: the pages of artists under it are gone, the rest
        # keep their address; more scrobbles do not move an address either.
        env = {"LASTFM_TIMEZONE": "Europe/Berlin", "LASTFM_REPORT_ARTIST_MIN": "200"}
        r = h.run([REPORT, "--env-file", "/dev/null"], dict(os.environ, LASTFM_DATA_DIR=work.data,
                                                            **env), work.path)
        h.check(r.code == 0, "rebuild: exit %d: %s" % (r.code, r.err))
        pages2 = check_site(root, "the site rebuilt")
        got2 = {p[len("artist/"):] for p in pages2 if p.startswith("artist/")}
        want2 = {artist_file(a) for a, n in artists.items() if n >= 200}
        h.check(got2 == want2 and got2 < got, "after LASTFM_REPORT_ARTIST_MIN=200: %d pages, "
                "expected %d" % (len(got2), len(want2)))
        for f in got - got2:
            h.check('href="artist/%s"' % f not in pages2["index.html"],
                    "the index still links artist/%s" % f)

        # A file system without RENAME_EXCHANGE (EINVAL): the old site moved
        # aside, the new one in its place, and the old one removed.
        if shutil.which("strace"):
            e = h.traced_env(dict(os.environ, LASTFM_DATA_DIR=work.data,
                                  LASTFM_TIMEZONE="Europe/Berlin", LASTFM_REPORT_ARTIST_MIN="120"))
            p = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e",
                                "inject=renameat2:error=EINVAL:when=1", REPORT, "--env-file",
                                "/dev/null"], env=e, cwd=work.path, capture_output=True, timeout=120)
            h.check(p.returncode == 0, "without RENAME_EXCHANGE: exit %d: %s"
                    % (p.returncode, p.stderr[-600:]))
            got3 = {f for f in check_site(root, "without RENAME_EXCHANGE")
                    if f.startswith("artist/")}
            h.check(len(got3) == len({a for a, n in artists.items() if n >= 120}),
                    "without RENAME_EXCHANGE: %d artist pages" % len(got3))
            h.check(not [f for f in os.listdir(work.data) if f.startswith(".report")],
                    "without RENAME_EXCHANGE: the old site left behind")

        # kill -9 at random moments of the build: always a whole site
        rng = random.Random(7)
        t0 = time.time()
        r = h.run([REPORT, "--env-file", "/dev/null"], dict(os.environ, LASTFM_DATA_DIR=work.data,
                                                            LASTFM_TIMEZONE="Europe/Berlin"),
                  work.path)
        build = time.time() - t0
        kills = 0
        for k in range(16):
            e = dict(os.environ, LASTFM_DATA_DIR=work.data, LASTFM_TIMEZONE="Europe/Berlin",
                     LASTFM_REPORT_ARTIST_MIN=str(rng.choice([50, 120, 400])))
            p = subprocess.Popen(h.WRAPPER + [REPORT, "--env-file", "/dev/null"], env=e,
                                 cwd=work.path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.02, build * 1.1))
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                kills += 1
            p.wait()
            check_site(root, "after kill %d" % k)
            h.check(os.path.isfile(os.path.join(root, "index.html")), "no index after a kill")
        h.check(kills >= 4, "only %d of 16 runs were killed mid-build (build: %.2f s)"
                % (kills, build))
        r = h.run([REPORT, "--env-file", "/dev/null"], dict(os.environ, LASTFM_DATA_DIR=work.data,
                                                            LASTFM_TIMEZONE="Europe/Berlin"),
                  work.path)
        h.check(r.code == 0, "the build after the kills: exit %d: %s" % (r.code, r.err))
        left = [f for f in os.listdir(work.data) if f.startswith(".report")]
        h.check(not left, "half-built sites left behind: %s" % left)
        h.check(set(check_site(root, "the last build")) == set(pages), "the last build differs")
        print("site_test: %d pages, %d artist pages, %d years; build %.2f s; %d kills mid-build"
              % (len(pages), len(got), len(years), build, kills))


h.main()

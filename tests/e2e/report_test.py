"""The report (issue 12): report/index.html drawn by the daemon from the
processed database of a listener's history.

- The numbers in the charts' tables equal the processed views and an
  independent computation in plain Python (reference.py).
- The page and every SVG in it are well-formed; a Content-Security-Policy
  forbids every fetch and script; there is no script and no external reference.
- Names are data: a track called </svg><script>... shows as written; long names
  are cut with an ellipsis and given whole in a <title>.
- Headless Chromium renders it at a desktop and a phone width: not blank, no
  console error, no blocked request.
- Real shapes (issue 20): every year from the first to the last in the
  year tables, the planted silent year as silent and the thin one as thin
  (never compared: no change, share or mean hour), the first and the last
  year partial; no percentage of 10,000 % or more; the user in the title; the
  planted blank artists and import bursts not counted (no minute holds more
  than 8 counted scrobbles); the soundtrack month among the biggest, with
  its top artist.
- Reproducible: two builds of the same CSV with SOURCE_DATE_EPOCH set give
  a byte-identical database and report.
- Histories of 0, 1 and 10 scrobbles and of one day; a failed report never
  fails the sync.
"""
import collections
import csv
import html.parser
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zlib

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402
from reference import independent  # noqa: E402

PROCESS = os.path.join(h.BUILDDIR, "src", "lastfm-process")
REPORT = os.path.join(h.BUILDDIR, "src", "lastfm-report")
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source",
        "track", "wbr"}


class Page(html.parser.HTMLParser):
    """Tag balance, the tables of each figure, scripts and external references."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tables = [], [], collections.defaultdict(list)
        self.figure = None
        self.row = None
        self.cell = None
        self.scripts = 0
        self.external = []
        self.csp = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content")
        for k in ("src", "href"):   # a link inside the site is relative (site_test follows them)
            if k in a and (k == "src" or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/|\\", a[k])):
                self.external.append(a[k])
        if tag == "link":
            self.external.append(str(a))
        if tag == "figure":
            self.figure = a.get("id")
        if tag == "tr" and self.figure:
            self.row = []
        if tag == "td" and self.row is not None:
            self.cell = ""
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else ""))
            return
        self.stack.pop()
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        if tag == "tr" and self.row is not None:
            if self.row:
                self.tables[self.figure].append(self.row)
            self.row = None
        if tag == "figure":
            self.figure = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def parse_page(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p = Page()
    p.feed(text)
    p.close()
    h.check(not p.errors and not p.stack, "%s: tags unbalanced: %s %s"
            % (path, p.errors[:3], p.stack[-3:]))
    h.check(p.scripts == 0, "%s: %d script elements" % (path, p.scripts))
    h.check(not p.external, "%s: external references: %s" % (path, p.external[:3]))
    h.check(p.csp and "default-src 'none'" in p.csp and "script-src" not in p.csp,
            "%s: CSP %r" % (path, p.csp))
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
    for s in svgs:
        try:
            ET.fromstring(s)
        except ET.ParseError as e:
            h.check(False, "%s: an SVG is not well-formed: %s: %s" % (path, e, s[:200]))
            break
    return text, p, svgs


def parse_site(report):
    """The index, the trends page and the year pages: their text, and every
    figure's table by the figure's id (a year page's punchcard as
    punchcard-YEAR); the index's own punchcard as punchcard-all."""
    text, p, svgs = parse_page(os.path.join(report, "index.html"))
    tables = dict(p.tables)
    tables["punchcard-all"] = tables.pop("punchcard", [])
    ttext, tp, tsvgs = parse_page(os.path.join(report, "trends.html"))
    tables.update(tp.tables)
    for f in sorted(os.listdir(os.path.join(report, "year"))):
        _, yp, _ = parse_page(os.path.join(report, "year", f))
        year = f[:-len(".html")]
        for k, v in yp.tables.items():
            tables["punchcard-%s" % year if k == "punchcard" else k] = v
    return text, ttext, tables, svgs + tsvgs


def n(s):
    return float(s.replace(",", "").replace("%", "").replace("+", "")) if s not in ("\u2013", "") else None


def png_varied(path):
    """A PNG whose decoded rows hold many different byte values (not blank)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return False
    idat, i = b"", 8
    while i < len(data):
        ln = int.from_bytes(data[i:i + 4], "big")
        if data[i + 4:i + 8] == b"IDAT":
            idat += data[i + 8:i + 8 + ln]
        i += 12 + ln
    raw = zlib.decompress(idat)
    return len(set(raw[::97])) > 20


def chromium_render(page, work, width, height, name):
    """Screenshot; returns (png path, console and network complaints)."""
    chrome = shutil.which("chromium")
    out = os.path.join(work.path, name)
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        r = subprocess.run([chrome, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-quic", "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                            "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                            "--window-size=%d,%d" % (width, height), "--screenshot=" + out,
                            "file://" + page], capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    complaints = [line for line in r.stderr.splitlines()
                  if "CONSOLE" in line or "Refused to" in line or "Content Security Policy" in line
                  or "net::ERR" in line]
    return out, complaints


def planted_year(planted):
    """A year the listener certainly listened in: the year of the move."""
    return int(planted["move_date"][:4])


write_csv = h.write_csv
build = h.build_stages


@h.case
def report():
    with h.Workdir("report") as work, \
            h.Simulator(work.path, "--scrobbles", 20000, "--history", "listener", "--per-day", 6) as sim:
        planted = sim.control("planted")
        zones = planted["zones"]
        r = h.syncd(sim, work, timezone=zones)
        page = os.path.join(work.data, "report", "index.html")
        h.check(r.code == 0, "sync exit %d: %s" % (r.code, r.err[-2000:]))
        h.check("wrote %s" % page in r.err, "the daemon did not log the report: " + r.err[-1500:])
        text, trends, tables, svgs = parse_site(os.path.join(work.data, "report"))
        h.check(len(text.encode()) < 2 * 2 ** 20, "the page is %d bytes" % len(text.encode()))
        db = os.path.join(work.data, "processed", "lastfm.sqlite")
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        meta = dict(q("SELECT key, value FROM meta"))
        csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
        rows, timeline = independent(csv_path, zones, planted["move_uts"], 30, {},
                                     int(meta["built_at_uts"]))
        counted = [x for x in rows if x["counted"]]

        # each chart's table against the views and the independent computation
        for fig in ("monthly", "yearly", "cumulative", "mean-hour", "new-artists", "new-share",
                    "top10-share", "effective-artists", "calendar-%d" % planted_year(planted),
                    "punchcard-%d" % planted_year(planted)):
            h.check(len(tables.get(fig, [])) > 0, "the table of %s is empty or missing" % fig)
        monthly = collections.Counter(x["month"] for x in counted)
        # (months without a scrobble are drawn as 0 to keep the time axis even)
        got = [(row[0], int(n(row[1]))) for row in tables["monthly"] if int(n(row[1]))]
        h.check(got == sorted(monthly.items()), "monthly table differs")
        h.check(got == [tuple(x[:2]) for x in q("SELECT * FROM monthly ORDER BY 1")],
                "monthly table differs from the view")
        yearly = q("SELECT local_year, scrobbles, active_days, artists FROM yearly ORDER BY 1")
        all_years = [tuple(int(n(c)) for c in row[:4]) for row in tables["yearly"]]
        coverage = {int(row[0]): row[4] for row in tables["yearly"]}
        h.check([y[0] for y in all_years] == list(range(yearly[0][0], yearly[-1][0] + 1)),
                "the year axis is not continuous: %r" % [y[0] for y in all_years])
        got = [y for y in all_years if y[1]]
        h.check(got == [tuple(x) for x in yearly], "yearly table differs from the view")
        years = sorted(set(x["year"] for x in counted))
        active = collections.Counter(x["year"] for x in {(x["year"], x["date"]): x
                                                          for x in counted}.values())
        thin = {y for y in years if active[y] < 30}
        # the planted shapes, marked
        h.check(coverage[planted["silent_year"]] == "silent", "silent year %d: %r"
                % (planted["silent_year"], coverage[planted["silent_year"]]))
        h.check(coverage[planted["thin_year"]].startswith("thin: "), "thin year %d: %r"
                % (planted["thin_year"], coverage[planted["thin_year"]]))
        h.check(planted["thin_year"] in thin and planted["last_year"] in thin,
                "the planted thin years are not thin: %r" % sorted(thin))
        h.check("partial: " + min(x["date"] for x in counted) in coverage[years[0]],
                "the first year is not partial from its first date: %r" % coverage[years[0]])
        # the last year: partial up to the build's date when that is in it (the
        # listener stopped on 2 January; a build in a later year covers it whole)
        if int(meta["built_at_utc"][:4]) == planted["last_year"]:
            h.check("partial: %d-01-01 to " % planted["last_year"] in coverage[years[-1]],
                    "the last year is not partial: %r" % coverage[years[-1]])
        h.check(coverage[years[-1]].startswith("thin: "), "the last year (two days) is not thin: %r"
                % coverage[years[-1]])
        review = text[text.index('id="review"'):text.index('id="top"')]
        for y in sorted(thin | {planted["silent_year"]}):
            for z in (y, y + 1):   # neither the base nor the subject of a change
                row = re.search(r"<tr><td>%d</td>(.*?)</tr>" % z, review)
                if row:
                    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
                    h.check(cells[3] == "\u2013", "year %d: a change against a thin year: %r"
                            % (z, cells[3]))
        pct = [float(v.replace(",", "")) for v in re.findall(r"([0-9][0-9,]*(?:\.[0-9]+)?)%", text)]
        h.check(pct and max(pct) < 10000, "a percentage of %s%%" % max(pct))
        h.check(re.search(r"<title>[^<]*testuser[^<]*</title>", text) is not None and
                "<h1>Listening report of testuser</h1>" in text,
                "the user is not named in the title and heading")
        h.check(meta["username"] == "testuser", "meta username %r" % meta.get("username"))
        # blank artists and bursts are not counted
        h.check(q("SELECT count(*) FROM scrobbles WHERE counted AND trim(artist_name, "
                  "char(32, 160, 8199, 12288)) = ''")[0][0] == 0, "a blank artist is counted")
        h.check(q("SELECT max(n) FROM (SELECT count(*) AS n FROM scrobbles WHERE counted "
                  "GROUP BY uts / 60)")[0][0] <= 8, "a minute holds more than 8 counted scrobbles")
        big = text[text.index("The biggest months"):]
        h.check(re.search(r'<td class="d">%s</td>' % planted["soundtrack_month"], big) is not None
                and "Original Motion Picture Soundtrack" in big[:4000],
                "the soundtrack month is not among the biggest, with its album")
        want = [(y, sum(1 for x in counted if x["year"] == y),
                 len(set(x["date"] for x in counted if x["year"] == y)),
                 len(set(x["artist"] for x in counted if x["year"] == y))) for y in years]
        h.check(got == want, "yearly table differs from Python: %r vs %r" % (got[:2], want[:2]))
        daily = collections.Counter(x["date"] for x in counted)
        cal = {}
        for y in years:
            for row in tables["calendar-%d" % y]:
                cal[row[0]] = int(n(row[1]))
        h.check(cal == dict(daily), "calendar tables differ from the daily counts")
        punch = collections.Counter((x["weekday"], x["hour"]) for x in counted)
        got = {(wd, hr): int(n(v)) for hr, row in enumerate(tables["punchcard-all"])
               for wd, v in enumerate(row[1:], 1) if int(n(v))}
        h.check(got == dict(punch), "the whole history's punchcard differs")
        for y in years:
            punch = collections.Counter((x["weekday"], x["hour"]) for x in counted if x["year"] == y)
            got = {(wd, hr): int(n(v)) for hr, row in enumerate(tables["punchcard-%d" % y])
                   for wd, v in enumerate(row[1:], 1) if int(n(v))}
            h.check(got == dict(punch), "punchcard %d differs" % y)
        # mean hour (circular) and peak hour per year
        mean_rows = {int(row[0]): row for row in tables["mean-hour"]}
        for y in thin:
            h.check(mean_rows[y][1] == "\u2013", "a mean hour for the thin year %d" % y)
        for y in sorted(set(years) - thin):
            hours = collections.Counter(x["hour"] for x in counted if x["year"] == y)
            sx = sum(c * math.cos((hr + 0.5) * 2 * math.pi / 24) for hr, c in hours.items())
            sy = sum(c * math.sin((hr + 0.5) * 2 * math.pi / 24) for hr, c in hours.items())
            m = math.atan2(sy, sx) * 24 / (2 * math.pi) % 24
            hh, mm = int(m), int((m - int(m)) * 60)
            h.check(mean_rows[y][1] == "%02d:%02d" % (hh, mm), "mean hour %d: %s, want %02d:%02d"
                    % (y, mean_rows[y][1], hh, mm))
            peak = max(range(24), key=lambda hr: (hours[hr], -hr))
            h.check(mean_rows[y][2] == "%02d:00" % peak, "peak hour %d" % y)
        # discovery and diversity
        firsts = {}
        for x in timeline:
            if x["counted"] and x["artist"] not in firsts:
                firsts[x["artist"]] = x
        share_rows = {int(row[0]): row for row in tables["new-share"]}
        div_rows = {int(row[0]): row for row in tables["effective-artists"]}
        for y in years:
            ys = [x for x in counted if x["year"] == y]
            new = [x for x in ys if firsts[x["artist"]]["year"] == y]
            h.check(int(n(share_rows[y][2])) == len(new), "new-artist scrobbles %d" % y)
            if y in thin:
                h.check(div_rows[y][2] == div_rows[y][3] == share_rows[y][3] == "\u2013",
                        "thin year %d compared: %r %r" % (y, div_rows[y], share_rows[y]))
                continue
            c = collections.Counter(x["artist"] for x in ys)
            top10 = sum(v for _, v in c.most_common(10)) / len(ys)
            ent = -sum(v / len(ys) * math.log(v / len(ys)) for v in c.values())
            h.check(abs(n(div_rows[y][2]) - 100 * top10) < 0.051, "top-10 share %d" % y)
            h.check(abs(n(div_rows[y][3]) - math.exp(ent)) < 0.051, "effective artists %d" % y)
        # summary: Eddington number
        counts = sorted(daily.values(), reverse=True)
        edd = max([k for k in range(1, len(counts) + 1) if counts[k - 1] >= k] or [0])
        h.check(">Eddington number</dt><dd>%d:" % edd in text, "Eddington number is not %d" % edd)
        h.check(meta["input_sha256"] in text, "the input's sha256 is not in the summary")
        h.check(zones in text, "the zones are not named")
        # the planted hostile name, escaped
        h.check("<script>" not in text, "a name became markup")
        con.close()

        # a browser renders it, at a desktop and a phone width
        if shutil.which("chromium"):
            for width, name in ((1280, "desktop.png"), (390, "phone.png")):
                png, complaints = chromium_render(page, work, width, 2400, name)
                h.check(os.path.exists(png) and png_varied(png), "%s: blank or missing" % name)
                h.check(not complaints, "%s: the browser complained: %s" % (name, complaints[:3]))
            if os.environ.get("LASTFM_REPORT_PNG"):   # the README's picture
                shutil.copy(os.path.join(work.path, "desktop.png"), os.environ["LASTFM_REPORT_PNG"])
        else:
            h.missing("chromium is not installed: the rendering checks (sh tests/deps-debian.sh)")

        # a failed report keeps the sync's CSV, and the site it would replace stays
        # whole: the step that publishes it fails (EIO injected into renameat2);
        # --once says so with the report's exit code (74), not 0
        before = open(page, "rb").read()
        sim.control("add", n=3, age=60)
        if shutil.which("strace"):
            env = h.traced_env(h.base_env(sim, work, timezone=zones))
            p = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e",
                                "inject=renameat2:error=EIO", h.SYNCD, "--once", "--env-file",
                                "/dev/null"], env=env, cwd=work.path, capture_output=True,
                               timeout=300)
            err = p.stderr.decode("utf-8", "replace")
            h.check(p.returncode == 74, "a failed report: --once exit %d, want 74" % p.returncode)
            h.compare_csv_with_truth(work, sim.truth(), "a failed report")
            h.check("the report failed" in err and "cannot publish" in err,
                    "the failed report was not logged: " + err[-1500:])
            h.check(open(page, "rb").read() == before, "a failed report changed the old one")
            h.check(not [f for f in os.listdir(work.data) if f.startswith(".report")],
                    "a failed report left its directory: %s" % os.listdir(work.data))
        else:
            print("report_test: strace is not installed: the failed report is not checked")

        # Reproducible: the same CSV and settings with SOURCE_DATE_EPOCH, twice
        import hashlib
        digests = []
        for k in range(2):
            with h.Workdir("report-repro") as w2:
                os.makedirs(os.path.join(w2.data, "interim"))
                shutil.copy(csv_path, os.path.join(w2.data, "interim"))
                if k:   # another file time, another directory: the same bytes
                    os.utime(os.path.join(w2.data, "interim", os.path.basename(csv_path)),
                             (1, 1))
                r1, r2 = build(w2, {"SOURCE_DATE_EPOCH": meta["built_at_uts"],
                                    "LASTFM_TIMEZONE": zones, "LASTFM_USERNAME": "testuser"})
                h.check(r1.code == 0 and r2.code == 0, "repro: %s %s" % (r1.err, r2.err))
                files = [("processed", "lastfm.sqlite")]   # and every page of the site
                for top, _, names in sorted(os.walk(os.path.join(w2.data, "report"))):
                    files += [(top, f) for f in sorted(names)]
                digests.append(tuple((os.path.relpath(os.path.join(d, f), w2.data),
                                      hashlib.sha256(open(os.path.join(w2.data, d, f), "rb")
                                                     .read()).hexdigest()) for d, f in files))
        h.check(len(digests[0]) > 3 and digests[0] == digests[1],
                "two builds differ: %r" % set(digests[0]).symmetric_difference(digests[1]))
        r1, _ = build(work, {"SOURCE_DATE_EPOCH": "yesterday"})
        h.check(r1.code == 78 and "SOURCE_DATE_EPOCH" in r1.err,
                "a malformed SOURCE_DATE_EPOCH: exit %d: %s" % (r1.code, r1.err))


@h.case
def report_names():
    # Names are data: escaping, cutting, right-to-left and CJK.
    LONG = "Symphony No. 9 " + "very long title " * 20
    names = [("</svg><script>alert(1)</script>", "&amp;", 'Quote "this" & <that>'),
             (LONG, "坂本龍一", "戦場のメリークリスマス"), ("שלום", "מרים", "אלבום"),
             ("Normal", "Plain", "Album")]
    with h.Workdir("report-names") as work:
        t0 = 1600000000
        plays = [(t0 + i * 200, names[i % 4][0], names[i % 4][1], names[i % 4][2])
                 for i in range(400)]
        write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                  list(reversed(plays)))
        r1, r2 = build(work)
        h.check(r1.code == 0 and r2.code == 0, "names: exit %d/%d: %s %s"
                % (r1.code, r2.code, r1.err, r2.err))
        text, p, svgs = parse_page(os.path.join(work.data, "report", "index.html"))
        h.check("&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text, "the track name is not "
                "shown as written")
        h.check("&amp;amp;" in text, "'&amp;' is not shown as written")
        h.check("坂本龍一" in text and "שלום" in text, "CJK or right-to-left names are missing")
        h.check("\u2026" in text and LONG.strip()[:30] in text, "a long name is not cut")
        h.check(re.search(r"title=\"Symphony No. 9 (very long title ){20}", text) is not None,
                "the long name is not given whole")
        if shutil.which("chromium"):
            png, complaints = chromium_render(os.path.join(work.data, "report", "index.html"), work,
                                              1280, 1600, "names.png")
            h.check(png_varied(png) and not complaints, "names: rendering: %s" % complaints[:3])


@h.case
def small_histories():
    # Small histories: 0, 1, 10 scrobbles, and one day.
    for label, plays in (("0", []), ("1", [(1600000000, "T", "A", "B")]),
                         ("10", [(1600000000 + i * 86400 * 40, "T%d" % i, "A%d" % (i % 3), "B")
                                 for i in range(10)]),
                         ("one day", [(1600000000 + i * 240, "T%d" % i, "A", "B") for i in range(50)])):
        with h.Workdir("report-small") as work:
            write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                      list(reversed(plays)))
            r1, r2 = build(work, {"LASTFM_TIMEZONE": "Asia/Kathmandu"})
            h.check(r1.code == 0 and r2.code == 0, "%s scrobbles: exit %d/%d: %s %s"
                    % (label, r1.code, r2.code, r1.err, r2.err))
            if r2.code == 0:
                parse_page(os.path.join(work.data, "report", "index.html"))


h.main()

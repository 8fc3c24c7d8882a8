"""The report's layout checked by geometry in a real browser (issue 20).

Debian's chromium, driven through the DevTools protocol by layout.js
(puppeteer-core from npm, which uses the installed browser and downloads
nothing), at 390, 1280 and 1920 px, with the page's <details> as it opens
and all open: no rendered text box overlaps another, no chart's text falls
outside its SVG, the page never scrolls sideways, at 1280 px and wider no
table is wider than its box (issue 30: every column visible), and at 390 px
no chart's text renders under 10 px (charts drawn for a phone's width) and,
as the page opens, no table is wider than its box (a phone keeps a table's
name and plays, the other columns behind its "all columns" toggle; opened,
they may scroll inside the box).  Two histories:

- the planted listener (a silent year, a thin year, a last year of two days,
  import bursts, a soundtrack month, 100+ character and oddly spaced names),
  synced from the simulator as `make run` does;
- a history of hostile names: 300 characters without a space, markup, only
  spaces, right-to-left and CJK, names that differ by case, long album titles,
  in many years with gaps.

Skipped (a TAP skip with its reason) without chromium or puppeteer-core
(tests/deps-debian.sh installs both).
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

NODE_MODULES = os.environ.get("LASTFM_TEST_NODE_MODULES", "/var/cache/lastfm-syncd-test/node_modules")
LAYOUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layout.js")
WIDTHS = ["390", "1280", "1920"]

if not shutil.which("chromium") or not shutil.which("node") or \
        not os.path.isdir(os.path.join(NODE_MODULES, "puppeteer-core")):
    h.skip_all("chromium, node or puppeteer-core is missing (sh tests/deps-debian.sh)")


def check_layout(page, label, shots=None, widths=WIDTHS):
    env = dict(os.environ, NODE_PATH=NODE_MODULES)
    cmd = ["node", LAYOUT, page, "--phone-text"] + widths + (["--shots", shots] if shots else [])
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    sys.stderr.write(r.stderr)
    h.check(r.returncode == 0, "%s: the layout check failed (exit %d):\n%s"
            % (label, r.returncode, r.stdout[:4000]))


def check_site_pages(work, label, years):
    """The site's pages below the index (issue 21), at a phone's width and a
    desktop's: each given year's page, and the pages of the artists with the
    most scrobbles, the longest name and the widest (CJK) one."""
    report = os.path.join(work.data, "report")
    for y in years:
        check_layout(os.path.join(report, "year", "%s.html" % y), "%s: year %s" % (label, y),
                     widths=["390", "1280"])
    index = open(os.path.join(report, "index.html"), encoding="utf-8").read()
    top = re.search(r'href="(artist/[^"]+)"', index)
    h.check(top is not None, "%s: the index links no artist page" % label)
    files = sorted(os.listdir(os.path.join(report, "artist")), key=len)
    chosen = {top.group(1)[len("artist/"):] if top else files[0], files[-1]}
    chosen |= {f for f in files if "坂" in open(os.path.join(report, "artist", f),
                                                     encoding="utf-8").read(4000)}
    for f in sorted(chosen)[:4]:
        check_layout(os.path.join(report, "artist", f), "%s: artist/%s" % (label, f),
                     widths=["390", "1280"])
    # the library's pages (issue 29): the listings, the busiest month, the
    # albums and tracks with the longest and the widest names
    for f in ("artists.html", "albums.html", "tracks.html", "trends.html"):
        check_layout(os.path.join(report, f), "%s: %s" % (label, f), widths=WIDTHS)
    months = sorted(os.listdir(os.path.join(report, "month")),
                    key=lambda f: os.path.getsize(os.path.join(report, "month", f)))
    h.check(months, "%s: no month page" % label)
    if months:
        check_layout(os.path.join(report, "month", months[-1]), "%s: month/%s"
                     % (label, months[-1]), widths=WIDTHS)
    for kind in ("album", "track"):
        files = sorted(os.listdir(os.path.join(report, kind)), key=len)
        h.check(files, "%s: no %s page" % (label, kind))
        for f in sorted({files[0], files[-1]} if files else set()):
            check_layout(os.path.join(report, kind, f), "%s: %s/%s" % (label, kind, f),
                         widths=WIDTHS)


@h.case
def layout():
    with h.Workdir("layout") as work, \
            h.Simulator(work.path, "--scrobbles", 20000, "--history", "listener", "--per-day", 5) as sim:
        planted = sim.control("planted")
        r = h.syncd(sim, work, timezone=planted["zones"])
        h.check(r.code == 0, "sync exit %d: %s" % (r.code, r.err[-2000:]))
        page = os.path.join(work.data, "report", "index.html")
        h.check("silent" in open(page, encoding="utf-8").read(), "the planted shapes are missing")
        check_layout(page, "the listener", os.environ.get("LASTFM_LAYOUT_SHOTS"))
        check_site_pages(work, "the listener", [planted["thin_year"], planted["soundtrack_month"][:4]])


@h.case
def layout_names():
    # Hostile names over twelve years with gaps.
    LONG = "x" * 300
    names = [LONG, "</svg><script>alert(1)</script>", "\u00a0Spaces  \u3000inside\u00a0", "AC/DC",
             "ac/dc", "Beyonce\u0301", "Beyonc\u00e9", "\u05e9\u05dc\u05d5\u05dd \u05e2\u05dc\u05d9\u05db\u05dd",
             "\u5742\u672c\u9f8d\u4e00" * 30, "Frozen (Original Motion Picture Soundtrack) " * 3]
    with h.Workdir("layout-names") as work:
        t0, plays = 1104537600, []   # 2005-01-01
        for i in range(6000):
            year = i // 500
            if year in (3, 7):       # two silent years
                continue
            uts = t0 + year * 365 * 86400 + (i % 500) * 61000
            k = i % len(names)
            plays.append((uts, names[(k + 3) % len(names)] + " track", names[k],
                          names[(k + 1) % len(names)]))
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                  list(reversed(plays)))
        r1, r2 = h.build_stages(work, {"LASTFM_USERNAME": "a-very-long-user-name-of-sixty-four-characters-for-the-title-ok"})
        h.check(r1.code == 0 and r2.code == 0, "names: exit %d/%d: %s %s"
                % (r1.code, r2.code, r1.err, r2.err))
        check_layout(os.path.join(work.data, "report", "index.html"), "hostile names")
        check_site_pages(work, "hostile names", [2006, 2010])


h.main()

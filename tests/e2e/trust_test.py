"""Figures a listener can trust (issue 30): the pages never contradict each
other, and their labels mean what they say.  On a 30k-scrobble listener with
real shapes (a silent year, a thin one, import bursts):

- one rank rule: every (artist, year) rank shown on more than one page (the
  year's page, the artist's page, the index's top lists of the year, the
  trends page's heatmap) is the same, and is SQL's rank() over the year's
  counted scrobbles (ties share a rank);
- "new" on a year's page only for a first year ever, "back" only for an
  artist played in an earlier year but not the year before;
- a return on an artist's page never spans only days without any scrobble:
  the active days it shows are the listener's active days between, at least
  the threshold the page states;
- every calendar (the index's, each year's) has its legend, and a year's
  busiest day is outlined;
- artist names that differ only by case or accents are pointed out (the
  artist listing, lastfm-process -v) as alias lines ready to paste, and
  nothing is merged without the alias file.
"""
import calendar
import html
import os
import re
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import harness as h  # noqa: E402
import listener  # noqa: E402

LEGEND = "1&#8211;5"  # the first bin of every calendar's legend


def read(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return f.read()


def section(text, sid):
    i = text.find('<section id="%s"' % sid)
    return text[i:text.find("</section>", i)] if i >= 0 else ""


def rows(frag):
    return re.findall(r"<tr>(.*?)</tr>", frag, re.S)


def cells(row):
    return re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)


def text_of(cell):
    return html.unescape(re.sub(r"<[^>]+>", "", cell))


def artist_href(cell):
    m = re.search(r'href="(?:\.\./)?(artist/[^"#]+)"', cell)
    return m.group(1) if m else None


def planted_plays():
    """The listener, and planted: two artists level in every full year (a tie
    among the all-time top ten: both share the year's rank on every page), and
    one played in 2019 and 2021 but not 2020 ("back" in 2021, never "new")."""
    plays, _ = listener.generate(30000, 29, int(time.time()) - 86400, per_day=12.0)
    for year in (2019, 2020, 2021, 2022, 2024, 2025):
        jan2 = calendar.timegm((year, 1, 2, 13, 0, 0))
        for i in range(350):
            plays.append((jan2 + i * 86400, "Level %d" % (i % 7), "Tie A", "Even"))
            plays.append((jan2 + i * 86400 + 300, "Level %d" % (i % 7), "Tie B", "Even"))
            if year in (2019, 2021):
                plays.append((jan2 + i * 86400 + 600, "Again %d" % (i % 5), "Returner", "Twice"))
    return sorted(tuple(p) for p in plays)


@h.case
def one_rank_rule_and_labels():
    with h.Workdir("trust") as work:
        plays = planted_plays()
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    list(reversed(sorted(tuple(p) for p in plays))))
        r1, r2 = h.build_stages(work, {"LASTFM_TIMEZONE": "Europe/Berlin",
                                       "LASTFM_REPORT_ARTIST_MIN": "20"})
        h.check(r1.code == 0 and r2.code == 0, "build: exit %d/%d: %s %s"
                % (r1.code, r2.code, r1.err[-800:], r2.err[-800:]))
        root = os.path.join(work.data, "report")
        con = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        # the truth: rank() within each year, and each artist's page file
        truth = {}
        for year, artist, k in con.execute(
                "SELECT local_year, artist, rank() OVER (PARTITION BY local_year ORDER BY "
                "count(*) DESC) FROM scrobbles WHERE counted GROUP BY local_year, artist"):
            truth[(re.sub(r"[\t\n\r]", " ", artist), year)] = k  # (shown so)
        years_of = {}
        for artist, year in truth:
            years_of.setdefault(artist, set()).add(year)
        listing = read(root, "artists.html").split('<section id="variants"')[0]
        href_of = {}
        for row in rows(listing):
            c = cells(row)
            href = artist_href(row)
            if href and len(c) > 1:
                m = re.search(r'title="([^"]*)"', c[1])
                href_of[href] = html.unescape(m.group(1)) if m else text_of(c[1])
        thin = set()
        for row in rows(section(read(root, "index.html"), "review")):
            c = cells(row)
            if len(c) > 2 and re.match(r"\d{4}$", text_of(c[0])) and \
                    text_of(c[1]).startswith(("thin", "silent")):
                thin.add(int(text_of(c[0])))

        shown = {}  # (artist, year) -> {page: rank}

        def seen(artist, year, page, rank):
            shown.setdefault((artist, year), {})[page] = rank

        # each year's page: its top artists, with "new" and "back"
        labels = 0
        for f in sorted(os.listdir(os.path.join(root, "year"))):
            year = int(f[:4])
            top = section(read(root, "year/" + f), "top")
            artists = top.split("<h3>Albums</h3>")[0]
            compare = "the year before: the rank then" in top
            for row in rows(artists):
                c = cells(row)
                href = artist_href(row)
                if not href or len(c) < 4:
                    continue
                artist = href_of.get(href)
                seen(artist, year, "year/" + f, int(text_of(c[0]).replace(",", "")))
                if compare:
                    before = text_of(c[1])
                    earlier = {y for y in years_of.get(artist, ()) if y < year}
                    if before == "new":
                        labels += 1
                        h.check(not earlier, "year %d: %r is 'new' but was played in %s"
                                % (year, artist, sorted(earlier)))
                    elif before == "back":
                        labels += 1
                        h.check(earlier and year - 1 not in earlier, "year %d: %r is 'back': "
                                "played in %s" % (year, artist, sorted(earlier)))
        h.check(labels > 0, "no 'new' or 'back' on any year page")
        back = section(read(root, "year/2021.html"), "top").split("<h3>Albums</h3>")[0]
        h.check(re.search(r">back</td><td class=\"t\"><a [^>]*><bdi>Returner<", back) is not None,
                "2021: the planted Returner (2019, 2021) is not 'back'")

        # each artist's page: its rank in each year; its returns
        returns = 0
        listener_days = [d for (d,) in con.execute(
            "SELECT DISTINCT local_date FROM scrobbles WHERE counted ORDER BY 1")]
        for f in sorted(os.listdir(os.path.join(root, "artist"))):
            text = read(root, "artist/" + f)
            artist = href_of.get("artist/" + f)
            for row in rows(section(text, "years")):
                c = cells(row)
                if len(c) == 4 and text_of(c[3]).replace(",", "").isdigit():
                    seen(artist, int(text_of(c[0])), "artist/" + f,
                         int(text_of(c[3]).replace(",", "")))
            runs = section(text, "runs")
            m = re.search(r"A return: after at least ([0-9,]+) such days", runs)
            h.check(m is not None, "artist/%s: the return threshold is not stated" % f)
            away = int(m.group(1).replace(",", "")) if m else 1
            for row in rows(runs):
                c = [text_of(x) for x in cells(row)]
                if len(c) != 4 or not re.match(r"\d{4}-", c[0]):
                    continue
                back, before = c[0], c[1]
                between = sum(1 for d in listener_days if before < d < back)
                returns += 1
                h.check(between == int(c[2].replace(",", "")) and between >= away > 0,
                        "artist/%s: a return %s..%s shows %s active days away; the listener "
                        "has %d between (threshold %d)" % (f, before, back, c[2], between, away))
        h.check(returns > 0, "no artist page lists a return: the history has none to check")

        # the index's top lists of each year, and the trends page's heatmap
        index = read(root, "index.html")
        for m in re.finditer(r"<details[^>]*><summary>(\d{4})[^<]*</summary>(.*?)</details>",
                             section(index, "top"), re.S):
            year = int(m.group(1))
            for row in rows(m.group(2).split("<h3>Albums</h3>")[0]):
                c = cells(row)
                href = artist_href(row)
                if href and len(c) >= 4:
                    seen(href_of.get(href), year, "index", int(text_of(c[0]).replace(",", "")))
        trends = read(root, "trends.html")
        for row in rows(section(trends, "ranks")):  # artist, year, "#rank", scrobbles
            c = [text_of(x) for x in cells(row)]
            k = re.match(r"#([0-9,]+)$", c[2]) if len(c) == 4 else None
            if k:
                seen(c[0], int(c[1]), "trends", int(k.group(1).replace(",", "")))

        several = 0
        for (artist, year), pages in sorted(shown.items(), key=str):
            if year in thin:
                continue
            want = truth.get((artist, year))
            h.check(set(pages.values()) == {want}, "%r in %d: ranks %s, rank() says %s"
                    % (artist, year, pages, want))
            several += len(pages) > 1
        h.check(several > 20, "only %d (artist, year) ranks are shown on more than one page"
                % several)
        for year in (2019, 2020, 2021, 2022, 2024, 2025):
            ties = {a: shown.get((a, year), {}).get("trends") for a in ("Tie A", "Tie B")}
            h.check(ties["Tie A"] is not None and ties["Tie A"] == ties["Tie B"],
                    "%d: the level artists on the heatmap: %s" % (year, ties))

        # every calendar with its legend; each year's busiest day outlined
        h.check(LEGEND in section(index, "calendar"), "the index's calendar has no legend")
        for f in os.listdir(os.path.join(root, "year")):
            cal = section(read(root, "year/" + f), "calendar")
            if "no counted scrobble" in cal:
                continue
            h.check(LEGEND in cal and "101 or more" in cal, "year/%s: no legend" % f)
            peak = re.findall(r'<rect class="q\d peak"[^>]*><title>([0-9-]+): ([0-9,]+)</title>',
                              cal)
            best = con.execute("SELECT local_date, count(*) AS n FROM scrobbles WHERE counted "
                               "AND local_year = ? GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1",
                               (int(f[:4]),)).fetchone()
            # (each chart is drawn twice: for a phone and for a desktop)
            h.check(peak and set(peak) == {(best[0], "{:,}".format(best[1]))},
                    "year/%s: the busiest day outlined %s, the database's %s" % (f, peak, best))
        con.close()
        print("# %d (artist, year) ranks on several pages agree; %d new/back labels; %d returns"
              % (several, labels, returns))


@h.case
def case_variants():
    with h.Workdir("trust-variants") as work:
        t = calendar.timegm((2021, 5, 3, 12, 0, 0))
        names = [("Idles", 30), ("IDLES", 12), ("Motörhead", 20), ("Motorhead", 25),
                 ("Sigur Rós", 9), ("Sigur Ros", 4), ("Alone", 15)]
        plays = []
        for k, (name, n) in enumerate(names):
            plays += [(t + k * 86400 * 3 + i * 600, "Song %d" % i, name, "LP") for i in range(n)]
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    list(reversed(sorted(plays))))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        env.update({"LASTFM_DATA_DIR": work.data, "LASTFM_TIMEZONE": "Europe/Berlin"})
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-process"), "--env-file", "/dev/null",
                   "-v"], env, work.path)
        h.check(r.code == 0, "lastfm-process -v: exit %d: %s" % (r.code, r.err[-400:]))
        for line in ("IDLES = Idles", "Motörhead = Motorhead", "Sigur Ros = Sigur Rós"):
            h.check("alias line: " + line in r.err, "lastfm-process -v does not say %r: %s"
                    % (line, r.err[-800:]))
        h.check("3 groups of artist names" in r.err, "not 3 groups: " + r.err[-400:])
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-report"), "--env-file", "/dev/null"],
                  env, work.path)
        h.check(r.code == 0, "lastfm-report: exit %d: %s" % (r.code, r.err[-400:]))
        listing = section(read(os.path.join(work.data, "report"), "artists.html"), "variants")
        lines = [text_of(x) for x in re.findall(r"<code>(.*?)</code>", listing)]
        h.check(sorted(lines) == ["IDLES = Idles", "Motörhead = Motorhead",
                                  "Sigur Ros = Sigur Rós"], "the listing's alias lines: %s" % lines)
        h.check("Alone" not in listing, "a name without a variant is listed")
        con = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        h.check(con.execute("SELECT count(DISTINCT artist) FROM scrobbles WHERE counted")
                .fetchone()[0] == len(names), "names were merged without the alias file")
        con.close()


h.main()

"""Golden test of lastfm-flatten on hand-written pages covering every edge case:
now playing first and on a later page, `track` as a single object, extended=1,
empty album, missing album/image/mbid, every quoting case, same-second
scrobbles, overlapping passes with a deletion and a late scrobble, an empty
pass.  The expected rows are written out by hand below; the CSV must also read
back the same through Python's csv module, sqlite3's .import, pandas and DuckDB."""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


def item(uts, name, artist, album="Album", mbid="", artist_mbid="", album_mbid="",
         extended=False, image=True):
    d = {"name": name, "mbid": mbid, "streamable": "0", "url": "https://www.last.fm/x",
         "album": {"mbid": album_mbid, "#text": album},
         "date": {"uts": str(uts), "#text": "irrelevant"}}
    if extended:
        d["artist"] = {"url": "https://www.last.fm/a", "name": artist, "image": [],
                       "mbid": artist_mbid}
        d["loved"] = "0"
    else:
        d["artist"] = {"mbid": artist_mbid, "#text": artist}
    if image:
        d["image"] = [{"size": "small", "#text": "https://i/s.png"}]
    if album is None:
        del d["album"]
    return d


NOW = {"artist": {"mbid": "", "#text": "NP Artist"}, "name": "Now Playing, Not A Scrobble",
       "@attr": {"nowplaying": "true"}, "album": {"mbid": "", "#text": ""}}


def page(tracks, page_no, total_pages, total, per_page=3, single=False):
    t = tracks[0] if single else tracks
    body = {"recenttracks": {"track": t, "@attr": {
        "user": "u", "page": str(page_no), "perPage": str(per_page),
        "totalPages": str(total_pages), "total": str(total)}}}
    return json.dumps(body, ensure_ascii=False).replace("/", "\\/")


def manifest(n, kind, wfrom, wto, total, total_pages, per_page=3):
    return json.dumps({"format": 1, "pass": n, "kind": kind, "state": "complete",
                       "window_from": wfrom, "window_to": wto,
                       "request_from": wfrom - 1 if wfrom else -1, "request_to": wto + 1,
                       "limit": per_page, "attempt": 1, "total": total,
                       "total_pages": total_pages, "started_at": 1, "finished_at": 2})


def write_pass(data, n, kind, wfrom, wto, pages, total, per_page=3):
    d = os.path.join(data, "raw", "pass-%06d" % n)
    os.makedirs(d)
    with open(os.path.join(d, "manifest.json"), "w") as f:
        f.write(manifest(n, kind, wfrom, wto, total, len(pages), per_page))
    for i, body in enumerate(pages, 1):
        with open(os.path.join(d, "page-%06d.json" % i), "w", encoding="utf-8") as f:
            f.write(body)


MB = "c0ffee00-0000-4000-8000-000000000001"
# Pass 1: the whole history up to 2000 (7 scrobbles, 3 per page).
p1 = [
    page([NOW,
          item(1900, "Comma, Track", "Crosby, Stills, Nash & Young", "Déjà Vu", mbid=MB),
          item(1800, 'Say "Hello"', 'The "Band"', 'Title "In Quotes"', artist_mbid=MB),
          item(1500, "Multi\nLine", "Sigur Rós", "", album_mbid=MB)], 1, 3, 7),
    # now playing on a later page too; same-second pair at 1500; extended=1 shape
    page([NOW,
          item(1500, "Same Second B", "坂本龍一", "合唱", extended=True),
          item(1200, "Deleted Later", "X", "Y"),
          item(1000, "CR\rInside", "  spaced  ", None, image=False)], 2, 3, 7),
    page([item(999, "🎵 Emoji", "&amp; literal", "<b>x</b>")], 3, 3, 7, single=True),
]
# Pass 2: a recheck of 1000..3000: 1200 was deleted, a late one at 1100 appeared,
# and new ones at 2500 and 3000.  Its response also holds 999 (the one-second
# margin), which pass 1 speaks for.
p2 = [
    page([item(3000, "New", "A", "B"), item(2500, "Newer Than Pass 1", "A", "B"),
          item(1900, "Comma, Track", "Crosby, Stills, Nash & Young", "Déjà Vu", mbid=MB)],
         1, 3, 8),
    page([item(1800, 'Say "Hello"', 'The "Band"', 'Title "In Quotes"', artist_mbid=MB),
          item(1500, "Multi\nLine", "Sigur Rós", "", album_mbid=MB),
          item(1500, "Same Second B", "坂本龍一", "合唱")], 2, 3, 8),
    page([item(1100, "Late Scrobble", "L", "M"),
          item(1000, "CR\rInside", "  spaced  ", None, image=False),
          item(999, "Margin Row From Pass 2", "Z", "Z")], 3, 3, 8),
]

EXPECTED = [
    ["1970-01-01T00:50:00Z", "New", "A", "B", "", "", "", "1", "raw/pass-000002/page-000001.json"],
    ["1970-01-01T00:41:40Z", "Newer Than Pass 1", "A", "B", "", "", "", "1", "raw/pass-000002/page-000001.json"],
    ["1970-01-01T00:31:40Z", "Comma, Track", "Crosby, Stills, Nash & Young", "Déjà Vu", MB, "", "", "1", "raw/pass-000002/page-000001.json"],
    ["1970-01-01T00:30:00Z", 'Say "Hello"', 'The "Band"', 'Title "In Quotes"', "", MB, "", "2", "raw/pass-000002/page-000002.json"],
    ["1970-01-01T00:25:00Z", "Multi\nLine", "Sigur Rós", "", "", "", MB, "2", "raw/pass-000002/page-000002.json"],
    ["1970-01-01T00:25:00Z", "Same Second B", "坂本龍一", "合唱", "", "", "", "2", "raw/pass-000002/page-000002.json"],
    ["1970-01-01T00:18:20Z", "Late Scrobble", "L", "M", "", "", "", "3", "raw/pass-000002/page-000003.json"],
    ["1970-01-01T00:16:40Z", "CR\rInside", "  spaced  ", "", "", "", "", "3", "raw/pass-000002/page-000003.json"],
    ["1970-01-01T00:16:39Z", "🎵 Emoji", "&amp; literal", "<b>x</b>", "", "", "", "3", "raw/pass-000001/page-000003.json"],
]


@h.case
def golden():
    with h.Workdir("golden") as work:
        write_pass(work.data, 1, "full", 0, 2000, p1, 7)
        write_pass(work.data, 2, "recheck", 1000, 3000, p2, 8)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")

        # Pass 1 alone first (as before the recheck), then both.
        shutil.move(os.path.join(work.data, "raw", "pass-000002"), os.path.join(work.path, "p2"))
        r = h.run([h.FLATTEN, "--data-dir", work.data], env, work.path)
        h.check(r.code == 0, "flatten pass 1: exit %d: %s" % (r.code, r.err))
        rows = h.read_csv(work)
        h.check([x[1] for x in rows] == ["Comma, Track", 'Say "Hello"', "Multi\nLine",
                                         "Same Second B", "Deleted Later", "CR\rInside", "🎵 Emoji"],
                "pass 1 alone: %r" % [x[1] for x in rows])
        shutil.move(os.path.join(work.path, "p2"), os.path.join(work.data, "raw", "pass-000002"))

        for mode in ([], ["--rebuild"], []):
            r = h.run([h.FLATTEN, "--data-dir", work.data] + mode, env, work.path)
            h.check(r.code == 0, "flatten %s: exit %d: %s" % (mode, r.code, r.err))
            rows = h.read_csv(work)
            h.check(rows == EXPECTED, "golden rows %s:\n%r" % (mode, rows))

        raw = open(csv_path, "rb").read()
        h.check(raw.startswith(b"played_at_utc,track_name,artist_name,album_name,track_mbid,"
                               b"artist_mbid,album_mbid,source_page,source_file\n"), "header bytes")
        h.check(not raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with a BOM")
        for line in (b'1970-01-01T00:31:40Z,"Comma, Track","Crosby, Stills, Nash & Young",D\xc3\xa9j\xc3\xa0 Vu,',
                     b'1970-01-01T00:30:00Z,"Say ""Hello""","The ""Band""","Title ""In Quotes"""',
                     b'1970-01-01T00:25:00Z,"Multi\nLine",Sigur R\xc3\xb3s,,',
                     b'"CR\rInside",  spaced  ,,'):
            h.check(line in raw, "exact quoting: %r not in the CSV" % line)

        # The same rows through sqlite3's .import --csv, pandas and DuckDB, when present.
        want = [r[:9] for r in EXPECTED]
        if shutil.which("sqlite3"):
            db = os.path.join(work.path, "t.db")
            p = subprocess.run(["sqlite3", db, ".import --csv %s s" % csv_path], capture_output=True)
            h.check(p.returncode == 0, "sqlite3 .import: %s" % p.stderr)
            got = [list(map(str, r)) for r in sqlite3.connect(db).execute("select * from s")]
            h.check(got == want, "sqlite3 .import rows differ: %r" % got)
        else:
            h.check(False, "sqlite3 is not installed (apt-get install sqlite3)")
        py = "/usr/bin/python3"
        probe = subprocess.run([py, "-c", "import pandas"], capture_output=True)
        if probe.returncode == 0:
            code = ("import pandas, json, sys; d = pandas.read_csv(sys.argv[1], dtype=str, "
                    "keep_default_na=False); print(json.dumps(d.values.tolist()))")
            p = subprocess.run([py, "-c", code, csv_path], capture_output=True)
            got = json.loads(p.stdout or b"null")
            h.check(got == want, "pandas rows differ: %r %s" % (got, p.stderr[-500:]))
        else:
            h.check(False, "pandas is not installed (apt-get install python3-pandas)")

        # DuckDB's read_csv with default options (types inferred: the timestamp as
        # TIMESTAMP WITH TIME ZONE, empty fields as NULL, source_page as a number).
        node_modules = os.environ.get("LASTFM_TEST_NODE_MODULES", "/var/cache/lastfm-syncd-test/node_modules")
        if shutil.which("node") and os.path.isdir(os.path.join(node_modules, "@duckdb", "node-api")):
            script = os.path.join(work.path, "duck.mjs")
            with open(script, "w") as f:
                f.write("import { DuckDBInstance } from '%s/@duckdb/node-api/lib/index.js';\n"
                        "const con = await (await DuckDBInstance.create(':memory:')).connect();\n"
                        "const r = await con.runAndReadAll(`select * from read_csv('${process.argv[2]}')`);\n"
                        "console.log(JSON.stringify(r.getRows().map(row => row.map(v => v === null ? '' : String(v)))));\n"
                        % node_modules)
            p = subprocess.run(["node", script, csv_path], capture_output=True)
            got = json.loads(p.stdout or b"null")
            norm = [[r[0].replace("T", " ").replace("Z", "+00")] + r[1:] for r in want]
            h.check(got == norm, "DuckDB rows differ: %r %s" % (got, p.stderr[-500:]))
        else:
            h.check(False, "DuckDB for node is not installed in %s (sh tests/deps-debian.sh)"
                    % node_modules)

        # A page that does not parse: named, non-zero exit, the CSV untouched.
        before = open(csv_path, "rb").read()
        bad = os.path.join(work.data, "raw", "pass-000001", "page-000002.json")
        with open(bad, "w") as f:
            f.write('{"recenttracks":{"track":[{"name":"cut off')
        r = h.run([h.FLATTEN, "--data-dir", work.data], env, work.path)
        h.check(r.code == 65, "bad page: exit %d" % r.code)
        h.check("raw/pass-000001/page-000002.json" in r.err, "bad page not named: %s" % r.err)
        h.check(open(csv_path, "rb").read() == before, "a failed flatten changed the CSV")
        h.check(not [f for f in os.listdir(os.path.join(work.data, "interim")) if ".tmp" in f],
                "a failed flatten left a temp file")


@h.case
def golden_empty():
    # An empty history recorded by a --full pass: header only.
    with h.Workdir("golden-empty") as work:
        write_pass(work.data, 1, "full", 0, 5000, [], 0)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        r = h.run([h.FLATTEN, "--data-dir", work.data], env, work.path)
        h.check(r.code == 0 and h.read_csv(work) == [], "empty pass: %s" % r.err)


h.main()

"""The processed stage (issue 11) against an independent computation.

A listener's history from the simulator (a move between zones, planted
double scrobbles, uts 0, [unknown] artists, name variants) is synced; the
daemon's --once run builds processed/lastfm.sqlite.  Every table and view is
then computed again here from the CSV alone, in plain Python with zoneinfo,
and compared row for row.  Then: the move shows exactly from its date, a reader
holding the old database keeps a consistent copy during a rebuild, kill -9 and
a damaged CSV leave the old database, configuration errors name the value, and
histories of 0, 1 and 10 scrobbles build.
"""
import collections
import csv
import datetime
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402
from reference import independent  # noqa: E402

PROCESS = os.path.join(h.BUILDDIR, "src", "lastfm-process")


def db_path(work):
    return os.path.join(work.data, "processed", "lastfm.sqlite")


def query(path, sql):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@h.case
def processed():
    with h.Workdir("processed") as work, \
            h.Simulator(work.path, "--scrobbles", 20000, "--history", "listener") as sim:
        planted = sim.control("planted")
        zones = planted["zones"]
        aliases_file = os.path.join(work.path, "aliases.txt")
        with open(aliases_file, "w") as f:
            f.write("# name variants\nMotorhead = Motörhead\nCharli xcx = Charli XCX\n")
        aliases = {"Motorhead": "Motörhead", "Charli xcx": "Charli XCX"}
        settings = {"timezone": zones, "artist_aliases": aliases_file, "duplicate_window": "30s"}
        t0 = time.time()
        r = h.syncd(sim, work, **settings)
        h.check(r.code == 0, "sync exit %d: %s" % (r.code, r.err[-2000:]))
        h.check("wrote %s" % db_path(work) in r.err, "the daemon did not log the database: " + r.err)
        path = db_path(work)
        meta = dict(query(path, "SELECT key, value FROM meta"))
        built_at = int(meta["built_at_uts"])
        h.check(t0 - 5 <= built_at <= time.time() + 5, "built_at %s is not now" % built_at)
        h.check(meta["timezone"] == zones, "meta timezone %r" % meta["timezone"])
        h.check(meta["zones_used"] == "America/New_York, Europe/Berlin",
                "zones used %r" % meta["zones_used"])
        csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
        import hashlib
        with open(csv_path, "rb") as f:
            data = f.read()
        h.check(meta["input_sha256"] == hashlib.sha256(data).hexdigest(), "input sha256 differs")
        with open(aliases_file, "rb") as f:
            h.check(meta["artist_aliases_sha256"] == hashlib.sha256(f.read()).hexdigest(),
                    "alias sha256 differs")

        rows, timeline = independent(csv_path, zones, planted["move_uts"], 30, aliases, built_at)
        h.check(int(meta["input_rows"]) == len(rows) == 20000, "input rows %s" % meta["input_rows"])

        # scrobbles: every column of every row
        got = query(path, "SELECT seq, uts, played_at_local, local_date, local_year, local_month, "
                          "local_hour, local_weekday, tz, artist, session_id, bad_time, duplicate, "
                          "unknown_artist, burst, counted FROM scrobbles ORDER BY seq")
        want = [(x["seq"], x["uts"], x["local"], x["date"], x["year"], x["month"], x["hour"],
                 x["weekday"], x["tz"], x["artist"], x["session"], x["bad_time"], x["duplicate"],
                 x["unknown"], x["burst"], x["counted"]) for x in rows]
        h.check(len(got) == len(want), "scrobbles: %d rows, want %d" % (len(got), len(want)))
        bad = [(g, w) for g, w in zip(got, want) if g != w]
        h.check(not bad, "scrobbles: %d rows differ, first: %r" % (len(bad), bad[:1]))
        # the nine CSV columns unchanged
        with open(csv_path, newline="", encoding="utf-8") as f:
            csv_rows = [tuple(r) for r in list(csv.reader(f))[1:]]
        got9 = query(path, "SELECT played_at_utc, track_name, artist_name, album_name, track_mbid, "
                           "artist_mbid, album_mbid, CAST(source_page AS TEXT), source_file "
                           "FROM scrobbles ORDER BY seq")
        h.check(got9 == csv_rows, "the CSV's columns changed on the way in")

        # the planted problems are flagged
        q = dict((k, v) for k, v in query(path, "SELECT rule, rows FROM quality"))
        h.check(q["bad_time"] >= planted["uts_zero"], "bad_time %d < %d uts 0 planted"
                % (q["bad_time"], planted["uts_zero"]))
        h.check(q["unknown_artist"] == planted["unknown_artist"],
                "unknown_artist %d, planted %d" % (q["unknown_artist"], planted["unknown_artist"]))
        h.check(q["duplicate"] >= 0.8 * planted["double_scrobbles"] > 0,
                "duplicate %d, planted %d" % (q["duplicate"], planted["double_scrobbles"]))
        h.check(q["artist_alias"] > 0, "no alias applied")
        # the planted import bursts: flagged, and no minute keeps more than 8 counted
        h.check(q["burst"] >= planted["burst_rows"] > 0,
                "burst %d, planted %d" % (q["burst"], planted["burst_rows"]))
        busiest_minute = query(path, "SELECT max(n) FROM (SELECT count(*) AS n FROM scrobbles "
                                     "WHERE counted GROUP BY uts / 60)")[0][0]
        h.check(busiest_minute <= 8, "a minute holds %d counted scrobbles" % busiest_minute)
        counted = [x for x in rows if x["counted"]]
        h.check(q["counted"] == len(counted), "counted %d != %d" % (q["counted"], len(counted)))
        # the SQL statement of the rules agrees with the columns
        h.check(query(path, "SELECT count(*) FROM rules JOIN scrobbles s USING (seq) WHERE "
                            "rules.bad_time <> s.bad_time OR rules.duplicate <> s.duplicate OR "
                            "rules.unknown_artist <> s.unknown_artist OR rules.burst <> s.burst OR "
                            "rules.excluded <> s.excluded OR "
                            "rules.counted <> s.counted "
                            "OR rules.session_id IS NOT s.session_id")[0][0] == 0,
                "the rules view and the columns disagree")

        # views
        daily = collections.Counter(x["date"] for x in counted)
        h.check(sorted(query(path, "SELECT * FROM daily")) == sorted(daily.items()), "daily differs")
        firsts = {}
        for x in timeline:
            if x["counted"] and x["artist"] not in firsts:
                firsts[x["artist"]] = x["date"]
        per_artist = collections.Counter(x["artist"] for x in counted)
        h.check(sorted(query(path, "SELECT * FROM artist_firsts")) ==
                sorted((a, d, per_artist[a]) for a, d in firsts.items()), "artist_firsts differs")
        new_by_month = collections.Counter(d[:7] for d in firsts.values())
        monthly = collections.Counter(x["month"] for x in counted)
        h.check(sorted(query(path, "SELECT * FROM monthly")) ==
                sorted((m, n, new_by_month.get(m, 0)) for m, n in monthly.items()),
                "monthly differs")
        years = sorted(set(x["year"] for x in counted))
        want_yearly = []
        for y in years:
            ys = [x for x in counted if x["year"] == y]
            c = collections.Counter(x["artist"] for x in ys)
            top = sorted(c.items(), key=lambda kv: (-kv[1], kv[0].encode()))[0][0]
            want_yearly.append((y, len(ys), len(set(x["date"] for x in ys)), len(c),
                                sum(1 for d in firsts.values() if int(d[:4]) == y), top))
        h.check(sorted(query(path, "SELECT * FROM yearly")) == want_yearly, "yearly differs: %r vs %r"
                % (sorted(query(path, "SELECT * FROM yearly"))[:2], want_yearly[:2]))
        punch = collections.Counter((x["weekday"], x["hour"]) for x in counted)
        h.check(sorted(query(path, "SELECT * FROM punchcard")) ==
                sorted((w, hr, n) for (w, hr), n in punch.items()), "punchcard differs")
        sess = collections.OrderedDict()
        for x in timeline:
            if x["counted"]:
                sess.setdefault(x["session"], []).append(x)
        want_sessions = [(k, v[0]["local"], v[-1]["local"], len(v), v[-1]["uts"] - v[0]["uts"])
                         for k, v in sess.items()]
        h.check(sorted(query(path, "SELECT * FROM sessions")) == want_sessions, "sessions differ")
        dates = sorted(daily)
        streaks, start = [], None
        for i, d in enumerate(dates):
            if start is None:
                start = d
            nxt = dates[i + 1] if i + 1 < len(dates) else None
            dd = datetime.date.fromisoformat(d)
            if nxt is None or datetime.date.fromisoformat(nxt) != dd + datetime.timedelta(days=1):
                streaks.append((start, d, (dd - datetime.date.fromisoformat(start)).days + 1))
                start = None
        h.check(sorted(query(path, "SELECT * FROM streaks")) == sorted(streaks), "streaks differ")
        counts = sorted(daily.values(), reverse=True)
        edd = max([k for k in range(1, len(counts) + 1) if counts[k - 1] >= k] or [0])
        h.check(query(path, "SELECT n FROM eddington") == [(edd,)], "eddington %r, want %d"
                % (query(path, "SELECT n FROM eddington"), edd))
        # holidays: no listening on a planted holiday (local dates)
        for a, b in planted["holidays"]:
            inside = [d for d in daily if a <= d < b]
            h.check(not inside, "listening on planted holiday %s..%s: %s" % (a, b, inside[:3]))

        # The move shows exactly from its date: the zone switches at New York's
        # local midnight of the move date, and the hours shift with it.
        mv = planted["move_uts"]
        before = query(path, "SELECT max(uts), count(DISTINCT tz) FROM scrobbles WHERE uts < %d "
                             "AND uts > 0" % mv)
        after = query(path, "SELECT min(uts), count(DISTINCT tz) FROM scrobbles WHERE uts >= %d" % mv)
        h.check(query(path, "SELECT DISTINCT tz FROM scrobbles WHERE uts >= %d" % mv) ==
                [("Europe/Berlin",)], "after the move, another zone")
        h.check(query(path, "SELECT DISTINCT tz FROM scrobbles WHERE uts < %d" % mv) ==
                [("America/New_York",)], "before the move, another zone")
        h.check(before[0][1] == 1 and after[0][1] == 1, "zones mixed around the move")
        # evening peak in local time both sides of the move (the rhythm is local)
        for cond in ("uts < %d" % mv, "uts >= %d" % mv):
            peak = query(path, "SELECT local_hour FROM scrobbles WHERE counted AND %s GROUP BY "
                               "local_hour ORDER BY count(*) DESC LIMIT 1" % cond)[0][0]
            h.check(18 <= peak <= 22, "%s: the busiest local hour is %d, not the evening" % (cond, peak))

        # ---- atomic replace: a reader keeps its copy; kill -9 and a damaged CSV keep the old ----
        env = h.base_env(sim, work, **settings)
        env["LASTFM_TIMEZONE"] = "Asia/Tokyo"
        reader = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        reader.execute("BEGIN")
        before_rebuild = reader.execute("SELECT count(*), min(tz) FROM scrobbles").fetchone()
        r2 = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)
        h.check(r2.code == 0, "rebuild exit %d: %s" % (r2.code, r2.err))
        h.check(reader.execute("SELECT count(*), min(tz) FROM scrobbles").fetchone() == before_rebuild,
                "a reader holding the database saw it change")
        h.check(reader.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "old copy damaged")
        reader.close()
        h.check(query(path, "SELECT DISTINCT tz FROM scrobbles") == [("Asia/Tokyo",)],
                "the rebuild with a new zone did not take")
        processed_dir = os.path.join(work.data, "processed")

        def snapshot():
            with open(path, "rb") as f:
                return hashlib.sha256(f.read()).hexdigest()

        old = snapshot()
        killed = False
        for delay in (0.02, 0.05, 0.1, 0.2):
            p = subprocess.Popen(h.WRAPPER + [PROCESS, "--env-file", "/dev/null",
                                              "--set", "LASTFM_TIMEZONE=UTC"], env=env,
                                 cwd=work.path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                killed = True
            p.wait()
            if killed:
                break
            old = snapshot()   # it finished: that is the database now
        h.check(killed, "could not kill lastfm-process mid-build (too fast?)")
        h.check(snapshot() == old, "kill -9 during the build changed the database")
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        h.check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "database damaged")
        con.close()
        r3 = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)   # sweeps the temp file
        h.check(r3.code == 0, "after kill: exit %d" % r3.code)
        h.check([n for n in os.listdir(processed_dir) if n != "lastfm.sqlite"] == [],
                "temp files left in processed/: %s" % os.listdir(processed_dir))

        old = snapshot()
        with open(csv_path, "rb") as f:
            damaged_line = f.read().count(b"\n") + 1   # names may hold line breaks
        with open(csv_path, "ab") as f:
            f.write(b'2024-01-01T00:00:00Z,"unclosed quote,x,y\n')
        os.utime(csv_path)
        r4 = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)
        h.check(r4.code == 65, "damaged CSV: exit %d, want 65: %s" % (r4.code, r4.err))
        h.check("lastfm_scrobbles_interim.csv:%d:" % damaged_line in r4.err,
                "the message does not name line %d: %s" % (damaged_line, r4.err))
        h.check(snapshot() == old, "a damaged CSV changed the database")
        # The reader is strict on dates and numbers: each bad row gives 65 naming its line.
        with open(csv_path, "rb") as f:
            good = f.read()
        good = good[:good.rfind(b"2024-01-01T00:00:00Z,\"unclosed")]
        tail = b",t,a,b,,,,%s,raw/pass-000001/page-000001.json\n"
        for when, page, what in ((b"2023-02-31T00:00:00Z", b"1", "played_at_utc"),
                                 (b"2023-02-29T00:00:00Z", b"1", "played_at_utc"),
                                 (b"0000-01-01T00:00:00Z", b"1", "played_at_utc"),
                                 (b"2023-01-01T24:00:00Z", b"1", "played_at_utc"),
                                 (b"2023-01-01T00:00:00Z", b"abc", "source_page"),
                                 (b"2023-01-01T00:00:00Z", b"", "source_page"),
                                 (b"2023-01-01T00:00:00Z", b"-3", "source_page"),
                                 (b"2023-01-01T00:00:00Z", b"12345678901", "source_page")):
            with open(csv_path, "wb") as f:
                f.write(good + when + tail % page)
            os.utime(csv_path)
            r4 = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)
            h.check(r4.code == 65 and ("lastfm_scrobbles_interim.csv:%d: %s" % (damaged_line, what))
                    in r4.err, "%r, page %r: exit %d: %s" % (when, page, r4.code, r4.err[-400:]))
            h.check(snapshot() == old, "a bad row changed the database")
        # A quoted page number is read as written (no bytes after the field).
        with open(csv_path, "wb") as f:
            f.write(good + b'2024-02-29T00:00:00Z,t,a,b,,,,"5",raw/pass-000001/page-000001.json\n')
        os.utime(csv_path)
        r4 = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)
        h.check(r4.code == 0 and query(db_path(work), "SELECT source_page FROM scrobbles WHERE "
                                       "uts = 1709164800") == [(5,)],
                "a quoted source_page: exit %d: %s" % (r4.code, r4.err[-400:]))
        with open(csv_path, "wb") as f:
            f.write(good)
        os.utime(csv_path)
        r4 = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)
        h.check(r4.code == 0, "the good CSV again: exit %d" % r4.code)
        old = snapshot()

        # ---- configuration errors name the value ----
        for key, value, text in (("LASTFM_TIMEZONE", "Mars/Olympus", "Mars/Olympus"),
                                 ("LASTFM_TIMEZONE", "Europe/Berlin, 2020-13-01 UTC", "2020-13-01"),
                                 ("LASTFM_TIMEZONE", "UTC, 2020-01-01 Asia/Tokyo, 2019-01-01 UTC",
                                  "2019-01-01")):
            e = dict(env)
            e[key] = value
            r5 = h.run([PROCESS, "--env-file", "/dev/null"], e, work.path)
            h.check(r5.code == 78 and text in r5.err and key in r5.err,
                    "%s=%s: exit %d: %s" % (key, value, r5.code, r5.err))
        with open(aliases_file, "a") as f:
            f.write("no separator here\n")
        r6 = h.run([PROCESS, "--env-file", "/dev/null"], env, work.path)
        h.check(r6.code == 78 and "aliases.txt:4:" in r6.err, "bad alias line: exit %d: %s"
                % (r6.code, r6.err))
        h.check(snapshot() == old, "a bad alias file changed the database")


@h.case
def small_histories():
    # Small histories: 0, 1 and 10 scrobbles.
    for n in (0, 1, 10):
        with h.Workdir("processed-small") as work, \
                h.Simulator(work.path, "--scrobbles", n, "--history", "listener") as sim:
            r = h.syncd(sim, work, timezone="Europe/Berlin")
            h.check(r.code == 0, "%d scrobbles: exit %d: %s" % (n, r.code, r.err))
            path = db_path(work)
            h.check(os.path.exists(path), "%d scrobbles: no database" % n)
            if os.path.exists(path):
                h.check(query(path, "SELECT count(*) FROM scrobbles")[0][0] == n,
                        "%d scrobbles: wrong row count" % n)
                for view in ("daily", "monthly", "yearly", "punchcard", "artist_firsts", "sessions",
                             "streaks", "eddington"):
                    query(path, "SELECT * FROM %s" % view)   # runs


h.main()

"""The exclude file, LASTFM_EXCLUDE (issue 30): a household's plays set aside.

- Excluding an album lowers the counted rows by exactly that album's counted
  scrobbles; its rows stay in the database, flagged `excluded`; the quality
  ledger's `excluded` line and the `excludes` table give the count; the
  report names the rule on its trends page and no longer counts the album.
- An artist rule matches the artist after the alias file (a variant's rows
  too); a dates rule matches the local dates, both ends included.
- The rules view (process.sql) agrees with the columns, sessions included.
- A bad line is a configuration error (78) naming FILE:LINE, at start: the
  daemon makes no request.
"""
import calendar
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import harness as h  # noqa: E402
import listener  # noqa: E402

ZONE = "Europe/Berlin"


def build(work, exclude=None, aliases=None):
    extra = {"LASTFM_TIMEZONE": ZONE}
    if exclude is not None:
        extra["LASTFM_EXCLUDE"] = exclude
    if aliases is not None:
        extra["LASTFM_ARTIST_ALIASES"] = aliases
    r1, r2 = h.build_stages(work, extra)
    h.check(r1.code == 0 and r2.code == 0, "build: exit %d/%d: %s %s"
            % (r1.code, r2.code, r1.err[-800:], r2.err[-800:]))
    return sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))


def one(con, sql, *args):
    return con.execute(sql, args).fetchone()[0]


def plays():
    out, _ = listener.generate(8000, 7, int(time.time()) - 86400, per_day=10.0)
    # a variant of an artist, renamed by the alias file
    t = calendar.timegm((2020, 3, 3, 12, 0, 0))
    out += [(t + i * 3600, "Song %d" % (i % 4), "Kid Composer (variant)", "Cartoon")
            for i in range(40)]
    out += [(t + 86400 * 30 + i * 3600, "Song %d" % (i % 4), "Kid Composer", "Cartoon")
            for i in range(25)]
    return sorted(tuple(p) for p in out)


@h.case
def exclude_rules():
    with h.Workdir("exclude") as work:
        rows = plays()
        h.write_csv(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"),
                    list(reversed(rows)))
        aliases = os.path.join(work.path, "aliases")
        with open(aliases, "w") as f:
            f.write("Kid Composer (variant) = Kid Composer\n")
        con = build(work, aliases=aliases)
        counted = one(con, "SELECT count(*) FROM scrobbles WHERE counted")
        artist, album, n = con.execute(
            "SELECT artist, album_name, count(*) AS n FROM scrobbles WHERE counted AND "
            "album_name <> '' GROUP BY 1, 2 ORDER BY n DESC LIMIT 1").fetchone()
        all_rows = one(con, "SELECT count(*) FROM scrobbles WHERE artist = ? AND album_name = ?",
                       artist, album)
        kid = one(con, "SELECT count(*) FROM scrobbles WHERE counted AND artist = 'Kid Composer'")
        day = one(con, "SELECT local_date FROM scrobbles WHERE counted GROUP BY 1 "
                       "ORDER BY count(*) DESC, 1 LIMIT 1")
        con.close()
        h.check(kid == 65, "the variant is not merged: %d" % kid)

        # an album: the counted rows fall by exactly its counted scrobbles
        exclude = os.path.join(work.path, "exclude")
        with open(exclude, "w", encoding="utf-8") as f:
            f.write("# the household's\nalbum\t%s\t%s\n" % (artist, album))
        con = build(work, exclude=exclude, aliases=aliases)
        after = one(con, "SELECT count(*) FROM scrobbles WHERE counted")
        h.check(after == counted - n, "counted %d -> %d, the album had %d counted scrobbles"
                % (counted, after, n))
        h.check(one(con, "SELECT count(*) FROM scrobbles") == len(rows), "rows were dropped")
        h.check(one(con, "SELECT count(*) FROM scrobbles WHERE excluded") == all_rows,
                "flagged excluded: not the album's %d rows" % all_rows)
        h.check(one(con, "SELECT count(*) FROM scrobbles WHERE counted AND artist = ? AND "
                         "album_name = ?", artist, album) == 0, "the album is still counted")
        h.check(one(con, "SELECT rows FROM quality WHERE rule = 'excluded'") == all_rows,
                "the ledger's excluded line")
        h.check(con.execute("SELECT line, kind, a, b, rows FROM excludes").fetchall() ==
                [(2, "album", artist, album, all_rows)], "the excludes table: %s"
                % con.execute("SELECT * FROM excludes").fetchall())
        h.check(one(con, "SELECT count(*) FROM rules JOIN scrobbles AS s USING (seq) WHERE "
                         "rules.excluded <> s.excluded OR rules.counted <> s.counted OR "
                         "rules.session_id IS NOT s.session_id") == 0,
                "the rules view and the columns disagree")
        con.close()
        report = os.path.join(work.data, "report")
        with open(os.path.join(report, "trends.html"), encoding="utf-8") as f:
            trends = f.read()
        h.check("Set aside by the exclude file" in trends and "line 2: album" in trends,
                "the trends page does not name the rule")
        with open(os.path.join(report, "index.html"), encoding="utf-8") as f:
            h.check("excluded" in f.read(), "the ledger on the index has no excluded line")

        # an artist after the alias file; a day, both ends included
        with open(exclude, "w", encoding="utf-8") as f:
            f.write("artist\tKid Composer\ndates\t%s\t%s\n" % (day, day))
        con = build(work, exclude=exclude, aliases=aliases)
        on_day = one(con, "SELECT count(*) FROM scrobbles WHERE local_date = ? AND "
                          "artist <> 'Kid Composer'", day)
        h.check(con.execute("SELECT kind, rows FROM excludes ORDER BY line").fetchall() ==
                [("artist", 65), ("dates", on_day)], "the rules' rows: %s"
                % con.execute("SELECT * FROM excludes").fetchall())
        h.check(one(con, "SELECT count(*) FROM scrobbles WHERE counted AND (artist = "
                         "'Kid Composer' OR local_date = ?)", day) == 0,
                "an excluded artist or day is still counted")
        h.check(one(con, "SELECT count(*) FROM scrobbles WHERE counted AND artist_name = "
                         "'Kid Composer (variant)'") == 0, "the variant's rows are counted")
        h.check(one(con, "SELECT count(*) FROM rules JOIN scrobbles AS s USING (seq) WHERE "
                         "rules.excluded <> s.excluded OR rules.counted <> s.counted") == 0,
                "the rules view and the columns disagree (artist, dates)")
        con.close()


@h.case
def bad_line_before_any_request():
    with h.Workdir("exclude-bad") as work, h.Simulator(work.path, "--scrobbles", 50) as sim:
        exclude = os.path.join(work.path, "exclude")
        with open(exclude, "w") as f:
            f.write("artist\tFine\nalbum\tOnly the artist\n")
        r = h.syncd(sim, work, exclude=exclude)
        h.check(r.code == 78, "a bad exclude file: exit %d, want 78: %s" % (r.code, r.err[-400:]))
        h.check("%s:2: an album rule has 2" % exclude in r.err, "no FILE:LINE: %s" % r.err[-400:])
        h.check(sim.stats()["requests"] == 0, "%d requests before the configuration error"
                % sim.stats()["requests"])
        r = h.syncd(sim, work, exclude=os.path.join(work.path, "missing"))
        h.check(r.code == 78 and "LASTFM_EXCLUDE" in r.err, "a missing exclude file: exit %d: %s"
                % (r.code, r.err[-300:]))


h.main()

"""After an upgrade the database and the report are rebuilt even when nothing
new arrives: a database whose meta says another program version or schema
made it is not current (the log says why); one made by this version is left
alone (no rebuild, no report drawn, one info line for the idle pass)."""
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


@h.case
def upgrade():
    with h.Workdir("upgrade") as work, h.Simulator(work.path, "--scrobbles", 2000) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first sync: exit %d: %s" % (r.code, r.err[-1500:]))
        db_path = os.path.join(work.data, "processed", "lastfm.sqlite")
        page = os.path.join(work.data, "report", "index.html")
        h.check(os.path.exists(db_path) and os.path.exists(page), "no database or report")

        def meta(key):
            with sqlite3.connect("file:%s?mode=ro" % db_path, uri=True) as c:
                return c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]

        program = meta("program")
        # Nothing new, same version: nothing is rebuilt.
        db_ino, page_ino = os.stat(db_path).st_ino, os.stat(page).st_ino
        time.sleep(2)   # a second later: the idle pass asks for what is new
        r = h.syncd(sim, work)
        h.check(r.code == 0, "quiet run: exit %d" % r.code)
        h.check(os.stat(db_path).st_ino == db_ino and os.stat(page).st_ino == page_ino,
                "a run with nothing new and the same version rebuilt the database or report")
        h.check("built the database" not in r.err, "quiet run built the database: %s" % r.err)
        infos = [line for line in r.err.splitlines() if ": info: " in line]
        h.check(len(infos) <= 1, "a run with nothing new wrote %d info lines: %s" % (len(infos), infos))

        for key, old in (("program", "lastfm-syncd 0.0.1"), ("schema_version", "0")):
            # What an older version left: the same data, another maker.
            with sqlite3.connect(db_path) as c:
                c.execute("UPDATE meta SET value = ? WHERE key = ?", (old, key))
            db_ino = os.stat(db_path).st_ino
            r = h.syncd(sim, work)
            h.check(r.code == 0, "%s %s: exit %d: %s" % (key, old, r.code, r.err[-1500:]))
            h.check("another version" in r.err, "%s %s: the log says why: %s" % (key, old, r.err))
            h.check(os.stat(db_path).st_ino != db_ino, "%s %s: the database was not rebuilt" % (key, old))
            # (a page of the same bytes is carried over, inode and all: the
            # build's log line says the report was drawn)
            h.check("report/index.html: " in r.err, "%s %s: the report was not redrawn: %s"
                    % (key, old, r.err[-600:]))
            h.check(meta("program") == program and meta(key) != old,
                    "%s %s: meta still says %r" % (key, old, meta(key)))


h.main()

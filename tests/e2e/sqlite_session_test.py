"""A user's own SQLite session on the published database cannot make the next
build be read wrong:

- a session that turns on WAL, writes, and stays open (its -wal and -shm next
  to the old file), then a sync with new scrobbles;
- a writer killed mid-transaction (a hot -journal next to the old file), then
  a sync.

Each time the new database passes integrity_check when opened afresh, meta
says the CSV's row count, the report counts what the database counts, and
the database is found current by the next run (not rebuilt again)."""
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

KILLED_WRITER = r'''
import os, signal, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=DELETE")
c.execute("PRAGMA cache_size=10")
c.execute("BEGIN IMMEDIATE")
c.execute("DELETE FROM scrobbles WHERE seq % 2 = 0")
c.execute("CREATE TABLE mine(x)")
c.executemany("INSERT INTO mine VALUES (?)", [(os.urandom(200),) for _ in range(5000)])
os.kill(os.getpid(), signal.SIGKILL)
'''


def fresh_reader_check(work, what):
    db = os.path.join(work.data, "processed", "lastfm.sqlite")
    # A separate process, as a later reader would be.
    out = subprocess.run([sys.executable, "-c",
                          "import sqlite3,sys; c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro',"
                          "uri=True); print(c.execute('PRAGMA integrity_check').fetchone()[0]);"
                          "print(c.execute(\"SELECT value FROM meta WHERE key='input_rows'\")"
                          ".fetchone()[0]); print(c.execute('SELECT count(*) FROM scrobbles "
                          "WHERE counted').fetchone()[0])", db], capture_output=True, text=True)
    lines = out.stdout.split()
    if not h.check(out.returncode == 0 and len(lines) == 3 and lines[0] == "ok" and
                   lines[1].isdigit() and lines[2].isdigit(),
                   "%s: the new database does not read right: %s %s"
                   % (what, out.stdout[-500:], out.stderr[-500:])):
        return
    h.check(lines[:1] == ["ok"],
            "%s: the new database fails integrity_check: %s %s" % (what, out.stdout, out.stderr))
    rows = len(h.read_csv(work))
    h.check(len(lines) >= 3 and int(lines[1]) == rows,
            "%s: meta input_rows %s, the CSV %d" % (what, lines[1:2], rows))
    page = open(os.path.join(work.data, "report", "index.html"), encoding="utf-8").read()
    m = re.search(r"Scrobbles counted</dt><dd>([0-9,]+) \(of ([0-9,]+) rows", page)
    h.check(m and len(lines) >= 3 and int(m.group(1).replace(",", "")) == int(lines[2]) and
            int(m.group(2).replace(",", "")) == rows,
            "%s: the report counts %s, the database %s of %d rows"
            % (what, m.groups() if m else None, lines[2:3], rows))


@h.case
def sqlite_session():
    with h.Workdir("sqlite-session") as work, h.Simulator(work.path, "--scrobbles", 4000) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first sync: exit %d: %s" % (r.code, r.err[-1500:]))
        db = os.path.join(work.data, "processed", "lastfm.sqlite")

        # 1. A WAL session with writes, left open across the next build.
        session = sqlite3.connect(db, isolation_level=None)
        session.execute("PRAGMA journal_mode=WAL")
        session.execute("PRAGMA wal_autocheckpoint=0")
        session.execute("CREATE TABLE notes(x)")
        session.executemany("INSERT INTO notes VALUES (?)", [(os.urandom(500),) for _ in range(3000)])
        session.execute("DELETE FROM scrobbles WHERE seq > 100")
        h.check(os.path.getsize(db + "-wal") > 0, "the session wrote no WAL")
        sim.control("add", n=5, age=0)
        time.sleep(1.1)
        r = h.syncd(sim, work)
        h.check(r.code == 0, "sync with a WAL session open: exit %d: %s" % (r.code, r.err[-1500:]))
        fresh_reader_check(work, "WAL session left open")
        session.close()
        r = h.syncd(sim, work)
        h.check(r.code == 0 and "built the database" not in r.err,
                "after the WAL session: the next run rebuilt or failed: %s" % r.err[-800:])
        fresh_reader_check(work, "after the WAL session closed")

        # 2. A writer killed mid-transaction: a hot journal next to the database.
        subprocess.run([sys.executable, "-c", KILLED_WRITER, db])
        h.check(os.path.exists(db + "-journal"), "the killed writer left no journal")
        sim.control("add", n=3, age=0)
        time.sleep(1.1)
        r = h.syncd(sim, work)
        h.check(r.code == 0, "sync after a killed writer: exit %d: %s" % (r.code, r.err[-1500:]))
        fresh_reader_check(work, "hot journal")
        h.check(not os.path.exists(db + "-journal"), "the old hot journal is still next to the new file")

        # 3. A session holding a write lock: lastfm-report says so with 75 (try again
        # later), not "damaged" (65).
        lock = sqlite3.connect(db, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-report"), "--data-dir", work.data],
                  {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}, work.path)
        h.check(r.code == 75 and "locked" in r.err, "a locked database: exit %d: %s"
                % (r.code, r.err[-500:]))
        lock.execute("ROLLBACK")
        lock.close()


h.main()

"""A wall clock that jumps (tests/clockshift.so moves lastfm-syncd's clock;
the simulator keeps the real one):

- 20 days ahead with a server that sends Date: no stored window ends after
  the server's time; with the clock right again, 3 new scrobbles are fetched.
- 20 days and a year ahead with a server that sends no Date (what an older
  version stored, too): the windows end in the future; once the clock is
  right, the next run warns, fetches from where the trusted passes end, and
  its CSV equals the server's history; the pass from the future is removed
  once the server's time shows it holds nothing more; nothing new is lost
  over three runs.
- A clock at 1970 (a board without a real-time clock): refused with 75, no
  window pinned, nothing changed.
- Behind by 20 days: nothing is lost, the CSV equals the server's history.
- Behind by 30 days: the database does not date the recent weeks in the
  future (bad_time); it judges against the server's time too."""
import glob
import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

SHIM = os.path.join(h.BUILDDIR, "tests", "clockshift.so")
DAY = 86400


def shifted(sim, work, shift, *args):
    env = h.base_env(sim, work)
    env["LD_PRELOAD"] = SHIM
    env["TEST_CLOCK_SHIFT"] = str(int(shift))
    # A sanitizer build wants its runtime first; the shim only wraps libc.
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
    return h.run([h.SYNCD, "--once", "--env-file", "/dev/null"] + list(args), env, work.path,
                 secret=sim.api_key)


def max_window_to(work):
    return max((m["window_to"] for m in h.manifests(work)), default=0)


@h.case
def clock_ahead():
    h.check(os.path.exists(SHIM), "no %s: make check builds it" % SHIM)

    for ahead, label in ((20 * DAY, "20 days"), (366 * DAY, "a year")):
        # With a Date header: the window ends at the server's time.
        with h.Workdir("clock") as work, \
                h.Simulator(work.path, "--scrobbles", 1500, "--seed", 31) as sim:
            r = shifted(sim, work, ahead)
            h.check(r.code == 0, "%s ahead: exit %d: %s" % (label, r.code, r.err[-1500:]))
            h.check("runs ahead" in r.err, "%s ahead: the clock is named in a warning: %s"
                    % (label, r.err[-1500:]))
            end = max_window_to(work)
            h.check(end <= time.time() + 5,
                    "%s ahead with Date: a window ends %d s after the server's time"
                    % (label, end - time.time()))
            for m in h.manifests(work):
                h.check(m["started_at"] <= time.time() + 5 and m["finished_at"] <= time.time() + 5,
                        "%s ahead: pass %d's times are in the future" % (label, m["pass"]))
            sim.control("add", n=3, age=0)
            r = h.syncd(sim, work)
            h.check(r.code == 0, "right again: exit %d: %s" % (r.code, r.err[-1500:]))
            h.compare_csv_with_truth(work, sim.truth(), "%s ahead (Date), then right" % label)

        # Without a Date header: a window from the future is stored, then healed.
        with h.Workdir("clock-nodate") as work, \
                h.Simulator(work.path, "--scrobbles", 1500, "--seed", 32, "--no-date-header") as sim:
            r = shifted(sim, work, ahead)
            h.check(r.code == 0, "%s ahead, no Date: exit %d: %s" % (label, r.code, r.err[-1500:]))
            h.check(max_window_to(work) > time.time() + ahead - DAY,
                    "%s ahead, no Date: the window was expected to end in the future" % label)
            for run in range(3):
                sim.control("add", n=5 if run == 0 else 2, age=0)
                time.sleep(1.1)   # new scrobbles a second apart from the last run's window
                r = h.syncd(sim, work)
                h.check(r.code == 0, "%s ahead, then right, run %d: exit %d: %s"
                        % (label, run + 1, r.code, r.err[-1500:]))
                if run == 0:
                    h.check("after now" in r.err and "not trusted" in r.err,
                            "%s: the future window is found and logged: %s" % (label, r.err[-1500:]))
                h.compare_csv_with_truth(work, sim.truth(), "%s ahead (no Date), run %d after"
                                         % (label, run + 1))
            # With the server's time known, the pass from the future goes.
            sim.control("set", date_header=1)
            sim.control("add", n=1, age=0)
            r = h.syncd(sim, work)
            h.check(r.code == 0, "%s: run with Date: exit %d" % (label, r.code))
            h.compare_csv_with_truth(work, sim.truth(), "%s: after the Date came back" % label)
            h.check(max_window_to(work) <= time.time() + 5,
                    "%s: a pass from the future is still stored: ends %d s ahead"
                    % (label, max_window_to(work) - time.time()))
            r = h.syncd(sim, work)
            h.check("after now" not in r.err, "%s: still warned after the heal: %s"
                    % (label, r.err[-800:]))
            h.check_data_dir(work, sim, "%s after the heal" % label)


@h.case
def clock_1970():
    # 1970: refused, nothing pinned.
    with h.Workdir("clock-1970") as work, h.Simulator(work.path, "--scrobbles", 300) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first sync: exit %d" % r.code)
        before = sorted(glob.glob(os.path.join(work.data, "raw", "*", "*")))
        r = shifted(sim, work, -int(time.time()) + 1000)
        h.check(r.code == 75 and "before Last.fm existed" in r.err,
                "a clock at 1970: exit %d: %s" % (r.code, r.err[-800:]))
        h.check(sorted(glob.glob(os.path.join(work.data, "raw", "*", "*"))) == before,
                "a clock at 1970 changed the raw pages")


@h.case
def clock_behind():
    # Behind by 20 days after a right sync: nothing lost, nothing doubled.
    with h.Workdir("clock-behind") as work, h.Simulator(work.path, "--scrobbles", 800) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first sync: exit %d" % r.code)
        sim.control("add", n=2, age=0)
        r = shifted(sim, work, -20 * DAY)
        h.check(r.code == 0, "20 days behind: exit %d: %s" % (r.code, r.err[-1500:]))
        h.compare_csv_with_truth(work, sim.truth(), "20 days behind")
        sim.control("add", n=2, age=0)
        r = h.syncd(sim, work)
        h.check(r.code == 0, "right again: exit %d" % r.code)
        h.compare_csv_with_truth(work, sim.truth(), "behind, then right")


@h.case
def clock_behind_fresh():
    # Behind on a fresh data directory: the first answer's Date shows it, and the
    # run fetches up to the server's now.
    with h.Workdir("clock-behind-fresh") as work, h.Simulator(work.path, "--scrobbles", 600) as sim:
        r = shifted(sim, work, -20 * DAY)
        h.check(r.code == 0 and "behind the server" in r.err,
                "fresh, 20 days behind: exit %d: %s" % (r.code, r.err[-1500:]))
        h.compare_csv_with_truth(work, sim.truth(), "fresh, 20 days behind")


@h.case
def clock_behind_database():
    # Behind by 30 days: the database judges "after the build" against the server's
    # time the passes were pinned at, not this clock; the recent weeks are counted
    # (1,576 of 3,000 were bad_time), and a row truly in the future is named.
    with h.Workdir("clock-behind-db") as work, h.Simulator(
            work.path, "--scrobbles", 3000, "--mean-gap", 1800) as sim:
        r = shifted(sim, work, -30 * DAY)
        h.check(r.code == 0, "30 days behind: exit %d: %s" % (r.code, r.err[-1500:]))
        db = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
        recent = db.execute("SELECT count(*) FROM scrobbles WHERE uts > ?",
                            (int(time.time()) - 30 * DAY,)).fetchone()[0]
        bad = db.execute("SELECT count(*) FROM scrobbles WHERE bad_time").fetchone()[0]
        db.close()
        print("30 days behind: %d scrobbles in the last 30 days, %d bad_time" % (recent, bad))
        h.check(recent > 1000, "the history has too few recent scrobbles (%d)" % recent)
        h.check(bad == 0, "30 days behind: %d scrobbles flagged bad_time" % bad)
        h.check("dated after the build" not in r.err, "30 days behind: a row was judged in the future")


h.main()

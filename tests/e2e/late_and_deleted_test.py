"""Between runs: late scrobbles (up to 14 days back) are caught by the next
incremental run, cheaply; recent deletions are caught too; an old deletion is
caught by --full, after which it is gone from the CSV, and without --full by
the automatic full resync once the stored history is older than
LASTFM_FULL_RESYNC_INTERVAL."""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


@h.case
def late():
    with h.Workdir("late") as work, h.Simulator(work.path, "--scrobbles", 6000, "--seed", 11) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first sync: exit %d: %s" % (r.code, r.err[-2000:]))
        first_requests = sim.stats()["requests"]

        # Nothing changed: the incremental run costs two requests.
        r = h.syncd(sim, work)
        h.check(r.code == 0, "quiet run: exit %d" % r.code)
        quiet = sim.stats()["requests"] - first_requests
        h.check(quiet <= 2, "a run with nothing new made %d requests" % quiet)

        # New, and late by 3 hours and by 13 days.
        sim.control("add", n=4, age=0)
        sim.control("add", n=2, age=3 * 3600)
        sim.control("add", n=1, age=13 * 86400)
        before = sim.stats()["requests"]
        r = h.syncd(sim, work)
        h.check(r.code == 0, "late run: exit %d: %s" % (r.code, r.err[-2000:]))
        h.compare_csv_with_truth(work, sim.truth(), "late scrobbles")
        cost = sim.stats()["requests"] - before
        h.check(cost <= 25, "catching late scrobbles took %d requests (the history has 120 pages)" % cost)

        # A recent deletion.
        sim.control("delete", n=2, where="recent")
        r = h.syncd(sim, work)
        h.check(r.code == 0, "recent deletion run: exit %d" % r.code)
        h.compare_csv_with_truth(work, sim.truth(), "recent deletion")

        # An old deletion is only seen by --full.
        sim.control("delete", n=3, where="old")
        r = h.syncd(sim, work, "--full")
        h.check(r.code == 0, "--full: exit %d: %s" % (r.code, r.err[-2000:]))
        h.compare_csv_with_truth(work, sim.truth(), "old deletion after --full")
        h.check_data_dir(work, sim, "after --full")
        # superseded passes are removed: only the --full passes remain
        kinds = [m["kind"] for m in h.manifests(work)]
        h.check(kinds == ["full", "full"], "passes after --full: %r" % kinds)


# The automatic full resync: an old deletion stays until the stored history is
# older than LASTFM_FULL_RESYNC_INTERVAL (here aged by rewriting the manifests'
# times, as 31 days would), then one run reads everything again.
def age_passes(work, days):
    for path in glob.glob(os.path.join(work.data, "raw", "pass-*", "manifest.json")):
        with open(path) as f:
            m = json.load(f)
        m["started_at"] -= days * 86400
        m["finished_at"] -= days * 86400
        with open(path, "w") as f:
            json.dump(m, f)


@h.case
def resync():
    with h.Workdir("resync") as work, h.Simulator(work.path, "--scrobbles", 3000, "--seed", 12) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "resync: first sync exit %d: %s" % (r.code, r.err[-1000:]))
        sim.control("delete", n=3, where="old")
        r = h.syncd(sim, work)
        h.check(r.code == 0 and len(h.read_csv(work)) == len(sim.truth()) + 3,
                "resync: an old deletion is not seen by an incremental run (rows %d, truth %d)"
                % (len(h.read_csv(work)), len(sim.truth())))
        age_passes(work, 31)
        before = sim.stats()["requests"]
        r = h.syncd(sim, work, full_resync_interval=0)
        h.check(r.code == 0 and "whole history again" not in r.err and
                sim.stats()["requests"] - before <= 2,
                "resync: LASTFM_FULL_RESYNC_INTERVAL=0 still read everything: %s" % r.err[-1000:])
        r = h.syncd(sim, work, full_resync_interval="40d")
        h.check(r.code == 0 and "whole history again" not in r.err,
                "resync: 31 days old with a 40-day interval: %s" % r.err[-1000:])
        r = h.syncd(sim, work)   # the default: 30 days
        h.check(r.code == 0, "resync: exit %d: %s" % (r.code, r.err[-1000:]))
        h.check("fetched 31 days ago" in r.err and "reading the whole history again" in r.err,
                "resync: no full resync after 31 days: %s" % r.err[-1000:])
        h.compare_csv_with_truth(work, sim.truth(), "after the automatic full resync")
        kinds = [m["kind"] for m in h.manifests(work)]
        h.check(kinds == ["full", "full"], "resync: passes after the resync: %r" % kinds)
        before = sim.stats()["requests"]
        r = h.syncd(sim, work)
        h.check(r.code == 0 and "whole history again" not in r.err and
                sim.stats()["requests"] - before <= 2, "resync: the next run read everything again")
        h.check_data_dir(work, sim, "after the automatic full resync")


@h.case
def compact():
    # Many small runs (one new scrobble each, as a daemon every 15 minutes): the
    # small passes are compacted by a recheck, so raw/ does not grow without bound.
    with h.Workdir("compact") as work, h.Simulator(work.path, "--scrobbles", 2000, "--seed", 5) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "compaction: first sync exit %d" % r.code)
        counts = []
        for i in range(30):
            sim.control("add", n=1, age=0)
            r = h.syncd(sim, work)
            h.check(r.code == 0, "compaction: run %d exit %d: %s" % (i, r.code, r.err[-1000:]))
            counts.append(len(h.manifests(work)))
        print("passes on disk after each run: %s" % counts)
        h.check(max(counts) <= 12, "passes pile up: %s" % counts)
        h.compare_csv_with_truth(work, sim.truth(), "after 30 small runs")


h.main()

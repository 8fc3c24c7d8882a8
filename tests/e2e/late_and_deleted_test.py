"""Between runs: late scrobbles (up to 14 days back) are caught by the next
incremental run, cheaply; recent deletions are caught too; an old deletion is
caught by --full, after which it is gone from the CSV."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

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

h.finish("late_and_deleted_test")

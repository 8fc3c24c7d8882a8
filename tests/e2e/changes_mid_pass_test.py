"""Scrobbles added while a pass runs (new ones at 'now', late ones in the
window) and deleted while it runs are neither lost nor duplicated: the final
CSV equals the simulator's history after the change."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


@h.case
def new_scrobbles_during_pass():
    # New scrobbles at "now" during the pass: the pinned window ignores them, the
    # next run picks them up.
    with h.Workdir("midnew") as work, h.Simulator(
            work.path, "--scrobbles", 3000, "--mutate-at", "10:add:5:0,20:add:3:0") as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "new mid-pass: exit %d: %s" % (r.code, r.err[-2000:]))
        r = h.syncd(sim, work)
        h.check(r.code == 0, "new mid-pass, second run: exit %d" % r.code)
        h.compare_csv_with_truth(work, sim.truth(), "new scrobbles mid-pass")


@h.case
def late_and_deleted_during_pass():
    # Late scrobbles (hours to days back) and deletions inside the window while
    # pages are being read: the pass notices and reads its window again.
    with h.Workdir("midlate") as work, h.Simulator(
            work.path, "--scrobbles", 3000,
            "--mutate-at", "8:add:2:7200,15:add:1:400000,30:delete:2:recent,40:delete:1:old") as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "late/deleted mid-pass: exit %d: %s" % (r.code, r.err[-2000:]))
        h.check("changed while it was read" in r.err, "the change was not noticed")
        h.compare_csv_with_truth(work, sim.truth(), "late and deleted mid-pass")
        h.check_data_dir(work, sim, "late and deleted mid-pass")


h.main()

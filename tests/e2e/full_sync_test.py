"""A full sync keeps pages that hold exactly the simulator's history; the CSV
equals the ground truth row by row; a second run with nothing new writes no
pages; either from/to semantics gives the same result."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


@h.case
def full_sync():
    for semantics in (("inclusive", "exclusive"), ("exclusive", "inclusive")):
        tag = "from %s/to %s" % semantics
        with h.Workdir("full") as work, h.Simulator(
                work.path, "--scrobbles", 4000, "--seed", 7, "--same-second", 0.05,
                "--from-semantics", semantics[0], "--to-semantics", semantics[1],
                "--now-playing", "first") as sim:
            r = h.syncd(sim, work)
            h.check(r.code == 0, "%s: first sync exit %d: %s" % (tag, r.code, r.err[-2000:]))
            truth = sim.truth()
            h.check(len(truth) == 4000, "simulator holds %d scrobbles" % len(truth))
            h.compare_csv_with_truth(work, truth, tag)
            h.check_data_dir(work, sim, tag)
            ms = h.manifests(work)
            h.check(all(m["state"] == "complete" for m in ms), "%s: a pass is not complete" % tag)
            h.check(sum(m["total"] for m in ms) >= 4000, "%s: manifests count %d"
                    % (tag, sum(m["total"] for m in ms)))
            h.check("sync complete" in r.err, "%s: no summary line" % tag)

            # The same-second groups survive: count the rows per second both sides.
            rows = h.read_csv(work)
            same = sum(1 for a, b in zip(rows, rows[1:]) if a[0] == b[0])
            h.check(same > 0, "%s: no same-second scrobbles in the CSV" % tag)

            pages_before = {p: os.stat(p).st_mtime_ns for p in h.raw_pages(work)}
            r = h.syncd(sim, work)
            h.check(r.code == 0, "%s: second sync exit %d: %s" % (tag, r.code, r.err[-2000:]))
            pages_after = {p: os.stat(p).st_mtime_ns for p in h.raw_pages(work)}
            h.check(pages_before == pages_after, "%s: a sync with nothing new wrote pages" % tag)
            h.compare_csv_with_truth(work, truth, tag + " (second run)")


@h.case
def empty_history():
    # An empty history: a header-only CSV and no pages.
    with h.Workdir("empty") as work, h.Simulator(work.path, "--scrobbles", 0) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "empty history: exit %d: %s" % (r.code, r.err[-2000:]))
        h.check(h.read_csv(work) == [], "empty history: CSV has rows")
        h.check(h.raw_pages(work) == [], "empty history: pages were written")


h.main()

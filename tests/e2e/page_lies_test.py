"""A page that is not the page asked for is never stored as the history
(lastfm-api.md, "Pages that are not the page asked for").

- Lies told now and then (page N answered with page N-1's items, or with its
  first item replaced by page N-1's last, @attr.page still N) are caught by
  the pages' neighbours, fetched again, and the CSV is the server's history.
- Lies told at every read: --once exits 75 naming the page, and the CSV of
  the last good run stays as it was.
- Pages served out of order (each page whole) are such lies too.
- The one case the neighbours cannot tell from a one-item shift, two identical
  scrobbles in one second across a boundary, is read again at another page
  size, where the pair falls inside a page: both are kept.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


def csv_bytes(work):
    with open(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv"), "rb") as f:
        return f.read()


@h.case
def lies_sometimes():
    # Now and then: caught, fetched again, the history exact.
    with h.Workdir("lies-sometimes") as work, h.Simulator(
            work.path, "--scrobbles", 3000, "--seed", 5, "--fault-rate", 0.15,
            "--faults", "repeatpage,shiftpage") as sim:
        r = h.syncd(sim, work, max_retries=20)
        h.check(r.code == 0, "lies now and then: exit %d: %s" % (r.code, r.err[-2000:]))
        injected = sim.stats()["faults"]
        print("lies injected: %s" % injected)
        h.check(injected.get("repeatpage", 0) >= 3 and injected.get("shiftpage", 0) >= 3,
                "too few lies injected: %s" % injected)
        h.check("is not the page asked for" in r.err, "the lies were not logged: %s" % r.err[-1500:])
        h.compare_csv_with_truth(work, sim.truth(), "lies now and then")
        h.check_data_dir(work, sim, "lies now and then")


@h.case
def lies_always():
    # At every read: a first run stores no CSV; a later full read keeps the last one.
    for lie, words in (("repeat", "is newer than the oldest of page"),
                       ("shift", "begins with a scrobble that page")):
        with h.Workdir("lies-" + lie) as work, h.Simulator(
                work.path, "--scrobbles", 1000, "--seed", 6, "--lie", lie) as sim:
            r = h.syncd(sim, work)
            h.check(r.code == 75, "%s at every read: exit %d, not 75: %s" % (lie, r.code, r.err[-1500:]))
            h.check(words in r.err and "the server serves pages that contradict each other" in r.err,
                    "%s: no clear message: %s" % (lie, r.err[-1500:]))
            h.check(not os.path.exists(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")),
                    "%s: a CSV was written from pages that contradict each other" % lie)
            sim.control("set", lie="none")
            r = h.syncd(sim, work)
            h.check(r.code == 0, "%s, then honest pages: exit %d: %s" % (lie, r.code, r.err[-1500:]))
            h.compare_csv_with_truth(work, sim.truth(), "%s, then honest pages" % lie)
            before = csv_bytes(work)
            sim.control("set", lie=lie)
            r = h.syncd(sim, work, "--full")
            h.check(r.code == 75, "%s on a full read: exit %d, not 75" % (lie, r.code))
            h.check(csv_bytes(work) == before, "%s: the last good CSV changed" % lie)
            if lie == "shift":
                h.check("items a page instead of 50" in r.err,
                        "shift: the pass did not try another page size: %s" % r.err[-1500:])


@h.case
def lies_shuffled():
    # Pages served out of order (each page whole and newest first inside).
    with h.Workdir("lies-shuffled") as work, h.Simulator(
            work.path, "--scrobbles", 3000, "--shuffle-pages") as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 75, "shuffled pages: exit %d, not 75: %s" % (r.code, r.err[-1500:]))
        h.check("is not the page asked for" in r.err, "shuffled: %s" % r.err[-1000:])


@h.case
def lies_twin():
    # The case the neighbours cannot tell: a real double scrobble in one second,
    # the first the last item of page 2, the second the first of page 3.
    with h.Workdir("lies-twin") as work, h.Simulator(
            work.path, "--scrobbles", 1000, "--seed", 7, "--twin-at", 100) as sim:
        truth = sim.truth()
        h.check(truth[99] == truth[100], "the simulator planted no twin")
        r = h.syncd(sim, work)
        h.check(r.code == 0, "a real pair across a boundary: exit %d: %s" % (r.code, r.err[-1500:]))
        h.check("items a page instead of 50" in r.err,
                "the pair was not read again at another page size: %s" % r.err[-1500:])
        rows = h.compare_csv_with_truth(work, truth, "a real pair across a boundary")
        h.check(rows[99][:7] == rows[100][:7], "the pair is not both in the CSV")


h.main()

"""The CSV is newest first whatever order the API's pages come in: a server
that serves a window's slices shuffled (each page whole, newest first inside)
still gives a CSV equal to the history, row 1 the newest, and nothing lost;
the row cache and an incremental run after it keep that."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

with h.Workdir("page-order") as work, \
        h.Simulator(work.path, "--scrobbles", 3000, "--shuffle-pages") as sim:
    r = h.syncd(sim, work)
    h.check(r.code == 0, "shuffled pages: exit %d: %s" % (r.code, r.err[-1500:]))
    rows = h.compare_csv_with_truth(work, sim.truth(), "shuffled pages")
    times = [row[0] for row in rows]
    h.check(times == sorted(times, reverse=True), "the CSV is not newest first")
    # Again from the cache, and after new scrobbles.
    r = h.run([h.FLATTEN, "--data-dir", work.data], h.base_env(sim, work), work.path)
    h.check(r.code == 0, "lastfm-flatten from the cache: exit %d" % r.code)
    h.compare_csv_with_truth(work, sim.truth(), "shuffled pages, from the cache")
    # 120 new scrobbles in about a second fill whole pages of one second: the
    # order among such pages is not the server's to recover, so the rows of
    # each second are compared as a set.
    sim.control("add", n=120, age=0)
    time.sleep(1.1)
    r = h.syncd(sim, work)
    h.check(r.code == 0, "incremental run: exit %d: %s" % (r.code, r.err[-800:]))
    rows = [row[:7] for row in h.read_csv(work)]
    want = h.truth_rows(sim.truth())
    h.check(sorted(rows) == sorted(want), "shuffled pages, incremental: %d rows, the server %d, "
            "or other rows" % (len(rows), len(want)))
    times = [row[0] for row in rows]
    h.check(times == sorted(times, reverse=True), "the CSV is not newest first after new rows")
    h.check(times == [w[0] for w in want], "the seconds are not in the server's order")

h.finish("page_order_test")

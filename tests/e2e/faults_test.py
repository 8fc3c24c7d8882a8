"""With 20% mixed faults (5xx with HTML, 429/error 29 with Retry-After, error 8
with HTTP 200 and 500, error 11/16, truncated bodies, connection resets, pages
that are not the page asked for) the result is identical to a clean run; a
stall after the headers ends at the request timeout and is retried."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

FAULTS = "5xx,429,error8,error8_500,error11,error16,truncate,reset,notjson,wrongpage"


@h.case
def mixed_faults():
    with h.Workdir("faults") as work, h.Simulator(
            work.path, "--scrobbles", 5000, "--seed", 3, "--fault-rate", 0.2,
            "--faults", FAULTS) as sim:
        r = h.syncd(sim, work, max_retries=20)
        h.check(r.code == 0, "faulty sync exit %d: %s" % (r.code, r.err[-3000:]))
        stats = sim.stats()
        injected = sum(stats["faults"].values())
        print("faults injected: %s" % stats["faults"])
        h.check(injected >= 10, "only %d faults were injected" % injected)
        h.check(r.err.count("retry") >= injected // 2, "retries not logged")
        h.compare_csv_with_truth(work, sim.truth(), "20% faults")
        h.check_data_dir(work, sim, "20% faults")


@h.case
def stall():
    # A stalled transfer (headers, then nothing) must not hang the pass.
    with h.Workdir("stall") as work, h.Simulator(
            work.path, "--scrobbles", 600, "--fault-at", "3:stall,5:slow",
            "--slow-seconds", 0.5, "--stall-seconds", 60) as sim:
        r = h.syncd(sim, work, request_timeout=2, timeout=60)
        h.check(r.code == 0, "stall: exit %d: %s" % (r.code, r.err[-2000:]))
        h.check(r.seconds < 20, "stall: the pass took %.1f s" % r.seconds)
        h.check("within 2 s" in r.err, "stall: the timeout was not reported")
        h.compare_csv_with_truth(work, sim.truth(), "stall")


@h.case
def retries_exhausted():
    # Retries run out: exit 75, and the next run resumes and completes.
    with h.Workdir("giveup") as work, h.Simulator(
            work.path, "--scrobbles", 1000, "--fault-rate", 1.0, "--faults", "5xx") as sim:
        r = h.syncd(sim, work, max_retries=2)
        h.check(r.code == 75, "retries exhausted: exit %d" % r.code)
        h.check("giving up after 2 retries" in r.err, "no clear message: %s" % r.err[-500:])
        sim.control("set", fault_rate=0)
        r = h.syncd(sim, work)
        h.check(r.code == 0, "after faults cleared: exit %d: %s" % (r.code, r.err[-2000:]))
        h.compare_csv_with_truth(work, sim.truth(), "after exhausted retries")


h.main()

"""kill -9 mid-pass, then a re-run: it fetches only the missing pages, leaves
no torn or temp files, and the result equals the simulator's history."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


@h.case
def sigkill():
    with h.Workdir("kill") as work, h.Simulator(
            work.path, "--scrobbles", 8000, "--latency", 0.05) as sim:
        kills = 0
        for delay in (0.4, 0.7, 1.0):
            p = h.spawn_syncd(sim, work, rate_limit=10)
            time.sleep(delay)
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                kills += 1
            p.communicate()
            pages = h.raw_pages(work)
            h.check_data_dir(work, sim, "after kill at %.1f s" % delay, allow_temp=True)
        h.check(kills >= 2, "the pass finished before it could be killed")
        pages_before = set(h.raw_pages(work))
        h.check(len(pages_before) > 0, "nothing was written before the kills")
        running = [m for m in h.manifests(work) if m["state"] == "running"]
        h.check(len(running) == 1, "after the kills %d passes are running, want 1" % len(running))
        before = sim.page_requests()
        r = h.syncd(sim, work, rate_limit=100)
        h.check(r.code == 0, "re-run: exit %d: %s" % (r.code, r.err[-2000:]))
        h.check("resuming pass" in r.err, "the re-run did not resume")
        used = sim.page_requests() - before
        total_pages = sum(m["total_pages"] for m in h.manifests(work))
        h.check(used < total_pages + 10 - len(pages_before) + 5,
                "the re-run made %d requests for %d missing pages"
                % (used, total_pages - len(pages_before)))
        h.compare_csv_with_truth(work, sim.truth(), "after kill -9 and resume")
        h.check_data_dir(work, sim, "after resume")


@h.case
def sigterm():
    # SIGTERM stops a --once run with 75, and it resumes.
    with h.Workdir("term") as work, h.Simulator(work.path, "--scrobbles", 4000, "--latency", 0.05) as sim:
        p = h.spawn_syncd(sim, work, rate_limit=30)
        time.sleep(0.5)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
        h.check(p.returncode == 75, "SIGTERM: exit %d" % p.returncode)
        h.check_data_dir(work, sim, "after SIGTERM")
        r = h.syncd(sim, work)
        h.check(r.code == 0, "after SIGTERM: exit %d" % r.code)
        h.compare_csv_with_truth(work, sim.truth(), "after SIGTERM and resume")


h.main()

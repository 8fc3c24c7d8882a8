"""The artists' tags of a 146k history: the first tag fetch runs at the
configured rate (its duration against artists / rate, and the most requests
in any second, printed), and a pass with nothing new, every answer fresh,
makes no tag request; then what --status costs on it.  Prints figures;
asserts nothing."""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import harness as h  # noqa: E402

RATE = float(os.environ.get("TAGS_BENCH_RATE", "20"))


def max_in_second(times):
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best


def main():
    with h.Workdir("tags-bench") as work, \
            h.Simulator(work.path, "--history", "listener", "--scrobbles", 146000,
                        "--seed", 9) as sim:
        t0 = time.time()
        r = h.syncd(sim, work, rate_limit=RATE, timeout=3600)
        wall = time.time() - t0
        if r.code != 0:
            print("tags bench: the first run failed (exit %d): %s" % (r.code, r.err[-1500:]))
            sys.exit(1)
        st = sim.stats()
        m = re.search(r"tags: (\d+) answers stored .*?; (\d+) requests, (\d+) retries, ([\d.]+) s",
                      r.err)
        stored, requests, retries, secs = (int(m.group(1)), int(m.group(2)), int(m.group(3)),
                                           float(m.group(4))) if m else (0, 0, 0, 0.0)
        times = sim.control("times")
        tag_times = sorted(times)[-st["tag_requests"]:] if st["tag_requests"] else []
        print("tags bench: 146,000 scrobbles, %d artists asked about at LASTFM_RATE_LIMIT=%g"
              % (stored, RATE))
        print("  first tag fetch: %d requests (%d retries) in %.1f s; artists / rate = %.1f s "
              "(ratio %.2f)" % (requests, retries, secs, stored / RATE,
                                 secs / (stored / RATE) if stored else 0))
        print("  most tag requests in any second: %d (the bucket: %g a second, a burst of %g)"
              % (max_in_second(tag_times), RATE, RATE))
        print("  the whole first run (sync, CSV, database, report, tags, again): %.1f s" % wall)
        n0 = sim.stats()["tag_requests"]
        t0 = time.time()
        r = h.syncd(sim, work, rate_limit=RATE)
        print("  a pass with nothing new: %d tag requests, %.2f s (exit %d)"
              % (sim.stats()["tag_requests"] - n0, time.time() - t0, r.code))
        # What a cron job's look costs: --status reads the CSV (scrobbles,
        # artists) and every stored tag answer.
        e = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        e["LASTFM_DATA_DIR"] = work.data
        runs = [h.run([h.SYNCD, "--status", "--json", "--env-file", "/dev/null"], e, work.path)
                for _ in range(3)]
        best = min(x.seconds for x in runs)
        tags = (json.loads(runs[-1].out) if runs[-1].code in (0, 1) else {}).get("tags") or {}
        print("  --status --json: %.2f s (best of 3, exit %d); tags of %s of %s artists stored"
              % (best, runs[-1].code, tags.get("stored"), tags.get("artists")))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""make bench: prints figures, asserts nothing.

1. The simulator's own throughput (it must never be the bottleneck).
2. A full sync of a 146,000-scrobble history (731 pages of 200) with 300 ms of
   latency per request, at the default rate and at 20 req/s, beside a
   sequential client (one page at a time, as exporter scripts do).
3. The flatten of that raw dataset: cold (no cache), warm after one new page,
   and a straightforward Python implementation, with peak RSS.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness as h  # noqa: E402

SCROBBLES = 146000
LATENCY = 0.3


def run_measured(cmd, env=None, cwd=None):
    """Run cmd; return (exit code, seconds, peak RSS in KiB, stdout, stderr)."""
    t0 = time.time()
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.time() - t0
    out.seek(0)
    err.seek(0)
    return (os.waitstatus_to_exitcode(status), secs, usage.ru_maxrss,
            out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def sim_throughput(work):
    with h.Simulator(work.path, "--scrobbles", SCROBBLES, "--now-playing", "first") as sim:
        if not shutil.which("curl"):
            return None
        url = ("%s?method=user.getrecenttracks&user=%s&api_key=%s&format=json&limit=200"
               "&page=[1-731]" % (sim.url, sim.user, sim.api_key))
        t0 = time.time()
        subprocess.run(["curl", "-s", "--parallel", "--parallel-max", "8", url, "-o", "/dev/null"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return 731 / (time.time() - t0)


def sync_run(work, rate, sim_args=()):
    with h.Simulator(work.path, "--scrobbles", SCROBBLES, "--latency", LATENCY, "--seed", 146,
                     *sim_args) as sim:
        env = h.base_env(sim, work, rate_limit=rate, page_limit=200, max_in_flight=8,
                         request_timeout=30)
        if rate is None:
            del env["LASTFM_RATE_LIMIT"]   # the default
        code, secs, rss, _, err = run_measured(
            [h.SYNCD, "--once", "--env-file", "/dev/null", "--no-progress"], env, work.path)
        stats = sim.stats()
        sync_secs = secs
        for line in err.splitlines():
            if "sync complete:" in line:
                sync_secs = float(line.rsplit(",", 1)[1].split()[0])
        return {"code": code, "seconds": secs, "sync_seconds": sync_secs, "rss_kib": rss,
                "requests": stats["requests"], "retries": err.count("; retry "), "log": err}


def sequential_run(work, result):
    with h.Simulator(work.path, "--scrobbles", SCROBBLES, "--latency", LATENCY, "--seed", 146) as sim:
        code, secs, rss, out, err = run_measured(
            [sys.executable, os.path.join(HERE, "sequential_client.py"), sim.url, sim.user,
             sim.api_key, "200"])
        result.update(json.loads(out) if code == 0 else {"error": err})
        result["seconds"] = secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--builddir")
    ap.add_argument("--srcdir")
    ap.add_argument("--quick", action="store_true", help="skip the default-rate sync")
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="lastfm-bench-")
    try:
        print("lastfm-syncd benchmark (%d scrobbles, %d pages of 200, %.0f ms latency)"
              % (SCROBBLES, 731, LATENCY * 1000), flush=True)

        w0 = h.Workdir("bench-sim")
        tput = sim_throughput(w0)
        w0.cleanup()
        print("\n[simulator] %s pages/s (731 pages of 200, first request for each, 8 parallel curl clients, no latency)"
              % ("%.0f" % tput if tput else "n/a (no curl)"), flush=True)

        # 2. sync: default rate beside the sequential client, then 20 req/s
        print("\n[sync] full sync of an empty data directory", flush=True)
        rows = []
        seq = {}
        wseq = h.Workdir("bench-seq")
        t = threading.Thread(target=sequential_run, args=(wseq, seq))
        t.start()
        wdef = h.Workdir("bench-default")
        runs = []
        if not args.quick:
            runs.append(("default 4.5 req/s", 4.5, wdef, sync_run(wdef, None)))
        w20 = h.Workdir("bench-20")
        runs.append(("20 req/s", 20.0, w20, sync_run(w20, 20)))
        t.join()
        print("  %-32s %8s %8s %8s %9s %8s %9s %8s %8s"
              % ("client", "process", "fetch", "ideal", "vs ideal", "req/s", "requests",
                 "retries", "RSS MiB"))
        for name, rate, work, r in runs:
            ideal = 731 / rate
            print("  %-32s %8.1f %8.1f %8.1f %8.1f%% %8.2f %9d %9d %8.1f%s"
                  % ("lastfm-syncd " + name, r["seconds"], r["sync_seconds"], ideal,
                     (r["sync_seconds"] / ideal - 1) * 100, r["requests"] / r["sync_seconds"],
                     r["requests"], r["retries"], r["rss_kib"] / 1024,
                     "" if r["code"] == 0 else "  EXIT %d" % r["code"]))
        print("  %-32s %8.1f %8.1f %8s %9s %8.2f %9s %9s %8s"
              % ("sequential client", seq["seconds"], seq["seconds"], "-", "-",
                 seq.get("requests", 0) / seq["seconds"], seq.get("requests", "?"), "-", "-"))
        print("  (process: the whole --once run incl. the flatten; fetch: the sync summary's time)")
        for name, rate, work, r in runs:
            print("  sequential / lastfm-syncd at %s: %.2fx" % (name, seq["seconds"] / r["seconds"]))
        wseq.cleanup()

        # 3. flatten on the raw dataset of the 20 req/s run
        work = w20
        data = work.data
        cache = os.path.join(data, "interim", "cache")
        shutil.rmtree(cache, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        npages = len(h.raw_pages(work))
        code, cold, cold_rss, _, err = run_measured([h.FLATTEN, "--data-dir", data], env)
        if code:
            print("cold flatten failed: " + err)
        # one new page: a new pass with one page (as an incremental sync writes)
        passes = sorted(d for d in os.listdir(os.path.join(data, "raw")) if d.startswith("pass-"))
        newest = os.path.join(data, "raw", passes[-1])
        with open(os.path.join(newest, "manifest.json")) as f:
            m = json.load(f)
        with open(os.path.join(newest, "page-000001.json")) as f:
            page1 = json.load(f)
        n = m["pass"] + 1
        top = m["window_to"]
        items = page1["recenttracks"]["track"]
        items = [i for i in items if "date" in i][:50]
        for k, it in enumerate(items):
            it["date"]["uts"] = str(top + 1000 - k)
        d = os.path.join(data, "raw", "pass-%06d" % n)
        os.makedirs(d)
        body = {"recenttracks": {"track": items, "@attr": {
            "user": "u", "page": "1", "perPage": "200", "totalPages": "1",
            "total": str(len(items))}}}
        with open(os.path.join(d, "page-000001.json"), "w") as f:
            json.dump(body, f)
        m.update({"pass": n, "kind": "new", "window_from": top + 1, "window_to": top + 1000,
                  "request_from": top, "request_to": top + 1001, "total": len(items),
                  "total_pages": 1})
        with open(os.path.join(d, "manifest.json"), "w") as f:
            json.dump(m, f)
        code, warm, warm_rss, _, err = run_measured([h.FLATTEN, "--data-dir", data], env)
        if code:
            print("warm flatten failed: " + err)
        ours = open(os.path.join(data, "interim", "lastfm_scrobbles_interim.csv"), "rb").read()
        ref_out = os.path.join(work.path, "reference.csv")
        code, py, py_rss, _, err = run_measured(
            [sys.executable, os.path.join(HERE, "flatten_reference.py"), data, ref_out], env)
        if code:
            print("python flatten failed: " + err)
        import csv as csvmod
        with open(ref_out, newline="", encoding="utf-8") as a, \
                open(os.path.join(data, "interim", "lastfm_scrobbles_interim.csv"), newline="",
                     encoding="utf-8") as b:
            same = list(csvmod.reader(a)) == list(csvmod.reader(b))
        rows = ours.count(b"\n")  # upper bound: names may hold newlines
        print("\n[flatten] %d raw pages, %.1f MiB of CSV" % (npages + 1, len(ours) / 2 ** 20))
        print("  %-34s %8s %10s %9s" % ("", "seconds", "vs Python", "RSS MiB"))
        print("  %-34s %8.3f %9.1f%% %9.1f" % ("lastfm-flatten cold (no cache)", cold,
                                               cold / py * 100, cold_rss / 1024))
        print("  %-34s %8.3f %9.1f%% %9.1f" % ("lastfm-flatten warm (1 new page)", warm,
                                               warm / py * 100, warm_rss / 1024))
        print("  %-34s %8.3f %9s %9.1f" % ("Python json+csv", py, "100%", py_rss / 1024))
        print("  cold is %.1fx faster than Python; warm is %.1f%% of Python; output identical "
              "to Python's (parsed rows): %s" % (py / cold, warm / py * 100, "yes" if same else "NO"))
        for _, _, w, _ in runs:
            w.cleanup()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

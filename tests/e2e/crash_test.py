"""Crash safety: kill -9 the sync (and the flatten it runs) deterministically at
each write, fsync and rename it makes (strace inject=...:signal=KILL:when=N),
and at random moments; after every kill, restart and finish.  Then: every raw
page is byte-identical to a complete server response, no temp file survives
the next start, every manifest parses, the CSV is always a complete version,
and the final CSV equals that of an uninterrupted run.

`make check` runs a bounded subset (every 4th kill point, 24 random kills);
`make check-crash` (LASTFM_CRASH_FULL=1) runs every kill point and 200 random
kills."""
import csv
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

FULL = os.environ.get("LASTFM_CRASH_FULL") == "1"
if not shutil.which("strace"):
    print("Bail out! strace is not installed (apt-get install strace)")
    sys.exit(1)

END = int(time.time()) - 3600
stats = {"deterministic": 0, "random": 0, "pages_checked": 0}


def settings():
    return {"page_limit": 50, "rate_limit": 100, "request_timeout": 5}


def run_sync(sim, work, prefix=(), timeout=120):
    env = h.base_env(sim, work, **settings())
    if prefix:
        env = h.traced_env(env)
    cmd = list(prefix) + [h.SYNCD, "--once", "--env-file", "/dev/null", "--no-progress"]
    return subprocess.run(cmd, env=env, cwd=work.path, capture_output=True, timeout=timeout)


def page_bytes(sim, m, page):
    q = {"method": "user.getrecenttracks", "user": sim.user, "api_key": sim.api_key,
         "format": "json", "limit": m["limit"], "page": page}
    if m["request_from"] >= 0:
        q["from"] = m["request_from"]
    q["to"] = m["request_to"]
    url = sim.url + "?" + urllib.parse.urlencode(q)
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def check_state(sim, work, what, after_restart):
    """The invariants that must hold after any kill (and after the restart)."""
    for path in h.data_files(work):
        name = os.path.basename(path)
        if ".tmp" in name:
            h.check(not after_restart, "%s: temp file survived the next start: %s" % (what, path))
            continue
        if name == "manifest.json":
            try:
                json.load(open(path))
            except ValueError:
                h.check(False, "%s: manifest does not parse: %s" % (what, path))
    for m in h.manifests(work):
        d = os.path.join(work.data, "raw", "pass-%06d" % m["pass"])
        for f in sorted(os.listdir(d)):
            mm = re.match(r"page-(\d+)\.json$", f)
            if not mm:
                continue
            got = open(os.path.join(d, f), "rb").read()
            want = page_bytes(sim, m, int(mm.group(1)))
            stats["pages_checked"] += 1
            h.check(got == want, "%s: %s/%s is not byte-identical to the server's response"
                    % (what, d, f))
    csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
    if os.path.exists(csv_path):
        data = open(csv_path, "rb").read()
        ok = data.startswith(b"played_at_utc,") and data.endswith(b"\n")
        if ok:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
            ok = all(len(r) == 9 for r in rows)
        h.check(ok, "%s: the CSV is not a complete version" % what)


def final_rows(work):
    # source_file names pass directories, whose numbers may differ after crashes
    return [r[:8] for r in h.read_csv(work)]


@h.case
def kills():
    with h.Workdir("crash") as work, h.Simulator(
            work.path, "--scrobbles", 1500, "--end", END, "--now-playing", "none") as sim:
        ref = h.Workdir("crash-ref")
        r = run_sync(sim, ref)
        h.check(r.returncode == 0, "reference run: exit %d %s" % (r.returncode, r.stderr[-500:]))
        reference = final_rows(ref)
        h.check(len(reference) == 1500, "reference CSV has %d rows" % len(reference))
        ref.cleanup()

        def fresh():
            shutil.rmtree(work.data, ignore_errors=True)

        # How many of each call one uninterrupted run makes (the main process).
        fresh()
        trace = os.path.join(work.path, "trace")
        run_sync(sim, work, ["strace", "-qq", "-o", trace, "-e",
                             "trace=write,fsync,fdatasync,rename,renameat,renameat2"])
        counts = {}
        for line in open(trace):
            if line.startswith(("---", "+++")):
                continue   # a signal or the exit, not a call
            name = line.split("(", 1)[0].strip()
            counts[name] = counts.get(name, 0) + 1
        print("calls in one run: %s" % counts)

        for call in ("write", "fsync", "renameat"):
            n = counts.get(call, 0)
            h.check(n > 0, "no %s calls were traced" % call)
            step = 1 if FULL else 4
            for k in range(1, n + 1, step):
                fresh()
                what = "kill at %s #%d" % (call, k)
                p = run_sync(sim, work, ["strace", "-qq", "-o", "/dev/null", "-e",
                                         "inject=%s:signal=KILL:when=%d" % (call, k)])
                stats["deterministic"] += 1
                check_state(sim, work, what, after_restart=False)
                r = run_sync(sim, work)
                h.check(r.returncode == 0, "%s: the restart exited %d: %s"
                        % (what, r.returncode, r.stderr.decode()[-800:]))
                check_state(sim, work, what + ", restarted", after_restart=True)
                if r.returncode == 0:
                    h.check(final_rows(work) == reference, "%s: the final CSV differs" % what)

        # Random moments: rounds of successive runs, each killed, then one that ends.
        rng = random.Random(42)
        rounds, kills = (20, 10) if FULL else (4, 6)
        sim.control("set", latency=0.01)
        for rd in range(rounds):
            fresh()
            for k in range(kills):
                env = h.base_env(sim, work, **settings())
                p = subprocess.Popen([h.SYNCD, "--once", "--env-file", "/dev/null", "--no-progress"],
                                     env=env, cwd=work.path, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.0, 0.8))
                p.send_signal(signal.SIGKILL)
                p.wait()
                stats["random"] += 1
                check_state(sim, work, "round %d, random kill %d" % (rd, k), after_restart=False)
            r = run_sync(sim, work)
            h.check(r.returncode == 0, "round %d: the final run exited %d" % (rd, r.returncode))
            check_state(sim, work, "round %d, finished" % rd, after_restart=True)
            h.check(final_rows(work) == reference, "round %d: the final CSV differs" % rd)

    print("kills survived: %d deterministic, %d random; %d raw pages compared byte for byte"
          % (stats["deterministic"], stats["random"], stats["pages_checked"]))


h.main()

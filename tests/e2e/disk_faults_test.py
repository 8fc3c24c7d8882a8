"""Disk faults: ENOSPC and EIO injected (strace inject=...:error=E:when=N) on
write, fsync and rename, one call at a time, during a sync and during the
flatten.  Each time: the error is logged with the file, nothing is torn (every
raw page equals the server's bytes), the previous CSV survives whole, and the
next run after the fault clears completes with the right CSV."""
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if not shutil.which("strace"):
    print("Bail out! strace is not installed (apt-get install strace)")
    sys.exit(1)

faults = {}
failed_runs = []


def page_ok(sim, work, seed):
    """Pages of the seed's passes are the seed's bytes; new pages are the server's."""
    for m in h.manifests(work):
        name = "pass-%06d" % m["pass"]
        d = os.path.join(work.data, "raw", name)
        for f in os.listdir(d):
            mm = re.match(r"page-(\d+)\.json$", f)
            if not mm:
                continue
            old = os.path.join(seed, "raw", name, f)
            if os.path.exists(old):
                if open(old, "rb").read() != open(os.path.join(d, f), "rb").read():
                    return "%s/%s" % (d, f)
                continue
            q = {"method": "user.getrecenttracks", "user": sim.user, "api_key": sim.api_key,
                 "format": "json", "limit": m["limit"], "page": int(mm.group(1)),
                 "to": m["request_to"]}
            if m["request_from"] >= 0:
                q["from"] = m["request_from"]
            with urllib.request.urlopen(sim.url + "?" + urllib.parse.urlencode(q)) as r:
                if r.read() != open(os.path.join(d, f), "rb").read():
                    return "%s/%s" % (d, f)
    return None


@h.case
def disk_faults():
    with h.Workdir("disk") as work, h.Simulator(work.path, "--scrobbles", 800,
                                                "--now-playing", "none") as sim:
        env = h.base_env(sim, work)
        base = [h.SYNCD, "--once", "--env-file", "/dev/null", "--no-progress"]
        csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
        truth = sim.truth()
        # A synced data directory to start each case from, with a CSV to keep.
        seed = os.path.join(work.path, "seed")
        r = subprocess.run(base, env=dict(env, LASTFM_DATA_DIR=seed), cwd=work.path, capture_output=True)
        h.check(r.returncode == 0, "seed sync failed")
        # Then a history that has changed, so that the next run writes pages and a CSV.
        sim.control("delete", n=3, where="recent")
        truth = sim.truth()
        for call, errs in (("write", ("ENOSPC", "EIO")), ("fsync", ("EIO", "ENOSPC")),
                           ("renameat", ("ENOSPC", "EIO"))):
            for err in errs:
                for n in (1, 2, 3, 5, 8, 12, 20):
                    shutil.rmtree(work.data, ignore_errors=True)
                    shutil.copytree(seed, work.data)
                    before = open(csv_path, "rb").read()
                    what = "%s=%s #%d" % (call, err, n)
                    p = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e",
                                        "inject=%s:error=%s:when=%d" % (call, err, n)] + base,
                                       env=h.traced_env(env), cwd=work.path, capture_output=True,
                                       timeout=120)
                    out = p.stderr.decode("utf-8", "replace")
                    faults[call + "/" + err] = faults.get(call + "/" + err, 0) + 1
                    later = re.search(r"(the processed stage|the report) (failed|was killed)", out)
                    if p.returncode != 0 and later and "wrote " + csv_path in out:
                        # The fault hit a later stage's child (its report pipe, its
                        # log): --once says so with that stage's code; the CSV stands.
                        failed_runs.append(what)
                        h.check(p.returncode in (65, 74, 75), "%s: a later stage failed: exit %d: %s"
                                % (what, p.returncode, out[-500:]))
                    elif p.returncode != 0:
                        failed_runs.append(what)
                        h.check(p.returncode == 74, "%s: exit %d: %s" % (what, p.returncode, out[-500:]))
                        h.check(re.search(r"cannot (write|replace|create|clear) \S+", out) is not None,
                                "%s: the error does not name the file: %s" % (what, out[-500:]))
                        now = open(csv_path, "rb").read()
                        h.check(now == before or now.endswith(b"\n") and now.startswith(b"played_at"),
                                "%s: the CSV is torn" % what)
                    bad = page_ok(sim, work, seed)
                    h.check(bad is None, "%s: torn page %s" % (what, bad))
                    r = subprocess.run(base, env=env, cwd=work.path, capture_output=True)
                    h.check(r.returncode == 0, "%s: the run after the fault exited %d: %s"
                            % (what, r.returncode, r.stderr.decode()[-500:]))
                    h.check_data_dir(work, sim, what + ", after")
                    rows = [x[:7] for x in h.read_csv(work)]
                    h.check(rows == h.truth_rows(truth), "%s: the CSV after recovery differs" % what)
        # The CSV's own rename fails after a sync stored new pages: the previous CSV
        # stays, and the next run rewrites it even though it fetches nothing new.
        shutil.rmtree(work.data, ignore_errors=True)
        shutil.copytree(seed, work.data)
        before = open(csv_path, "rb").read()
        sim.control("add", n=2, age=0)
        truth = sim.truth()
        p = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-P", os.path.dirname(csv_path), "-e",
                            "inject=renameat:error=EIO"] + base, env=h.traced_env(env),
                           cwd=work.path, capture_output=True, timeout=120)
        faults["renameat/EIO (CSV)"] = 1
        h.check(p.returncode == 74, "CSV rename: exit %d: %s" % (p.returncode, p.stderr[-500:]))
        h.check(b"cannot replace" in p.stderr and b"lastfm_scrobbles_interim.csv" in p.stderr,
                "CSV rename: the error does not name the CSV")
        h.check(open(csv_path, "rb").read() == before, "CSV rename: the previous CSV changed")
        r = subprocess.run(base, env=env, cwd=work.path, capture_output=True)
        h.check(r.returncode == 0, "after the CSV fault: exit %d" % r.returncode)
        rows = [x[:7] for x in h.read_csv(work)]
        h.check(rows == h.truth_rows(truth), "after the CSV fault the CSV was not rewritten")
    print("faults injected: %s" % faults)
    print("%d runs failed cleanly with exit 74 (the others hit a log write or a call after the data was safe)"
          % len(failed_runs))
    h.check(len(failed_runs) >= 10, "only %d injected faults made the run fail: %s" % (len(failed_runs), failed_runs))


h.main()

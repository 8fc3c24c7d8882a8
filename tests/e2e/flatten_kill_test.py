"""Killing the flatten mid-write leaves the previous CSV intact (a reader never
sees a partial file), and the next run leaves no temp file and writes the new
version.  Kills are deterministic (strace: SIGKILL at the CSV's fsync, and at
its rename) and at random moments."""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


@h.case
def flatten_kill():
    with h.Workdir("flatkill") as work, h.Simulator(work.path, "--scrobbles", 30000) as sim:
        r = h.syncd(sim, work, page_limit=200)
        h.check(r.code == 0, "sync: exit %d: %s" % (r.code, r.err[-2000:]))
        csv_path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
        old = open(csv_path, "rb").read()
        sim.control("add", n=30, age=0)
        r = h.syncd(sim, work, page_limit=200, timeout=120)
        h.check(r.code == 0, "second sync: exit %d" % r.code)
        new = open(csv_path, "rb").read()
        h.check(new != old, "the second sync did not change the CSV")
        # Put the old CSV back so that each kill below must leave exactly it.
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        interim = os.path.join(work.data, "interim")

        def reset():
            with open(csv_path + ".restore", "wb") as f:
                f.write(old)
            os.replace(csv_path + ".restore", csv_path)

        def temp_files():
            return [f for f in os.listdir(interim) if ".tmp" in f]

        kills = 0
        if shutil.which("strace"):
            for call in ("fsync", "rename"):
                reset()
                inject = "inject=%s:signal=KILL:when=1" % ("renameat,rename" if call == "rename" else "fdatasync,fsync")
                # the first fsync and the first rename of the CSV's own write: flatten
                # writes cache files with rename but no fsync, so use --rebuild
                # without a cache for the rename case
                if call == "rename":
                    shutil.rmtree(os.path.join(interim, "cache"), ignore_errors=True)
                    # cache files are renamed too: kill at the last rename instead
                    p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=renameat,rename", "-o",
                                        os.path.join(work.path, "trace"), h.FLATTEN, "--data-dir",
                                        work.data], env=h.traced_env(env), capture_output=True)
                    n = sum(1 for l in open(os.path.join(work.path, "trace")) if "rename" in l)
                    reset()
                    shutil.rmtree(os.path.join(interim, "cache"), ignore_errors=True)
                    inject = "inject=renameat,rename:signal=KILL:when=%d" % n
                p = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", inject,
                                    h.FLATTEN, "--data-dir", work.data], env=h.traced_env(env),
                                   capture_output=True)
                h.check(p.returncode != 0, "strace %s: the flatten was not killed" % call)
                kills += 1
                h.check(open(csv_path, "rb").read() == old,
                        "killed at the CSV's %s: the previous CSV changed" % call)
        else:
            h.check(False, "strace is not installed (apt-get install strace)")

        rng = random.Random(5)
        for i in range(10):
            reset()
            p = subprocess.Popen([h.FLATTEN, "--data-dir", work.data, "--rebuild"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, 0.3))
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
            got = open(csv_path, "rb").read()
            h.check(got in (old, new), "kill %d: the CSV is neither the old nor the new version" % i)

        r = h.run([h.FLATTEN, "--data-dir", work.data], env, work.path)
        h.check(r.code == 0, "flatten after kills: exit %d: %s" % (r.code, r.err))
        h.check(temp_files() == [], "temp files left after the next run: %s" % temp_files())
        h.check(open(csv_path, "rb").read() == new, "after the kills the CSV is not the new version")
        print("kills: %d" % kills)


h.main()

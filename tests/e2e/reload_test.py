"""SIGHUP reaches every stage: one setting of each, changed in the conf file,
is used by the next build without a restart.

- LASTFM_PAGE_LIMIT (the fetch): the next pass asks pages of the new size;
- LASTFM_BURST_LIMIT (the processed stage): the database is rebuilt with it;
- LASTFM_REPORT_ARTIST_MIN (the report): the site is drawn again with it,
  though the database did not change for it (it was read once at start)."""
import glob
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


def write_conf(path, page_limit, burst, artist_min):
    with open(path, "w") as f:
        f.write("LASTFM_PAGE_LIMIT=%d\nLASTFM_BURST_LIMIT=%d\nLASTFM_REPORT_ARTIST_MIN=%d\n"
                % (page_limit, burst, artist_min))


@h.case
def reload():
    with h.Workdir("reload") as work, h.Simulator(work.path, "--scrobbles", 3000,
                                                  "--history", "listener", "--per-day", 5) as sim:
        conf = os.path.join(work.path, "syncd.conf")
        write_conf(conf, 50, 8, 100000)
        env = h.base_env(sim, work, sync_interval="1h", rebuild_interval=0)
        for k in ("LASTFM_PAGE_LIMIT", "LASTFM_BURST_LIMIT", "LASTFM_REPORT_ARTIST_MIN"):
            env.pop(k, None)
        p = subprocess.Popen([h.SYNCD, "--env-file", "/dev/null", "--config", conf], env=env,
                             cwd=work.path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        lines = []
        threading.Thread(target=lambda: lines.extend(
            l.decode("utf-8", "replace") for l in p.stderr), daemon=True).start()

        def wait_for(words, n=1, timeout=60):
            deadline = time.time() + timeout
            while time.time() < deadline:
                if "".join(lines).count(words) >= n:
                    return True
                time.sleep(0.05)
            return False

        try:
            h.check(wait_for("report/index.html"), "the first cycle did not end: %s"
                    % "".join(lines)[-1500:])
            artist_dir = os.path.join(work.data, "report", "artist")
            before = len(os.listdir(artist_dir)) if os.path.isdir(artist_dir) else 0
            h.check(before == 0, "%d artist pages at LASTFM_REPORT_ARTIST_MIN=100000" % before)
            passes = set(glob.glob(os.path.join(work.data, "raw", "pass-*")))

            write_conf(conf, 37, 0, 20)
            sim.control("add", n=5, age=0)
            p.send_signal(signal.SIGHUP)
            h.check(wait_for("report/index.html", n=2), "no report after SIGHUP: %s"
                    % "".join(lines)[-1500:])

            pages = len(os.listdir(artist_dir)) if os.path.isdir(artist_dir) else 0
            print("artist pages: %d before, %d after the reload" % (before, pages))
            h.check(pages > 0, "LASTFM_REPORT_ARTIST_MIN=20 after SIGHUP: still no artist page")
            db = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
            burst = db.execute("SELECT value FROM meta WHERE key = 'burst_limit'").fetchone()[0]
            db.close()
            h.check(burst == "0", "LASTFM_BURST_LIMIT=0 after SIGHUP: the database has %s" % burst)
            new = sorted(set(glob.glob(os.path.join(work.data, "raw", "pass-*"))) - passes)
            limits = []
            for d in new:
                with open(os.path.join(d, "manifest.json")) as f:
                    limits.append(json.load(f)["limit"])
            h.check(limits and all(x == 37 for x in limits),
                    "LASTFM_PAGE_LIMIT=37 after SIGHUP: the new passes ask %s" % limits)
            h.compare_csv_with_truth(work, sim.truth(), "after the reload")
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
        h.check(p.returncode == 0, "the daemon exited %d" % p.returncode)


h.main()

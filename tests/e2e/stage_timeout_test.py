"""Every stage child is supervised (LASTFM_STAGE_TIMEOUT).

- A processed-stage child stopped with SIGSTOP (a stalled disk, NFS) is
  killed at the timeout, the kill is logged at err with the stage and its
  runtime, its temp database is removed at once, and the next pass runs on
  schedule.
- Ten SIGKILLs of each stage child (flatten, process, report: what the OOM
  killer does under MemoryMax=) leave no temp file behind, with the daemon
  still running.
- --once exits non-zero when a later stage failed, with the CSV written."""
import glob
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


class Daemon:
    """lastfm-syncd in the foreground, its stderr collected by a thread."""

    def __init__(self, sim, work, **settings):
        env = h.base_env(sim, work, **settings)
        self.p = subprocess.Popen([h.SYNCD, "-v", "--env-file", "/dev/null"], env=env,
                                  cwd=work.path, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        self.lines = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.p.stderr:
            with self.lock:
                self.lines.append(raw.decode("utf-8", "replace"))

    def text(self):
        with self.lock:
            return "".join(self.lines)

    def count(self, words):
        return self.text().count(words)

    def wait_for(self, words, n=1, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.count(words) >= n:
                return True
            if self.p.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def children(self):
        out = []
        for path in glob.glob("/proc/%d/task/*/children" % self.p.pid):
            try:
                with open(path) as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
        return out

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def temp_files(work):
    return [os.path.relpath(os.path.join(d, f), work.data)
            for d, dirs, files in os.walk(work.data)
            for f in files + dirs if ".tmp-" in f]


# SIGSTOP: killed at the timeout, the temp database gone, the schedule kept.
# (The timeout leaves room for every stage under a sanitizer or valgrind.)
SLOW = bool(h.WRAPPER) or h.asan_build()
TIMEOUT = 15 if SLOW else 3
KILLED = "the processed stage ran "


@h.case
def stage_timeout():
    with h.Workdir("stage-timeout") as work, h.Simulator(work.path, "--scrobbles", 8000) as sim:
        d = Daemon(sim, work, sync_interval=10, stage_timeout=TIMEOUT, rebuild_interval=0)
        try:
            h.check(d.wait_for("report/index.html", timeout=180 if SLOW else 60),
                    "the first cycle did not end: " + d.text()[-2000:])
            # A rebuild (SIGUSR2) runs the processed stage: stop it while it builds.
            stopped = None
            d.p.send_signal(signal.SIGUSR2)
            deadline = time.time() + 30
            while stopped is None and time.time() < deadline:
                for pid in d.children():
                    if os.path.exists(os.path.join(work.data, "processed",
                                                   ".lastfm.sqlite.tmp-%d" % pid)):
                        os.kill(pid, signal.SIGSTOP)
                        stopped = pid
                        break
                time.sleep(0.001)
            h.check(stopped is not None, "no processed-stage child was caught building")
            t0 = time.time()
            runs = d.count("sync complete")
            h.check(d.wait_for(KILLED, timeout=TIMEOUT + 20),
                    "the stopped child was not killed: " + d.text()[-2000:])
            waited = time.time() - t0
            line = ([l for l in d.text().splitlines() if KILLED in l] or [""])[0]
            print(line)
            h.check("error:" in line and "past LASTFM_STAGE_TIMEOUT, and was killed" in line,
                    "the kill is not logged at err with the stage and its runtime: " + line)
            h.check(TIMEOUT / 2 <= waited <= TIMEOUT + 5, "killed %.1f s after the stop, want ~%d s"
                    % (waited, TIMEOUT))
            h.check(not os.path.exists("/proc/%d" % stopped) or
                    open("/proc/%d/stat" % stopped).read().split()[2] == "Z",
                    "the stopped child still runs")
            h.check(temp_files(work) == [], "temp files left: %s" % temp_files(work))
            # The schedule goes on: a pass within the interval (10 s) and a bit.
            h.check(d.wait_for("sync complete", n=runs + 1, timeout=25 + (60 if SLOW else 0)),
                    "no pass after the kill: " + d.text()[-1500:])
            h.check(d.p.poll() is None, "the daemon exited")
        finally:
            d.stop()


# Ten SIGKILLs of each stage child: no debris, the daemon goes on.
NAMES = {0: "the flatten", 1: "the processed stage", 2: "the report"}


@h.case
def stage_kills():
    with h.Workdir("stage-kills") as work, h.Simulator(work.path, "--scrobbles", 8000) as sim:
        # No tags: the rounds count the children of a pass (flatten, process,
        # report) in order, and a tag run would add a fourth and a second
        # process and report after them.
        d = Daemon(sim, work, sync_interval=3600, rebuild_interval=0, tags=0)
        try:
            h.check(d.wait_for("report/index.html", timeout=180 if SLOW else 60),
                    "the first cycle did not end: " + d.text()[-2000:])
            killed = {0: 0, 1: 0, 2: 0}
            deadline = time.time() + 240
            rounds = 0
            while min(killed.values()) < 10 and time.time() < deadline:
                target = min(killed, key=killed.get)
                rounds += 1
                # New scrobbles: the CSV, the database and the report all change.
                sim.control("add", n=5, age=0)
                before = d.count("was killed by signal 9")
                seen = []
                d.p.send_signal(signal.SIGHUP)
                t_end = time.time() + 20
                while time.time() < t_end and len(seen) <= target:
                    for pid in d.children():
                        if pid not in seen:
                            seen.append(pid)
                            if len(seen) == target + 1:
                                os.kill(pid, signal.SIGKILL)
                    time.sleep(0.0005)
                if len(seen) <= target:
                    continue
                if d.wait_for("was killed by signal 9", n=before + 1, timeout=20):
                    last = [l for l in d.text().splitlines() if "was killed by signal 9" in l][-1]
                    for k, name in NAMES.items():
                        if name + " was killed" in last:
                            killed[k] += 1
                # Idle again before the next round.
                time.sleep(0.3)
                h.check(d.p.poll() is None, "the daemon exited after a kill")
                h.check(temp_files(work) == [], "round %d: temp files left: %s"
                        % (rounds, temp_files(work)))
            print("kills: flatten %d, process %d, report %d in %d rounds"
                  % (killed[0], killed[1], killed[2], rounds))
            h.check(min(killed.values()) >= 10, "not every stage was killed ten times: %s" % killed)
            h.check(temp_files(work) == [], "temp files left: %s" % temp_files(work))
        finally:
            d.stop()


# --once: a later stage that fails (here its files may not grow past 200 KB,
# as on a full disk) is not exit 0; the raw pages and the CSV are written.
def small_files():
    import resource
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200 << 10, resource.RLIM_INFINITY))


@h.case
def stage_once():
    with h.Workdir("stage-once") as work, h.Simulator(work.path, "--scrobbles", 500) as sim:
        p = subprocess.run([h.SYNCD, "--once", "--env-file", "/dev/null"],
                           env=h.base_env(sim, work), cwd=work.path, capture_output=True,
                           timeout=120, preexec_fn=small_files)
        err = p.stderr.decode("utf-8", "replace")
        h.check(p.returncode in (74, 75), "--once with a failed database exited %d, want 74 or 75: %s"
                % (p.returncode, err[-1000:]))
        h.check("the processed stage failed" in err or "the processed stage was killed" in err,
                "no word of the failed stage: " + err[-1000:])
        h.compare_csv_with_truth(work, sim.truth(), "a failed later stage")
        h.check(temp_files(work) == [], "temp files left: %s" % temp_files(work))


h.main()

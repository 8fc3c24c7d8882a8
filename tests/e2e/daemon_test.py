"""The daemon against the simulator, with a fake NOTIFY_SOCKET: READY, STATUS
progress and idle lines, WATCHDOG cadence; new scrobbles + SIGHUP show up in the
CSV (RELOADING with MONOTONIC_USEC, then READY); a bad configuration + SIGHUP
keeps the old one; SIGUSR1 resyncs fully; idle means asleep; SIGTERM mid-pass
exits 0 within 5 s with no temp files; a fatal API error exits 78 at once."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


class Notify:
    """A datagram socket standing in for systemd's notify socket."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.setblocking(False)
        self.messages = []   # (time, text)
        self.cursor = 0      # wait_for looks at messages from here on
        # Read all the time, as systemd does: a full queue would block sd_notify.
        self.lock = threading.Lock()
        self.stop = False
        self.thread = threading.Thread(target=self._reader, daemon=True)
        self.thread.start()

    def _reader(self):
        while not self.stop:
            with self.lock:
                self._drain_locked()
            time.sleep(0.01)

    def _drain_locked(self):
        while True:
            try:
                self.messages.append((time.time(), self.sock.recv(4096).decode()))
            except BlockingIOError:
                return

    def drain(self):
        with self.lock:
            self._drain_locked()
            return list(self.messages)

    def wait_for(self, pred, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.drain()
            for i in range(self.cursor, len(self.messages)):
                if pred(self.messages[i][1]):
                    self.cursor = i + 1
                    return self.messages[i][1]
            time.sleep(0.02)
        return None

    def skip(self):
        """Forget what arrived so far."""
        self.drain()
        self.cursor = len(self.messages)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_csv(work, want, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
        if os.path.exists(path):
            try:
                if len(h.read_csv(work)) == want:
                    return True
            except Exception:
                pass
        time.sleep(0.1)
    return False


@h.case
def daemon():
    with h.Workdir("daemon") as work, h.Simulator(work.path, "--scrobbles", 3000,
                                                   "--latency", 0.05) as sim:
        notify = Notify(os.path.join(work.path, "notify.sock"))
        env_file = os.path.join(work.path, "daemon.env")
        with open(env_file, "w") as f:
            f.write("LASTFM_SYNC_INTERVAL=1h\n")
        env = h.base_env(sim, work, rate_limit=30)
        env.update({"NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "200000"})
        err_path = os.path.join(work.path, "daemon.err")
        p = subprocess.Popen([h.SYNCD, "--env-file", env_file], env=env, cwd=work.path,
                             stdout=subprocess.DEVNULL, stderr=open(err_path, "w"))
        try:
            h.check(notify.wait_for(lambda m: m == "READY=1") is not None, "no READY=1")
            h.check(notify.wait_for(lambda m: m.startswith("STATUS=idle: 3,000 scrobbles, last sync"))
                    is not None, "no idle STATUS with the scrobble count: %r" % notify.messages[-5:])
            h.check(any(m.startswith("STATUS=pass ") and "req/s" in m for _, m in notify.messages),
                    "no progress STATUS during the pass")
            h.compare_csv_with_truth(work, sim.truth(), "daemon first pass")

            # Watchdog every 100 ms (half of WATCHDOG_USEC), also while idle.
            notify.drain()
            n0 = len(notify.messages)
            time.sleep(1.0)
            wd = [m for _, m in notify.drain()[n0:] if m == "WATCHDOG=1"]
            h.check(7 <= len(wd) <= 13, "%d WATCHDOG=1 in 1 s, want about 10" % len(wd))

            # Idle is asleep: no busy polling.
            c0 = cpu_seconds(p.pid)
            time.sleep(2.0)
            used = cpu_seconds(p.pid) - c0
            h.check(used < 0.1, "idle daemon used %.2f s of CPU in 2 s" % used)

            # New and late scrobbles + SIGHUP: they appear in the CSV.
            sim.control("add", n=3, age=0)
            sim.control("add", n=2, age=5 * 86400)
            notify.skip()
            p.send_signal(signal.SIGHUP)
            m = notify.wait_for(lambda m: m.startswith("RELOADING=1"))
            h.check(m is not None and "MONOTONIC_USEC=" in m, "RELOADING: %r" % m)
            h.check(notify.wait_for(lambda m: m == "READY=1") is not None, "no READY=1 after reload")
            h.check(wait_csv(work, 3005), "SIGHUP: new scrobbles not in the CSV")
            h.compare_csv_with_truth(work, sim.truth(), "after SIGHUP")

            # A bad configuration + SIGHUP: logged, the old one kept, still running.
            with open(env_file, "w") as f:
                f.write("LASTFM_SYNC_INTERVAL=soon\n")
            notify.skip()
            p.send_signal(signal.SIGHUP)
            h.check(notify.wait_for(lambda m: m == "READY=1") is not None, "no READY=1 after bad reload")
            time.sleep(0.5)
            h.check(p.poll() is None, "the daemon exited on a bad configuration")
            err = open(err_path).read()
            h.check("reload failed: keeping the previous configuration" in err and
                    "LASTFM_SYNC_INTERVAL: 'soon' is not a duration" in err, "bad reload not reported")
            time.sleep(1.5)
            sim.control("add", n=1, age=0)
            p.send_signal(signal.SIGHUP)   # still bad: the old configuration syncs
            h.check(wait_csv(work, 3006), "after a bad reload the daemon no longer syncs")
            with open(env_file, "w") as f:
                f.write("LASTFM_SYNC_INTERVAL=1h\n")

            # New rows wait for LASTFM_REBUILD_INTERVAL (6h by default): the
            # database still holds the first pass's 3,000 rows; SIGUSR2 rebuilds
            # the database and the report now, without a request.
            db = os.path.join(work.data, "processed", "lastfm.sqlite")
            page = os.path.join(work.data, "report", "index.html")

            def db_rows():
                with sqlite3.connect("file:%s?mode=ro" % db, uri=True) as c:
                    return int(c.execute("SELECT value FROM meta WHERE key = 'input_rows'")
                               .fetchone()[0])
            time.sleep(1.0)
            h.check(db_rows() == 3000, "the database was rebuilt for new rows within "
                    "LASTFM_REBUILD_INTERVAL: %d rows" % db_rows())
            ino = (os.stat(db).st_ino, os.stat(page).st_ino)
            before = sim.stats()["requests"]
            p.send_signal(signal.SIGUSR2)
            deadline = time.time() + 20
            while time.time() < deadline and os.stat(page).st_ino == ino[1]:
                time.sleep(0.1)
            h.check(os.stat(db).st_ino != ino[0] and os.stat(page).st_ino != ino[1],
                    "SIGUSR2: the database and the report were not rebuilt")
            h.check(sim.stats()["requests"] == before, "SIGUSR2 made %d requests"
                    % (sim.stats()["requests"] - before))
            h.check("SIGUSR2: rebuilding" in open(err_path).read(), "SIGUSR2 is not logged")
            h.check(db_rows() == len(h.read_csv(work)), "after SIGUSR2 the database has %d rows, "
                    "the CSV %d" % (db_rows(), len(h.read_csv(work))))

            # SIGUSR1: a full resync drops an old deletion.
            sim.control("delete", n=2, where="old")
            p.send_signal(signal.SIGUSR1)
            h.check(wait_csv(work, 3004, timeout=30), "SIGUSR1: the old deletions are still in the CSV")
            time.sleep(0.5)
            h.compare_csv_with_truth(work, sim.truth(), "after SIGUSR1")

            # SIGTERM in the middle of a pass: exit 0 within 5 s, STOPPING=1, no temp files.
            sim.control("set", latency=0.3)
            p.send_signal(signal.SIGUSR1)
            notify.wait_for(lambda m: m.startswith("STATUS=pass ") and "/" in m)
            time.sleep(0.3)
            t0 = time.time()
            p.send_signal(signal.SIGTERM)
            try:
                code = p.wait(10)
            except subprocess.TimeoutExpired:
                code = None
            h.check(code == 0, "SIGTERM: exit %r" % code)
            h.check(time.time() - t0 < 5, "SIGTERM took %.1f s" % (time.time() - t0))
            h.check(notify.wait_for(lambda m: m == "STOPPING=1", timeout=1) is not None or
                    any(m == "STOPPING=1" for _, m in notify.messages), "no STOPPING=1")
            h.check_data_dir(work, sim, "after SIGTERM")
            h.check(sim.api_key not in open(err_path).read(), "the API key is in the daemon's log")
        finally:
            notify.stop = True
            if p.poll() is None:
                p.kill()
                p.wait()


@h.case
def daemon_fatal():
    # A fatal API error: exit 78 at once, no retry loop.
    with h.Workdir("daemon-fatal") as work, h.Simulator(work.path, "--scrobbles", 100) as sim:
        env = h.base_env(sim, work, api_key="f" * 32)
        t0 = time.time()
        r = subprocess.run([h.SYNCD, "--env-file", "/dev/null"], env=env, cwd=work.path,
                           capture_output=True, timeout=30)
        h.check(r.returncode == 78, "daemon with a wrong key: exit %d" % r.returncode)
        h.check(time.time() - t0 < 5, "daemon with a wrong key took %.1f s" % (time.time() - t0))
        h.check(sim.stats()["requests"] <= 2, "daemon with a wrong key: %d requests"
                % sim.stats()["requests"])


h.main()

"""Bytes written in a heavy listener's day: 146,000 scrobbles, a new one every
15-minute pass.  The daemon is traced with strace (every write, pwrite and
writev of it and its stage children, summed by their results) over passes
that each bring one new scrobble, and over one rebuild of the database and
the report (SIGUSR2).  A day is 96 passes and, with LASTFM_REBUILD_INTERVAL,
86400 / interval rebuilds (0: one after every pass).  Prints figures; asserts
nothing."""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import harness as h  # noqa: E402

PASSES = 8
WRITE_RE = re.compile(r"^\d+\s+(?:write|pwrite64|writev|pwritev|pwritev2)\(.*\)\s+=\s+(\d+)")


def traced_bytes(pid, action):
    """Bytes the process (and children it forks meanwhile) write during action()."""
    log = "/tmp/lastfm-writes-%d.strace" % os.getpid()
    st = subprocess.Popen(["strace", "-f", "-qq", "-s", "0", "-e", "signal=none", "-e",
                           "trace=write,pwrite64,writev,pwritev,pwritev2", "-o", log,
                           "-p", str(pid)], stderr=subprocess.DEVNULL)
    time.sleep(1.0)   # attached
    action()
    time.sleep(0.5)
    st.send_signal(signal.SIGINT)
    st.wait(30)
    total = 0
    with open(log, errors="replace") as f:
        for line in f:
            m = WRITE_RE.match(line)
            if m:
                total += int(m.group(1))
    os.unlink(log)
    return total


def main():
    with h.Workdir("writes") as work, \
            h.Simulator(work.path, "--scrobbles", 146000, "--seed", 9) as sim:
        sock_path = os.path.join(work.path, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        idle = threading.Event()

        def reader():
            while True:
                try:
                    m = sock.recv(4096).decode()
                except OSError:
                    return
                if m.startswith("STATUS=idle"):
                    idle.set()
        threading.Thread(target=reader, daemon=True).start()
        env = h.base_env(sim, work, rate_limit=100, page_limit=200, sync_interval="1h",
                         rebuild_interval="6h")
        env["NOTIFY_SOCKET"] = sock_path
        p = subprocess.Popen([h.SYNCD, "--env-file", "/dev/null"], env=env, cwd=work.path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            idle.wait(600)
            sizes = {n: os.path.getsize(os.path.join(work.data, n)) for n in (
                "interim/lastfm_scrobbles_interim.csv", "processed/lastfm.sqlite",
                "report/index.html")}

            def passes():
                for _ in range(PASSES):
                    sim.control("add", n=1, age=0)
                    idle.clear()
                    p.send_signal(signal.SIGHUP)
                    idle.wait(120)
                    time.sleep(1.1)   # the next scrobble a second later

            def rebuild():
                idle.clear()
                p.send_signal(signal.SIGUSR2)
                idle.wait(120)
            per_pass = traced_bytes(p.pid, passes) / PASSES
            per_rebuild = traced_bytes(p.pid, rebuild)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(20)
        mb = 1e6
        print("[writes] a heavy listener's day at 146,000 scrobbles (strace, %d passes)" % PASSES)
        for n, s in sizes.items():
            print("  %-40s %8.1f MB" % (n, s / mb))
        print("  a pass with one new scrobble (CSV, raw page, cache): %8.1f MB" % (per_pass / mb))
        print("  a rebuild of the database and the report:           %8.1f MB" % (per_rebuild / mb))
        for label, interval in (("after every pass (LASTFM_REBUILD_INTERVAL=0)", 0),
                                ("LASTFM_REBUILD_INTERVAL=1h", 3600),
                                ("LASTFM_REBUILD_INTERVAL=6h (default)", 6 * 3600)):
            rebuilds = 96 if interval == 0 else 86400 // interval
            day = 96 * per_pass + rebuilds * per_rebuild
            print("  a day, rebuilds %-44s %6.2f GB" % (label + ":", day / 1e9))


if __name__ == "__main__":
    main()

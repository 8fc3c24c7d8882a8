#!/usr/bin/env python3
"""The daemon over many passes: a 146,000-scrobble history, then N passes each
bringing one new scrobble (SIGHUP), printing the daemon's RSS every 100 passes.
With --https the simulator serves TLS (a throwaway certificate trusted through
LASTFM_CA_FILE), as the real API does.  Prints figures; asserts nothing."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness as h  # noqa: E402


def rss_kib(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":")
                out[k] = int(v.split()[0])
    return out


def main(passes, https):
    with h.Workdir("soak") as work:
        tls = h.make_tls_cert(work.path, "soak") if https else None
        with h.Simulator(work.path, "--scrobbles", 146000, "--seed", 9, tls=tls) as sim:
            soak(work, sim, passes, tls)


def soak(work, sim, passes, tls):
    if True:
        sock_path = os.path.join(work.path, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        idle = threading.Event()
        stop = False

        def reader():
            while not stop:
                sock.settimeout(0.2)
                try:
                    m = sock.recv(4096).decode()
                except OSError:
                    continue
                if m.startswith("STATUS=idle"):
                    idle.set()
        threading.Thread(target=reader, daemon=True).start()
        env = h.base_env(sim, work, rate_limit=100, page_limit=200, sync_interval="1h")
        env["NOTIFY_SOCKET"] = sock_path
        if tls:
            env["LASTFM_CA_FILE"] = tls[2]
        p = subprocess.Popen([h.SYNCD, "--env-file", "/dev/null"], env=env, cwd=work.path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.time()
        idle.wait(300)
        print("first full sync of 146,000 scrobbles: %.1f s; daemon RSS %s KiB"
              % (time.time() - t0, rss_kib(p.pid)), flush=True)
        print("  %6s %10s %10s %8s" % ("passes", "RSS KiB", "peak KiB", "seconds"))
        t0 = time.time()
        for i in range(1, passes + 1):
            sim.control("add", n=1, age=0)
            idle.clear()
            p.send_signal(signal.SIGHUP)
            if not idle.wait(60):
                print("pass %d did not end" % i)
                break
            if i % 100 == 0 or i == 1:
                r = rss_kib(p.pid)
                print("  %6d %10d %10d %8.0f" % (i, r["VmRSS"], r["VmHWM"], time.time() - t0),
                      flush=True)
        stop = True
        p.send_signal(signal.SIGTERM)
        p.wait(10)
        rows = len(h.read_csv(work))
        print("CSV rows at the end: %d (simulator: %d)" % (rows, len(sim.truth())))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--https"]
    main(int(args[0]) if args else 1000, "--https" in sys.argv[1:])

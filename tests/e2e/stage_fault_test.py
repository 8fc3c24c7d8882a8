"""A stage that cannot be started (pipe2 fails: strace fault injection) is a
failed run: --once exits 75 and says why; the daemon retries after its
backoff (30 s), not after the whole interval.  Skipped without strace."""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if not shutil.which("strace"):
    h.skip_all("strace is not installed")


@h.case
def stage_fault():
    with h.Workdir("stagefault") as work, h.Simulator(work.path, "--scrobbles", 300) as sim:
        env = h.traced_env(h.base_env(sim, work))
        # Every pipe2 fails: the only ones are the stage children's report pipes.
        strace = ["strace", "-f", "-o", "/dev/null", "-e", "trace=pipe2", "-e",
                  "inject=pipe2:error=EMFILE"]
        r = h.run(strace + h.WRAPPER + [h.SYNCD, "--once", "--env-file", "/dev/null"], env,
                  work.path, 120, sim.api_key)
        h.check(r.code == 75, "--once with no pipe for the flatten: exit %d, want 75: %s"
                % (r.code, r.err[-800:]))
        h.check("cannot start the flatten" in r.err, "no message: " + r.err[-800:])

        env["LASTFM_SYNC_INTERVAL"] = "1h"
        p = subprocess.Popen(strace + h.WRAPPER + [h.SYNCD, "-v", "--env-file", "/dev/null"],
                             env=env, cwd=work.path, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True)
        err = b""
        try:
            deadline = time.time() + 60
            os.set_blocking(p.stderr.fileno(), False)
            while time.time() < deadline and b"next run in" not in err:
                chunk = p.stderr.read()
                if chunk:
                    err += chunk
                time.sleep(0.1)
        finally:
            import signal
            os.killpg(p.pid, signal.SIGTERM)   # strace and the daemon it traces
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        text = err.decode("utf-8", "replace")
        h.check("cannot start the flatten" in text, "daemon: no message: " + text[-800:])
        line = [l for l in text.splitlines() if "next run in" in l]
        secs = int(line[0].split("next run in")[1].split()[0]) if line else -1
        h.check(0 <= secs <= 35, "daemon: next run in %s s after a failed start, want the 30 s "
                "backoff: %s" % (secs, line))


h.main()

"""The stages' programs need no API key and never keep one: lastfm-flatten,
lastfm-process and lastfm-report run with a .env that holds the key, and a
core of each taken as it exits (gdb's gcore) holds no copy of it; each refuses
--set LASTFM_API_KEY=... with 64.  (Skipped without gdb, or in a sanitizer
build, whose shadow memory gdb's core would not show as the program's.)"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if not shutil.which("gdb") or h.asan_build():
    h.skip_all("needs gdb and a plain build")


@h.case
def stage_key():
    KEY = "0123456789abcdef" * 2
    with h.Workdir("stage-key") as work, h.Simulator(work.path, "--scrobbles", 300) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "sync: exit %d: %s" % (r.code, r.err[-800:]))
        env_file = os.path.join(work.path, ".env")
        with open(env_file, "w") as f:
            f.write("LASTFM_API_KEY=%s\nLASTFM_USERNAME=someone\n" % KEY)
        os.chmod(env_file, 0o600)
        clean = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        for prog, args in (("lastfm-flatten", ["--rebuild"]), ("lastfm-process", []),
                           ("lastfm-report", [])):
            path = os.path.join(h.BUILDDIR, "src", prog)
            core = os.path.join(work.path, prog + ".core")
            p = subprocess.run(["gdb", "-q", "-batch", "-ex", "catch syscall exit_group", "-ex", "run",
                                "-ex", "gcore " + core, "--args", path, "--data-dir", work.data,
                                "--env-file", env_file] + args,
                               cwd=work.path, env=clean, capture_output=True, timeout=120)
            if not h.check(os.path.exists(core), "%s: no core was taken: %s" % (
                    prog, p.stdout.decode(errors="replace")[-800:])):
                continue
            with open(core, "rb") as f:
                copies = f.read().count(KEY.encode())
            os.unlink(core)
            h.check(copies == 0, "%s: its core holds %d copies of the API key" % (prog, copies))
            if prog != "lastfm-flatten":
                r = h.run([path, "--data-dir", work.data, "--set", "LASTFM_API_KEY=" + KEY], clean,
                          work.path)
                h.check(r.code == 64 and KEY not in r.err, "%s --set LASTFM_API_KEY: exit %d: %s"
                        % (prog, r.code, r.err))


h.main()

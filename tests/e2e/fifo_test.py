"""Named pipes where files are expected never hang a program: the alias file,
the conf file, the .env file, a pass manifest and the database, each a FIFO
that nobody writes.  Every run ends within 30 s (none waits on the pipe),
names the file, and the daemon still stops on SIGTERM."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

LIMIT = 30


def timed(cmd, env, cwd):
    try:
        return h.run(cmd, env, cwd, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return None


@h.case
def fifo():
    with h.Workdir("fifo") as work, h.Simulator(work.path, "--scrobbles", 500) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first sync: exit %d: %s" % (r.code, r.err[-800:]))
        fifo = os.path.join(work.path, "pipe")
        os.mkfifo(fifo)

        # The alias file: --check-config, --once, and lastfm-process.
        env = h.base_env(sim, work, artist_aliases=fifo)
        r = timed([h.SYNCD, "--check-config", "--env-file", "/dev/null"], env, work.path)
        h.check(r is not None and r.code == 78 and fifo in r.err,
                "--check-config with a FIFO alias file: %s" % ((r.code, r.err[-500:]) if r else "timed out",))
        r = timed([h.SYNCD, "--once", "--env-file", "/dev/null"], env, work.path)
        h.check(r is not None and fifo in r.err and "not a regular file" in r.err,
                "--once with a FIFO alias file: %s" % ((r.code, r.err[-800:]) if r else "timed out",))
        r = timed([os.path.join(h.BUILDDIR, "src", "lastfm-process"), "--data-dir", work.data,
                   "--set", "LASTFM_ARTIST_ALIASES=" + fifo], env, work.path)
        h.check(r is not None and r.code == 78 and fifo in r.err,
                "lastfm-process with a FIFO alias file: %s" % ((r.code, r.err[-500:]) if r else "timed out",))

        # The daemon with it: refused at the start (78), before any request.
        p = subprocess.Popen([h.SYNCD, "--env-file", "/dev/null"], env=env, cwd=work.path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            p.wait(10)
            err = p.stderr.read().decode("utf-8", "replace")
            h.check(p.returncode == 78 and fifo in err and "not a regular file" in err,
                    "daemon with a FIFO alias file: exit %s: %s" % (p.returncode, err[-800:]))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            h.check(False, "the daemon with a FIFO alias file did not refuse it at once")

        # A directory as the alias file: refused, not read as empty.
        r = timed([h.SYNCD, "--check-config", "--env-file", "/dev/null"],
                  h.base_env(sim, work, artist_aliases=work.path), work.path)
        h.check(r is not None and r.code == 78 and "is a directory" in r.err,
                "a directory as the alias file: %s" % ((r.code, r.err[-400:]) if r else "timed out",))

        # The conf file and the .env file.
        for opt in ("--config", "--env-file"):
            args = [h.SYNCD, "--check-config", opt, fifo] + (["--env-file", "/dev/null"]
                                                              if opt == "--config" else [])
            r = timed(args, h.base_env(sim, work), work.path)
            h.check(r is not None and r.code == 78 and fifo in r.err,
                    "%s FIFO: %s" % (opt, r and (r.code, r.err[-500:])))

        # A pass manifest: moved aside, its stretch fetched again.
        manifest = os.path.join(work.data, "raw", "pass-000001", "manifest.json")
        os.unlink(manifest)
        os.mkfifo(manifest)
        r = timed([h.SYNCD, "--once", "--env-file", "/dev/null"], h.base_env(sim, work), work.path)
        h.check(r is not None and r.code == 0 and "raw/pass-000001/manifest.json" in r.err,
                "--once with a FIFO manifest: %s" % ((r.code, r.err[-800:]) if r else "timed out",))
        h.compare_csv_with_truth(work, sim.truth(), "after a FIFO manifest")
        r = timed([h.FLATTEN, "--data-dir", work.data], h.base_env(sim, work), work.path)
        h.check(r is not None and r.code == 0, "lastfm-flatten after a FIFO manifest: %s"
                % ((r.code, r.err[-500:]) if r else "timed out",))

        # The database: lastfm-report names it; a sync builds a new one over it.
        db = os.path.join(work.data, "processed", "lastfm.sqlite")
        os.unlink(db)
        os.mkfifo(db)
        r = timed([os.path.join(h.BUILDDIR, "src", "lastfm-report"), "--data-dir", work.data],
                  h.base_env(sim, work), work.path)
        h.check(r is not None and r.code == 65 and db in r.err,
                "lastfm-report with a FIFO database: %s" % ((r.code, r.err[-500:]) if r else "timed out",))
        r = timed([h.SYNCD, "--once", "--env-file", "/dev/null"], h.base_env(sim, work), work.path)
        h.check(r is not None and r.code == 0 and os.path.isfile(db) and
                not os.path.islink(db), "--once with a FIFO database: %s"
                % ((r.code, r.err[-800:]) if r else "timed out",))


h.main()

"""Each fatal API error exits fast, with its code and one clear line, and no
retry storm: invalid key (10) and suspended key (26) and unknown user (6): 78;
private history (17): 77.  The key appears in no output."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

cases = [
    ("invalid key", [], {"api_key": "0" * 31 + "1"}, 78, "error 10"),
    ("suspended key", ["--suspended"], {}, 78, "error 26"),
    ("unknown user", [], {"username": "nosuchuser"}, 78, "error 6"),
    ("private history", ["--private"], {}, 77, "error 17"),
]


@h.case
def fatal_api_errors():
    for name, sim_args, settings, code, text in cases:
        with h.Workdir("fatal") as work, h.Simulator(work.path, "--scrobbles", 500, *sim_args) as sim:
            r = h.syncd(sim, work, timeout=30, **settings)
            h.check(r.code == code, "%s: exit %d, want %d: %s" % (name, r.code, code, r.err))
            h.check(text in r.err, "%s: message lacks %r: %s" % (name, text, r.err))
            errors = [l for l in r.err.splitlines() if ": error: " in l]
            h.check(len(errors) == 1, "%s: %d error lines" % (name, len(errors)))
            h.check(sim.stats()["requests"] <= 2, "%s: %d requests (retry storm?)"
                    % (name, sim.stats()["requests"]))
            h.check(r.seconds < 5, "%s: took %.1f s" % (name, r.seconds))
            h.check(sim.api_key not in r.err, "%s: the key is in the output" % name)
            h.check(settings.get("api_key", "x" * 32) not in r.err, "%s: the bad key is echoed" % name)
            h.check_data_dir(work, sim, name)


@h.case
def connection_refused():
    # Nothing listening: transport errors are retried, then 75.
    with h.Workdir("refused") as work:
        sim = h.Simulator(work.path, "--scrobbles", 10)
        sim.stop()
        r = h.syncd(sim, work, max_retries=2, timeout=60)
        h.check(r.code == 75, "connection refused: exit %d: %s" % (r.code, r.err))
        h.check("giving up" in r.err, "connection refused: no clear message")


h.main()

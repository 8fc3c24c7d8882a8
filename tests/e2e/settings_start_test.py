"""Every setting that can be checked without the network is checked by
--check-config and at the start: a bad one exits 78 before any request, said
once, with the key and the fix.

- LASTFM_RATE_LIMIT=1e-300 (the sync would wait ~1e300 s after a request);
- LASTFM_CA_FILE naming a file that holds no PEM certificate;
- an alias file with a circle or a variant listed twice (--once made its
  requests, printed the error twice and exited 0);
- SOURCE_DATE_EPOCH in year 9999 (7,990 year pages from one stray row);
- LASTFM_PROCESS_NOW is not a back door: it no longer sets the build time."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


@h.case
def settings_start():
    with h.Workdir("settings") as work, h.Simulator(work.path, "--scrobbles", 300) as sim:
        def check_config(**settings):
            env = h.base_env(sim, work, **settings)
            return h.run([h.SYNCD, "--check-config", "--env-file", "/dev/null"], env, work.path,
                         60, sim.api_key)

        r = check_config(rate_limit="1e-300")
        h.check(r.code == 78 and "LASTFM_RATE_LIMIT: 1e-300 is out of range: use 0.01" in r.err,
                "a rate of 1e-300: exit %d: %s" % (r.code, r.err))
        h.check(check_config(rate_limit="0.01").code == 0, "0.01 req/s is a valid rate")

        r = check_config(ca_file="/etc/hostname")
        h.check(r.code == 78 and "LASTFM_CA_FILE: '/etc/hostname' holds no PEM certificate" in r.err,
                "a CA file without a certificate: exit %d: %s" % (r.code, r.err))
        cert, _, _ = h.make_tls_cert(work.path, "ca")
        r = check_config(ca_file=cert)
        h.check(r.code == 0, "a real PEM certificate: exit %d: %s" % (r.code, r.err))

        for name, text, words in (
                ("circle", "A = B\nB = A\n", "circle"),
                ("twice", "A = B\nA = C\n", "listed twice")):
            path = os.path.join(work.path, name + ".aliases")
            with open(path, "w") as f:
                f.write(text)
            r = check_config(artist_aliases=path)
            h.check(r.code == 78 and words in r.err, "alias file with a %s: --check-config exit %d: %s"
                    % (name, r.code, r.err))
            before = sim.stats()["requests"]
            r = h.syncd(sim, work, artist_aliases=path)
            h.check(r.code == 78, "alias file with a %s: --once exit %d, want 78: %s"
                    % (name, r.code, r.err[-800:]))
            h.check(sim.stats()["requests"] == before,
                    "alias file with a %s: requests were made before the error" % name)
            said = r.err.count("LASTFM_ARTIST_ALIASES:")
            h.check(said == 1, "alias file with a %s: said %d times: %s" % (name, said, r.err))

        # A good run, then the build time pinned in year 9999: refused.
        r = h.syncd(sim, work)
        h.check(r.code == 0, "a clean run: exit %d: %s" % (r.code, r.err[-800:]))
        env = h.base_env(sim, work)
        env["SOURCE_DATE_EPOCH"] = "253402300799"
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-process"), "--env-file", "/dev/null"],
                  env, work.path, 60)
        h.check(r.code == 78 and "SOURCE_DATE_EPOCH is not a time in Unix seconds from 2002-10-01"
                in r.err, "SOURCE_DATE_EPOCH in 9999: exit %d: %s" % (r.code, r.err))

        # LASTFM_PROCESS_NOW=garbage once meant 1970: nothing counted, exit 0.
        env = h.base_env(sim, work)
        env["LASTFM_PROCESS_NOW"] = "garbage"
        r = h.run([os.path.join(h.BUILDDIR, "src", "lastfm-process"), "--env-file", "/dev/null"],
                  env, work.path, 60)
        if r.code == 0:
            db = sqlite3.connect(os.path.join(work.data, "processed", "lastfm.sqlite"))
            bad = db.execute("SELECT count(*) FROM scrobbles WHERE bad_time").fetchone()[0]
            h.check(bad == 0, "LASTFM_PROCESS_NOW=garbage still sets the build time: %d bad_time"
                    % bad)
        else:
            h.check(r.code == 78 and "LASTFM_PROCESS_NOW" in r.err,
                    "LASTFM_PROCESS_NOW: exit %d: %s" % (r.code, r.err))


h.main()

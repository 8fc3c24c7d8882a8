"""One listener per data directory: a data directory records whose history it
holds (identity.json).  A corrected LASTFM_USERNAME (erin, then finn) is refused
before any request and erin's CSV stays byte for byte; the same user in another
letter case is the same user; another API host is refused; --replace-history
deletes erin's history and fetches finn's; a directory an older version made
(no identity.json) adopts its user once, unless its pages are another user's;
SIGHUP with another user name keeps the one in force."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

CSV = ("interim", "lastfm_scrobbles_interim.csv")


def csv_bytes(work):
    with open(os.path.join(work.data, *CSV), "rb") as f:
        return f.read()


@h.case
def identity():
    with h.Workdir("identity") as work, \
            h.Simulator(work.path, "--scrobbles", 3000, "--seed", 21, user="erin") as erin:
        r = h.syncd(erin, work)
        h.check(r.code == 0, "erin's first sync: exit %d: %s" % (r.code, r.err[-2000:]))
        ident_path = os.path.join(work.data, "identity.json")
        h.check(os.path.exists(ident_path), "no identity.json after the first sync")
        ident = json.load(open(ident_path))
        h.check(ident.get("user") == "erin" and ident.get("api_url") == erin.url,
                "identity.json holds %r" % ident)
        erin_csv = csv_bytes(work)

        # finn into erin's directory: refused before any request, nothing changed.
        finn = h.Simulator(work.path, "--scrobbles", 700, "--seed", 22, user="finn",
                           api_key=erin.api_key)
        try:
            env = h.base_env(finn, work)
            r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null"], env, work.path,
                      secret=finn.api_key)
            h.check(r.code == 78, "finn into erin's directory: exit %d, want 78" % r.code)
            h.check("'erin'" in r.err and "'finn'" in r.err and "--replace-history" in r.err and
                    "another data directory" in r.err,
                    "the refusal names both users and the ways out: %s" % r.err[-1500:])
            h.check(finn.stats()["requests"] == 0,
                    "finn's run made %d requests before it was refused" % finn.stats()["requests"])
            h.check(csv_bytes(work) == erin_csv, "erin's CSV changed after finn's refused run")

            # ERIN is erin (Last.fm user names ignore case).
            r = h.syncd(erin, work, username="ERIN")
            h.check(r.code == 0, "ERIN into erin's directory: exit %d: %s" % (r.code, r.err[-1500:]))
            h.check(csv_bytes(work) == erin_csv, "ERIN's run changed a CSV with nothing new")

            # Another API host with erin's name: refused too.
            r = h.syncd(erin, work, api_url="http://localhost:%d/2.0/" % erin.port)
            h.check(r.code == 78 and "LASTFM_API_URL" in r.err,
                    "erin from another API host: exit %d: %s" % (r.code, r.err[-800:]))

            # A daemon for erin: SIGHUP with a conf file now naming finn keeps erin.
            conf = os.path.join(work.path, "reload.conf")
            with open(conf, "w") as f:
                f.write("LASTFM_SYNC_INTERVAL=1h\n")
            env = h.base_env(erin, work)
            env.pop("LASTFM_USERNAME")
            with open(conf, "a") as f:
                f.write("LASTFM_USERNAME=erin\n")
            d = subprocess.Popen([h.SYNCD, "--env-file", "/dev/null", "--config", conf], env=env,
                                 cwd=work.path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(3)
            with open(conf, "w") as f:
                f.write("LASTFM_SYNC_INTERVAL=1h\nLASTFM_USERNAME=finn\n")
            before = finn.stats()["requests"]
            d.send_signal(signal.SIGHUP)
            time.sleep(3)
            d.send_signal(signal.SIGTERM)
            out, err = d.communicate(timeout=30)
            err = err.decode("utf-8", "replace")
            h.check(d.returncode == 0, "daemon exit %d: %s" % (d.returncode, err[-1500:]))
            h.check("reload refused" in err and "finn" in err,
                    "SIGHUP with another user is refused: %s" % err[-1500:])
            h.check(finn.stats()["requests"] == before, "the reload reached finn's API")
            h.check(csv_bytes(work) == erin_csv, "erin's CSV changed after a refused reload")

            # An older version's directory: no identity.json.  Its pages are
            # erin's, so finn is refused and erin is adopted (once, said so).
            os.unlink(ident_path)
            r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null"], h.base_env(finn, work),
                      work.path, secret=finn.api_key)
            h.check(r.code == 78 and "'erin'" in r.err,
                    "finn into an unrecorded directory of erin's pages: exit %d: %s"
                    % (r.code, r.err[-800:]))
            h.check(not os.path.exists(ident_path), "a refused run recorded an identity")
            r = h.syncd(erin, work)
            h.check(r.code == 0 and "holds no record" in r.err,
                    "erin adopts an unrecorded directory: exit %d: %s" % (r.code, r.err[-800:]))
            h.check(json.load(open(ident_path)).get("user") == "erin", "adopted identity is not erin")

            # --replace-history: erin's history goes, finn's comes, nothing mixed.
            r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null", "--replace-history"],
                      h.base_env(finn, work), work.path, secret=finn.api_key)
            h.check(r.code == 0, "--replace-history: exit %d: %s" % (r.code, r.err[-1500:]))
            h.check("deleted user 'erin'" in r.err, "the replacement is logged: %s" % r.err[-800:])
            h.compare_csv_with_truth(work, finn.truth(), "finn after --replace-history")
            h.check(json.load(open(ident_path)).get("user") == "finn", "identity is not finn's")
            # Now erin is the stranger.
            r = h.syncd(erin, work)
            h.check(r.code == 78, "erin into finn's directory: exit %d" % r.code)
            h.check_data_dir(work, finn, "after the replacement")
        finally:
            finn.stop()


@h.case
def identity_typo():
    # A mistyped name on a new data directory: the first run is refused by the
    # API (unknown user, 78) with nothing stored; the corrected name then runs.
    with h.Workdir("identity-typo") as work, h.Simulator(work.path, "--scrobbles", 300,
                                                         user="gus") as gus:
        r = h.syncd(gus, work, username="gsu")
        h.check(r.code == 78, "a mistyped user: exit %d: %s" % (r.code, r.err[-500:]))
        r = h.syncd(gus, work)
        h.check(r.code == 0 and "holds no history yet" in r.err,
                "the corrected user on an empty directory: exit %d: %s" % (r.code, r.err[-800:]))
        h.compare_csv_with_truth(work, gus.truth(), "after the corrected name")


h.main()

"""Configuration: precedence (command line > environment > .env > conf file),
every error reported at once with file:line, key and fix, exit 78; --check-config;
usage errors exit 64; the key never echoed."""
import os
import re
import shutil
import secrets
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

key = secrets.token_hex(16)


@h.case
def config():
    with h.Workdir("config") as work:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}

        def syncd(*args, env=None):
            e = dict(clean)
            e.update(env or {})
            return h.run([h.SYNCD] + list(args), e, work.path, 30, key)

        env_path = os.path.join(work.path, ".env")
        conf_path = os.path.join(work.path, "syncd.conf")
        with open(env_path, "w") as f:
            f.write("# comment\nexport LASTFM_API_KEY=%s\nLASTFM_USERNAME = \"from-env-file\"\n"
                    "LASTFM_RATE_LIMIT=3.5 # inline comment\nOTHER_TOOL_SETTING=ignored\n" % key)
        with open(conf_path, "w") as f:
            f.write("LASTFM_USERNAME=from-conf\nLASTFM_PAGE_LIMIT=100\nLASTFM_RATE_LIMIT=1\n")

        r = syncd("--check-config", "--config", conf_path)
        h.check(r.code == 0, "valid config: exit %d: %s" % (r.code, r.err))
        h.check("user from-env-file" in r.out, ".env should beat the conf file: %s" % r.out)
        h.check("3.50 req/s" in r.out and "100 per page" in r.out, "merged values: %s" % r.out)

        r = syncd("--check-config", "--config", conf_path, env={"LASTFM_USERNAME": "from-environ"})
        h.check("user from-environ" in r.out, "the environment should beat .env: %s" % r.out)

        r = syncd("--check-config", "--set", "LASTFM_USERNAME=from-cli", "--data-dir", "/tmp/x",
                  env={"LASTFM_USERNAME": "from-environ"})
        h.check("user from-cli" in r.out and "data /tmp/x" in r.out,
                "the command line should win: %s" % r.out)

        # Several errors at once, each with file:line and key.
        with open(conf_path, "w") as f:
            f.write("LASTFM_PAGE_LIMIT=5000\nLASTFM_RATE_LIMT=4\nthis is not a setting\n"
                    "LASTFM_API_URL=http://example.com/2.0/\nLASTFM_SYNC_INTERVAL=soon\n"
                    "LASTFM_FULL_RESYNC_INTERVAL=2h\n")
        r = syncd("--check-config", "--config", conf_path)
        h.check(r.code == 78, "bad config: exit %d" % r.code)
        for want in ("syncd.conf:1: LASTFM_PAGE_LIMIT: 5000 is out of range: use 1..1000",
                     "syncd.conf:2: unknown setting LASTFM_RATE_LIMT",
                     "syncd.conf:3: expected '=' after the key name",
                     "syncd.conf:4: LASTFM_API_URL", "only https is allowed",
                     "syncd.conf:5: LASTFM_SYNC_INTERVAL: 'soon' is not a duration",
                     "syncd.conf:6: LASTFM_FULL_RESYNC_INTERVAL: 7200 s is too often: use 0",
                     "info: 6 configuration errors above"):
            h.check(want in r.err, "bad config: missing %r in: %s" % (want, r.err))
        # ... in the order of the lines, as one fixes a file (not in the order checked).
        at = [r.err.find("syncd.conf:%d: " % n) for n in range(1, 7)]
        h.check(-1 not in at and at == sorted(at), "errors not in line order: %s" % r.err)

        # A malformed key is rejected without being echoed.
        bad_key = "zz" + key[2:] + "tail"
        r = syncd("--check-config", env={"LASTFM_API_KEY": bad_key})
        h.check(r.code == 78 and "LASTFM_API_KEY" in r.err and "32 hex digits" in r.err,
                "bad key: exit %d: %s" % (r.code, r.err))
        h.check(bad_key not in r.err, "the bad key was echoed")

        # Missing settings.
        os.unlink(env_path)
        r = syncd("--check-config")
        h.check(r.code == 78 and "LASTFM_API_KEY is not set" in r.err and
                "LASTFM_USERNAME is not set" in r.err, "missing settings: %s" % r.err)
        # Under systemd (INVOCATION_ID) no message points at .env, which the
        # unit never reads: it names the credential, the drop-in, the env file.
        r = syncd("--check-config", "--env-file", "/dev/null", env={"INVOCATION_ID": "0" * 32})
        h.check(r.code == 78 and ".env" not in r.err and
                "systemctl edit" in r.err and "/lastfm-syncd/env" in r.err and
                "/etc/credstore/lastfm-api-key" in r.err,
                "missing settings under systemd: %s" % r.err)
        # A lower-case lastfm_ key in .env is not silently ignored.
        with open(env_path, "w") as f:
            f.write("LASTFM_API_KEY=%s\nlastfm_username=lower\nLASTFM_USERNAME=upper\n" % key)
        r = syncd("--check-config")
        h.check(r.code == 0 and ".env:2: lastfm_username is ignored" in r.err,
                "a lower-case key in .env: exit %d: %s" % (r.code, r.err))
        os.unlink(env_path)
        r = syncd("--check-config", "--env-file", os.path.join(work.path, "missing.env"))
        h.check(r.code == 78 and "missing.env: cannot read" in r.err, "missing --env-file: %s" % r.err)
        # A missing --config file points at the conf file's format, not at .env.
        r = syncd("--check-config", "--env-file", "/dev/null", "--config",
                  os.path.join(work.path, "missing.conf"))
        h.check(r.code == 78 and "missing.conf: cannot read" in r.err and
                "lastfm-syncd.conf(5)" in r.err and ".env" not in r.err.split("missing.conf")[1]
                .splitlines()[0], "missing --config: %s" % r.err)
        # An unreadable .env is one error: the key and the user it may hold are
        # not reported missing as well.  (Root reads any file: run as nobody.)
        if os.geteuid() == 0 and os.path.exists("/usr/bin/setpriv"):
            with open(env_path, "w") as f:
                f.write("LASTFM_API_KEY=%s\nLASTFM_USERNAME=u\n" % key)
            os.chmod(env_path, 0o600)
            os.chmod(work.path, 0o755)
            r = h.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups",
                       h.SYNCD, "--check-config"], clean, work.path, 30, key)
            errors = [l for l in r.err.splitlines() if ": error: " in l]
            h.check(r.code == 78 and len(errors) == 1 and ".env: cannot read: Permission denied"
                    in errors[0] and "mode 600" in errors[0],
                    "an unreadable .env: one error line naming it: %s" % r.err)
            os.unlink(env_path)
        # One error: its line and nothing more at err (no count after it).
        r = syncd("--check-config", "--env-file", "/dev/null", env={"LASTFM_USERNAME": "u"})
        h.check(r.code == 78 and [l for l in r.err.splitlines() if l.strip()] ==
                [l for l in r.err.splitlines() if "LASTFM_API_KEY is not set" in l],
                "a missing key is one line: %r" % r.err)

        # Usage errors.
        for args in (["--bogus"], ["extra-argument"]):
            r = syncd(*args)
            h.check(r.code == 64, "%s: exit %d" % (args, r.code))
        r = syncd("--help")
        h.check(r.code == 0 and "LASTFM_RATE_LIMIT" in r.out and "Exit codes" in r.out, "--help")
        # One table holds every setting (config.c): --help names each with its
        # range and default (docs_test holds the documents to it).
        keys = re.findall(r"^  (LASTFM_[A-Z_]+)", r.out, re.M)
        h.check(len(keys) >= 18 and "LASTFM_MAX_IN_FLIGHT    requests in flight at once, 1..64 "
                "(default 8)" in r.out and "(default 15m)" in r.out, "--help: %s" % keys)
        r = syncd("--version")
        h.check(r.code == 0 and "lastfm-syncd" in r.out, "--version")

        # The data directory: a file in its place, a read-only one.
        target = os.path.join(work.path, "afile")
        open(target, "w").close()
        r = syncd("--once", env={"LASTFM_API_KEY": key, "LASTFM_USERNAME": "u",
                                 "LASTFM_API_URL": "http://127.0.0.1:9/2.0/", "LASTFM_DATA_DIR": target})
        h.check(r.code == 74 and target in r.err, "data dir is a file: exit %d: %s" % (r.code, r.err))

        # Decimal durations; the processed stage's settings are checked here too.
        base = {"LASTFM_API_KEY": key, "LASTFM_USERNAME": "u"}
        r = syncd("--check-config", env=dict(base, LASTFM_SYNC_INTERVAL="1.5h",
                                             LASTFM_FULL_RESYNC_INTERVAL="1.5d"))
        h.check(r.code == 0 and "interval 1h30m (5400 s)" in r.out and
                "full resync 1d12h (129600 s)" in r.out,
                "1.5h / 1.5d: exit %d: %s %s" % (r.code, r.out, r.err))
        r = syncd("--check-config", env=dict(base, LASTFM_TIMEZONE="Europe/Berlin, 2020-02-30 UTC"))
        h.check(r.code == 78 and "LASTFM_TIMEZONE" in r.err and "2020-02-30" in r.err,
                "bad zone list: exit %d: %s" % (r.code, r.err))
        r = syncd("--check-config", env=dict(base, LASTFM_ARTIST_ALIASES="/nonexistent/aliases"))
        h.check(r.code == 78 and "LASTFM_ARTIST_ALIASES" in r.err and "/nonexistent/aliases" in r.err,
                "missing alias file: exit %d: %s" % (r.code, r.err))
        # The key never on the command line (every local user could read it).
        r = syncd("--check-config", "--set", "LASTFM_API_KEY=" + key, env={"LASTFM_USERNAME": "u"})
        h.check(r.code == 64 and "LoadCredential" in r.err, "--set LASTFM_API_KEY: exit %d" % r.code)

        # Missing levels of the data directory are created; a held one names its holder.
        deep = os.path.join(work.path, "a", "b", "c")
        import subprocess
        import time
        with h.Simulator(work.path, "--scrobbles", 50) as sim:
            e = dict(clean)
            e.update(h.base_env(sim, work))
            e["LASTFM_DATA_DIR"] = deep
            r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null"], e, work.path, 60, sim.api_key)
            h.check(r.code == 0 and os.path.isdir(os.path.join(deep, "raw")),
                    "--data-dir with two missing levels: exit %d: %s" % (r.code, r.err))
            e["LASTFM_SYNC_INTERVAL"] = "1h"
            holder = subprocess.Popen([h.SYNCD, "--env-file", "/dev/null"], env=e, cwd=work.path,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                deadline = time.time() + 20
                while time.time() < deadline:
                    try:
                        if open(os.path.join(deep, ".lock")).read().strip() == str(holder.pid):
                            break
                    except OSError:
                        pass
                    time.sleep(0.05)
                r = h.run([h.FLATTEN, "--data-dir", deep], dict(clean), work.path)
                h.check(r.code == 75 and ("process %d" % holder.pid) in r.err,
                        "in use: exit %d: %s" % (r.code, r.err))
            finally:
                holder.terminate()
                holder.wait(timeout=20)

        # A stage's program given a mistyped data directory creates nothing: 66.
        typo = os.path.join(work.path, "dtaa")
        for prog in ("lastfm-flatten", "lastfm-process", "lastfm-report"):
            r = h.run([os.path.join(h.BUILDDIR, "src", prog), "--data-dir", typo], dict(clean),
                      work.path)
            h.check(r.code == 66 and "no such data directory" in r.err and typo in r.err,
                    "%s --data-dir %s: exit %d: %s" % (prog, typo, r.code, r.err))
            h.check(not os.path.exists(typo), "%s created the mistyped %s" % (prog, typo))

        # A data directory this user may not create: said as such (not "writable
        # by group or others").
        if os.geteuid() == 0 and shutil.which("setpriv"):
            locked = os.path.join(work.path, "locked")
            os.mkdir(locked, 0o755)
            os.chmod(work.path, 0o755)
            e = dict(clean)
            e.update({"LASTFM_API_KEY": "ab" * 16, "LASTFM_USERNAME": "u",
                      "LASTFM_DATA_DIR": os.path.join(locked, "data")})
            r = h.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", h.SYNCD,
                       "--once", "--env-file", "/dev/null"], e, "/")
            h.check(r.code == 74 and "may not create or enter it" in r.err and
                    "writable by group" not in r.err, "a data directory nobody may create: exit %d: %s"
                    % (r.code, r.err[-600:]))

        # Private by default: under umask 022 nothing in a data directory is
        # readable by others (or the group), and an older directory's modes are
        # tightened; a directory of mode 0750 is the group's on purpose.
        old = os.umask(0o022)
        try:
            priv = os.path.join(work.path, "private")
            with h.Simulator(work.path, "--scrobbles", 300) as sim:
                e = dict(clean)
                e.update(h.base_env(sim, work))
                e["LASTFM_DATA_DIR"] = priv
                r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null"], e, work.path, 60,
                          sim.api_key)
                h.check(r.code == 0, "umask 022 sync: exit %d: %s" % (r.code, r.err[-800:]))

                def loose(top, mask):
                    out = []
                    for root, dirs, files in os.walk(top):
                        for n in [root] + [os.path.join(root, f) for f in files]:
                            if os.stat(n).st_mode & mask:
                                out.append((n, oct(os.stat(n).st_mode & 0o777)))
                    return out
                h.check(not loose(priv, 0o077), "umask 022: readable by others: %s"
                        % loose(priv, 0o077)[:5])
                # What an older version left: 0755 and 0644 everywhere.
                for root, dirs, files in os.walk(priv):
                    os.chmod(root, 0o755)
                    for f in files:
                        os.chmod(os.path.join(root, f), 0o644)
                r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null"], e, work.path, 60,
                          sim.api_key)
                h.check(r.code == 0 and not loose(priv, 0o077),
                        "an older 0755/0644 directory is not tightened: %s" % loose(priv, 0o077)[:5])
                os.chmod(priv, 0o750)
                sim.control("add", n=1, age=0)
                r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null"], e, work.path, 60,
                          sim.api_key)
                csv_mode = os.stat(os.path.join(priv, "interim", "lastfm_scrobbles_interim.csv")).st_mode
                h.check(r.code == 0 and csv_mode & 0o040 and not loose(priv, 0o027),
                        "a 0750 data directory: the group cannot read the CSV (%o) or may write: %s"
                        % (csv_mode & 0o777, loose(priv, 0o027)[:5]))
        finally:
            os.umask(old)


h.main()

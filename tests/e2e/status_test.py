"""lastfm-syncd --status: what an operator or a cron job sees without reading
the journal.  A directory nothing synced into is "not current" (exit 1) and
is not created; after --once (whose last line on stdout is the same facts) every
output is current (exit 0) and the figures are the data directory's own
(the scrobbles the simulator holds, the last complete manifest); a database
made with other settings, a missing report and a CSV older than its pass are
each named as behind; it counts the artists whose tags are stored and
those the next tag run asks for; it reads beside a running daemon (which it names) and
never disturbs it; it needs no API key; --json carries the same."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

CSV = ("interim", "lastfm_scrobbles_interim.csv")


def status(work, *args, env=None, data_dir=None, user=None):
    """--status run the way an operator would: no API key, no user name."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    e["LASTFM_DATA_DIR"] = data_dir or work.data
    e.update(env or {})
    cmd = [h.SYNCD, "--status", "--env-file", "/dev/null"] + list(args)
    if user:
        cmd = ["setpriv", "--reuid", user, "--regid", "nogroup", "--clear-groups"] + cmd
    return h.run(cmd, e, work.path, timeout=120)


def as_json(work, **kw):
    r = status(work, "--json", **kw)
    try:
        return r, json.loads(r.out)
    except ValueError:
        h.check(False, "--status --json is not JSON: %r %s" % (r.out[:500], r.err[-500:]))
        return r, {}


def last_complete(work):
    passes = [m for m in h.manifests(work) if m.get("state") == "complete"]
    return max(passes, key=lambda m: m["pass"]) if passes else None


def tree(path):
    out = {}
    for root, dirs, files in os.walk(path):
        for f in files:
            p = os.path.join(root, f)
            st = os.lstat(p)
            out[p] = (st.st_size, st.st_mtime_ns)
    return out


@h.case
def fresh_directory():
    with h.Workdir("status-fresh") as work:
        r = status(work)
        h.check(r.code == 1, "--status of a directory nothing synced into: exit %d, want 1: %s"
                % (r.code, r.err[-800:]))
        h.check("none yet" in r.out and "not current" in r.out.splitlines()[-1],
                "the text says there is no listener yet and ends 'not current': %s" % r.out)
        h.check(not os.path.exists(work.data), "--status created the data directory")
        r, j = as_json(work)
        h.check(r.code == 1 and j.get("current") is False and j.get("listener") is None and
                j.get("last_pass") is None and j.get("scrobbles") is None,
                "--json of a fresh directory: %r" % j)


@h.case
def after_once():
    with h.Workdir("status-once") as work, \
            h.Simulator(work.path, "--scrobbles", 1500, "--seed", 41) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "sync: exit %d: %s" % (r.code, r.err[-1500:]))
        truth = len(sim.truth())
        last = (r.out.splitlines() or [""])[-1]
        m = last_complete(work)
        h.check("status: testuser: pass %d complete" % m["pass"] in last and
                "%d scrobbles; CSV, database and report current" % truth in last,
                "--once's last line on stdout is the status (pass %d, %d scrobbles): %r"
                % (m["pass"], truth, last))
        before = tree(work.data)
        r = status(work)
        h.check(r.code == 0, "--status after a sync: exit %d, want 0: %s%s" % (r.code, r.out, r.err))
        h.check(r.out.splitlines()[-1] == "all current", "the text ends 'all current': %s" % r.out)
        h.check("listener:       testuser (from %s)" % sim.url in r.out and
                "scrobbles:      %d\n" % truth in r.out and
                "daemon:         not running" in r.out and
                "last pass:      %d (%s), complete at %s UTC" %
                (m["pass"], m["kind"], time.strftime("%Y-%m-%d %H:%M:%S",
                                                      time.gmtime(m["finished_at"]))) in r.out,
                "the text names the listener, the scrobbles and the last pass: %s" % r.out)
        r, j = as_json(work)
        h.check(r.code == 0 and j.get("current") is True, "--json: exit %d %r" % (r.code, j))
        h.check(j.get("listener") == "testuser" and j.get("scrobbles") == truth and
                j.get("daemon_running") is False and j.get("daemon_pid") is None and
                j.get("data_dir") == work.data, "--json's facts: %r" % j)
        lp = j.get("last_pass") or {}
        h.check(lp.get("pass") == m["pass"] and lp.get("finished_at_unix") == m["finished_at"] and
                lp.get("finished_at") == h.utc(m["finished_at"]) and lp.get("kind") == m["kind"],
                "--json's last pass %r is the manifest's %r" % (lp, m))
        for key, path in (("csv", os.path.join(work.data, *CSV)),
                          ("database", os.path.join(work.data, "processed", "lastfm.sqlite")),
                          ("report", os.path.join(work.data, "report", "index.html"))):
            o = j.get(key) or {}
            h.check(o.get("path") == path and o.get("current") is True and o.get("behind") is None,
                    "--json's %s: %r" % (key, o))
        artists = len({row[2] for row in h.read_csv(work) if row[2]})
        h.check(j.get("tags") == {"enabled": True, "artists": artists, "stored": artists,
                                  "missing": 0, "stale": 0},
                "--json's tags: all %d artists answered: %r" % (artists, j.get("tags")))
        text = status(work).out
        h.check("genres:         tags of all %d artists stored\n" % artists in text and
                "genres:         off (LASTFM_TAGS=0)\n" in
                status(work, env={"LASTFM_TAGS": "0"}).out,
                "the text says every artist's tags are stored, or that tags are off: %s" % text)
        h.check(tree(work.data) == before, "--status changed a file in the data directory")
        # An answer lost: the next tag run asks for it, and --status says so
        # (the tags are not part of "current": the scrobbles' outputs are).
        tags_dir = os.path.join(work.data, "tags")
        lost = sorted(f for f in os.listdir(tags_dir) if f.endswith(".meta"))[0]
        os.rename(os.path.join(tags_dir, lost), os.path.join(work.path, lost))
        r = status(work)
        h.check(r.code == 0 and "tags of %d of %d artists stored; the next tag run asks for 1\n"
                % (artists - 1, artists) in r.out,
                "one answer missing: exit %d, %s" % (r.code, r.out))
        os.rename(os.path.join(work.path, lost), os.path.join(tags_dir, lost))

        # The database made with other settings: behind, and why.
        r, j = as_json(work, env={"LASTFM_TIMEZONE": "Europe/Berlin"})
        db = j.get("database") or {}
        h.check(r.code == 1 and db.get("current") is False and "settings" in (db.get("behind") or ""),
                "another time zone: the database is behind for its settings: exit %d %r" % (r.code, db))
        h.check((j.get("csv") or {}).get("current") is True, "... and the CSV still current")
        r = status(work, env={"LASTFM_TIMEZONE": "Europe/Berlin"})
        h.check("database:       behind: " in r.out and r.out.splitlines()[-1] == "not current",
                "the text says which is behind: %s" % r.out)

        # The CSV older than the last complete pass: the next run writes it.
        csv_path = os.path.join(work.data, *CSV)
        st = os.stat(csv_path)
        os.utime(csv_path, ns=(st.st_atime_ns, m["finished_at"] * 10**9 - 3600 * 10**9))
        r, j = as_json(work)
        h.check(r.code == 1 and (j.get("csv") or {}).get("current") is False,
                "a CSV older than its pass is behind: exit %d %r" % (r.code, j.get("csv")))
        os.utime(csv_path, ns=(st.st_atime_ns, st.st_mtime_ns))

        # No report: behind, and --once draws it again, current once more.
        os.rename(os.path.join(work.data, "report"), os.path.join(work.path, "report.moved"))
        r, j = as_json(work)
        h.check(r.code == 1 and (j.get("report") or {}).get("behind") == "there is no report yet",
                "a missing report: exit %d %r" % (r.code, j.get("report")))
        r = h.syncd(sim, work)
        r2, j = as_json(work)
        h.check(r.code == 0 and r2.code == 0 and j.get("current") is True,
                "after the next --once all is current again: exit %d/%d %r" % (r.code, r2.code, j))


@h.case
def beside_daemon():
    with h.Workdir("status-daemon") as work, \
            h.Simulator(work.path, "--scrobbles", 800, "--seed", 42) as sim:
        # Without the tag run: its first tags rebuild the database after the
        # pass, so the report is rightly "behind" for a moment (tags_test
        # covers that run); here the daemon must sit idle once current.
        env = h.base_env(sim, work, sync_interval=3600, tags=0)
        d = subprocess.Popen(h.WRAPPER + [h.SYNCD, "--env-file", "/dev/null"], env=env,
                             cwd=work.path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.time() + 120
            j = {}
            while time.time() < deadline:
                r, j = as_json(work) if os.path.exists(work.data) else (None, {})
                if j.get("current"):
                    break
                time.sleep(0.3)
            h.check(j.get("current") is True and j.get("daemon_running") is True,
                    "--status beside the running daemon: %r" % j)
            if not h.WRAPPER:
                h.check(j.get("daemon_pid") == d.pid,
                        "--status names the daemon's PID %d: %r" % (d.pid, j.get("daemon_pid")))
            r = status(work)
            h.check(r.code == 0 and "daemon:         running (PID " in r.out,
                    "the text says the daemon runs: %s" % r.out)
            # Many looks in a row never take the daemon's directory from it.
            for _ in range(20):
                status(work)
            d.send_signal(signal.SIGHUP)
            time.sleep(1.5)
            h.check(d.poll() is None, "the daemon exited beside --status: %s"
                    % (d.stderr.read().decode()[-1500:] if d.poll() is not None else ""))
        finally:
            d.terminate()
            try:
                err = d.communicate(timeout=30)[1].decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                d.kill()
                err = d.communicate()[1].decode("utf-8", "replace")
        h.check(d.returncode == 0 and "in use" not in err,
                "the daemon stopped cleanly, its directory never taken: exit %d %s"
                % (d.returncode, err[-1500:]))


@h.case
def usage_and_access():
    with h.Workdir("status-usage") as work:
        for args in (["--json"], ["--status", "--once"], ["--status", "--full"]):
            e = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
            r = h.run([h.SYNCD, "--env-file", "/dev/null"] + args, e, work.path)
            h.check(r.code == 64 and "--status" in r.err,
                    "%s: exit %d, want 64 naming --status: %s" % (" ".join(args), r.code, r.err))
        if os.geteuid() != 0 or not os.path.exists("/usr/bin/setpriv"):
            h.skip("needs root and setpriv to look as another user")
        os.makedirs(work.data, mode=0o700)
        os.chmod(work.path, 0o755)
        r = status(work, user="nobody")
        h.check(r.code == 74 and work.data in r.err and "--status as its owner" in r.err,
                "an unreadable data directory: exit %d, want 74 naming it: %s" % (r.code, r.err))


if __name__ == "__main__":
    h.main()

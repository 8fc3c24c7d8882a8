"""The Debian package (issue 32), as an administrator meets it.

dpkg-buildpackage -us -uc -b builds the package from a copy of the tree twice:
as it is, and as the next release would be (a higher version in configure.ac
and debian/changelog).  lintian reports no error on either.  Then, in a
throwaway container with systemd as PID 1 (systemd-nspawn --boot on an
overlay of the host's root with a tmpfs on top, so dpkg may write /usr, /etc
and /var and nothing reaches the host):

- install: the programs, units and conffile in place; the unit neither
  enabled nor started (it needs a key and a user first);
- configure the documented way (the key as a credential in /etc/credstore,
  the user in a drop-in), against the simulator on the host's loopback, and
  `systemctl enable --now`: one sync with a report; the operator edits the
  conffile;
- reload with new scrobbles on the server: they arrive;
- upgrade to the higher version: the edit kept, the history kept, the daemon
  restarted on the new program, the database rebuilt and the report redrawn
  by it (their 'program' names the new version);
- remove: the programs gone, the conffile and the history kept;
- purge: the conffile gone, the units no longer enabled, the history kept and
  the purge saying where it is.

Needs root, systemd-nspawn, dpkg-buildpackage with debhelper and a git
checkout (the package is built from the tree's files); skipped (a TAP skip
with its reason) otherwise.  lintian is checked when installed.  Not in
check-sanitized: the programs under test are the package's own build."""
import datetime
import email.utils
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

MISSING = [t for t in ("systemd-nspawn", "dpkg-buildpackage", "dh", "git") if not shutil.which(t)]
if os.geteuid() != 0 or MISSING:
    h.skip_all("needs root and %s (tests/deps-debian.sh installs them)"
               % (", ".join(MISSING) or "root"))
if not os.path.isdir(os.path.join(h.SRCDIR, ".git")) and \
        not os.path.isfile(os.path.join(h.SRCDIR, ".git")):
    h.skip_all("the package is built from a git checkout's files; %s is not one" % h.SRCDIR)

DRIVER = r'''#!/bin/bash
# Runs inside the container as a oneshot unit; writes what it sees to /results.
R=/results
P=/srv/pkg
exec >$R/driver.log 2>&1
set -x
D=/var/lib/lastfm-syncd
CSV=$D/interim/lastfm_scrobbles_interim.csv
rows() { /usr/bin/python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$1" 2>/dev/null || echo -1; }
program() { /usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute("SELECT value FROM meta WHERE key = ?", ("program",)).fetchone()[0])' "$1" 2>/dev/null || echo none; }
generator() { grep -o '<meta name="generator" content="[^"]*"' $D/report/index.html 2>/dev/null | sed 's/.*content="//; s/"$//'; }
wait_rows() { for i in $(seq 1 300); do [ "$(rows $CSV)" = "$1" ] && return 0; sleep 0.2; done; return 1; }

# Install.
dpkg -i $P/old.deb >$R/install.out 2>&1; echo $? >$R/install.rc
for f in /usr/bin/lastfm-syncd /usr/bin/lastfm-process /usr/bin/lastfm-report /usr/bin/lastfm-flatten \
         /lib/systemd/system/lastfm-syncd.service /lib/systemd/system/lastfm-syncd@.service \
         /etc/lastfm-syncd.conf /usr/share/lastfm-syncd/report-queries.sql \
         /usr/share/man/man8/lastfm-syncd.8.gz; do
  [ -e $f ] && echo "$f yes" || echo "$f no"
done >$R/files.txt
dpkg-query -W -f='${Conffiles}\n' lastfm-syncd >$R/conffiles.txt
systemctl is-enabled lastfm-syncd >$R/enabled0.txt 2>&1
systemctl is-active lastfm-syncd >$R/active0.txt 2>&1

# Configure as README says, then enable and start.
install -d -m 700 /etc/credstore
install -m 600 /srv/cred/api-key /etc/credstore/lastfm-api-key
mkdir -p /etc/systemd/system/lastfm-syncd.service.d
cp /srv/cred/user.conf /etc/systemd/system/lastfm-syncd.service.d/user.conf
systemctl daemon-reload
systemctl enable --now lastfm-syncd; echo $? >$R/enable.rc
wait_rows @N1@; echo $? >$R/rows1.rc
for i in $(seq 1 300); do [ -s $D/report/index.html ] && break; sleep 0.2; done
program $D/processed/lastfm.sqlite >$R/program1.txt
generator >$R/generator1.txt
printf '\n# an edit of the operator\nLASTFM_REPORT_ARTIST_MIN=3\n' >>/etc/lastfm-syncd.conf
cp /etc/lastfm-syncd.conf $R/conf_edited.txt

# Reload: new scrobbles on the server arrive.
curl -s "http://127.0.0.1:@PORT@/_sim/add?n=3&age=0" >/dev/null
systemctl reload lastfm-syncd; echo $? >$R/reload.rc
wait_rows @N2@; echo $? >$R/rows2.rc
systemctl show -p MainPID --value lastfm-syncd >$R/pid1.txt

# Upgrade to the next version.
dpkg -i $P/new.deb >$R/upgrade.out 2>&1; echo $? >$R/upgrade.rc
for i in $(seq 1 600); do
  [ "$(program $D/processed/lastfm.sqlite)" = "@NEWPROG@" ] && [ "$(generator)" = "@NEWPROG@" ] && break
  sleep 0.2
done
program $D/processed/lastfm.sqlite >$R/program2.txt
generator >$R/generator2.txt
systemctl show -p MainPID --value lastfm-syncd >$R/pid2.txt
systemctl is-active lastfm-syncd >$R/active2.txt
rows $CSV >$R/rows_after_upgrade.txt
# The operator's look, as README's "Status" says (root, the unit's data).
for i in $(seq 1 100); do
  lastfm-syncd --status --json --data-dir $D --config /etc/lastfm-syncd.conf >$R/status.json 2>$R/status.err
  rc=$?; [ $rc = 0 ] && break; sleep 0.2
done
echo $rc >$R/status.rc
cp /etc/lastfm-syncd.conf $R/conf_upgraded.txt
dpkg-query -W -f='${Version}\n' lastfm-syncd >$R/version2.txt

# Remove: programs gone; conf and history kept.
dpkg -r lastfm-syncd >$R/remove.out 2>&1; echo $? >$R/remove.rc
systemctl is-active lastfm-syncd >$R/active3.txt 2>&1
[ -e /usr/bin/lastfm-syncd ] && echo yes >$R/bin3.txt || echo no >$R/bin3.txt
[ -e /etc/lastfm-syncd.conf ] && echo yes >$R/conf3.txt || echo no >$R/conf3.txt
rows $CSV >$R/rows3.txt

# An instance the operator enabled (its link must not outlive a purge).
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -s /lib/systemd/system/lastfm-syncd@.service /etc/systemd/system/multi-user.target.wants/lastfm-syncd@erin.service
# Purge: conf gone, units not enabled, history kept and said.
dpkg -P lastfm-syncd >$R/purge.out 2>&1; echo $? >$R/purge.rc
[ -e /etc/lastfm-syncd.conf ] && echo yes >$R/conf4.txt || echo no >$R/conf4.txt
ls /etc/systemd/system/multi-user.target.wants/ >$R/wants4.txt 2>&1
rows $CSV >$R/rows4.txt
echo done >$R/done
systemctl poweroff --no-block
'''

TEST_UNIT = '''[Unit]
Description=lastfm-syncd package test driver
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/bin/bash /results/driver.sh
'''


def tree_files(src):
    """The tree's files as the checkout has them (tracked and new, not ignored)."""
    out = subprocess.run(["git", "-C", src, "ls-files", "-z", "-co", "--exclude-standard"],
                         capture_output=True, check=True).stdout
    return [f for f in out.decode().split("\0") if f and "__pycache__" not in f]


def build(work, name, version=None):
    """A copy of the tree built with dpkg-buildpackage; the .deb's path."""
    top = os.path.join(work, name)
    src = os.path.join(top, "lastfm-syncd")
    for f in tree_files(h.SRCDIR):
        dst = os.path.join(src, f)
        if os.path.isfile(os.path.join(h.SRCDIR, f)):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(h.SRCDIR, f), dst)
    if version:   # the next release: configure.ac and the changelog agree
        with open(os.path.join(src, "configure.ac")) as f:
            ac = f.read()
        ac = re.sub(r"AC_INIT\(\[lastfm-syncd\], \[[^\]]+\]",
                    "AC_INIT([lastfm-syncd], [%s]" % version, ac)
        with open(os.path.join(src, "configure.ac"), "w") as f:
            f.write(ac)
        with open(os.path.join(src, "debian", "changelog")) as f:
            old = f.read()
        # A day after the entry it follows (lintian wants a newer date).
        last = re.search(r"^ -- .*?  (.+)$", old, re.M).group(1)
        when = email.utils.format_datetime(email.utils.parsedate_to_datetime(last) +
                                           datetime.timedelta(days=1))
        with open(os.path.join(src, "debian", "changelog"), "w") as f:
            f.write("lastfm-syncd (%s) unstable; urgency=medium\n\n  * The next release "
                    "(package_test).\n\n -- lastfm-syncd developers <lastfm-syncd@example.org>"
                    "  %s\n\n%s" % (version, when, old))
    t0 = time.time()
    p = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, capture_output=True,
                       text=True, env=dict(os.environ, DEB_BUILD_OPTIONS="parallel=2"))
    print("%s: dpkg-buildpackage exit %d in %.1f s" % (name, p.returncode, time.time() - t0))
    h.check(p.returncode == 0, "dpkg-buildpackage failed for %s: %s" %
            (name, (p.stdout + p.stderr)[-3000:]))
    # Hardening and warnings as errors, as Debian's default flags give them.
    h.check("-D_FORTIFY_SOURCE=2" in p.stdout and "-Werror" in p.stdout,
            "%s: not built with the hardening flags and -Werror" % name)
    debs = [f for f in os.listdir(top) if f.startswith("lastfm-syncd_") and f.endswith(".deb")]
    h.check(len(debs) == 1, "%s: expected one lastfm-syncd_*.deb, found %s" % (name, debs))
    if shutil.which("lintian"):
        changes = [f for f in os.listdir(top) if f.endswith(".changes")]
        li = subprocess.run(["lintian", "--allow-root"] + [os.path.join(top, c) for c in changes],
                            capture_output=True, text=True)
        errors = [l for l in li.stdout.splitlines() if l.startswith("E:")]
        print("%s: lintian: %d errors, %d warnings" % (
            name, len(errors), sum(1 for l in li.stdout.splitlines() if l.startswith("W:"))))
        h.check(not errors, "%s: lintian errors: %s" % (name, errors))
    else:
        print("note: lintian not installed: the package is not linted")
    return os.path.join(top, debs[0])


@h.case
def package():
    with open(os.path.join(h.SRCDIR, "configure.ac")) as f:
        version = re.search(r"AC_INIT\(\[lastfm-syncd\], \[([^\]]+)\]", f.read()).group(1)
    newer = version + "+next1"
    with h.Workdir("package") as work, h.Simulator(work.path, "--scrobbles", 1500) as sim:
        root = work.path
        old = build(root, "old")
        new = build(root, "new", newer)
        pkg, res, cred, units = (os.path.join(root, d) for d in ("pkg", "results", "cred", "units"))
        for d in (pkg, res, cred, units):
            os.makedirs(d, exist_ok=True)
        shutil.copy(old, os.path.join(pkg, "old.deb"))
        shutil.copy(new, os.path.join(pkg, "new.deb"))
        with open(os.path.join(cred, "api-key"), "w") as f:
            f.write(sim.api_key + "\n")
        os.chmod(os.path.join(cred, "api-key"), 0o600)
        with open(os.path.join(cred, "user.conf"), "w") as f:
            f.write("[Service]\nEnvironment=LASTFM_USERNAME=%s\n"
                    "Environment=LASTFM_API_URL=http://127.0.0.1:%d/2.0/\n"
                    "Environment=LASTFM_SYNC_INTERVAL=1h\nEnvironment=LASTFM_RATE_LIMIT=50\n"
                    % (sim.user, sim.port))
        with open(os.path.join(units, "lastfm-pkgtest.service"), "w") as f:
            f.write(TEST_UNIT)
        with open(os.path.join(res, "driver.sh"), "w") as f:
            f.write(DRIVER.replace("@PORT@", str(sim.port)).replace("@N1@", "1500")
                    .replace("@N2@", "1503").replace("@NEWPROG@", "lastfm-syncd " + newer))

        # The container's root: the host's, under a tmpfs overlay (nspawn
        # refuses --volatile=overlay on /, and dpkg must write /usr).
        ovl = tempfile.mkdtemp(prefix="lastfm-pkg-root-")
        mounted = []
        try:
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2g", "tmpfs", ovl], check=True)
            mounted.append(ovl)
            for d in ("up", "wk", "root"):
                os.makedirs(os.path.join(ovl, d))
            top = os.path.join(ovl, "root")
            subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                            "lowerdir=/,upperdir=%s/up,workdir=%s/wk" % (ovl, ovl), top],
                           check=True)
            mounted.append(top)
            cmd = ["systemd-nspawn", "--quiet", "-D", top, "--boot", "--register=no",
                   "--keep-unit", "--console=pipe", "--bind=%s:/results" % res,
                   "--bind-ro=%s:/srv/pkg" % pkg, "--bind-ro=%s:/srv/cred" % cred,
                   "--bind-ro=%s:/etc/systemd/system/lastfm-pkgtest.service"
                   % os.path.join(units, "lastfm-pkgtest.service"),
                   "systemd.wants=lastfm-pkgtest.service"]
            boot_log = h.boot_container(cmd, 300)
        finally:
            for m in reversed(mounted):
                subprocess.run(["umount", "-l", m])
            shutil.rmtree(ovl, ignore_errors=True)
        read = h.results_reader(res)

        h.check(read("done") == "done", "the driver did not finish: %s\n%s"
                % ((read("driver.log") or "")[-3000:], boot_log[-1500:]))
        h.check(read("install.rc") == "0", "dpkg -i: %s" % read("install.out"))
        h.check(" no" not in (read("files.txt") or " no"), "installed files: %s" % read("files.txt"))
        h.check("/etc/lastfm-syncd.conf" in (read("conffiles.txt") or ""),
                "/etc/lastfm-syncd.conf is not a conffile: %s" % read("conffiles.txt"))
        h.check(read("enabled0.txt") == "disabled" and read("active0.txt") == "inactive",
                "installed without a key, the unit is %s and %s (expected disabled, inactive)"
                % (read("enabled0.txt"), read("active0.txt")))
        h.check(read("enable.rc") == "0" and read("rows1.rc") == "0",
                "enable --now: rc %s, CSV rows %s" % (read("enable.rc"), read("rows1.rc")))
        h.check(read("program1.txt") == "lastfm-syncd " + version and
                read("generator1.txt") == "lastfm-syncd " + version,
                "the first database and report: %s, %s" % (read("program1.txt"),
                                                           read("generator1.txt")))
        h.check(read("reload.rc") == "0" and read("rows2.rc") == "0",
                "reload: rc %s, new scrobbles arrived: %s" % (read("reload.rc"), read("rows2.rc")))
        h.check(read("upgrade.rc") == "0" and read("version2.txt") == newer,
                "upgrade: rc %s, version %s: %s" % (read("upgrade.rc"), read("version2.txt"),
                                                   read("upgrade.out")))
        h.check(read("conf_upgraded.txt") == read("conf_edited.txt"),
                "the upgrade did not keep the operator's conffile edit")
        h.check(read("pid2.txt") not in (None, "0", read("pid1.txt")) and
                read("active2.txt") == "active",
                "the upgrade did not restart the daemon (pid %s -> %s, %s)"
                % (read("pid1.txt"), read("pid2.txt"), read("active2.txt")))
        h.check(read("program2.txt") == "lastfm-syncd " + newer and
                read("generator2.txt") == "lastfm-syncd " + newer,
                "after the upgrade the database says %s and the report %s (expected %s)"
                % (read("program2.txt"), read("generator2.txt"), newer))
        h.check(read("rows_after_upgrade.txt") == "1503", "history after the upgrade: %s rows"
                % read("rows_after_upgrade.txt"))
        try:
            st = json.loads(read("status.json") or "{}")
        except ValueError:
            st = {}
        h.check(read("status.rc") == "0" and st.get("current") is True and
                st.get("scrobbles") == 1503 and st.get("daemon_running") is True,
                "--status after the upgrade: rc %s %s %s" % (read("status.rc"), st,
                                                           read("status.err")))
        h.check(read("remove.rc") == "0" and read("bin3.txt") == "no" and
                read("conf3.txt") == "yes" and read("rows3.txt") == "1503" and
                read("active3.txt") != "active",
                "remove: rc %s, program left %s, conf kept %s, history %s rows, unit %s"
                % (read("remove.rc"), read("bin3.txt"), read("conf3.txt"), read("rows3.txt"),
                   read("active3.txt")))
        purge = read("purge.out") or ""
        h.check(read("purge.rc") == "0" and read("conf4.txt") == "no" and
                read("rows4.txt") == "1503" and "/var/lib/lastfm-syncd" in purge and
                "lastfm-syncd" not in (read("wants4.txt") or ""),
                "purge: rc %s, conf left %s, history %s rows, message %r, wants %s"
                % (read("purge.rc"), read("conf4.txt"), read("rows4.txt"), purge,
                   read("wants4.txt")))


h.main()

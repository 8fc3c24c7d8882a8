"""Under real systemd: boot a throwaway container (systemd-nspawn --volatile=yes
-D / --boot), install the unit, the binaries, the man pages and the example
conf into it, run the service against the simulator on the host's loopback,
and check: systemd-analyze verify; is-active and progress in StatusText; the
CSV appears; systemctl reload brings new scrobbles; the journal holds the
structured fields and no API key; systemctl stop leaves no temp files; a wrong
API key ends in 'failed' without a restart loop.  Both documented ways of
giving the key start as shipped (a credential in /etc/credstore, or
/etc/lastfm-syncd/env); no key at all is one line at priority err, exit 78,
no restarts.  Two instances of the template lastfm-syncd@.service run at once,
each with its own credential, data and user, each CSV equal to its user's
history.

Needs root and systemd-nspawn (Debian: systemd-container); skipped (a TAP
skip with its reason) otherwise."""
import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if os.geteuid() != 0 or not shutil.which("systemd-nspawn"):
    h.skip_all("needs root and systemd-nspawn (apt-get install systemd-container)")
if h.asan_build():
    # The unit's seccomp filter and sandbox forbid what the sanitizers'
    # runtime needs (ptrace for LeakSanitizer); the plain build runs this test.
    h.skip_all("a sanitizer build cannot run inside the hardened unit")
if not os.path.exists(os.path.join(h.BUILDDIR, "systemd", "lastfm-syncd.service")):
    h.skip_all("systemd/lastfm-syncd.service is not built")

DRIVER = r'''#!/bin/bash
# Runs inside the container as a oneshot unit; writes what it sees to /results.
R=/results
# The credential way: the key in systemd's credential store.
install -d -m 700 /etc/credstore
install -m 600 /srv/cred/api-key /etc/credstore/lastfm-api-key
SIM=http://127.0.0.1:@PORT@
CSV=/var/lib/lastfm-syncd/interim/lastfm_scrobbles_interim.csv
exec >$R/driver.log 2>&1
set -x
rows() { /usr/bin/python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$1" 2>/dev/null || echo -1; }
# Which of the group's member and a stranger can read the data under $1.
who_reads() {
  for f in interim/lastfm_scrobbles_interim.csv processed/lastfm.sqlite report/index.html; do
    for u in reader stranger; do
      if setpriv --reuid=$u --regid=$u --init-groups head -c 1 $1/$f >/dev/null 2>&1; then echo "$u $f yes"; else echo "$u $f no"; fi
    done
  done
}
wait_rows() { for i in $(seq 1 300); do [ "$(rows $CSV)" = "$1" ] && return 0; sleep 0.2; done; return 1; }

systemd-analyze verify /etc/systemd/system/lastfm-syncd.service >$R/verify.txt 2>&1; echo $? >$R/verify.rc
systemd-analyze security lastfm-syncd.service --no-pager >$R/security.txt 2>&1
systemctl start lastfm-syncd; echo $? >$R/start.rc
systemctl is-active lastfm-syncd >$R/active1.txt
wait_rows @N1@; echo $? >$R/rows1.rc
sleep 1
systemctl show -p StatusText --value lastfm-syncd >$R/status1.txt
cp $CSV $R/csv1.csv

curl -s "$SIM/_sim/add?n=3&age=0" >/dev/null
curl -s "$SIM/_sim/add?n=2&age=86400" >/dev/null
systemctl reload lastfm-syncd; echo $? >$R/reload.rc
wait_rows @N2@; echo $? >$R/rows2.rc
cp $CSV $R/csv2.csv
systemctl is-active lastfm-syncd >$R/active2.txt

systemctl stop lastfm-syncd; echo $? >$R/stop.rc
systemctl show -p ExecMainStatus --value lastfm-syncd >$R/stop_status.txt
find /var/lib/private/lastfm-syncd -name '*.tmp*' >$R/temp_files.txt
journalctl -u lastfm-syncd -o json --no-pager >$R/journal.json

# A wrong API key: exit 78, 'failed', no restart loop.
systemctl set-environment LASTFM_API_KEY=@BADKEY@
systemctl start lastfm-syncd; echo $? >$R/bad_start.rc
sleep 3
systemctl is-failed lastfm-syncd >$R/bad_state.txt
systemctl show -p NRestarts --value lastfm-syncd >$R/bad_restarts.txt
systemctl show -p ExecMainStatus --value lastfm-syncd >$R/bad_status.txt
journalctl -u lastfm-syncd -o json --no-pager >$R/journal_all.json
systemctl unset-environment LASTFM_API_KEY
systemctl reset-failed lastfm-syncd

# The EnvironmentFile way: no credential, the key in $sysconfdir/lastfm-syncd/env
# (/usr/local/etc for make install's default prefix).
rm /etc/credstore/lastfm-api-key
{ set +x; } 2>/dev/null   # the key must not reach the driver's log
printf 'LASTFM_API_KEY=%s\n' "$(cat /srv/cred/api-key)" >/usr/local/etc/lastfm-syncd/env
set -x
chmod 600 /usr/local/etc/lastfm-syncd/env
systemctl start lastfm-syncd; echo $? >$R/env_start.rc
sleep 2
systemctl is-active lastfm-syncd >$R/env_active.txt
systemctl stop lastfm-syncd

# No key anywhere: one clear line, exit 78, no restart loop.
rm /usr/local/etc/lastfm-syncd/env
systemctl start lastfm-syncd; echo $? >$R/nokey_start.rc
sleep 3
systemctl is-failed lastfm-syncd >$R/nokey_state.txt
systemctl show -p NRestarts --value lastfm-syncd >$R/nokey_restarts.txt
systemctl show -p ExecMainStatus --value lastfm-syncd >$R/nokey_status.txt
journalctl -u lastfm-syncd -p err -o json --no-pager >$R/journal_err.json

# Two users at once: the template, each instance with its own credential.
install -m 600 /srv/cred/api-key.erin /etc/credstore/lastfm-api-key.erin
install -m 600 /srv/cred/api-key.finn /etc/credstore/lastfm-api-key.finn
systemd-analyze verify /etc/systemd/system/lastfm-syncd@.service >$R/tverify.txt 2>&1; echo $? >$R/tverify.rc
# erin's own settings in $sysconfdir/lastfm-syncd/erin.conf.
printf 'LASTFM_TIMEZONE=Europe/Berlin\n' >/results/confd/erin.conf
systemctl start lastfm-syncd@erin lastfm-syncd@finn; echo $? >$R/tstart.rc
for u in erin finn; do
  T=/var/lib/lastfm-syncd@$u/interim/lastfm_scrobbles_interim.csv
  for i in $(seq 1 300); do [ "$(rows $T)" = "@TN@" ] && break; sleep 0.2; done
  cp $T $R/t_$u.csv
  systemctl is-active lastfm-syncd@$u >$R/t_$u.active
done
sleep 1
# A reload with a bad setting fails and keeps the instance running.
printf 'LASTFM_TIMEZONE=Mars/Olympus\n' >/results/confd/erin.conf
systemctl reload lastfm-syncd@erin; echo $? >$R/t_badreload.rc
systemctl is-active lastfm-syncd@erin >$R/t_badreload.active
printf 'LASTFM_TIMEZONE=Europe/Berlin\n' >/results/confd/erin.conf
systemctl reload lastfm-syncd@erin; echo $? >$R/t_goodreload.rc
journalctl -u lastfm-syncd@erin -u lastfm-syncd@finn --no-pager >$R/t_journal.txt
systemctl stop lastfm-syncd@erin lastfm-syncd@finn
# An instance without a key is told where its own key goes.
systemctl start lastfm-syncd@gus; sleep 2
journalctl -u lastfm-syncd@gus -p err --no-pager >$R/t_nokey.txt

# The data for a local group: the static user and the drop-in as README says.
install -m 600 /srv/cred/api-key /etc/credstore/lastfm-api-key
# Nothing installed made a static user (it would take over DynamicUser=): the
# boot's systemd-sysusers ran, and a run of it now makes none either.
systemd-sysusers
getent passwd lastfm-syncd >/dev/null && echo static >$R/g_user_before.txt || echo none >$R/g_user_before.txt
# README's recipe as written, on a system without /etc/sysusers.d (stock
# Debian 12): the opt-in copies the shipped sysusers file there.
[ -e /etc/sysusers.d ] && echo present >$R/g_sysusers_d.txt || echo absent >$R/g_sysusers_d.txt
install -D -m 644 /usr/local/share/lastfm-syncd/lastfm-syncd.sysusers /etc/sysusers.d/lastfm-syncd.conf
systemd-sysusers; echo $? >$R/g_sysusers.rc
useradd -M -U -G lastfm reader; useradd -M -U stranger
mkdir -p /run/systemd/system/lastfm-syncd.service.d
cp /usr/local/share/lastfm-syncd/lastfm-syncd-shared.conf /run/systemd/system/lastfm-syncd.service.d/shared.conf
systemctl daemon-reload
systemd-analyze security lastfm-syncd.service --no-pager >$R/g_security.txt 2>&1
systemctl start lastfm-syncd; echo $? >$R/g_start.rc
G=/var/lib/lastfm-syncd
for i in $(seq 1 300); do [ -s $G/report/index.html ] && break; sleep 0.2; done
who_reads $G >$R/g_read.txt
ls -laR $G >$R/g_ls.txt 2>&1
systemctl stop lastfm-syncd
# The same drop-in for an instance of the template.
mkdir -p /run/systemd/system/lastfm-syncd@.service.d
cp /usr/local/share/lastfm-syncd/lastfm-syncd-shared.conf /run/systemd/system/lastfm-syncd@.service.d/shared.conf
systemctl daemon-reload
systemctl start lastfm-syncd@erin; echo $? >$R/gt_start.rc
G=/var/lib/lastfm-syncd@erin
for i in $(seq 1 300); do [ -s $G/report/index.html ] && [ $G/report/index.html -nt $R/gt_start.rc ] && break; sleep 0.2; done
who_reads $G >$R/gt_read.txt
systemctl stop lastfm-syncd@erin
echo done >$R/done
systemctl poweroff --no-block
'''

TEST_UNIT = '''[Unit]
Description=lastfm-syncd test driver
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/bin/bash /results/driver.sh
'''

DROPIN = '''[Service]
Environment=LASTFM_API_URL=http://127.0.0.1:{port}/2.0/
Environment=LASTFM_USERNAME={user}
Environment=LASTFM_SYNC_INTERVAL=1h
Environment=LASTFM_RATE_LIMIT=50
Environment=LASTFM_PAGE_LIMIT=100
'''


@h.case
def systemd():
    erin_dir = tempfile.mkdtemp(prefix="lastfm-systemd-erin-")
    finn_dir = tempfile.mkdtemp(prefix="lastfm-systemd-finn-")
    with h.Workdir("systemd") as work, h.Simulator(work.path, "--scrobbles", 2000) as sim, \
            h.Simulator(erin_dir, "--scrobbles", 700, "--seed", 7, user="erin") as erin, \
            h.Simulator(finn_dir, "--scrobbles", 700, "--seed", 8, user="finn") as finn:
        root = work.path
        res = os.path.join(root, "results")
        local = os.path.join(root, "usr-local")
        units = os.path.join(root, "units")
        cred = os.path.join(root, "cred")
        for d in (res, units, cred, os.path.join(local, "bin"), os.path.join(local, "etc"),
                  os.path.join(local, "share", "man", "man8"), os.path.join(local, "share", "man", "man5"),
                  os.path.join(local, "share", "man", "man1"),
                  os.path.join(units, "lastfm-syncd.service.d"),
                  os.path.join(units, "lastfm-syncd@erin.service.d"),
                  os.path.join(units, "lastfm-syncd@finn.service.d")):
            os.makedirs(d, exist_ok=True)
        for prog in ("lastfm-syncd", "lastfm-flatten"):
            shutil.copy(os.path.join(h.BUILDDIR, "src", prog), os.path.join(local, "bin", prog))
        shutil.copy(os.path.join(h.SRCDIR, "etc", "lastfm-syncd.conf"), os.path.join(local, "etc"))
        extra = os.path.join(root, "extra")
        os.makedirs(extra, exist_ok=True)
        # What `make install --prefix=/usr/local` puts there: the sysusers
        # file only as an example, never where systemd-sysusers reads it.
        os.makedirs(os.path.join(local, "share", "lastfm-syncd"), exist_ok=True)
        shutil.copy(os.path.join(h.SRCDIR, "systemd", "lastfm-syncd.sysusers"),
                    os.path.join(local, "share", "lastfm-syncd"))
        shutil.copy(os.path.join(h.SRCDIR, "systemd", "lastfm-syncd-shared.conf"),
                    os.path.join(local, "share", "lastfm-syncd"))
        # /usr/local is read-only in the container: the instances' conf files
        # live in the results directory, which the driver may write.
        os.makedirs(os.path.join(res, "confd"), exist_ok=True)
        os.symlink("/results/confd", os.path.join(local, "etc", "lastfm-syncd"))
        shutil.copy(os.path.join(h.SRCDIR, "etc", "lastfm-syncd.8"), os.path.join(local, "share", "man", "man8"))
        shutil.copy(os.path.join(h.SRCDIR, "etc", "lastfm-syncd.conf.5"), os.path.join(local, "share", "man", "man5"))
        for page in ("lastfm-process.1", "lastfm-report.1", "lastfm-flatten.1"):
            shutil.copy(os.path.join(h.SRCDIR, "etc", page), os.path.join(local, "share", "man", "man1"))
        with open(os.path.join(h.SRCDIR, "systemd", "lastfm-syncd.service.in")) as f:
            unit = f.read().replace("@bindir@", "/usr/local/bin").replace("@sysconfdir@", "/usr/local/etc")
        with open(os.path.join(units, "lastfm-syncd.service"), "w") as f:
            f.write(unit)
        with open(os.path.join(h.SRCDIR, "systemd", "lastfm-syncd@.service.in")) as f:
            tunit = f.read().replace("@bindir@", "/usr/local/bin").replace("@sysconfdir@",
                                                                             "/usr/local/etc")
        with open(os.path.join(units, "lastfm-syncd@.service"), "w") as f:
            f.write(tunit)
        for who in (erin, finn):
            with open(os.path.join(units, "lastfm-syncd@%s.service.d" % who.user, "test.conf"),
                      "w") as f:
                f.write("[Service]\nEnvironment=LASTFM_API_URL=http://127.0.0.1:%d/2.0/\n"
                        "Environment=LASTFM_SYNC_INTERVAL=1h\nEnvironment=LASTFM_RATE_LIMIT=50\n"
                        % who.port)
            with open(os.path.join(cred, "api-key." + who.user), "w") as f:
                f.write(who.api_key)
            os.chmod(os.path.join(cred, "api-key." + who.user), 0o600)
        with open(os.path.join(units, "lastfm-syncd.service.d", "test.conf"), "w") as f:
            f.write(DROPIN.format(port=sim.port, user=sim.user))
        with open(os.path.join(units, "lastfm-test.service"), "w") as f:
            f.write(TEST_UNIT)
        with open(os.path.join(cred, "api-key"), "w") as f:
            f.write(sim.api_key + "\n")
        os.chmod(os.path.join(cred, "api-key"), 0o600)
        bad_key = "0123456789abcdef" * 2
        with open(os.path.join(res, "driver.sh"), "w") as f:
            f.write(DRIVER.replace("@PORT@", str(sim.port)).replace("@N1@", "2000")
                    .replace("@N2@", "2005").replace("@BADKEY@", bad_key).replace("@TN@", "700"))

        cmd = ["systemd-nspawn", "--quiet", "--volatile=yes", "-D", "/", "--boot",
               "--register=no", "--keep-unit", "--console=pipe",
               "--bind=%s:/results" % res, "--bind-ro=%s:/usr/local" % local,
               "--bind-ro=%s:/etc/systemd/system" % units, "--bind-ro=%s:/srv/cred" % cred,
               "--bind-ro=%s:/srv/extra" % extra,
               # man(1) needs its configuration to find the installed pages (verify checks them)
               "--bind-ro=/etc/manpath.config:/etc/manpath.config",
               "systemd.wants=lastfm-test.service"]
        boot_log = h.boot_container(cmd, 240)
        read = h.results_reader(res)

        if not h.check(read("done") == "done", "the driver did not finish: %s\n%s"
                       % (boot_log[-3000:], read("driver.log"))):
            h.finish("systemd_test")

        h.check(read("verify.rc") == "0", "systemd-analyze verify: %s" % read("verify.txt"))
        # The exposure README quotes comes from here: printed, and held at 1.5 or better.
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", read("security.txt") or "")
        h.check(m and float(m.group(1)) <= 1.5, "systemd-analyze security: %s"
                % (read("security.txt") or "")[-300:])
        if m:
            print("systemd-analyze security: overall exposure %s" % m.group(1))
        h.check(read("start.rc") == "0" and read("active1.txt") == "active",
                "start: rc %s, state %s" % (read("start.rc"), read("active1.txt")))
        h.check(read("rows1.rc") == "0", "the first CSV did not appear")
        status = read("status1.txt") or ""
        h.check(status.startswith("idle: 2,000 scrobbles, last sync "), "StatusText: %r" % status)

        def csv_rows(name):
            with open(os.path.join(res, name), newline="", encoding="utf-8") as f:
                return [r[:7] for r in list(csv.reader(f))[1:]]

        truth = sim.truth()
        h.check(read("reload.rc") == "0" and read("rows2.rc") == "0", "reload did not bring the new scrobbles")
        if read("rows2.rc") == "0":
            h.check(csv_rows("csv2.csv") == h.truth_rows(truth), "the CSV after reload differs from the truth")
        h.check(read("active2.txt") == "active", "not active after reload")
        h.check(read("stop.rc") == "0" and read("stop_status.txt") == "0",
                "stop: rc %s, exit status %s" % (read("stop.rc"), read("stop_status.txt")))
        h.check(read("temp_files.txt") == "", "temp files after stop: %s" % read("temp_files.txt"))

        entries = [json.loads(l) for l in (read("journal.json") or "").splitlines() if l.strip()]
        ids = {e.get("MESSAGE_ID") for e in entries}
        for name, mid in (("pass started", "cc08b6c1106f4a79b79800b880d86359"),
                          ("pass completed", "3544b0eeb96941258ea1ba691cac5a18"),
                          ("CSV written", "00ebc11466224bbea396c73807c96916")):
            h.check(mid in ids, "no '%s' entry (MESSAGE_ID=%s) in the journal" % (name, mid))
        # Every stage's result is logged by the daemon, so journald attributes it
        # to the unit; every entry names its caller, not the logging module.
        for mid in ("00ebc11466224bbea396c73807c96916", "7a1c0f3e5b8d4c2e9f6a1b3d5e7c9a20",
                    "5c9e1a7f3b2d4e6a8c0f2b4d6e8a1c3e"):
            got = [e for e in entries if e.get("MESSAGE_ID") == mid]
            h.check(got and all(e.get("_SYSTEMD_UNIT") == "lastfm-syncd.service" for e in got),
                    "MESSAGE_ID=%s: missing or not attributed to the unit: %r" % (mid, got[:1]))
        h.check(entries and not any(str(e.get("CODE_FILE", "")).endswith("log.c") for e in entries),
                "entries name src/log.c as their CODE_FILE")
        done = [e for e in entries if e.get("MESSAGE_ID") == "3544b0eeb96941258ea1ba691cac5a18"]
        h.check(done and all("SYNC_PASS" in e and "SCROBBLES_NEW" in e and e.get("PRIORITY") == "6"
                             for e in done), "pass completed entries lack fields: %r" % done[:1])
        everything = "".join(open(os.path.join(res, f), errors="replace").read()
                             for f in os.listdir(res) if os.path.isfile(os.path.join(res, f))
                             and f != "driver.sh")
        h.check(sim.api_key not in everything, "the API key appears in the journal or the results")

        h.check(read("bad_state.txt") == "failed", "wrong key: state %r" % read("bad_state.txt"))
        h.check(read("bad_restarts.txt") == "0", "wrong key: %s restarts" % read("bad_restarts.txt"))
        h.check(read("bad_status.txt") == "78", "wrong key: exit status %s" % read("bad_status.txt"))
        fatal = [e for e in (json.loads(l) for l in (read("journal_all.json") or "").splitlines() if l.strip())
                 if e.get("MESSAGE_ID") == "fd5d3b02300c4ccbada030caa84dc300"]
        h.check(fatal and fatal[-1].get("LASTFM_ERROR") == "10" and fatal[-1].get("PRIORITY") == "3",
                "no fatal API error entry with LASTFM_ERROR=10: %r" % fatal[-1:])

        # The EnvironmentFile way starts as shipped; no key is one clear err line.
        h.check(read("env_start.rc") == "0" and read("env_active.txt") == "active",
                "EnvironmentFile way: rc %s, state %s" % (read("env_start.rc"), read("env_active.txt")))
        h.check(read("nokey_state.txt") == "failed" and read("nokey_restarts.txt") == "0" and
                read("nokey_status.txt") == "78", "no key: state %s, %s restarts, status %s"
                % (read("nokey_state.txt"), read("nokey_restarts.txt"), read("nokey_status.txt")))
        errs = [json.loads(l) for l in (read("journal_err.json") or "").splitlines() if l.strip()]
        h.check(any("LASTFM_API_KEY is not set" in e.get("MESSAGE", "") for e in errs),
                "no key: no err entry naming LASTFM_API_KEY: %r" % [e.get("MESSAGE") for e in errs])
        h.check(not any(e.get("MESSAGE", "").startswith("lastfm-syncd:") for e in errs),
                "journal entries carry a doubled prefix")
        # One err line per problem: the key's, with the configuration's
        # MESSAGE_ID, and no count of errors after it at err.
        config = [e.get("MESSAGE", "") for e in errs
                  if e.get("MESSAGE_ID") == "e3a9c5d7f1b24a6c8e0d2f4b6a8c0e19"]
        h.check(len([m for m in config if "LASTFM_API_KEY is not set" in m]) == 1 and
                not any("configuration error" in e.get("MESSAGE", "") for e in errs),
                "no key: one err entry, with the configuration's MESSAGE_ID: %r"
                % [e.get("MESSAGE") for e in errs])

        # Two template instances, each with its own history.
        h.check(read("tverify.rc") == "0", "verify of the template: %s" % read("tverify.txt"))
        h.check(read("tstart.rc") == "0", "the template instances did not start")
        for who in (erin, finn):
            h.check(read("t_%s.active" % who.user) == "active", "lastfm-syncd@%s not active" % who.user)
            if os.path.exists(os.path.join(res, "t_%s.csv" % who.user)):
                h.check(csv_rows("t_%s.csv" % who.user) == h.truth_rows(who.truth()),
                        "lastfm-syncd@%s: the CSV differs from %s's history" % (who.user, who.user))
            else:
                h.check(False, "lastfm-syncd@%s wrote no CSV" % who.user)

        # The data for a local group: its members read the CSV, the database and
        # the report; others do not; the hardening holds.
        h.check(read("g_start.rc") == "0", "shared: the service did not start")
        lines = set((read("g_read.txt") or "").splitlines())
        for f in ("interim/lastfm_scrobbles_interim.csv", "processed/lastfm.sqlite",
                  "report/index.html"):
            h.check("reader %s yes" % f in lines, "shared: a member of the group cannot read %s" % f)
            h.check("stranger %s no" % f in lines, "shared: a stranger can read %s" % f)
        h.check(read("g_user_before.txt") == "none",
                "a static lastfm-syncd user existed before the opt-in (%s): it would serve the "
                "DynamicUser= unit" % read("g_user_before.txt"))
        h.check(read("g_sysusers_d.txt") == "absent" and read("g_sysusers.rc") == "0",
                "the recipe ran with /etc/sysusers.d %s, systemd-sysusers rc %s"
                % (read("g_sysusers_d.txt"), read("g_sysusers.rc")))
        h.check(read("gt_start.rc") == "0", "shared template instance did not start")
        lines = set((read("gt_read.txt") or "").splitlines())
        for f in ("interim/lastfm_scrobbles_interim.csv", "processed/lastfm.sqlite",
                  "report/index.html"):
            h.check("reader %s yes" % f in lines, "shared@erin: a member cannot read %s" % f)
            h.check("stranger %s no" % f in lines, "shared@erin: a stranger can read %s" % f)
        nk = read("t_nokey.txt") or ""
        h.check("/etc/credstore/lastfm-api-key.gus" in nk and
                "/usr/local/etc/lastfm-syncd/gus.env" in nk,
                "an instance without a key is not told where its key goes: %s" % nk[-800:])
        tj = read("t_journal.txt") or ""
        h.check("time zones Europe/Berlin" in tj, "erin.conf's time zone was not used: %s" % tj[-2000:])
        h.check(read("t_badreload.rc") not in (None, "0") and read("t_badreload.active") == "active",
                "a reload with a bad setting: rc %s, state %s" % (read("t_badreload.rc"),
                                                                  read("t_badreload.active")))
        h.check(read("t_goodreload.rc") == "0", "a good reload failed: %s" % read("t_goodreload.rc"))
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", read("g_security.txt") or "")
        h.check(m and float(m.group(1)) <= 1.5, "shared: systemd-analyze security: %s"
                % (read("g_security.txt") or "")[-300:])
        if m:
            print("systemd-analyze security with the shared drop-in: %s" % m.group(1))

    for d in (erin_dir, finn_dir):
        if not h._failures:
            shutil.rmtree(d, ignore_errors=True)


h.main()

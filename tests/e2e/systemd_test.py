"""Under real systemd: boot a throwaway container (systemd-nspawn --volatile=yes
-D / --boot), install the unit, the binaries, the man pages and the example
conf into it, run the service against the simulator on the host's loopback,
and check: systemd-analyze verify; is-active and progress in StatusText; the
CSV appears; systemctl reload brings new scrobbles; the journal holds the
structured fields and no API key; systemctl stop leaves no temp files; a wrong
API key ends in 'failed' without a restart loop.

Needs root and systemd-nspawn (Debian: systemd-container); skipped (exit 77)
with a message otherwise."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if os.geteuid() != 0 or not shutil.which("systemd-nspawn"):
    print("SKIP: needs root and systemd-nspawn (apt-get install systemd-container)")
    sys.exit(77)
if h.asan_build():
    # The unit's seccomp filter and sandbox forbid what the sanitizers'
    # runtime needs (ptrace for LeakSanitizer); the plain build runs this test.
    print("SKIP: a sanitizer build cannot run inside the hardened unit")
    sys.exit(77)
if not os.path.exists(os.path.join(h.BUILDDIR, "systemd", "lastfm-syncd.service")):
    print("SKIP: systemd/lastfm-syncd.service is not built")
    sys.exit(77)

DRIVER = r'''#!/bin/bash
# Runs inside the container as a oneshot unit; writes what it sees to /results.
R=/results
SIM=http://127.0.0.1:@PORT@
CSV=/var/lib/lastfm-syncd/interim/lastfm_scrobbles_interim.csv
exec >$R/driver.log 2>&1
set -x
rows() { /usr/bin/python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$1" 2>/dev/null || echo -1; }
wait_rows() { for i in $(seq 1 300); do [ "$(rows $CSV)" = "$1" ] && return 0; sleep 0.2; done; return 1; }

systemd-analyze verify /etc/systemd/system/lastfm-syncd.service >$R/verify.txt 2>&1; echo $? >$R/verify.rc
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

with h.Workdir("systemd") as work, h.Simulator(work.path, "--scrobbles", 2000) as sim:
    root = work.path
    res = os.path.join(root, "results")
    local = os.path.join(root, "usr-local")
    units = os.path.join(root, "units")
    cred = os.path.join(root, "cred")
    for d in (res, units, cred, os.path.join(local, "bin"), os.path.join(local, "etc"),
              os.path.join(local, "share", "man", "man8"), os.path.join(local, "share", "man", "man5"),
              os.path.join(units, "lastfm-syncd.service.d")):
        os.makedirs(d, exist_ok=True)
    for prog in ("lastfm-syncd", "lastfm-flatten"):
        shutil.copy(os.path.join(h.BUILDDIR, "src", prog), os.path.join(local, "bin", prog))
    shutil.copy(os.path.join(h.SRCDIR, "etc", "lastfm-syncd.conf"), os.path.join(local, "etc"))
    shutil.copy(os.path.join(h.SRCDIR, "etc", "lastfm-syncd.8"), os.path.join(local, "share", "man", "man8"))
    shutil.copy(os.path.join(h.SRCDIR, "etc", "lastfm-syncd.conf.5"), os.path.join(local, "share", "man", "man5"))
    with open(os.path.join(h.SRCDIR, "systemd", "lastfm-syncd.service.in")) as f:
        unit = f.read().replace("@bindir@", "/usr/local/bin").replace("@sysconfdir@", "/usr/local/etc")
    with open(os.path.join(units, "lastfm-syncd.service"), "w") as f:
        f.write(unit)
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
                .replace("@N2@", "2005").replace("@BADKEY@", bad_key))

    cmd = ["systemd-nspawn", "--quiet", "--volatile=yes", "-D", "/", "--boot",
           "--register=no", "--keep-unit", "--console=pipe",
           "--bind=%s:/results" % res, "--bind-ro=%s:/usr/local" % local,
           "--bind-ro=%s:/etc/systemd/system" % units, "--bind-ro=%s:/etc/lastfm-syncd" % cred,
           # man(1) needs its configuration to find the installed pages (verify checks them)
           "--bind-ro=/etc/manpath.config:/etc/manpath.config",
           "systemd.wants=lastfm-test.service"]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=240, stdin=subprocess.DEVNULL)
        boot_log = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        boot_log = "timed out after 240 s"
    print("container ran for %.1f s" % (time.time() - t0))

    def read(name):
        try:
            with open(os.path.join(res, name), encoding="utf-8", errors="replace") as f:
                return f.read().strip()
        except OSError:
            return None

    if not h.check(read("done") == "done", "the driver did not finish: %s\n%s"
                   % (boot_log[-3000:], read("driver.log"))):
        h.finish("systemd_test")

    h.check(read("verify.rc") == "0", "systemd-analyze verify: %s" % read("verify.txt"))
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

h.finish("systemd_test")

"""make install keeps the operator's conf file: installed only when there is
none (the shipped one beside it as lastfm-syncd.conf.example), kept by a
second install and by make uninstall once edited, removed by uninstall when
it is still the shipped one.  Everything it writes stays below the prefix
(the units in PREFIX/lib/systemd/system; issue 32: nothing where dpkg owns
files), the shared-group way's sysusers file and drop-in are examples in
pkgdatadir, never where systemd-sysusers reads them (a static user would take
over DynamicUser=), and make uninstall says what it leaves.  Into a DESTDIR
of its own."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if not os.path.exists(os.path.join(h.BUILDDIR, "Makefile")):
    h.skip_all("no Makefile in %s" % h.BUILDDIR)


def make(*args):
    return subprocess.run(["make", "-s", "-C", h.BUILDDIR] + list(args), capture_output=True,
                          text=True, timeout=600)


def var(name):
    r = make("-p", "-n", "install")
    for line in r.stdout.splitlines():
        if line.startswith(name + " = "):
            return line.split(" = ", 1)[1]
    return ""


@h.case
def install():
    with tempfile.TemporaryDirectory(prefix="lastfm-install-") as dest:
        sysconf = var("sysconfdir").replace("${prefix}", var("prefix"))
        conf = dest + sysconf + "/lastfm-syncd.conf"
        r = make("install", "DESTDIR=" + dest)
        h.check(r.returncode == 0, "make install: %s" % r.stderr[-800:])
        h.check(os.path.isfile(conf) and os.path.isfile(conf + ".example"),
                "no conf file or example after install: %s" % conf)
        found = {os.path.relpath(os.path.join(d, f), dest) for d, _, fs in os.walk(dest) for f in fs}
        prefix = var("prefix").strip("/")
        outside = sorted(p for p in found if not p.startswith(prefix + "/"))
        h.check(not outside, "make install wrote outside its prefix /%s: %s" % (prefix, outside))
        h.check(prefix + "/lib/systemd/system/lastfm-syncd.service" in found and
                prefix + "/lib/systemd/system/lastfm-syncd@.service" in found,
                "the units are not in the prefix's lib/systemd/system: %s" % sorted(found))
        h.check(not any("sysusers.d" in p for p in found),
                "a sysusers file where systemd-sysusers reads it: %s" % sorted(found))
        for name in ("lastfm-syncd-shared.conf", "lastfm-syncd.sysusers"):
            h.check(any(p.endswith("share/lastfm-syncd/" + name) for p in found),
                    "no %s among the examples: %s" % (name, sorted(found)))
        with open(conf, "a") as f:
            f.write("LASTFM_TIMEZONE=Europe/Berlin\n")
        edited = open(conf).read()
        r = make("install", "DESTDIR=" + dest)
        h.check(r.returncode == 0 and open(conf).read() == edited,
                "a second make install changed the edited conf file")
        r = make("uninstall", "DESTDIR=" + dest)
        h.check(r.returncode == 0 and os.path.isfile(conf) and open(conf).read() == edited,
                "make uninstall removed or changed the edited conf file")
        h.check("systemctl disable --now" in r.stdout and "/var/lib/lastfm-syncd" in r.stdout,
                "make uninstall does not say what it leaves: %s" % r.stdout[-800:])
        h.check(not os.path.exists(conf + ".example"), "make uninstall left the example")
        os.unlink(conf)
        make("install", "DESTDIR=" + dest)
        r = make("uninstall", "DESTDIR=" + dest)
        h.check(not os.path.exists(conf), "make uninstall kept the conf file it installed unedited")


h.main()

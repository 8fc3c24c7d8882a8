"""make install keeps the operator's conf file: installed only when there is
none (the shipped one beside it as lastfm-syncd.conf.example), kept by a
second install and by make uninstall once edited, removed by uninstall when
it is still the shipped one; the sysusers file goes to sysusersdir and the
shared-group drop-in to pkgdatadir.  Into a DESTDIR of its own."""
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
        h.check(any(p.endswith("sysusers.d/lastfm-syncd.conf") for p in found),
                "no sysusers file installed: %s" % sorted(found))
        h.check(any(p.endswith("share/lastfm-syncd/lastfm-syncd-shared.conf") for p in found),
                "no shared-group drop-in installed: %s" % sorted(found))
        with open(conf, "a") as f:
            f.write("LASTFM_TIMEZONE=Europe/Berlin\n")
        edited = open(conf).read()
        r = make("install", "DESTDIR=" + dest)
        h.check(r.returncode == 0 and open(conf).read() == edited,
                "a second make install changed the edited conf file")
        r = make("uninstall", "DESTDIR=" + dest)
        h.check(r.returncode == 0 and os.path.isfile(conf) and open(conf).read() == edited,
                "make uninstall removed or changed the edited conf file")
        h.check(not os.path.exists(conf + ".example"), "make uninstall left the example")
        os.unlink(conf)
        make("install", "DESTDIR=" + dest)
        r = make("uninstall", "DESTDIR=" + dest)
        h.check(not os.path.exists(conf), "make uninstall kept the conf file it installed unedited")


h.main()

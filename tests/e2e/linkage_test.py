"""Only lastfm-syncd speaks to the API, so only it links libcurl: the stages'
programs (lastfm-flatten, lastfm-process, lastfm-report) and the unit tests of
the pure modules do not (ldd)."""
import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

if not shutil.which("ldd"):
    print("SKIP: no ldd")
    sys.exit(77)


def links_curl(path):
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    return "libcurl" in out


h.check(links_curl(h.SYNCD), "lastfm-syncd does not link libcurl? (the check would mean nothing)")
for prog in ("lastfm-flatten", "lastfm-process", "lastfm-report"):
    h.check(not links_curl(os.path.join(h.BUILDDIR, "src", prog)), "%s links libcurl" % prog)
units = [p for p in glob.glob(os.path.join(h.BUILDDIR, "tests", "unit", "test_*"))
         if os.access(p, os.X_OK) and not p.endswith((".c", ".h", ".o", ".log", ".trs"))]
h.check(len(units) >= 10, "only %d unit tests found" % len(units))
for p in units:
    if os.path.basename(p) == "test_lastfm":   # request URLs: the curl URL API
        continue
    h.check(not links_curl(p), "%s links libcurl" % os.path.basename(p))
h.finish("linkage_test")

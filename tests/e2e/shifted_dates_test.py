"""The tests that build their data around "now" pass on any date: each runs
again with the wall clock of every process (the test, the simulator, the
programs, the browser) moved by +2, +7, +30 and +200 days through
tests/clockshift.so.  A planted expectation next to a real boundary (local
midnight, a holiday, a DST change, a month's end) fails one of these."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

SHIM = os.path.join(h.BUILDDIR, "tests", "clockshift.so")
TESTS = ("processed_test.py", "report_test.py", "late_and_deleted_test.py")
DAYS = (2, 7, 30, 200)

if not h.check(os.path.exists(SHIM), "no %s: make check builds it" % SHIM):
    h.finish("shifted_dates_test")

for days in DAYS:
    for test in TESTS:
        env = dict(os.environ)
        env["LD_PRELOAD"] = SHIM
        env["TEST_CLOCK_SHIFT"] = str(days * 86400)
        # A sanitizer build wants its runtime first; the shim only wraps libc.
        env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") +
                               ":verify_asan_link_order=0").lstrip(":")
        t0 = time.time()
        p = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), test)],
                           env=env, capture_output=True, timeout=900)
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        if p.returncode == 77:
            print("%s at +%d days: skipped" % (test, days))
            continue
        h.check(p.returncode == 0, "%s with the clock %d days ahead: exit %d\n%s"
                % (test, days, p.returncode, out[-3000:]))
        print("%s at +%d days: exit %d in %.1f s" % (test, days, p.returncode, time.time() - t0),
              flush=True)

h.finish("shifted_dates_test")

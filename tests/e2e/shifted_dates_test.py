"""The tests that build their data around "now" pass on any date: each runs
again with the wall clock of every process (the test, the simulator, the
programs, the browser) moved by +2, +7, +30 and +200 days through
tests/clockshift.so.  A planted expectation next to a real boundary (local
midnight, a holiday, a DST change, a month's end) fails one of these."""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

SHIM = os.path.join(h.BUILDDIR, "tests", "clockshift.so")
TESTS = ("processed_test.py", "report_test.py", "late_and_deleted_test.py")
DAYS = (2, 7, 30, 200)

def run_shifted(days):
    h.check(os.path.exists(SHIM), "no %s: make check builds it" % SHIM)
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
        # The child speaks TAP: its own cases, failed or skipped, by name.
        failed = re.findall(r"^not ok \d+ - (\S+)", out, re.M)
        skipped = re.findall(r"^(?:ok \d+ - (\S+)|1\.\.0) # SKIP (.*)$", out, re.M)
        for name, why in skipped:
            h.missing("%s %s at +%d days: %s" % (test, name or "(all)", days, why))
        h.check(p.returncode == 0 and not failed,
                "%s with the clock %d days ahead: exit %d, failed %s\n%s"
                % (test, days, p.returncode, failed, out[-3000:]))
        print("%s at +%d days: exit %d in %.1f s" % (test, days, p.returncode, time.time() - t0),
              flush=True)


for _days in DAYS:
    h.add_case("plus_%d_days" % _days, lambda d=_days: run_shifted(d))


h.main()

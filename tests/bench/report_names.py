"""The report's memory whatever the names: a database of 1,000,000 distinct
artists (one scrobble each), and one of 200 artists named by 1 MiB each.
Builds each CSV by hand, runs lastfm-process, then lastfm-report, and prints
the time and peak RSS of both.  Prints figures; asserts nothing."""
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import harness as h  # noqa: E402

HEADER = ("played_at_utc,track_name,artist_name,album_name,track_mbid,artist_mbid,"
          "album_mbid,source_page,source_file\n")
PROCESS = os.path.join(h.BUILDDIR, "src", "lastfm-process")
REPORT = os.path.join(h.BUILDDIR, "src", "lastfm-report")


def measured(cmd, env):
    t0 = time.time()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), time.time() - t0, usage.ru_maxrss / 1024, err


def case(label, rows):
    with h.Workdir("report-names") as work:
        interim = os.path.join(work.data, "interim")
        os.makedirs(interim)
        os.chmod(work.data, 0o700)
        start = 1500000000
        with open(os.path.join(interim, "lastfm_scrobbles_interim.csv"), "w",
                  encoding="utf-8") as f:
            f.write(HEADER)
            for i, (track, artist) in enumerate(rows):
                f.write("%s,%s,%s,Album,,,,1,raw/pass-000001/page-000001.json\n"
                        % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start - i * 37)),
                           track, artist))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
        for prog in (PROCESS, REPORT):
            code, secs, rss, err = measured([prog, "--data-dir", work.data, "--env-file",
                                             "/dev/null"], env)
            print("  %-34s %-15s exit %d, %6.2f s, peak RSS %7.1f MiB%s"
                  % (label, os.path.basename(prog), code, secs, rss,
                     "" if code == 0 else ": " + err[-200:]), flush=True)


only = sys.argv[1] if len(sys.argv) > 1 else ""
print("[report] memory whatever the names")
if only in ("", "artists"):
    case("1,000,000 distinct artists", (("Track", "Artist %07d" % i) for i in range(1000000)))
if only in ("", "long"):
    case("200 artists named by 1 MiB each",
         (("Track", ("%03d" % i) + "x" * ((1 << 20) - 3)) for i in range(200)))

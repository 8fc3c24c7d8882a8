"""Shared helpers for the end-to-end tests: a simulator on 127.0.0.1, a data
directory, runs of the built programs, and the checks every test makes
(CSV == ground truth, raw pages whole, no temp files, the API key nowhere)."""

import csv
import glob
import io
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

BUILDDIR = os.environ.get("LASTFM_BUILDDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
SRCDIR = os.environ.get("LASTFM_SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
SYNCD = os.path.join(BUILDDIR, "src", "lastfm-syncd")
FLATTEN = os.path.join(BUILDDIR, "src", "lastfm-flatten")
SIM = os.path.join(SRCDIR, "tests", "lastfm_sim.py")
CSV_COLUMNS = ["played_at_utc", "track_name", "artist_name", "album_name", "track_mbid",
               "artist_mbid", "album_mbid", "source_page", "source_file"]

# LASTFM_TEST_WRAPPER runs the programs under a tool, e.g. valgrind (CI does).
WRAPPER = os.environ.get("LASTFM_TEST_WRAPPER", "").split()

# Each test file is a list of named cases (@case), run by main() and reported
# in TAP (automake's tap-driver.sh prints each case by name in `make check`):
#   python3 tests/e2e/faults_test.py            every case of the file
#   python3 tests/e2e/faults_test.py stall      one case (or several, by name)
#   python3 tests/e2e/faults_test.py --list     the case names
# A check that fails is recorded and the case goes on (all are reported); the
# case fails if any did.  skip(reason) ends a case as a TAP skip with its
# reason; with LASTFM_TEST_STRICT=1 (CI sets it) a skip is a failure.
_failures = []    # the failed checks of the case now running
_cases = []       # (name, function) in the file's order
_current = None   # the name of the case now running


class Skip(Exception):
    """skip(reason): the case cannot run here (a tool missing, a build kind)."""


def _comment(text):
    """Text as TAP diagnostics: no line of it can read as a TAP result."""
    return "\n".join("# " + line for line in str(text).splitlines() or [""])


def check(cond, what):
    """Record a failed assertion without stopping (all are reported)."""
    if not cond:
        _failures.append(what)
        print(_comment("FAIL [%s]: %s" % (_current, what)), flush=True)
    return cond


def asan_build():
    """True when the programs are built with AddressSanitizer."""
    with open(SYNCD, "rb") as f:
        return b"__asan_init" in f.read()


def case(fn):
    """A named case of this file (its function's name)."""
    return add_case(fn.__name__, fn)


def add_case(name, fn):
    """A case by name, for cases made in a loop."""
    _cases.append((name, fn))
    return fn


def skip(reason):
    raise Skip(reason)


def missing(reason):
    """Part of a case cannot run here (the rest of it does): said in the log,
    and a failed check under LASTFM_TEST_STRICT=1."""
    if os.environ.get("LASTFM_TEST_STRICT") == "1":
        check(False, "skipped, and LASTFM_TEST_STRICT=1 forbids it: " + reason)
    else:
        print(_comment("SKIP [%s] part: %s" % (_current, reason)), flush=True)


def skip_all(reason):
    """At the top of a file, before any case: the whole file cannot run here."""
    if os.environ.get("LASTFM_TEST_STRICT") == "1":
        print("1..1\nnot ok 1 - %s: skipped, and LASTFM_TEST_STRICT=1 forbids it: %s"
              % (os.path.basename(sys.argv[0]), reason.replace("#", "")))
        sys.exit(1)
    print("1..0 # SKIP %s" % reason.replace("#", ""))
    sys.exit(0)


def main():
    """Run the cases named on the command line (default: all), print TAP, and
    exit 1 if any failed."""
    global _current
    names = [n for n, _ in _cases]
    args = sys.argv[1:]
    if args == ["--list"]:
        print("\n".join(names))
        sys.exit(0)
    unknown = [a for a in args if a not in names]
    if unknown:
        sys.stderr.write("%s: no case %s; the cases are: %s\n"
                         % (os.path.basename(sys.argv[0]), ", ".join(unknown), " ".join(names)))
        sys.exit(2)
    chosen = [(n, f) for n, f in _cases if not args or n in args]
    strict = os.environ.get("LASTFM_TEST_STRICT") == "1"
    print("1..%d" % len(chosen), flush=True)
    failed = 0
    for i, (name, fn) in enumerate(chosen, 1):
        del _failures[:]
        _current = name
        t0 = time.time()
        try:
            fn()
        except Skip as e:
            reason = str(e).replace("#", "")
            if strict:
                failed += 1
                print("not ok %d - %s: skipped, and LASTFM_TEST_STRICT=1 forbids it: %s"
                      % (i, name, reason), flush=True)
            else:
                print("ok %d - %s # SKIP %s" % (i, name, reason), flush=True)
            continue
        except Exception:
            _failures.append("raised")
            print(_comment(traceback.format_exc()), flush=True)
        if _failures:
            failed += 1
            print("not ok %d - %s (%d check(s) failed)" % (i, name, len(_failures)), flush=True)
        else:
            print("ok %d - %s (%.1f s)" % (i, name, time.time() - t0), flush=True)
    _current = None
    sys.exit(1 if failed else 0)


class Simulator:
    """The Last.fm simulator as a child process on 127.0.0.1."""

    def __init__(self, workdir, *args, api_key=None, user="testuser", tls=None):
        """tls: (certificate, key, CA file) to serve https, see make_tls_cert()."""
        self.api_key = api_key or secrets.token_hex(16)
        self.user = user
        self.ssl_context = None
        if tls:
            args = args + ("--tls-cert", tls[0], "--tls-key", tls[1])
            self.ssl_context = ssl.create_default_context(cafile=tls[2])
        port_file = os.path.join(workdir, "sim.port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.proc = subprocess.Popen(
            [sys.executable, SIM, "--port-file", port_file, "--api-key", self.api_key,
             "--user", user] + [str(a) for a in args],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "sim.err"), "w"))
        deadline = time.time() + 30
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("simulator did not start: " +
                                   open(os.path.join(workdir, "sim.err")).read())
            time.sleep(0.02)
        self.port = int(open(port_file).read())
        self.scheme = "https" if tls else "http"
        self.url = "%s://127.0.0.1:%d/2.0/" % (self.scheme, self.port)

    def control(self, cmd, **params):
        q = "&".join("%s=%s" % (k, urllib.request.quote(str(v), safe=",")) for k, v in params.items())
        with urllib.request.urlopen("%s://127.0.0.1:%d/_sim/%s?%s" % (self.scheme, self.port, cmd, q),
                                    timeout=30, context=self.ssl_context) as r:
            return json.loads(r.read().decode("utf-8"))

    def truth(self):
        return self.control("truth")

    def stats(self):
        return self.control("stats")

    def page_requests(self):
        """API requests but the artists' tags (user.getRecentTracks: pages and counts)."""
        st = self.stats()
        return st["requests"] - st["tag_requests"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def boot_container(cmd, timeout):
    """Run systemd-nspawn --boot (cmd) until its driver powers it off; its
    console output, or why it did not end."""
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        log = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        log = "timed out after %d s" % timeout
    print("container ran for %.1f s" % (time.time() - t0))
    return log


def results_reader(res):
    """read(name): the stripped text a container's driver left in res, or None."""
    def read(name):
        try:
            with open(os.path.join(res, name), encoding="utf-8", errors="replace") as f:
                return f.read().strip()
        except OSError:
            return None
    return read


def make_tls_cert(directory, name, san="IP:127.0.0.1"):
    """A throwaway self-signed certificate for the simulator's https, made with
    the openssl command; it is its own CA.  Returns (certificate, key, CA file)."""
    cert = os.path.join(directory, name + ".pem")
    key = os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=lastfm-sim test " + name, "-addext", "subjectAltName=" + san,
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key, cert


class Workdir:
    def __init__(self, name):
        self.path = tempfile.mkdtemp(prefix="lastfm-%s-" % name)
        self.data = os.path.join(self.path, "data")

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not _failures:
            self.cleanup()
        else:
            print("kept %s for inspection" % self.path)


def base_env(sim, work, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    env.update({
        "LASTFM_API_KEY": sim.api_key,
        "LASTFM_USERNAME": sim.user,
        "LASTFM_API_URL": sim.url,
        "LASTFM_DATA_DIR": work.data,
        "LASTFM_RATE_LIMIT": "100",
        "LASTFM_MAX_IN_FLIGHT": "8",
        "LASTFM_PAGE_LIMIT": "50",
        "LASTFM_MAX_RETRIES": "10",
        "LASTFM_REQUEST_TIMEOUT": "5",
    })
    env.update({("LASTFM_" + k.upper()): str(v) for k, v in settings.items()})
    return env


def traced_env(env):
    """The environment for a program run under strace: LeakSanitizer (in a
    sanitizer build) needs ptrace, which strace already holds."""
    env = dict(env)
    opts = env.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = (opts + ":" if opts else "") + "detect_leaks=0"
    return env


class Run:
    def __init__(self, proc, out, err, seconds):
        self.code = proc.returncode
        self.out = out
        self.err = err
        self.seconds = seconds


def run(cmd, env, cwd, timeout=300, secret=None):
    t0 = time.time()
    if cmd and cmd[0] in (SYNCD, FLATTEN):
        cmd = WRAPPER + list(cmd)
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, timeout=timeout)
    r = Run(p, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
            time.time() - t0)
    if secret:
        check(secret not in r.out and secret not in r.err,
              "the API key appears in the output of %s" % os.path.basename(cmd[0]))
    return r


def syncd(sim, work, *args, timeout=300, **settings):
    env = base_env(sim, work, **settings)
    return run([SYNCD, "--once", "--env-file", "/dev/null"] + list(args), env, work.path,
               timeout, sim.api_key)


def spawn_syncd(sim, work, *args, **settings):
    env = base_env(sim, work, **settings)
    return subprocess.Popen(WRAPPER + [SYNCD, "--once", "--env-file", "/dev/null"] + list(args), env=env,
                            cwd=work.path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def read_csv(work):
    path = os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")
    if not check(os.path.exists(path), "no CSV at %s" % path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    check(rows and rows[0] == CSV_COLUMNS, "CSV header is %r" % (rows[0] if rows else None))
    return rows[1:]


def utc(uts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(uts))


def truth_rows(truth):
    return [[utc(t["uts"]), t["track"], t["artist"], t["album"], t["track_mbid"],
             t["artist_mbid"], t["album_mbid"]] for t in truth]


def compare_csv_with_truth(work, truth, what):
    rows = read_csv(work)
    got = [r[:7] for r in rows]
    want = truth_rows(truth)
    if not check(len(got) == len(want), "%s: CSV has %d rows, the simulator %d"
                 % (what, len(got), len(want))):
        # Show the first difference in time order.
        pass
    for i, (g, w) in enumerate(zip(got, want)):
        if not check(g == w, "%s: row %d differs: %r != %r" % (what, i + 1, g, w)):
            break
    # lineage: every row leads back to a raw page that holds it
    for r in rows[:50]:
        check(os.path.exists(os.path.join(work.data, r[8])), "source_file %s missing" % r[8])
    return rows


def data_files(work):
    out = []
    for root, _dirs, files in os.walk(work.data):
        for f in files:
            out.append(os.path.join(root, f))
    return out


def check_data_dir(work, sim, what, allow_temp=False):
    """No temp files (unless right after a crash); every raw page parses and is a
    recenttracks page; every manifest parses; the key appears in no file."""
    key = sim.api_key.encode()
    for path in data_files(work):
        name = os.path.basename(path)
        if ".tmp" in name:
            check(allow_temp, "%s: temp file left: %s" % (what, path))
            continue
        with open(path, "rb") as f:
            data = f.read()
        check(key not in data, "%s: the API key appears in %s" % (what, path))
        if name.startswith("page-") and name.endswith(".json"):
            try:
                doc = json.loads(data.decode("utf-8"))
                check("recenttracks" in doc, "%s: %s is not a recenttracks page" % (what, path))
            except ValueError:
                check(False, "%s: %s is not complete JSON" % (what, path))
        if name == "manifest.json":
            try:
                m = json.loads(data.decode("utf-8"))
                check(m.get("state") in ("running", "complete"), "%s: bad manifest %s" % (what, path))
            except ValueError:
                check(False, "%s: manifest %s does not parse" % (what, path))


def raw_pages(work):
    return sorted(glob.glob(os.path.join(work.data, "raw", "pass-*", "page-*.json")))


def manifests(work):
    out = []
    for p in sorted(glob.glob(os.path.join(work.data, "raw", "pass-*", "manifest.json"))):
        with open(p) as f:
            out.append(json.load(f))
    return out


def write_csv(path, rows):
    """An interim CSV of rows (uts, track, artist, album), newest first, as the
    flatten writes them."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for i, (uts, track, artist, album) in enumerate(rows):
            w.writerow([utc(uts), track, artist, album, "", "", "", i // 200 + 1,
                        "raw/pass-000001/page-%06d.json" % (i // 200 + 1)])


def build_stages(work, env_extra=None):
    """lastfm-process, then lastfm-report, on work.data: their two results."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    env.update({"LASTFM_DATA_DIR": work.data})
    env.update(env_extra or {})
    r1 = run([os.path.join(BUILDDIR, "src", "lastfm-process"), "--env-file", "/dev/null"], env,
             work.path)
    r2 = run([os.path.join(BUILDDIR, "src", "lastfm-report"), "--env-file", "/dev/null"], env,
             work.path)
    return r1, r2

"""Hostile input and hostile neighbours (issue 9).

- A crafted server on 127.0.0.1: bodies whose JSON would cost gigabytes once
  parsed (plain and gzip-compressed), a page with far more items than asked for,
  error bodies in GNU FM's object form, a proxy's 3xx/4xx pages, a server that
  echoes the key upper-cased.  Bounded memory, nothing stored, the right exit.
- Links planted in the data directory, by another user who could write there:
  the run is refused, naming the link, and the link's target is untouched.
- The key: refused on the command line, the process is not dumpable, a shared
  .env holding it is warned about.
"""
import gzip
import http.server
import json
import os
import pwd
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402

KEY = "0123456789abcdef0123456789abcdef"
MEASURE_RSS = not h.WRAPPER and not h.asan_build()


class Crafted:
    """An HTTP server on 127.0.0.1 that answers every request with one canned
    (status, headers, body)."""

    def __init__(self):
        self.answer = (200, {}, b"{}")
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests += 1
                status, headers, body = outer.answer
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d/2.0/" % self.server.server_address[1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def env_for(server, work, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    env.update({"LASTFM_API_KEY": KEY, "LASTFM_USERNAME": "u", "LASTFM_API_URL": server.url,
                "LASTFM_DATA_DIR": work.data, "LASTFM_RATE_LIMIT": "100",
                "LASTFM_MAX_RETRIES": "1", "LASTFM_REQUEST_TIMEOUT": "20"})
    env.update({("LASTFM_" + k.upper()): str(v) for k, v in settings.items()})
    return env


def run_measured(cmd, env, cwd):
    """Run; return (exit code, stderr, peak RSS in KiB of that process alone).
    The peak is VmHWM of the program's own address space, sampled until it
    exits (rusage would count the test's own memory, inherited at fork)."""
    p = subprocess.Popen(h.WRAPPER + cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = []
    t = threading.Thread(target=lambda: err.append(p.stderr.read()))
    t.start()
    hwm = 0
    while p.poll() is None:
        try:
            with open("/proc/%d/status" % p.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm = max(hwm, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.01)
    t.join()
    return p.returncode, err[0].decode("utf-8", "replace"), hwm


def page_body(items):
    return ('{"recenttracks":{"track":[%s],"@attr":{"user":"u","totalPages":"1","page":"1",'
            '"perPage":"200","total":"%d"}}}' % (",".join(items), len(items))).encode()


def item(uts):
    return ('{"artist":{"mbid":"","#text":"A"},"name":"T","album":{"mbid":"","#text":""},'
            '"mbid":"","date":{"uts":"%d","#text":""}}' % uts)


@h.case
def hostile_server():
    server = Crafted()

    # ---- 1. memory: nothing a response says makes the process grow past 64 MiB ----
    amplifiers = [
        ("8 MiB of {}", {}, page_body(["{}"] * ((8 << 20) // 3 - 40))),
        ("8 MiB of {} gzip", {"Content-Encoding": "gzip"},
         gzip.compress(page_body(["{}"] * ((8 << 20) // 3 - 40)))),
        ("8 MiB of empty strings", {}, b'{"recenttracks":[' + b'"",' * ((8 << 20) // 3 - 40) + b'""]}'),
        ("40,000 valid items", {}, page_body([item(1700000000 - i) for i in range(40000)])),
    ]
    # The most json-c may be made to build: just under the bound at the largest
    # limit (1001 items' worth of objects and commas), refused after parsing.
    limit_max = 1000
    just_under = (b'{"recenttracks":{"track":[' + b",".join([b"{}"] * (1001 * 32 - 8)) +
                  b'],"x":[' + b",".join([b'""'] * (1001 * 96 + 200)) + b"]}}")
    amplifiers.append(("the bound itself at limit 1000", {}, just_under))
    for name, headers, body in amplifiers:
        with h.Workdir("hostile-mem") as work:
            server.answer = (200, headers, body)
            # One retry: the process waits (alive, measurable) after the first answer.
            limit = limit_max if "limit 1000" in name else 200
            code, err, rss = run_measured([h.SYNCD, "--once", "--env-file", "/dev/null"],
                                          env_for(server, work, max_retries=1, page_limit=limit),
                                          work.path)
            h.check(code == 75, "%s: exit %d, want 75: %s" % (name, code, err[-600:]))
            h.check("not stored" in err or "recenttracks" in err,
                    "%s: no clear message: %s" % (name, err[-600:]))
            h.check(not h.raw_pages(work), "%s: a page was stored" % name)
            if MEASURE_RSS:
                print("%s (%d bytes on the wire): peak RSS %d KiB" % (name, len(body), rss))
                h.check(rss <= 64 * 1024, "%s: peak RSS %d KiB > 64 MiB" % (name, rss))

    # ---- 2. what a server can make it say or do ----
    cases = [
        # (name, status, body, exit code, text in the message)
        ("object-form error 10", 403, b'{"error":{"code":"10","#text":"Invalid API key"}}', 78,
         "error 10 (invalid API key)"),
        ("object-form error 29", 429, b'{"error":{"code":"29","#text":"Rate limit"}}', 75,
         "error 29"),
        ("object-form error 7 (GNU FM)", 200,
         b'{"error":{"code":"7","#text":"Invalid resource specified"}}', 75, "error 7"),
        ("error null", 500, b'{"error":null}', 75, "no error code"),
        ("a CDN's 403 page", 403, b"<html>Access denied</html>", 75, "HTTP 403 without"),
        ("a redirect", 302, b"", 75, "HTTP 302 without"),
        ("a proxy's 404", 404, b"<html>Not Found</html>", 75, "HTTP 404 without"),
        ("the key echoed upper-cased", 200,
         ('{"error":8,"message":"backend failed for key %s"}' % KEY.upper()).encode(), 75,
         "error 8"),
    ]
    for name, status, body, want, text in cases:
        with h.Workdir("hostile-say") as work:
            server.answer = (status, {"Location": "file:///etc/passwd"} if status == 302 else {},
                             body)
            r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null"],
                      env_for(server, work, max_retries=0), work.path, timeout=60)
            h.check(r.code == want, "%s: exit %d, want %d: %s" % (name, r.code, want, r.err))
            h.check(text in r.err, "%s: message lacks %r: %s" % (name, text, r.err))
            h.check(KEY not in r.err.lower(), "%s: the key (in some case) is in the output" % name)
            h.check(not h.raw_pages(work), "%s: a page was stored" % name)
    server.stop()


# ---- 3. links planted in the data directory ----
def victim(work):
    """A directory of the owner's files outside the data directory."""
    v = os.path.join(work.path, "victim")
    os.makedirs(v, exist_ok=True)
    for n in ("thesis.tex", "page-000001.json", "manifest.json.bak"):
        with open(os.path.join(v, n), "w") as f:
            f.write("precious " + n)
    return v


def victim_intact(work, what):
    v = os.path.join(work.path, "victim")
    for n in ("thesis.tex", "page-000001.json", "manifest.json.bak"):
        p = os.path.join(v, n)
        ok = os.path.exists(p) and open(p).read() == "precious " + n
        h.check(ok, "%s: the link's target %s was changed or removed" % (what, p))
    extra = sorted(set(os.listdir(v)) - {"thesis.tex", "page-000001.json", "manifest.json.bak"})
    h.check(not extra, "%s: files created in the link's target: %s" % (what, extra))


@h.case
def hostile_links():
    with h.Workdir("hostile-links") as base, h.Simulator(base.path, "--scrobbles", 300) as sim:
        # A healthy data directory first, so that every kind of file exists.
        r = h.syncd(sim, base, timeout=60)
        h.check(r.code == 0, "healthy sync: exit %d: %s" % (r.code, r.err))
        h.check(os.path.exists(os.path.join(base.data, "interim/cache/pass-000002/page-000001.rows")),
                "the healthy sync made no pass 2 with a cached page 1: the plants below miss")
        plants = [
            ("raw/pass-000009 -> a directory without a manifest", "raw/pass-000009", "dir"),
            ("raw/pass-000002 -> a directory", "raw/pass-000002", "dir"),
            ("a page -> a file", "raw/pass-000002/page-000001.json", "file"),
            ("a cache file -> a file", "interim/cache/pass-000002/page-000001.rows", "file"),
            ("the CSV -> a file", "interim/lastfm_scrobbles_interim.csv", "file"),
            ("raw -> a directory", "raw", "dir"),
            ("interim -> a directory", "interim", "dir"),
            (".lock -> a missing file", ".lock", "missing"),
        ]
        for name, rel, kind in plants:
            with h.Workdir("hostile-link") as work:
                shutil.copytree(base.data, work.data, symlinks=True)
                v = victim(work)
                target = {"dir": v, "file": os.path.join(v, "thesis.tex"),
                          "missing": os.path.join(v, "created-by-lock")}[kind]
                p = os.path.join(work.data, rel)
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p)
                elif os.path.lexists(p):
                    os.unlink(p)
                os.symlink(target, p)
                for prog in ("syncd", "flatten"):
                    if prog == "syncd":
                        r = h.syncd(sim, work, timeout=60)
                    else:
                        r = h.run([h.FLATTEN, "--data-dir", work.data], os.environ.copy(), work.path)
                    what = "%s: %s" % (name, prog)
                    h.check(r.code == 74, "%s: exit %d, want 74: %s" % (what, r.code, r.err))
                    h.check(rel in r.err and "symbolic link" in r.err,
                            "%s: the message does not name %s: %s" % (what, rel, r.err))
                    h.check(os.path.islink(p), "%s: the link itself was removed or replaced" % what)
                    victim_intact(work, what)

        # A data directory another user owns, or that group or others can write.
        with h.Workdir("hostile-owner") as work:
            shutil.copytree(base.data, work.data)
            nobody = pwd.getpwnam("nobody")
            os.chown(work.data, nobody.pw_uid, nobody.pw_gid)
            r = h.syncd(sim, work, timeout=60)
            h.check(r.code == 74 and "belongs to another user" in r.err,
                    "data directory of another user: exit %d: %s" % (r.code, r.err))
            os.chown(work.data, 0, 0)
            os.chmod(work.data, 0o777)
            r = h.syncd(sim, work, timeout=60)
            h.check(r.code == 74 and "chmod go-w" in r.err,
                    "world-writable data directory: exit %d: %s" % (r.code, r.err))
            os.chmod(work.data, 0o1777)   # sticky: others cannot remove our files
            r = h.syncd(sim, work, timeout=60)
            h.check(r.code == 0, "sticky data directory: exit %d: %s" % (r.code, r.err))

        # ---- 4. the key ----
        with h.Workdir("hostile-key") as work:
            env = h.base_env(sim, work)
            del env["LASTFM_API_KEY"]
            r = h.run([h.SYNCD, "--once", "--env-file", "/dev/null", "--set",
                       "LASTFM_API_KEY=" + sim.api_key], env, work.path, secret=sim.api_key)
            h.check(r.code == 64, "--set LASTFM_API_KEY: exit %d, want 64" % r.code)
            h.check(".env" in r.err and "LoadCredential" in r.err,
                    "--set LASTFM_API_KEY: the message does not say where the key belongs: "
                    + r.err)
            # A shared .env holding the key is warned about, a private one is not.
            envfile = os.path.join(work.path, "shared.env")
            with open(envfile, "w") as f:
                f.write("LASTFM_API_KEY=%s\n" % sim.api_key)
            for mode, warned in ((0o644, True), (0o600, False)):
                os.chmod(envfile, mode)
                r = h.run([h.SYNCD, "--check-config", "--env-file", envfile], env, work.path,
                          secret=sim.api_key)
                h.check(r.code == 0, ".env mode %o: exit %d: %s" % (mode, r.code, r.err))
                h.check(("chmod 600" in r.err) == warned,
                        ".env mode %o: warning %s: %s" % (mode, "missing" if warned else "spurious",
                                                           r.err))
            # Not dumpable: run as nobody, /proc/PID/environ then belongs to root.
            if shutil.which("setpriv") and not h.WRAPPER:
                nobody = pwd.getpwnam("nobody")
                os.chmod(work.path, 0o711)   # nobody may pass through to its data directory
                os.makedirs(work.data, exist_ok=True)
                os.chown(work.data, nobody.pw_uid, nobody.pw_gid)
                env = h.base_env(sim, work, sync_interval=3600)
                p = subprocess.Popen(["setpriv", "--reuid", str(nobody.pw_uid), "--regid",
                                      str(nobody.pw_gid), "--clear-groups", h.SYNCD,
                                      "--env-file", "/dev/null"], env=env, cwd="/",
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    deadline = time.time() + 20
                    owner = None
                    while time.time() < deadline and p.poll() is None:
                        st = os.stat("/proc/%d/environ" % p.pid)
                        owner = st.st_uid
                        if os.path.exists(os.path.join(work.data, "interim",
                                                       "lastfm_scrobbles_interim.csv")):
                            break
                        time.sleep(0.1)
                    h.check(p.poll() is None, "the daemon as nobody exited: %s" % p.returncode)
                    h.check(owner == 0, "the process is dumpable: /proc/PID/environ owned by %s"
                            % owner)
                finally:
                    p.terminate()
                    p.wait(timeout=20)


h.main()

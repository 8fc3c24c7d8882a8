#!/usr/bin/env python3
"""A Last.fm user.getRecentTracks (and artist.getTopTags) simulator for tests,
benchmarks and the demo.

Serves a deterministic synthetic history on 127.0.0.1 with the real response
shapes (see ../shared/lastfm-api.md): every number a JSON string, `/` escaped as
`\\/`, key order varying between items, the now-playing item, `track` as a bare
object for single items, extended=1, empty histories, error bodies with their
HTTP statuses.  Faults are injected by rate or by schedule.  The history can be
changed while a client reads it (new, late and deleted scrobbles), and
/_sim/truth dumps the ground truth.

With --tls-cert/--tls-key it serves https instead of http (the control
endpoints too), to exercise the client's certificate checks.

Control endpoints (GET, loopback only):
  /_sim/truth                 the history, newest first, as JSON rows
  /_sim/tags_truth            artist.getTopTags: each artist of the history ->
                              {"unknown": bool, "tags": [[name, count], ...]}
  /_sim/times                 the monotonic time of every API request (rate checks)
  /_sim/planted               --history listener: what was planted (zones, move, problems)
  /_sim/stats                 request and fault counters, bytes of each endless/huge answer sent
  /_sim/add?n=K[&age=S]       add K scrobbles S seconds in the past (0: now)
  /_sim/delete?n=K[&where=recent|old|any]
  /_sim/set?KEY=VALUE         change a setting: fault_rate, faults, latency,
                              now_playing, single_object, date_header, api_key,
                              private, suspended, lie (repeat|shift|none: every
                              page from 2 on lies so, not as a one-off fault),
                              tags_error (artist.getTopTags answers that error)
  /_sim/shutdown

Standard library only.  Run with --help for the options.
"""

import argparse
import bisect
import hashlib
import http.server
import json
import random
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))

FAULT_KINDS = ("5xx", "429", "error8", "error8_500", "error11", "error16", "truncate",
               "reset", "stall", "slow", "trickle", "endless", "huge", "notjson",
               "wrongpage", "bigheader", "repeatpage", "shiftpage")
# Lies a stale cache or an inconsistent replica tells (lastfm-api.md, "Pages
# that are not the page asked for"): page N answered with page N-1's items, or
# with its first item replaced by page N-1's last; @attr.page still says N.
LIES = ("repeat", "shift")

ARTISTS = [
    "Radiohead", "Sigur Rós", "Crosby, Stills, Nash & Young", 'The "Band"', "Björk",
    "坂本龍一", "BTS (방탄소년단)", "Emoji 🎸 Rocker", "AC/DC", "Simon & Garfunkel",
    "  Leading and trailing spaces  ", "Back\\slash", "Tab\there", "Line\nBreak",
    "Carriage\rReturn", "&amp; literal", "<b>not html</b>", "Ctrl\u0001Char",
    "Sigur, \"Quoted\", Rós", "Μπουζούκι", "Кино", "Zoë Keating", "",
]
TRACKS = [
    "Everything In Its Right Place", "Hoppípolla", "Teach Your Children", "Comma, Track",
    "Say \"Hello\"", "Multi\nLine\nTitle", "戦場のメリークリスマス", "🎵 Emoji Song 🎶",
    "Back In Black", "The Sound of Silence", "'Single' quotes", "100% Pure", "a,b,\"c\"\r\nd",
    "Ünïcödé", "Trailing comma,", "\"", ",", "Long " + "x" * 300, "Null-ish null", "0",
]
ALBUMS = [
    "Kid A", "Takk...", "Déjà Vu", "Back In Black", "Bookends", "", "Album, With Comma",
    "Title \"In Quotes\"", "合唱", "💿 Disc", "Line\nAlbum",
]


# artist.getTopTags (lastfm-api.md): genres in the case variants users type,
# and the junk every tag analysis meets.
GENRES = ["rock", "Rock", "indie", "indie rock", "electronic", "Electronic", "pop",
          "post-rock", "hip-hop", "Hip-Hop", "jazz", "ambient", "folk", "metal",
          "classical", "soundtrack", "k-pop", "experimental", "alternative", "punk",
          "singer-songwriter", "dream pop", "shoegaze", "trip-hop", "soul", "blues",
          "R&B", "world", "Post-Punk", "synthpop"]
JUNK_TAGS = ["seen live", "favorites", "favourite", "albums i own", "under 2000 listeners",
             "2010s", "swedish", "awesome", "Favorite Artists"]


def artist_tags(name):
    """What artist.getTopTags says of `name`, deterministically: (unknown,
    [(tag, count), ...] by count, the top 100).  About one in twelve artists
    is unknown to Last.fm (error 6) and one in twelve has no tags; a name with
    'Rocker' in it has 100 tags."""
    h = int.from_bytes(hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()[:8], "big")
    rng = random.Random(h)
    kind = h % 12
    if kind == 0 or not name.strip():
        return True, []
    if kind == 1:
        return False, []
    n = 100 if "Rocker" in name else rng.choice((1, 2, 3, 5, 8, 12, 20, 40))
    # A genre first (by the artist's era of the pool), then the long tail.
    first = rng.choice(GENRES)
    pool = [t for t in GENRES + JUNK_TAGS + [name.strip()] + ["tag %d" % i for i in range(80)]
            if t != first]
    picked = [first] + rng.sample(pool, min(n, len(pool) + 1) - 1)
    # A junk tag on top for some (the rule must look past it), counts from 100 down.
    if rng.random() < 0.3 and len(picked) > 1:
        j = rng.choice(JUNK_TAGS)
        if j in picked:
            picked.remove(j)
        picked.insert(0, j)
    counts = [100] + sorted((rng.choice((rng.randint(0, 99), rng.randint(0, 2)))
                             for _ in picked[1:]), reverse=True)
    # Ties in count (the ranking must break them by name).
    if len(counts) > 2 and rng.random() < 0.3:
        counts[2] = counts[1]
    return False, list(zip(picked, counts))


def toptags_body(name, shape="list"):
    unknown, tags = artist_tags(name)
    items = ['{"count":%d,"name":%s,"url":%s}' % (
        c, jstr(t), jstr("https://www.last.fm/tag/" + urllib.parse.quote_plus(t))) for t, c in tags]
    if len(items) == 1 and shape == "single":
        tag = items[0]
    else:
        tag = "[" + ",".join(items) + "]"
    return '{"toptags":{"tag":%s,"@attr":{"artist":%s}}}' % (tag, jstr(name))


def mbid(rng):
    return "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                          rng.getrandbits(16), rng.getrandbits(16),
                                          rng.getrandbits(48))


def jstr(s):
    """A JSON string as Last.fm writes it: raw UTF-8, '/' escaped as '\\/'."""
    return json.dumps(s, ensure_ascii=False).replace("/", "\\/")


class Scrobble:
    __slots__ = ("uts", "seq", "track", "artist", "album", "track_mbid", "artist_mbid",
                 "album_mbid", "has_image", "loved", "order", "_json", "_json_ext")

    def __init__(self, uts, seq, rng, names=None):
        self.uts = uts
        self.seq = seq
        if names:
            self.track, self.artist, self.album = names
        else:
            self.artist = rng.choice(ARTISTS)
            self.track = rng.choice(TRACKS)
            self.album = rng.choice(ALBUMS)
        self.track_mbid = mbid(rng) if rng.random() < 0.6 else ""
        self.artist_mbid = mbid(rng) if rng.random() < 0.7 else ""
        self.album_mbid = mbid(rng) if rng.random() < 0.5 else ""
        self.has_image = rng.random() < 0.9
        self.loved = "1" if rng.random() < 0.1 else "0"
        self.order = rng.random()
        self._json = None
        self._json_ext = None

    def row(self):
        return {"uts": self.uts, "track": self.track, "artist": self.artist,
                "album": self.album, "track_mbid": self.track_mbid,
                "artist_mbid": self.artist_mbid, "album_mbid": self.album_mbid}

    def render(self, extended):
        cached = self._json_ext if extended else self._json
        if cached is not None:
            return cached
        slug = urllib.parse.quote(self.artist or "_", safe="")
        url = "https://www.last.fm/music/" + slug + "/_/" + urllib.parse.quote(
            self.track or "_", safe="")
        images = ('[' + ",".join('{"size":"%s","#text":%s}' % (
            size, jstr("https://lastfm.freetls.fastly.net/i/u/%s/%d.png" % (size, self.seq)))
            for size in ("small", "medium", "large", "extralarge")) + ']')
        if extended:
            artist = ('{"url":%s,"name":%s,"image":%s,"mbid":%s}'
                      % (jstr("https://www.last.fm/music/" + slug), jstr(self.artist), images,
                         jstr(self.artist_mbid)))
        else:
            artist = '{"mbid":%s,"#text":%s}' % (jstr(self.artist_mbid), jstr(self.artist))
        t = time.gmtime(self.uts)
        date_text = time.strftime("%d %b %Y, %H:%M", t)
        parts = [
            '"artist":' + artist,
            '"streamable":"0"',
            '"mbid":' + jstr(self.track_mbid),
            '"album":{"mbid":%s,"#text":%s}' % (jstr(self.album_mbid), jstr(self.album)),
            '"name":' + jstr(self.track),
            '"url":' + jstr(url),
            '"date":{"uts":"%d","#text":%s}' % (self.uts, jstr(date_text)),
        ]
        if self.has_image:
            parts.append('"image":' + images)
        if extended:
            parts.append('"loved":"%s"' % self.loved)
        # Key order is not stable between responses: vary it per item.
        if self.order < 0.5:
            parts.reverse()
        elif self.order < 0.75:
            parts = parts[3:] + parts[:3]
        text = "{" + ",".join(parts) + "}"
        if extended:
            self._json_ext = text
        else:
            self._json = text
        return text


NOW_PLAYING = ('{"artist":{"mbid":"","#text":"Now Playing Artist"},"@attr":{"nowplaying":"true"},'
               '"mbid":"","album":{"mbid":"","#text":"Live, Album"},"streamable":"0",'
               '"name":"Still Playing, Not A Scrobble","url":"https:\\/\\/www.last.fm\\/music\\/x"}')
NOW_PLAYING_EXT = ('{"artist":{"url":"https:\\/\\/www.last.fm\\/music\\/x","name":"Now Playing Artist",'
                   '"image":[],"mbid":""},"@attr":{"nowplaying":"true"},"loved":"0","mbid":"",'
                   '"album":{"mbid":"","#text":"Live, Album"},"streamable":"0",'
                   '"name":"Still Playing, Not A Scrobble","url":"https:\\/\\/www.last.fm\\/music\\/x"}')

HTML_5XX = ("<!DOCTYPE html><html><head><title>%d %s</title></head><body><h1>%s</h1>"
            "<p>The server encountered a temporary error.</p></body></html>")
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout"}


class History:
    """The scrobbles, newest first; ties in one second keep insertion order."""

    def __init__(self, n, seed, end, mean_gap, same_second, kind="synthetic", per_day=33.0):
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.seq = 0
        self.planted = {}
        items = []
        t = end
        if kind == "listener":
            # A listener's life, with patterns and planted problems (listener.py).
            import listener
            plays, self.planted = listener.generate(n, seed, end, per_day)
            for uts, track, artist, album in plays:
                self.seq += 1
                items.append(Scrobble(uts, self.seq, self.rng, (track, artist, album)))
        while kind != "listener" and len(items) < n:
            group = 1
            if self.rng.random() < same_second:
                group = self.rng.randint(2, 4)
            for _ in range(min(group, n - len(items))):
                items.append(self._new(t))
            t -= max(1, int(self.rng.expovariate(1.0 / mean_gap)))
        # newest first: descending uts, and for equal uts the API's order
        items.sort(key=lambda s: (-s.uts, s.seq))
        self.items = items
        self.keys = [-s.uts for s in items]

    def _new(self, uts):
        self.seq += 1
        return Scrobble(uts, self.seq, self.rng)

    def window(self, lo, hi):
        """Index range of scrobbles with lo <= uts <= hi."""
        start = bisect.bisect_left(self.keys, -hi)
        end = bisect.bisect_right(self.keys, -lo)
        return start, max(start, end)

    def add(self, uts):
        s = self._new(uts)
        i = bisect.bisect_right(self.keys, -uts)  # after existing ones in that second
        self.items.insert(i, s)
        self.keys.insert(i, -uts)
        return s

    def delete(self, where, now):
        if not self.items:
            return None
        if where == "recent":
            lo, hi = self.window(now - 14 * 86400, now + 10 ** 9)
            if lo >= hi:
                return None
            i = self.rng.randrange(lo, hi)
        elif where == "old":
            lo, hi = self.window(0, now - 20 * 86400)
            if lo >= hi:
                return None
            i = self.rng.randrange(lo, hi)
        else:
            i = self.rng.randrange(len(self.items))
        self.keys.pop(i)
        return self.items.pop(i)


class Sim:
    def __init__(self, args):
        self.args = args
        end = args.end if args.end else int(time.time()) - 60
        self.history = History(args.scrobbles, args.seed, end, args.mean_gap, args.same_second,
                               args.history, args.per_day)
        # Render every item once before listening, so that serving a page is a
        # join of ready strings (the simulator must never be the bottleneck).
        for s in self.history.items:
            s.render(False)
        self.fault_rng = random.Random(args.seed + 1)
        self.fault_rate = args.fault_rate
        self.faults = [f for f in args.faults.split(",") if f] if args.faults else list(
            ("5xx", "429", "error8", "truncate", "reset"))
        for f in self.faults:
            if f not in FAULT_KINDS:
                raise SystemExit("unknown fault kind %r (known: %s)" % (f, ", ".join(FAULT_KINDS)))
        self.schedule_faults = {}
        for item in filter(None, (args.fault_at or "").split(",")):
            n, kind = item.split(":")
            self.schedule_faults[int(n)] = kind
        self.mutations = {}
        for item in filter(None, (args.mutate_at or "").split(",")):
            n, op, count, *rest = item.split(":")
            self.mutations.setdefault(int(n), []).append((op, int(count), rest))
        self.latency = args.latency
        self.date_header = not args.no_date_header
        self.now_playing = args.now_playing
        self.single_object = args.single_object
        self.lie = args.lie if args.lie != "none" else None
        if args.twin_at:
            # A real pair: the scrobble at index K (newest first) is the one at
            # K-1 again, in the same second (a double scrobble).
            k = args.twin_at
            prev, cur = self.history.items[k - 1], self.history.items[k]
            for attr in ("uts", "track", "artist", "album", "track_mbid", "artist_mbid",
                         "album_mbid"):
                setattr(cur, attr, getattr(prev, attr))
            cur._json = cur._json_ext = None
            self.history.keys[k] = -cur.uts
            cur.render(False)
        self.from_inclusive = args.from_semantics == "inclusive"
        self.to_inclusive = args.to_semantics == "inclusive"
        self.requests = 0
        self.api_requests = 0
        self.tag_requests = 0
        self.tags_error = 0  # /_sim/set?tags_error=N: artist.getTopTags answers error N
        self.first_tag_request_at = 0.0  # wall clock of the first artist.getTopTags
        self.request_times = []  # monotonic time of every API request
        self.fault_counts = {}
        self.oversize_sent = []  # bytes each endless/huge answer got out before the client hung up
        self.stop = threading.Event()
        self.stats_lock = threading.Lock()

    # -- mutations --
    def mutate(self, op, count, rest):
        now = int(time.time())
        with self.history.lock:
            for _ in range(count):
                if op == "add":
                    age = int(rest[0]) if rest else 0
                    jitter = self.history.rng.randint(0, 3600) if age else 0
                    self.history.add(now - age + (jitter if age > 3600 else 0))
                elif op == "delete":
                    self.history.delete(rest[0] if rest else "any", now)

    # -- responses --
    def page_body(self, q, lie=None):
        limit = int(q.get("limit", "50"))
        page = int(q.get("page", "1"))
        extended = q.get("extended") == "1"
        frm = int(q["from"]) if q.get("from") else None
        to = int(q["to"]) if q.get("to") else None
        lo = -10 ** 12 if frm is None else (frm if self.from_inclusive else frm + 1)
        hi = 10 ** 12 if to is None else (to if self.to_inclusive else to - 1)
        with self.history.lock:
            start, end = self.history.window(lo, hi)
            total = end - start
            total_pages = (total + limit - 1) // limit
            slot = page
            if self.args.shuffle_pages and 1 <= page <= total_pages:
                # A server that serves the window's slices in another order
                # (each page whole and newest first inside, the pages not).
                perm = list(range(1, total_pages + 1))
                random.Random(total_pages).shuffle(perm)
                slot = perm[page - 1]
            lie = lie or self.lie
            if lie == "repeat" and page >= 2:
                slot -= 1
            a = start + (slot - 1) * limit
            b = min(end, a + limit)
            items = [s.render(extended) for s in self.history.items[a:b]] if a < end else []
            if lie == "shift" and page >= 2 and items:
                items[0] = self.history.items[a - 1].render(extended)
        if self.now_playing == "first" and page == 1 or self.now_playing == "all":
            items.insert(0, NOW_PLAYING_EXT if extended else NOW_PLAYING)
        if len(items) == 1 and self.single_object:
            track = items[0]
        else:
            track = "[" + ",".join(items) + "]"
        attr = ('{"user":%s,"totalPages":"%d","page":"%d","perPage":"%d","total":"%d"}'
                % (jstr(self.args.user), total_pages, page, limit, total))
        return '{"recenttracks":{"track":%s,"@attr":%s}}' % (track, attr)

    def api(self, q):
        """(status, content_type, body, headers) for an API request without faults."""
        def err(status, code, msg):
            return status, "application/json", json.dumps({"message": msg, "error": code}), {}
        method = q.get("method", "").lower()
        if method not in ("user.getrecenttracks", "artist.gettoptags"):
            return err(400, 3, "Invalid Method - No method with that name in this package")
        key = q.get("api_key", "")
        if key != self.args.api_key:
            return err(403, 10, "Invalid API key - You must be granted a valid key by last.fm")
        if self.args.suspended:
            return err(403, 26, "Suspended API key - Access for your account has been suspended")
        if method == "artist.gettoptags" and self.tags_error:
            return err(403, self.tags_error, "Invalid API key - You must be granted a valid key by last.fm"
                       if self.tags_error == 10 else "error %d" % self.tags_error)
        if method == "artist.gettoptags":
            name = q.get("artist")
            if name is None:
                return err(400, 6, "Invalid parameters - Your request is missing a required parameter")
            unknown, tags = artist_tags(name)
            if unknown:
                # Seen with HTTP 200 as well as 400.
                status = 200 if int(hashlib.sha256(name.encode("utf-8", "surrogatepass"))
                                    .hexdigest(), 16) % 2 else 400
                return err(status, 6, "The artist you supplied could not be found")
            shape = "single" if self.single_object else "list"
            return 200, "application/json", toptags_body(name, shape), {}
        if q.get("user", "").lower() != self.args.user.lower():
            return err(404, 6, "User not found")
        if self.args.private:
            return err(403, 17, "Login: User required to be logged in")
        try:
            limit = int(q.get("limit", "50"))
            page = int(q.get("page", "1"))
            for k in ("from", "to"):
                if q.get(k):
                    int(q[k])
        except ValueError:
            return err(400, 6, "Invalid parameters")
        if not 1 <= limit <= 1000 or not 1 <= page <= 1000000:
            return err(400, 6, "Invalid parameters")
        return 200, "application/json", self.page_body(q), {}

    def pick_fault(self, n):
        if n in self.schedule_faults:
            return self.schedule_faults[n]
        if self.fault_rate > 0 and self.faults:
            with self.stats_lock:
                if self.fault_rng.random() < self.fault_rate:
                    return self.fault_rng.choice(self.faults)
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lastfm-sim/1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        # With --tls-cert the listening socket is wrapped without a handshake on
        # accept, so that one slow client cannot hold up the others: it is done
        # here, in this connection's own thread.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(30)
            try:
                self.request.do_handshake()
            except (OSError, ssl.SSLError):
                self.request.close()
                raise
            self.request.settimeout(None)
        super().setup()

    def send_response(self, code, message=None):
        # --no-date-header: as a server or proxy that sends no Date.
        if not self.server.sim.date_header:
            self.log_request(code)
            self.send_response_only(code, message)
            self.send_header("Server", self.version_string())
            return
        super().send_response(code, message)

    def send(self, status, ctype, body, headers=None):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        sim = self.server.sim
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if url.path.startswith("/_sim/"):
            return self.control(sim, url.path[6:], q)
        with sim.stats_lock:
            sim.requests += 1
            sim.api_requests += 1
            n = sim.api_requests
            sim.request_times.append(time.monotonic())
            if q.get("method", "").lower() == "artist.gettoptags":  # faults or not
                sim.tag_requests += 1
                if not sim.first_tag_request_at:
                    sim.first_tag_request_at = time.time()
        for op, count, rest in sim.mutations.get(n, []):
            sim.mutate(op, count, rest)
        if sim.latency > 0:
            time.sleep(sim.latency)
        fault = sim.pick_fault(n)
        if fault:
            with sim.stats_lock:
                sim.fault_counts[fault] = sim.fault_counts.get(fault, 0) + 1
            return self.fault(sim, fault, q)
        status, ctype, body, headers = sim.api(q)
        self.send(status, ctype, body, headers)

    def fault(self, sim, kind, q):
        rng = sim.fault_rng
        if kind == "5xx":
            status = rng.choice((500, 502, 503, 504))
            reason = REASONS[status]
            return self.send(status, "text/html", HTML_5XX % (status, reason, reason))
        if kind == "429":
            return self.send(429, "application/json", json.dumps(
                {"message": "Rate Limit Exceeded - Your IP has made too many requests in a short period",
                 "error": 29}), {"Retry-After": "1"})
        if kind in ("error8", "error8_500"):
            return self.send(200 if kind == "error8" else 500, "application/json", json.dumps(
                {"message": "Operation failed - Most likely the backend service failed. Please try again.",
                 "error": 8}))
        if kind == "error11":
            return self.send(503, "application/json", json.dumps(
                {"message": "Service Offline - This service is temporarily offline. Try again later.",
                 "error": 11}))
        if kind == "error16":
            return self.send(503, "application/json", json.dumps(
                {"message": "There was a temporary error processing your request. Please try again",
                 "error": 16}))
        if kind == "bigheader":
            # A header line of 1 MiB, which no client should take in.
            return self.send(200, "application/json", "{}", {"X-Padding": "a" * (1 << 20)})
        if kind == "notjson":
            return self.send(200, "text/html", "<html><body>Bad Gateway</body></html>")
        status, ctype, body, headers = sim.api(q)
        data = body.encode("utf-8")
        if kind == "truncate":
            return self.send(status, ctype, data[: max(1, len(data) // 2)])
        if kind in ("repeatpage", "shiftpage"):
            if status == 200:
                body = sim.page_body(q, kind[:-4])
            return self.send(status, ctype, body, headers)
        if kind == "wrongpage":
            q2 = dict(q)
            q2["page"] = str(int(q.get("page", "1")) + 1)
            status, ctype, body, headers = sim.api(q2)
            return self.send(status, ctype, body)
        if kind == "slow":
            time.sleep(sim.args.slow_seconds)
            return self.send(status, ctype, data)
        # The rest break the connection or never finish.
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if kind != "endless":
            self.send_header("Content-Length", str(len(data) if kind != "huge" else 64 << 20))
        self.end_headers()
        self.close_connection = True
        try:
            if kind == "reset":
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            elif kind == "stall":
                self.wfile.flush()
                sim.stop.wait(sim.args.stall_seconds)
            elif kind == "trickle":
                for i in range(len(data)):
                    if sim.stop.is_set():
                        break
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.05)
            elif kind in ("endless", "huge"):
                chunk = b" " * 65536
                deadline = time.time() + sim.args.stall_seconds
                sent = 0
                try:
                    while not sim.stop.is_set() and time.time() < deadline and sent < (64 << 20):
                        self.wfile.write(chunk)
                        sent += len(chunk)
                finally:
                    with sim.stats_lock:
                        sim.oversize_sent.append(sent)
        except OSError:
            pass

    def control(self, sim, cmd, q):
        with sim.stats_lock:
            sim.requests += 1
        if cmd == "truth":
            with sim.history.lock:
                rows = [s.row() for s in sim.history.items]
            return self.send(200, "application/json", json.dumps(rows, ensure_ascii=False))
        if cmd == "tags_truth":
            with sim.history.lock:
                names = sorted({s.artist for s in sim.history.items})
            out = {}
            for name in names:
                unknown, tags = artist_tags(name)
                out[name] = {"unknown": unknown, "tags": [[t, c] for t, c in tags]}
            return self.send(200, "application/json", json.dumps(out, ensure_ascii=False))
        if cmd == "times":
            with sim.stats_lock:
                body = json.dumps(sim.request_times)
            return self.send(200, "application/json", body)
        if cmd == "planted":
            return self.send(200, "application/json",
                             json.dumps(sim.history.planted, ensure_ascii=False))
        if cmd == "stats":
            with sim.stats_lock:
                body = json.dumps({"requests": sim.api_requests, "tag_requests": sim.tag_requests,
                                   "first_tag_request_at": sim.first_tag_request_at,
                                   "faults": sim.fault_counts,
                                   "oversize_sent": sim.oversize_sent,
                                   "scrobbles": len(sim.history.items)})
            return self.send(200, "application/json", body)
        if cmd == "add":
            sim.mutate("add", int(q.get("n", "1")), [q.get("age", "0")])
            return self.send(200, "application/json", '{"ok":true}')
        if cmd == "delete":
            sim.mutate("delete", int(q.get("n", "1")), [q.get("where", "any")])
            return self.send(200, "application/json", '{"ok":true}')
        if cmd == "set":
            for k, v in q.items():
                if k == "fault_rate":
                    sim.fault_rate = float(v)
                elif k == "faults":
                    sim.faults = [f for f in v.split(",") if f]
                elif k == "latency":
                    sim.latency = float(v)
                elif k == "now_playing":
                    sim.now_playing = v
                elif k == "single_object":
                    sim.single_object = v == "1"
                elif k == "date_header":
                    sim.date_header = v == "1"
                elif k == "api_key":
                    sim.args.api_key = v
                elif k == "tags_error":
                    sim.tags_error = int(v)
                elif k == "lie":
                    sim.lie = v if v in LIES else None
                elif k in ("private", "suspended"):
                    setattr(sim.args, k, v == "1")
                else:
                    return self.send(400, "text/plain", "unknown setting %s" % k)
            return self.send(200, "application/json", '{"ok":true}')
        if cmd == "shutdown":
            self.send(200, "application/json", '{"ok":true}')
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return None
        return self.send(404, "text/plain", "unknown control %s" % cmd)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        # A client that refuses our certificate or hangs up is what some tests
        # are about, not a simulator error.
        if isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free one)")
    p.add_argument("--port-file", help="write the port here once listening")
    p.add_argument("--api-key", required=True)
    p.add_argument("--user", default="testuser")
    p.add_argument("--scrobbles", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--history", choices=("synthetic", "listener"), default="synthetic",
                   help="synthetic: hostile names at random times; listener: a listener's "
                        "years with daily rhythms, a move, holidays and planted problems")
    p.add_argument("--end", type=int, default=0, help="newest scrobble's uts (default: now - 60)")
    p.add_argument("--mean-gap", type=float, default=1800.0, help="mean seconds between scrobbles")
    p.add_argument("--same-second", type=float, default=0.02,
                   help="share of scrobbles that start a same-second group")
    p.add_argument("--per-day", type=float, default=33.0,
                   help="--history listener: mean scrobbles on an active day (sets the span)")
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every API response")
    p.add_argument("--fault-rate", type=float, default=0.0)
    p.add_argument("--faults", default="", help="comma list of: " + ", ".join(FAULT_KINDS))
    p.add_argument("--fault-at", default="", help="N:KIND,... fault for the Nth API request")
    p.add_argument("--mutate-at", default="",
                   help="N:add:K[:AGE],N:delete:K[:recent|old|any] at the Nth API request")
    p.add_argument("--slow-seconds", type=float, default=2.0)
    p.add_argument("--stall-seconds", type=float, default=600.0)
    p.add_argument("--now-playing", choices=("none", "first", "all"), default="first")
    p.add_argument("--single-object", action="store_true",
                   help="a page with one item sends track as a bare object")
    p.add_argument("--from-semantics", choices=("inclusive", "exclusive"), default="inclusive")
    p.add_argument("--to-semantics", choices=("inclusive", "exclusive"), default="exclusive")
    p.add_argument("--lie", choices=("none",) + LIES, default="none",
                   help="every page from 2 on lies so (a stale cache, a replica)")
    p.add_argument("--twin-at", type=int, default=0,
                   help="the scrobble at this index (newest first) repeats the one before it")
    p.add_argument("--shuffle-pages", action="store_true",
                   help="serve a window's pages in a shuffled order (each page itself newest first)")
    p.add_argument("--no-date-header", action="store_true",
                   help="send no Date header (the client cannot check its clock)")
    p.add_argument("--private", action="store_true", help="the user hides their history (17)")
    p.add_argument("--suspended", action="store_true", help="the API key is suspended (26)")
    p.add_argument("--tls-cert", help="serve https with this PEM certificate (chain)")
    p.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    args = p.parse_args(argv)

    sim = Sim(args)
    server = Server(("127.0.0.1", args.port), Handler)
    server.sim = sim
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        import os
        os.replace(args.port_file + ".tmp", args.port_file)
    else:
        print("PORT %d" % port, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop.set()
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())

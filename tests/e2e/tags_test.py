"""The artists' tags (artist.getTopTags), fetched after a pass by the same
engine as the scrobble pages.  Against the simulator with 30% transient
faults every artist of the CSV gets a stored answer byte-identical to what
the server sends, the tags CSV equals the simulator's truth, and the request
rate, across the scrobble pages and the tags, never exceeds the setting; a
first run writes the scrobbles CSV, the database and the report before its
first tag request; a run killed mid-fetch resumes without asking again for
what it stored; a pass with nothing new asks nothing; a refresh renews at
most 100 answers, the oldest; LASTFM_TAGS=0 asks nothing."""
import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import harness as h  # noqa: E402
import lastfm_sim  # noqa: E402

TAGS_CSV = ("interim", "lastfm_artist_tags_interim.csv")
UNKNOWN = json.dumps({"message": "The artist you supplied could not be found", "error": 6})


def file_of(artist):
    return hashlib.sha256(artist.encode("utf-8", "surrogatepass")).hexdigest()


def csv_artists(work):
    return sorted({r[2] for r in h.read_csv(work) if r[2]})


def metas(work):
    d = os.path.join(work.data, "tags")
    out = {}
    for name in os.listdir(d) if os.path.isdir(d) else []:
        if name.endswith(".meta"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                m = json.load(f)
            out[m["artist"]] = (name[:-5], m)
    return out


def expected_tags_csv(work):
    """The tags CSV the simulator's truth and the scrobbles CSV make."""
    mbid = {}
    for r in h.read_csv(work):    # newest first: the first mbid an artist has
        if r[5] and r[2] not in mbid:
            mbid[r[2]] = r[5]
    rows = [["artist_name", "artist_mbid", "tag_name", "tag_count", "tag_rank", "source_file"]]
    for a in sorted(csv_artists(work), key=lambda s: s.encode("utf-8", "surrogatepass")):
        unknown, tags = lastfm_sim.artist_tags(a)
        for i, (t, c) in enumerate(tags if not unknown else []):
            rows.append([a, mbid.get(a, ""), t, str(c), str(i + 1), "tags/%s.json" % file_of(a)])
    return rows


def read_tags_csv(work):
    with open(os.path.join(work.data, *TAGS_CSV), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def check_answers(work, what):
    """Every artist of the CSV has an answer, byte for byte the server's."""
    m = metas(work)
    artists = csv_artists(work)
    h.check(sorted(m) == artists, "%s: stored answers for %d of %d artists (missing %r)"
            % (what, len(set(m) & set(artists)), len(artists), sorted(set(artists) - set(m))[:5]))
    bad = []
    for a in artists:
        if a not in m:
            continue
        f, meta = m[a]
        with open(os.path.join(work.data, "tags", f + ".json"), "rb") as fh:
            got = fh.read()
        unknown, _ = lastfm_sim.artist_tags(a)
        want = (UNKNOWN if unknown else lastfm_sim.toptags_body(a)).encode("utf-8", "surrogatepass")
        if got != want or f != file_of(a) or meta["unknown_artist"] != unknown:
            bad.append(a)
    h.check(not bad, "%s: answers not byte-identical to the server's: %r" % (what, bad[:5]))


def max_in_window(times, width):
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - width:
            j += 1
        best = max(best, i - j + 1)
    return best


@h.case
def faults():
    rate = 40.0
    with h.Workdir("tags-faults") as work, \
            h.Simulator(work.path, "--history", "listener", "--scrobbles", 6000, "--seed", 71,
                        "--fault-rate", 0.3) as sim:
        r = h.syncd(sim, work, rate_limit=rate, max_retries=12, timeout=600)
        h.check(r.code == 0, "a first run with 30%% faults: exit %d: %s" % (r.code, r.err[-2000:]))
        artists = csv_artists(work)
        h.check(len(artists) >= 100, "the listener has %d artists" % len(artists))
        check_answers(work, "30% faults")
        h.check(read_tags_csv(work) == expected_tags_csv(work),
                "the tags CSV is not the simulator's truth")
        times = sim.control("times")
        # The token bucket: a burst of one second's worth, then the rate; over
        # the scrobble pages and the tags alike.
        for width in (1.0, 5.0):
            n = max_in_window(times, width)
            h.check(n <= rate * width + rate + 1,
                    "%d requests within %.0f s at LASTFM_RATE_LIMIT=%g" % (n, width, rate))
        st = sim.stats()
        h.check(sum(st["faults"].values()) > 50, "faults were injected: %r" % st["faults"])
        # Nothing new: no tag request, the tags CSV as it was.
        before = open(os.path.join(work.data, *TAGS_CSV), "rb").read()
        sim.control("set", fault_rate=0)
        n0 = sim.stats()["tag_requests"]
        r = h.syncd(sim, work, rate_limit=rate)
        h.check(r.code == 0 and sim.stats()["tag_requests"] == n0,
                "a pass with nothing new asked %d tag requests" % (sim.stats()["tag_requests"] - n0))
        h.check(open(os.path.join(work.data, *TAGS_CSV), "rb").read() == before,
                "the tags CSV changed on a pass with nothing new")
        # Reproducible: from the stored answers, byte for byte.
        os.unlink(os.path.join(work.data, *TAGS_CSV))
        r = h.syncd(sim, work, rate_limit=rate)
        h.check(r.code == 0 and open(os.path.join(work.data, *TAGS_CSV), "rb").read() == before,
                "the tags CSV rebuilt from the stored answers differs")


@h.case
def first_run_order():
    with h.Workdir("tags-order") as work, \
            h.Simulator(work.path, "--history", "listener", "--scrobbles", 3000, "--seed", 72) as sim:
        r = h.syncd(sim, work)
        h.check(r.code == 0, "first run: exit %d: %s" % (r.code, r.err[-1500:]))
        first_tag = sim.stats()["first_tag_request_at"]
        t = os.stat(os.path.join(work.data, "interim", "lastfm_scrobbles_interim.csv")).st_mtime
        h.check(first_tag > 0 and t <= first_tag,
                "the scrobbles CSV written %.3f s after the first tag request" % (t - first_tag))
        # The database and the report of the pass come before the tags (and
        # are made again with them after).
        lines = r.err.splitlines()
        at = lambda s: next((i for i, l in enumerate(lines) if s in l), -1)  # noqa: E731
        h.check(0 <= at("lastfm.sqlite:") < at("index.html") < at("tags: asking Last.fm"),
                "the database and the report are written before the tags are asked for: %s"
                % r.err[-2000:])
        h.check("the artists' tags changed" in r.err and
                r.out.rstrip().endswith("CSV, database and report current"),
                "the database is built again with the tags: %s" % r.err[-1000:])


@h.case
def resume_after_kill():
    with h.Workdir("tags-kill") as work, \
            h.Simulator(work.path, "--history", "listener", "--scrobbles", 6000, "--seed", 73) as sim:
        env = h.base_env(sim, work, rate_limit=30)
        p = subprocess.Popen(h.WRAPPER + [h.SYNCD, "--once", "--env-file", "/dev/null"], env=env,
                             cwd=work.path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 120
        while time.time() < deadline and len(metas(work)) < 40:
            time.sleep(0.05)
        p.send_signal(signal.SIGKILL)
        p.communicate()
        stored = metas(work)
        h.check(len(stored) >= 40 and len(stored) < len(csv_artists(work)),
                "killed mid-fetch with %d of %d answers stored" % (len(stored), len(csv_artists(work))))
        n0 = sim.stats()["tag_requests"]
        r = h.syncd(sim, work, rate_limit=100)
        asked = sim.stats()["tag_requests"] - n0
        h.check(r.code == 0 and asked == len(csv_artists(work)) - len(stored),
                "the resumed run asked %d times for %d missing answers: exit %d"
                % (asked, len(csv_artists(work)) - len(stored), r.code))
        check_answers(work, "after a kill")
        h.check(read_tags_csv(work) == expected_tags_csv(work), "the tags CSV after a kill")
        h.check(not [f for f in os.listdir(os.path.join(work.data, "tags")) if ".tmp-" in f],
                "temp files left in tags/")


@h.case
def refresh_bounded():
    with h.Workdir("tags-refresh") as work, \
            h.Simulator(work.path, "--history", "listener", "--scrobbles", 6000, "--seed", 74) as sim:
        r = h.syncd(sim, work, rate_limit=100)
        h.check(r.code == 0, "first run: exit %d" % r.code)
        m = metas(work)
        h.check(len(m) > 150, "%d answers" % len(m))
        # Age 150 answers, each a day apart: the refresh renews the 100 oldest.
        now = int(time.time())
        aged = sorted(m)[:150]
        for i, a in enumerate(aged):
            path = os.path.join(work.data, "tags", m[a][0] + ".meta")
            meta = dict(m[a][1], fetched_at=now - 400 * 86400 + i * 86400)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(meta, f, ensure_ascii=False)
        artists = len(csv_artists(work))
        tags = status_tags(work, "180d")
        h.check(tags == {"enabled": True, "artists": artists, "stored": artists, "missing": 0,
                         "stale": 150},
                "--status counts 150 answers older than 180d: %r" % tags)
        n0 = sim.stats()["tag_requests"]
        r = h.syncd(sim, work, rate_limit=100, tag_refresh="180d")
        h.check(r.code == 0 and sim.stats()["tag_requests"] - n0 == 100,
                "a refresh asked %d times, want 100" % (sim.stats()["tag_requests"] - n0))
        m2 = metas(work)
        renewed = [a for a in aged if m2[a][1]["fetched_at"] >= now]
        h.check(renewed == aged[:100], "the 100 oldest renewed, not %d others" %
                len(set(renewed) ^ set(aged[:100])))
        tags = status_tags(work, "180d")
        h.check(tags.get("stale") == 50 and tags.get("missing") == 0,
                "--status after the refresh: 50 still older than 180d: %r" % tags)
        h.check(status_tags(work, "0").get("stale") == 0,
                "--status with LASTFM_TAG_REFRESH=0: none is due")
        n0 = sim.stats()["tag_requests"]
        r = h.syncd(sim, work, rate_limit=100, tag_refresh="0")
        h.check(r.code == 0 and sim.stats()["tag_requests"] == n0,
                "LASTFM_TAG_REFRESH=0 renews nothing")


def status_tags(work, refresh):
    """--status --json's "tags", as an operator would ask."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("LASTFM_")}
    e.update(LASTFM_DATA_DIR=work.data, LASTFM_TAG_REFRESH=refresh)
    r = h.run([h.SYNCD, "--status", "--json", "--env-file", "/dev/null"], e, work.path)
    try:
        return json.loads(r.out).get("tags") or {}
    except ValueError:
        h.check(False, "--status --json is not JSON: %r %s" % (r.out[:300], r.err[-300:]))
        return {}


def ignore_list(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip(" \t\r\n")
            if line and not line.startswith("#"):
                out.add(line.lower())
    return out


def lower_ascii(s):
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in s)


def expected_yearly_tags(work, ignore):
    """yearly_tags computed apart: each artist's primary tag from the tags CSV
    (tags lower-cased and trimmed, the ignore list and the artist's own name
    left out, the highest count, ties by name), every counted scrobble once."""
    best = {}
    merged = {}
    for r in read_tags_csv(work)[1:]:
        artist, tag, count = r[0], lower_ascii(r[2].strip(" ")), int(r[3])
        if not tag:
            continue
        key = (artist, tag)
        merged[key] = max(merged.get(key, -1), count)
    for (artist, tag), count in merged.items():
        if tag in ignore or tag == lower_ascii(artist.strip(" ")):
            continue
        cur = best.get(artist)
        if cur is None or count > cur[1] or (count == cur[1] and tag.encode() < cur[0].encode()):
            best[artist] = (tag, count)
    import sqlite3
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(work.data, "processed", "lastfm.sqlite"),
                         uri=True)
    out = {}
    for year, artist_name in db.execute("SELECT local_year, artist_name FROM scrobbles WHERE counted"):
        k = (year, best.get(artist_name, ("",))[0])
        out[k] = out.get(k, 0) + 1
    got = {(y, t): n for y, t, n in db.execute("SELECT local_year, tag, scrobbles FROM yearly_tags")}
    db.close()
    return out, got


@h.case
def yearly_tags():
    with h.Workdir("tags-yearly") as work, \
            h.Simulator(work.path, "--history", "listener", "--scrobbles", 12000, "--seed", 77) as sim:
        r = h.syncd(sim, work, rate_limit=100)
        h.check(r.code == 0 and r.out.rstrip().endswith("CSV, database and report current"),
                "the run ends with everything current, the tags in: %s %s" % (r.out, r.err[-800:]))
        want, got = expected_yearly_tags(work, ignore_list(os.path.join(h.SRCDIR, "etc", "tag-ignore")))
        h.check(want == got, "yearly_tags differs from the computation apart: %r" %
                sorted(set(want.items()) ^ set(got.items()))[:6])
        h.check(sum(n for (y, t), n in got.items() if t) > 0, "some scrobbles have a primary tag")
        # The report's genre table says the same numbers, for its genres and
        # "(no tag)", every year.
        import html as htmlmod
        import re
        with open(os.path.join(work.data, "report", "index.html"), encoding="utf-8") as f:
            page = f.read()
        sec = page[page.index('<section id="genres">'):]
        sec = sec[:sec.index("</section>")]
        rows = re.findall(r'<tr><td class="t">(.*?)</td><td>(\d+)</td><td class="n">([\d,]+)</td>',
                          sec)
        shown = {(int(y), "" if htmlmod.unescape(re.sub(r"<[^>]+>", "", t)) == "(no tag)"
                  else htmlmod.unescape(re.sub(r"<[^>]+>", "", t))): int(n.replace(",", ""))
                 for t, y, n in rows}
        h.check(len(shown) >= 11 and all(got.get(k, 0) == v for k, v in shown.items()),
                "the report's genre table differs from yearly_tags: %r" %
                [(k, v, got.get(k, 0)) for k, v in shown.items() if got.get(k, 0) != v][:5])
        h.check("have no primary tag" in sec, "the report says how many scrobbles have no tag")
        # A page for each of the top genres (at most 30), linked from the
        # index, its total the sum of its years in yearly_tags.
        totals = {}
        for (y, t), n in got.items():
            if t:
                totals[t] = totals.get(t, 0) + n
        top = sorted(totals, key=lambda t: (-totals[t], t.encode()))[:30]
        tag_dir = os.path.join(work.data, "report", "tag")
        pages = sorted(os.listdir(tag_dir)) if os.path.isdir(tag_dir) else []
        h.check(len(pages) == len(top), "%d tag pages for %d top genres" % (len(pages), len(top)))
        for f in pages:
            with open(os.path.join(tag_dir, f), encoding="utf-8") as fh:
                tp = fh.read()
            name = htmlmod.unescape(re.sub(r"<[^>]+>", "", re.search(
                r'<h1 class="name">(.*?)</h1>', tp).group(1)))
            n = int(re.search(r"<dt>Scrobbles counted</dt><dd>([\d,]+)", tp).group(1)
                    .replace(",", ""))
            h.check(name in top and n == totals.get(name), "tag page %s: %r with %d scrobbles, "
                    "yearly_tags %r" % (f, name, n, totals.get(name)))
            h.check('href="tag/%s"' % f in page, "the index links the genre %r to its page" % name)
        # The user's own list replaces the built-in one: the database is
        # rebuilt for it, and "seen live" may then be a primary tag.
        own = os.path.join(work.path, "my-ignore")
        with open(own, "w") as f:
            f.write("# only this\nFAVORITES  \n")
        r = h.syncd(sim, work, rate_limit=100, tag_ignore=own)
        h.check(r.code == 0 and "tag ignore list" in r.err,
                "a new LASTFM_TAG_IGNORE rebuilds the database: %s" % r.err[-800:])
        want, got = expected_yearly_tags(work, {"favorites"})
        h.check(want == got, "yearly_tags with the user's list differs: %r" %
                sorted(set(want.items()) ^ set(got.items()))[:6])
        # A bad list is a configuration error naming FILE:LINE.
        with open(own, "wb") as f:
            f.write(b"rock\n\xff\xfe\n")
        r = h.syncd(sim, work, tag_ignore=own)
        h.check(r.code == 78 and "my-ignore:2" in r.err, "a bad ignore list: exit %d: %s"
                % (r.code, r.err[-500:]))


@h.case
def sync_first():
    """The daemon: a sync that falls due (here SIGHUP) stops a long tag run at
    once; the pass runs, and the next tag run asks only for the rest."""
    with h.Workdir("tags-first") as work, \
            h.Simulator(work.path, "--history", "listener", "--scrobbles", 6000, "--seed", 78) as sim:
        env = h.base_env(sim, work, rate_limit=20, sync_interval=3600)
        d = subprocess.Popen(h.WRAPPER + [h.SYNCD, "--env-file", "/dev/null"], env=env,
                             cwd=work.path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = []
        import threading
        threading.Thread(target=lambda: [err.append(l.decode("utf-8", "replace"))
                                         for l in iter(d.stderr.readline, b"")],
                         daemon=True).start()
        try:
            deadline = time.time() + 120
            while time.time() < deadline and len(metas(work)) < 20:
                time.sleep(0.05)
            stored = len(metas(work))
            pages0 = sim.page_requests()
            sim.control("add", n=3, age=0)
            d.send_signal(signal.SIGHUP)
            deadline = time.time() + 60
            while time.time() < deadline and "".join(err).count("sync complete") < 2:
                time.sleep(0.05)
            text = "".join(err)
            h.check("tags: stopped for the sync that is due" in text,
                    "the tag run was not stopped for the sync: %s" % text[-1500:])
            h.check(sim.page_requests() > pages0 and text.count("sync complete") >= 2,
                    "the sync did not run while the tags were asked for: %s" % text[-1500:])
            # The tags go on after the pass, asking only for what is missing.
            deadline = time.time() + 180
            while time.time() < deadline and len(metas(work)) < len(csv_artists(work)):
                time.sleep(0.2)
            text = "".join(err)
            asks = [int(x) for x in re.findall(r"tags: asking Last.fm about (\d+) of", text)]
            h.check(len(asks) >= 2 and asks[-1] < asks[0] and asks[-1] <= asks[0] - stored,
                    "the second tag run asked about %r (first %r, %d stored)" % (asks[-1:], asks[:1],
                                                                               stored))
            h.check(sorted(metas(work)) == csv_artists(work), "every artist has an answer at the end")
        finally:
            d.terminate()
            d.wait(30)


@h.case
def disabled():
    with h.Workdir("tags-off") as work, \
            h.Simulator(work.path, "--scrobbles", 500, "--seed", 75) as sim:
        r = h.syncd(sim, work, tags=0)
        h.check(r.code == 0 and sim.stats()["tag_requests"] == 0 and
                not os.path.exists(os.path.join(work.data, "tags")) and
                not os.path.exists(os.path.join(work.data, *TAGS_CSV)),
                "LASTFM_TAGS=0: %d tag requests" % sim.stats()["tag_requests"])


@h.case
def fatal_key():
    with h.Workdir("tags-fatal") as work, \
            h.Simulator(work.path, "--scrobbles", 500, "--seed", 76) as sim:
        # The scrobble pages pass; artist.getTopTags says the key is invalid.
        sim.control("set", tags_error=10)
        r = h.syncd(sim, work)
        h.check(r.code == 78 and "error 10" in r.err and "tags: asking" in r.err and
                os.path.exists(os.path.join(work.data, "report", "index.html")),
                "error 10 on the tags: exit %d: %s" % (r.code, r.err[-800:]))
        # Error 8 on every tag answer: given up after the retries, asked again
        # next time; the run itself is done.
        sim.control("set", tags_error=8)
        r = h.syncd(sim, work, max_retries=1)
        h.check(r.code == 0 and "giving up for now" in r.err and "asked again" in r.err,
                "error 8 on the tags: exit %d: %s" % (r.code, r.err[-800:]))
        sim.control("set", tags_error=0)
        r = h.syncd(sim, work)
        check_answers(work, "after the errors")


if __name__ == "__main__":
    h.main()

"""The simulator is faithful to ../shared/lastfm-api.md: numbers as strings, '/'
escaped, now-playing item (extra item, perPage unchanged, not counted), `track`
as a bare object, extended=1, empty history, from/to semantics, error bodies
with their statuses, page=0 is error 6, faults as configured."""
import json
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


def get(sim, **q):
    params = {"method": "user.getrecenttracks", "user": sim.user, "api_key": sim.api_key,
              "format": "json"}
    params.update({k: str(v) for k, v in q.items()})
    url = sim.url + "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


@h.case
def simulator():
    with h.Workdir("sim") as work, h.Simulator(work.path, "--scrobbles", 250, "--same-second", 0.2,
                                                "--single-object") as sim:
        truth = sim.truth()
        status, body = get(sim, limit=100, page=1)
        h.check(status == 200, "page 1 status %d" % status)
        h.check("\\/" in body, "'/' is not escaped as on the wire")
        doc = json.loads(body)
        attr = doc["recenttracks"]["@attr"]
        h.check(all(isinstance(attr[k], str) for k in ("page", "total", "totalPages", "perPage")),
                "@attr numbers are not strings: %r" % attr)
        h.check(attr["total"] == "250" and attr["totalPages"] == "3" and attr["perPage"] == "100",
                "@attr %r" % attr)
        items = doc["recenttracks"]["track"]
        h.check(len(items) == 101, "page 1 should carry 100 scrobbles + now playing: %d" % len(items))
        h.check(items[0].get("@attr", {}).get("nowplaying") == "true" and "date" not in items[0],
                "the first item is not the now-playing item")
        h.check(all(isinstance(i["date"]["uts"], str) for i in items[1:]), "uts not a string")
        h.check([int(i["date"]["uts"]) for i in items[1:]] == [t["uts"] for t in truth[:100]],
                "page 1 is not the newest 100 of the truth")
        orders = {tuple(i.keys()) for i in items[1:]}
        h.check(len(orders) > 1, "key order never varies")
        h.check(any("image" not in i for i in items[1:]), "no item lacks image")
        h.check(any(i["album"]["#text"] == "" for i in items[1:]), "no empty album")
        h.check(any(i["mbid"] == "" for i in items[1:]) and any(i["mbid"] for i in items[1:]),
                "mbids are never or always empty")

        status, body = get(sim, limit=100, page=3)
        h.check(len(json.loads(body)["recenttracks"]["track"]) == 50, "page 3 holds the last 50")

        # extended=1: artist.name, loved
        status, body = get(sim, limit=5, page=1, extended=1)
        it = json.loads(body)["recenttracks"]["track"][1]
        h.check("name" in it["artist"] and "#text" not in it["artist"] and it["loved"] in ("0", "1"),
                "extended shape: %r" % it)

        # A window of exactly one scrobble: `track` is a bare object (with --single-object
        # and no now playing on that page), from inclusive / to exclusive.
        sim.control("set", now_playing="none")
        u = truth[10]["uts"]
        if truth[9]["uts"] != u and truth[11]["uts"] != u:
            status, body = get(sim, limit=50, page=1, **{"from": u, "to": u + 1})
            tr = json.loads(body)["recenttracks"]["track"]
            h.check(isinstance(tr, dict) and tr["date"]["uts"] == str(u), "single object: %r" % tr)
        status, body = get(sim, limit=50, page=1, **{"from": truth[0]["uts"] + 10, "to": truth[0]["uts"] + 20})
        d = json.loads(body)["recenttracks"]
        h.check(d["track"] == [] and d["@attr"]["total"] == "0" and d["@attr"]["totalPages"] == "0"
                and d["@attr"]["page"] == "1", "empty window: %r" % d)
        # now playing inside an empty window
        sim.control("set", now_playing="first")
        status, body = get(sim, limit=50, page=1, **{"from": truth[0]["uts"] + 10, "to": truth[0]["uts"] + 20})
        d = json.loads(body)["recenttracks"]
        tr = d["track"] if isinstance(d["track"], list) else [d["track"]]
        h.check(len(tr) == 1 and d["@attr"]["total"] == "0", "now playing in an empty window: %r" % d)

        # Errors with their HTTP statuses.
        for q, want_status, want_code in (
                ({"page": 0}, 400, 6), ({"limit": 1001}, 400, 6), ({"api_key": "x" * 32}, 403, 10),
                ({"user": "nobody"}, 404, 6), ({"method": "user.getinfo"}, 400, 3)):
            status, body = get(sim, **q)
            doc = json.loads(body)
            h.check(status == want_status and doc.get("error") == want_code
                    and isinstance(doc["error"], int) and "message" in doc,
                    "%r: %d %s" % (q, status, body))
        sim.control("set", private="1")
        status, body = get(sim)
        h.check(status == 403 and json.loads(body)["error"] == 17, "private: %d %s" % (status, body))
        sim.control("set", private="0", suspended="1")
        status, body = get(sim)
        h.check(status == 403 and json.loads(body)["error"] == 26, "suspended: %d %s" % (status, body))
        sim.control("set", suspended="0")

        # Faults: 5xx with HTML, 429 with Retry-After, error 8 with HTTP 200.
        for kind, check_fn in (
                ("5xx", lambda s, b: s in (500, 502, 503, 504) and b.startswith("<!DOCTYPE html>")),
                ("429", lambda s, b: s == 429 and json.loads(b)["error"] == 29),
                ("error8", lambda s, b: s == 200 and json.loads(b)["error"] == 8),
                ("truncate", lambda s, b: s == 200 and not b.endswith("}}"))):
            sim.control("set", fault_rate=1, faults=kind)
            status, body = get(sim, limit=50)
            h.check(check_fn(status, body), "fault %s: %d %s" % (kind, status, body[:200]))
        sim.control("set", fault_rate=0)

        # Mutations and the ground truth.
        sim.control("add", n=3, age=0)
        sim.control("delete", n=1, where="any")
        h.check(len(sim.truth()) == 252, "after +3 -1: %d" % len(sim.truth()))


h.main()

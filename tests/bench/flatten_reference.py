#!/usr/bin/env python3
"""The same job as lastfm-flatten, written the straightforward way with the
standard library's json and csv modules: the benchmark's yardstick."""
import csv
import glob
import json
import os
import sys
import time


def main(data_dir, out_path):
    passes = []
    for m in glob.glob(os.path.join(data_dir, "raw", "pass-*", "manifest.json")):
        with open(m) as f:
            man = json.load(f)
        if man["state"] == "complete":
            passes.append(man)
    # newest pass wins: claim stretches of time, newest pass first
    passes.sort(key=lambda m: -m["pass"])
    claimed = []   # (from, to, pass)
    for m in passes:
        cursor = m["window_from"]
        for a, b, _ in sorted(claimed):
            if b < cursor:
                continue
            if a > cursor:
                claimed.append((cursor, min(a - 1, m["window_to"]), m))
            cursor = max(cursor, b + 1)
            if cursor > m["window_to"]:
                break
        if cursor <= m["window_to"]:
            claimed.append((cursor, m["window_to"], m))
    claimed.sort(key=lambda c: -c[0])
    with open(out_path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)  # "\r\n": only then does it quote a lone CR
        w.writerow(["played_at_utc", "track_name", "artist_name", "album_name", "track_mbid",
                    "artist_mbid", "album_mbid", "source_page", "source_file"])
        for lo, hi, m in claimed:
            for page in range(1, m["total_pages"] + 1):
                rel = "raw/pass-%06d/page-%06d.json" % (m["pass"], page)
                with open(os.path.join(data_dir, rel), encoding="utf-8") as f:
                    doc = json.load(f)
                tracks = doc["recenttracks"].get("track", [])
                if isinstance(tracks, dict):
                    tracks = [tracks]
                for t in tracks:
                    if t.get("@attr", {}).get("nowplaying") == "true":
                        continue
                    uts = int(t["date"]["uts"])
                    if not lo <= uts <= hi:
                        continue
                    artist = t.get("artist", {})
                    album = t.get("album", {})
                    w.writerow([time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(uts)),
                                t.get("name", ""), artist.get("#text", artist.get("name", "")),
                                album.get("#text", ""), t.get("mbid", ""),
                                artist.get("mbid", ""), album.get("mbid", ""), page, rel])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

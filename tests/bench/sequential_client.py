#!/usr/bin/env python3
"""What the usual exporter scripts do: ask for page 1, wait for it, ask for page
2, ... (no concurrency).  Retries a failed page.  Prints pages and seconds."""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def main(url, user, key, limit):
    t0 = time.time()
    page, pages, requests = 1, 1, 0
    while page <= pages:
        q = urllib.parse.urlencode({"method": "user.getrecenttracks", "user": user,
                                    "api_key": key, "format": "json", "limit": limit,
                                    "page": page})
        requests += 1
        try:
            with urllib.request.urlopen(url + "?" + q, timeout=30) as r:
                doc = json.loads(r.read().decode("utf-8"))
        except (urllib.error.URLError, ValueError):
            continue
        pages = int(doc["recenttracks"]["@attr"]["totalPages"])
        page += 1
    print(json.dumps({"pages": pages, "requests": requests, "seconds": time.time() - t0}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))

"""The processed stage computed independently, in plain Python with zoneinfo,
from the interim CSV alone: what processed_test and report_test compare the
database and the report with."""
import bisect
import csv
import datetime
import os
import sys
from zoneinfo import ZoneInfo

# What a blank artist name is made of (rules_int.h): the listener plants them.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from listener import BLANKS  # noqa: E402

BURST_LIMIT = 8


def independent(csv_path, zones, move_uts, window, aliases, built_at, burst_limit=BURST_LIMIT):
    """Everything the database should hold, from the CSV, by the documented rules."""
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    first, second = [z.strip() for z in zones.split(",")]
    zone_after = second.split(" ", 1)[1]
    out = []
    for seq, r in enumerate(rows, 1):
        uts = int(datetime.datetime.strptime(r[0], "%Y-%m-%dT%H:%M:%SZ")
                  .replace(tzinfo=datetime.timezone.utc).timestamp())
        tzname = zone_after if uts >= move_uts else first
        local = datetime.datetime.fromtimestamp(uts, ZoneInfo(tzname))
        out.append({"seq": seq, "uts": uts, "track": r[1], "artist_name": r[2], "album": r[3],
                    "tz": tzname, "local": local.isoformat(), "date": local.date().isoformat(),
                    "year": local.year, "month": local.strftime("%Y-%m"), "hour": local.hour,
                    "weekday": local.isoweekday(), "artist": aliases.get(r[2], r[2])})
    timeline = sorted(out, key=lambda x: (x["uts"], -x["seq"]))
    prev = None
    last_counted = None
    session = 0
    for x in timeline:
        x["bad_time"] = int(x["uts"] < 1033430400 or x["uts"] > built_at)
        x["unknown"] = int(x["artist_name"].strip(BLANKS).lower()
                           in ("", "[unknown]", "unknown artist"))
        x["duplicate"] = int(prev is not None and x["uts"] - prev["uts"] <= window and
                             (x["track"], x["artist_name"], x["album"]) ==
                             (prev["track"], prev["artist_name"], prev["album"]))
        prev = x
    # bursts: more than burst_limit plays (not bad_time, not duplicate) within
    # 59 s either side (a plain quadratic-free count over sorted times)
    plays = [x for x in timeline if not x["bad_time"] and not x["duplicate"]]
    times = [x["uts"] for x in plays]
    for x in timeline:
        x["burst"] = 0
    for x in plays:
        near = bisect.bisect_right(times, x["uts"] + 59) - bisect.bisect_left(times, x["uts"] - 59)
        x["burst"] = int(burst_limit > 0 and near > burst_limit)
    for x in timeline:
        x["counted"] = int(not (x["bad_time"] or x["duplicate"] or x["unknown"] or x["burst"]))
        x["session"] = None
        if x["counted"]:
            if last_counted is None or x["uts"] - last_counted > 1800:
                session += 1
            last_counted = x["uts"]
            x["session"] = session
    return out, timeline

"""The processed stage computed independently, in plain Python with zoneinfo,
from the interim CSV alone: what processed_test and report_test compare the
database and the report with."""
import csv
import datetime
from zoneinfo import ZoneInfo


def independent(csv_path, zones, move_uts, window, aliases, built_at):
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
        x["unknown"] = int(x["artist_name"].lower() in ("", "[unknown]", "unknown artist"))
        x["duplicate"] = int(prev is not None and x["uts"] - prev["uts"] <= window and
                             (x["track"], x["artist_name"], x["album"]) ==
                             (prev["track"], prev["artist_name"], prev["album"]))
        x["counted"] = int(not (x["bad_time"] or x["duplicate"] or x["unknown"]))
        x["session"] = None
        if x["counted"]:
            if last_counted is None or x["uts"] - last_counted > 1800:
                session += 1
            last_counted = x["uts"]
            x["session"] = session
        prev = x
    return out, timeline

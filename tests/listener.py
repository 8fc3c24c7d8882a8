"""A listener's history for the simulator (--history listener): the patterns
the analysis must find, and the problems it must flag, planted on purpose.

- A daily rhythm in local time (quiet nights, busy evenings), weekdays unlike
  weekends, in the zone the listener lived in: New York, then Berlin from the
  move date on (local midnight in New York), DST included (zoneinfo, tzdata).
- Holidays without listening, binge weeks, sessions of consecutive tracks.
- A long-tailed artist popularity that drifts: each artist has an era (it
  arrives, peaks and fades), so favourites change over the years.
- Planted problems: a few uts 0, double scrobbles 1-20 s apart, "[unknown]"
  artists, name variants of two artists (Motorhead / Motörhead, Charli xcx /
  Charli XCX).

generate() returns the plays (oldest first) and `planted`, the ground truth of
what was planted.  Deterministic for a seed.  Standard library only.
"""

import datetime
import math
import random
from zoneinfo import ZoneInfo

ZONE_BEFORE = "America/New_York"
ZONE_AFTER = "Europe/Berlin"

# Relative weight of each local hour: quiet nights, a morning commute, busy evenings.
WEEKDAY_HOURS = [2, 1, 0.5, 0.2, 0.2, 0.5, 3, 6, 7, 4, 3, 3, 4, 4, 3, 3, 4, 6, 8, 10, 11, 10, 7, 4]
WEEKEND_HOURS = [4, 3, 1.5, 0.5, 0.2, 0.2, 0.3, 0.5, 1, 3, 5, 7, 8, 8, 8, 8, 8, 8, 8, 9, 10, 10, 8, 6]

HOSTILE_NAMES = ["Sigur Rós", "Crosby, Stills, Nash & Young", 'The "Band"', "坂本龍一",
                 "BTS (방탄소년단)", "</svg><script>alert(1)</script>", "&amp;", "AC/DC",
                 "שלום עליכם", "مرحبا", "Emoji 🎸 Rocker", "Line\nBreak"]
VARIANTS = [("Motörhead", "Motorhead"), ("Charli XCX", "Charli xcx")]


def _artists(rng, n):
    names = list(HOSTILE_NAMES) + [v[0] for v in VARIANTS]
    syll = ["ka", "lo", "mi", "ra", "ve", "sun", "dor", "el", "tri", "no", "ba", "zu", "fen"]
    while len(names) < n:
        name = "".join(rng.choice(syll) for _ in range(rng.randint(2, 3))).title()
        if rng.random() < 0.3:
            name = "The " + name + "s"
        if name not in names:
            names.append(name)
    return names


def generate(n, seed, end, per_day=33.0):
    """n plays ending before `end` (Unix seconds); per_day: mean plays on an
    active day (33: a heavy listener, 146k plays in about 12 years)."""
    rng = random.Random(seed)
    days = max(30, int(n / per_day * 1.05))
    end_day = datetime.datetime.fromtimestamp(end, ZoneInfo(ZONE_AFTER)).date()
    start_day = end_day - datetime.timedelta(days=days)
    move = start_day + datetime.timedelta(days=int(days * 0.55))
    move_uts = int(datetime.datetime(move.year, move.month, move.day,
                                     tzinfo=ZoneInfo(ZONE_BEFORE)).timestamp())

    # Holidays (no listening) and binge weeks, per year.
    holidays, binges = [], []
    for y in range(start_day.year, end_day.year + 1):
        for _ in range(2):
            d = datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randint(0, 350))
            holidays.append((d, d + datetime.timedelta(days=rng.randint(6, 13))))
        d = datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randint(0, 355))
        binges.append((d, d + datetime.timedelta(days=6)))

    # Artists: Zipf popularity times an era of activity (arrive, peak, fade).
    names = _artists(rng, 400)
    span = (end_day - start_day).days
    eras = []
    for i, name in enumerate(names):
        center = rng.uniform(-0.2, 1.2) * span
        width = rng.uniform(0.08, 0.5) * span
        eras.append((1.0 / (i + 1) ** 0.9, center, width))
    albums = {a: [("%s %s" % (rng.choice(["Live", "Songs", "Nights", "Echoes", "Days"]),
                              rng.choice(["I", "II", "of Glass", "in Blue", ""]))).strip()
                  for _ in range(rng.randint(1, 4))] for a in names}
    tracks = {a: ["Track %d" % k for k in range(1, rng.randint(8, 30))] for a in names}

    def weights_at(day_index):
        return [p * math.exp(-((day_index - c) / w) ** 2) for p, c, w in eras]

    plays = []
    weights, weights_day = None, -999
    day = start_day
    while day < end_day:
        di = (day - start_day).days
        if di - weights_day >= 14:
            weights, weights_day = weights_at(di), di
        zone = ZoneInfo(ZONE_BEFORE if day < move else ZONE_AFTER)
        if any(a <= day < b for a, b in holidays):
            day += datetime.timedelta(days=1)
            continue
        mean = per_day * (3.0 if any(a <= day < b for a, b in binges) else 1.0)
        weekend = day.isoweekday() >= 6
        hours = WEEKEND_HOURS if weekend else WEEKDAY_HOURS
        count = max(0, int(rng.gauss(mean * (1.2 if weekend else 1.0), mean * 0.3)))
        # Sessions: start at an hour drawn from the rhythm, then tracks 3-5 min apart.
        made = 0
        while made < count:
            hour = rng.choices(range(24), weights=hours)[0]
            start = datetime.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59),
                                      rng.randint(0, 59), tzinfo=zone)
            t = int(start.timestamp())
            artist = rng.choices(names, weights=weights)[0]
            album = rng.choice(albums[artist])
            for _ in range(min(count - made, rng.randint(3, 15))):
                if rng.random() < 0.3:
                    artist = rng.choices(names, weights=weights)[0]
                    album = rng.choice(albums[artist])
                plays.append([t, rng.choice(tracks[artist]), artist, album])
                t += rng.randint(150, 330)
                made += 1
        day += datetime.timedelta(days=1)

    # Planted problems.
    planted = {"zones": "%s, %s %s" % (ZONE_BEFORE, move.isoformat(), ZONE_AFTER),
               "move_date": move.isoformat(), "move_uts": move_uts,
               "holidays": [[a.isoformat(), b.isoformat()] for a, b in holidays],
               "binge_weeks": [[a.isoformat(), b.isoformat()] for a, b in binges],
               "variants": {v: c for c, v in VARIANTS}}
    for p in plays:
        for canonical, variant in VARIANTS:
            if p[2] == canonical and rng.random() < 0.25:
                p[2] = variant
    unknown = 0
    for p in plays:
        if rng.random() < 0.002:
            p[2] = rng.choice(["[unknown]", "Unknown Artist", "unknown artist", ""])
            unknown += 1
    doubles = []
    for i in rng.sample(range(len(plays)), max(1, len(plays) // 400)):
        p = plays[i]
        doubles.append(p[0] + rng.randint(1, 20))
        plays.append([doubles[-1], p[1], p[2], p[3]])
    # A holiday holds no listening by its local date, whatever the calendar:
    # a session that starts late the evening before (or a double scrobble
    # seconds after its play) would otherwise spill past local midnight into it.
    def local_day(uts):
        zone = ZoneInfo(ZONE_BEFORE if uts < move_uts else ZONE_AFTER)
        return datetime.datetime.fromtimestamp(uts, zone).date()
    plays = [p for p in plays if not any(a <= local_day(p[0]) < b for a, b in holidays)]
    doubles = [d for d in doubles if not any(a <= local_day(d) < b for a, b in holidays)]
    # Exactly n: the newest, and the planted uts 0 rows.
    zeros = max(1, n // 50000)
    plays.sort(key=lambda p: p[0])
    plays = plays[len(plays) - (n - zeros):] if n > zeros else []
    first = plays[0][0] if plays else end
    plays = [[0, "Imported Track", rng.choice(names[:20]), "iTunes Import"]
             for _ in range(min(zeros, n))] + plays
    planted.update({"unknown_artist": sum(1 for p in plays if p[2].lower() in
                                          ("", "[unknown]", "unknown artist")),
                    "double_scrobbles": sum(1 for d in doubles if d >= first),
                    "uts_zero": min(zeros, n)})
    return plays, planted

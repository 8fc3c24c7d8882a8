"""A listener's history for the simulator (--history listener): the patterns
the analysis must find, and the problems it must flag, planted on purpose.

- A daily rhythm in local time (quiet nights, busy evenings), weekdays unlike
  weekends, in the zone the listener lived in: New York, then Berlin from the
  move date on (local midnight in New York), DST included (zoneinfo, tzdata).
- Holidays without listening, binge weeks, sessions of consecutive tracks.
- A long-tailed artist popularity that drifts: each artist has an era (it
  arrives, peaks and fades), so favourites change over the years.
- Planted problems: a few uts 0, double scrobbles 1-20 s apart, "[unknown]"
  artists and artists named by a no-break space (U+00A0) or an ideographic
  space (U+3000), name variants of two artists (Motorhead in the history's
  first years, a client that folded names to ASCII, then Motörhead; Charli xcx
  / Charli XCX at random), names of 100+ characters and with odd whitespace.
- The shapes of real histories: import bursts (66, 30 and 12 scrobbles stamped
  within one minute), a month of three film soundtracks round the clock (a
  child's device on the account).  When the history spans four years or more:
  a silent calendar year, a thin year of 7 scrobbles on 3 days, and a last
  year of two days (the listener stopped on 2 January); the first year is
  partial.  `planted` names them all.

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

LONG_ARTIST = ("The Extraordinarily Long-Named Philharmonic Orchestra and Chorus of the "
               "Northern Provinces, Conducted by Somebody")
HOSTILE_NAMES = ["Sigur Rós", LONG_ARTIST, "Crosby, Stills, Nash & Young", 'The "Band"',
                 "坂本龍一", "BTS (방탄소년단)", "</svg><script>alert(1)</script>", "&amp;",
                 "AC/DC", "שלום עליכם", "مرحبا", "Emoji 🎸 Rocker", "Line\nBreak",
                 "  Leading  and  double  spaces ", "Tab\tSeparated"]
LONG_ALBUM = ("Songs for the Very Long Evenings: The Complete Recordings, Remastered and "
              "Expanded (Deluxe Anniversary Edition)")
SOUNDTRACKS = [("Kristen Anderson-Lopez & Robert Lopez", "Frozen (Original Motion Picture "
                "Soundtrack)"), ("Lin-Manuel Miranda", "Moana (Original Motion Picture "
                "Soundtrack)"), ("Idina Menzel", "Frozen II (Original Motion Picture "
                "Soundtrack/Deluxe Edition)")]
BLANK_ARTISTS = ["\u00a0", "\u3000", " \u2007 "]
BLANKS = "".join(map(chr, [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x115f, 0x1160, 0x1680, 0x180e,
    *range(0x2000, 0x200e), 0x2028, 0x2029, 0x202f, 0x205f, 0x2060, 0x3000, 0x3164,
    0xfeff, 0xffa0]))
BURSTS = [66, 30, 12]
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
    # The shapes of a long history: the listener stops on 2 January of the
    # last year (of this year once it is two weeks old, else of the year
    # before), with a silent year and a thin year inside the span.
    shapes = days >= 4 * 365
    stop_day = end_day
    silent_year = thin_year = None
    if shapes:
        last = end_day.year if end_day.timetuple().tm_yday >= 15 else end_day.year - 1
        stop_day = datetime.date(last, 1, 3)
        days = int(days * 1.12) + 2 * 366
    start_day = stop_day - datetime.timedelta(days=days)
    move = start_day + datetime.timedelta(days=int(days * 0.55))
    if shapes:
        # Whole calendar years inside the span, neither the move's year (the
        # tests' "certainly listened" year) nor the last.
        years = stop_day.year - start_day.year
        silent_year = start_day.year + max(1, int(years * 0.35))
        thin_year = start_day.year + int(years * 0.8)
        if silent_year == move.year:
            silent_year -= 1
        if thin_year == move.year:
            thin_year += 1
        if thin_year >= stop_day.year:
            thin_year = stop_day.year - 1
    move_uts = int(datetime.datetime(move.year, move.month, move.day,
                                     tzinfo=ZoneInfo(ZONE_BEFORE)).timestamp())

    # Holidays (no listening) and binge weeks, per year.
    holidays, binges = [], []
    for y in range(start_day.year, stop_day.year + 1):
        for _ in range(2):
            d = datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randint(0, 350))
            holidays.append((d, d + datetime.timedelta(days=rng.randint(6, 13))))
        d = datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randint(0, 355))
        binges.append((d, d + datetime.timedelta(days=6)))

    # Artists: Zipf popularity times an era of activity (arrive, peak, fade).
    names = _artists(rng, 400)
    span = (stop_day - start_day).days
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
    while day < stop_day:
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
    folded_until = int(datetime.datetime(start_day.year, start_day.month, start_day.day,
                                         tzinfo=ZoneInfo(ZONE_BEFORE)).timestamp()) \
        + int(span * 0.4) * 86400
    for p in plays:
        if p[2] == "Motörhead" and p[0] < folded_until:
            p[2] = "Motorhead"   # a client that folded names to ASCII, in the first years
        elif p[2] == "Charli XCX" and rng.random() < 0.25:
            p[2] = "Charli xcx"
        if p[2] == HOSTILE_NAMES[0] and rng.random() < 0.3:
            p[3] = LONG_ALBUM
    planted["folded_until_uts"] = folded_until
    # Nothing planted after the listener stopped (nor after `end`).
    stop_uts = min(end - 1, int(datetime.datetime(stop_day.year, stop_day.month, stop_day.day,
                                                  tzinfo=ZoneInfo(ZONE_AFTER)).timestamp()))
    # A month of soundtracks round the clock, about 70 % through the span:
    # 1-2 plays in every hour of every day of the month.
    sound = start_day + datetime.timedelta(days=int(span * 0.7))
    sound = datetime.date(sound.year, sound.month, 1)
    zone = ZoneInfo(ZONE_BEFORE if sound < move else ZONE_AFTER)
    d, added = sound, 0
    while d.month == sound.month:
        for hour in range(24):
            t = int(datetime.datetime(d.year, d.month, d.day, hour, rng.randint(0, 20),
                                      tzinfo=zone).timestamp())
            for _ in range(rng.randint(1, 2)):
                artist, album = rng.choice(SOUNDTRACKS)
                if t < stop_uts:
                    plays.append([t, "Song %d" % rng.randint(1, 14), artist, album])
                    added += 1
                t += rng.randint(150, 240)
        d += datetime.timedelta(days=1)
    planted["soundtrack_month"] = sound.strftime("%Y-%m")
    planted["soundtrack_plays"] = added
    # Import bursts: dozens of plays stamped within one minute (an importer),
    # at 30, 60 and 90 % of the span (on days of listening), at 03:00 local.
    bursts = []
    for k, size in enumerate(BURSTS):
        d = start_day + datetime.timedelta(days=int(span * (0.3 + 0.3 * k)))
        while any(a <= d < b for a, b in holidays) or d.year in (silent_year, thin_year):
            d += datetime.timedelta(days=15)
        zone = ZoneInfo(ZONE_BEFORE if d < move else ZONE_AFTER)
        t = int(datetime.datetime(d.year, d.month, d.day, 3, 0, 5, tzinfo=zone).timestamp())
        for i in range(size if t + 60 < stop_uts else 0):
            artist = rng.choices(names, weights=weights_at((d - start_day).days))[0]
            plays.append([t + i * 50 // size, "Imported %d" % i, artist,
                          rng.choice(albums[artist]), "burst"])
        bursts.append(t)
    unknown = 0
    for p in plays:
        if rng.random() < 0.002:
            p[2] = rng.choice(["[unknown]", "Unknown Artist", "unknown artist", ""]
                              + BLANK_ARTISTS)
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
    def kept(uts):
        day = local_day(uts)
        return not any(a <= day < b for a, b in holidays) and day.year != silent_year
    plays = [p for p in plays if kept(p[0])]
    doubles = [d for d in doubles if kept(d)]
    if shapes:
        # The thin year: 7 plays on 3 days, the rest of it silent; the last
        # year: what falls on its first two days.
        thin = [p for p in plays if local_day(p[0]).year == thin_year]
        dates = sorted(set(local_day(p[0]) for p in thin))
        keep_dates = set(rng.sample(dates, min(3, len(dates))))
        keep = [p for p in thin if local_day(p[0]) in keep_dates][:7]
        gone = {id(p) for p in thin} - {id(p) for p in keep}
        plays = [p for p in plays if id(p) not in gone]
        thin_times = {p[0] for p in keep}
        doubles = [d for d in doubles if local_day(d).year != thin_year or d in thin_times]
        planted.update({"silent_year": silent_year, "thin_year": thin_year,
                        "last_year": stop_day.year})
    # Exactly n: the newest, and the planted uts 0 rows.
    zeros = max(1, n // 50000)
    plays.sort(key=lambda p: p[0])
    plays = plays[len(plays) - (n - zeros):] if n > zeros else []
    first = plays[0][0] if plays else end
    plays = [[0, "Imported Track", rng.choice(names[:20]), "iTunes Import"]
             for _ in range(min(zeros, n))] + plays
    burst_rows = sum(1 for p in plays if len(p) == 5)
    plays = [p[:4] for p in plays]
    planted.update({"unknown_artist": sum(1 for p in plays if p[2].strip(BLANKS).lower() in
                                          ("", "[unknown]", "unknown artist")),
                    "burst_rows": burst_rows,
                    "burst_times": [t for t in bursts if t >= first],
                    "double_scrobbles": sum(1 for d in doubles if d >= first),
                    "uts_zero": min(zeros, n)})
    return plays, planted

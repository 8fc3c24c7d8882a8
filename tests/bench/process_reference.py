#!/usr/bin/env python3
"""The processed stage's derivations in pandas, for `make bench` to compare:
what a listener would write by hand.  Reads the interim CSV, converts to local
time by a dated zone list (tz_convert per era), flags bad times, double
scrobbles and unknown artists, numbers sessions, computes the same views
(daily, monthly, yearly, punchcard, artist firsts, sessions, streaks,
Eddington) and writes everything to an SQLite file.

usage: process_reference.py CSV OUT.sqlite "Zone, YYYY-MM-DD Zone, ..." WINDOW_SECONDS
"""
import sqlite3
import sys
import time

import numpy as np
import pandas as pd


def main():
    csv_path, out, zones, window = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    built_at = int(time.time())
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    df.insert(0, "seq", np.arange(1, len(df) + 1))
    ts = pd.to_datetime(df["played_at_utc"], format="%Y-%m-%dT%H:%M:%SZ", utc=True)
    df["uts"] = ts.astype("int64") // 10 ** 9
    eras = [z.strip() for z in zones.split(",")]
    first = eras[0]
    starts = []   # (uts, zone)
    prev = first
    for e in eras[1:]:
        date, zone = e.split(" ", 1)
        starts.append((int(pd.Timestamp(date).tz_localize(prev).timestamp()), zone))
        prev = zone
    zone_of = pd.Series(first, index=df.index)
    for s, z in starts:
        zone_of[df["uts"] >= s] = z
    df["tz"] = zone_of
    parts = []
    for z, idx in df.groupby("tz").groups.items():
        local = ts[idx].dt.tz_convert(z)
        parts.append(pd.DataFrame({
            "played_at_local": local.map(lambda t: t.isoformat()),
            "local_date": local.dt.strftime("%Y-%m-%d"),
            "local_year": local.dt.year, "local_month": local.dt.strftime("%Y-%m"),
            "local_hour": local.dt.hour, "local_weekday": local.dt.dayofweek + 1}, index=idx))
    df = df.join(pd.concat(parts))
    df["artist"] = df["artist_name"]
    t = df.sort_values(["uts", "seq"], ascending=[True, False])
    same = ((t["track_name"] == t["track_name"].shift()) &
            (t["artist_name"] == t["artist_name"].shift()) &
            (t["album_name"] == t["album_name"].shift()))
    t_dup = same & ((t["uts"] - t["uts"].shift()) <= window)
    df["duplicate"] = t_dup.reindex(df.index).astype(int)
    df["bad_time"] = ((df["uts"] < 1033430400) | (df["uts"] > built_at)).astype(int)
    df["unknown_artist"] = df["artist_name"].str.lower().isin(
        ["", "[unknown]", "unknown artist"]).astype(int)
    df["counted"] = ((df["bad_time"] + df["duplicate"] + df["unknown_artist"]) == 0).astype(int)
    c = df[df["counted"] == 1].sort_values(["uts", "seq"], ascending=[True, False])
    new = (c["uts"] - c["uts"].shift()).fillna(10 ** 9) > 1800
    df["session_id"] = new.cumsum().reindex(df.index)
    c = df[df["counted"] == 1]
    daily = c.groupby("local_date").size().rename("scrobbles").reset_index()
    firsts = c.sort_values(["uts", "seq"], ascending=[True, False]).groupby("artist").agg(
        first_local_date=("local_date", "first"), scrobbles=("seq", "size")).reset_index()
    monthly = c.groupby("local_month").size().rename("scrobbles").reset_index()
    monthly = monthly.merge(firsts.assign(local_month=firsts["first_local_date"].str[:7])
                            .groupby("local_month").size().rename("new_artists").reset_index(),
                            how="left").fillna(0)
    yearly = c.groupby("local_year").agg(scrobbles=("seq", "size"),
                                         active_days=("local_date", "nunique"),
                                         artists=("artist", "nunique")).reset_index()
    top = (c.groupby(["local_year", "artist"]).size().rename("n").reset_index()
           .sort_values(["local_year", "n", "artist"], ascending=[True, False, True])
           .groupby("local_year").first().reset_index()[["local_year", "artist"]])
    yearly = yearly.merge(top, how="left")
    punch = c.groupby(["local_weekday", "local_hour"]).size().rename("scrobbles").reset_index()
    sessions = c.sort_values(["uts", "seq"], ascending=[True, False]).groupby("session_id").agg(
        started_local=("played_at_local", "first"), ended_local=("played_at_local", "last"),
        tracks=("seq", "size"), first=("uts", "min"), last=("uts", "max")).reset_index()
    d = pd.to_datetime(daily["local_date"])
    run = (d - pd.to_timedelta(np.arange(len(d)), unit="D"))
    streaks = daily.groupby(run).agg(start_date=("local_date", "min"),
                                     end_date=("local_date", "max"),
                                     days=("local_date", "size")).reset_index(drop=True)
    counts = np.sort(daily["scrobbles"].to_numpy())[::-1]
    k = np.arange(1, len(counts) + 1)
    edd = int(k[counts >= k].max()) if len(counts) else 0
    con = sqlite3.connect(out)
    df.to_sql("scrobbles", con, index=False, if_exists="replace")
    for name, frame in (("daily", daily), ("artist_firsts", firsts), ("monthly", monthly),
                        ("yearly", yearly), ("punchcard", punch), ("sessions", sessions),
                        ("streaks", streaks), ("eddington", pd.DataFrame({"n": [edd]}))):
        frame.to_sql(name, con, index=False, if_exists="replace")
    con.commit()
    con.close()


if __name__ == "__main__":
    main()

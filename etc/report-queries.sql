-- report-queries.sql: every figure of the report's year and artist pages as
-- one query over DATA_DIR/processed/lastfm.sqlite, so that an analyst can
-- reproduce it.  Each query follows a line "-- @NAME: what it gives"; the
-- parameters are :artist (the name as the database has it, after the alias
-- file) and :year (a local calendar year).  Run one with the sqlite3 shell:
--
--   sqlite3 -readonly DATA_DIR/processed/lastfm.sqlite
--   sqlite> .parameter set :artist "'Sigur Rós'"
--   sqlite> SELECT ... (paste the query)
--
-- Only counted scrobbles count (the quality rules flag the rest; see the
-- `rules` view), days and hours are local (the `local_*` columns), ranks are
-- rank(): ties share a rank.  Names longer than 1,024 bytes are grouped by
-- their first 1,024 bytes on the pages (they are shown cut there too).
-- tests/e2e/site_test.py runs every query here and compares it with the
-- pages.

-- ---- an artist's page (report/artist/FILE.html) ----

-- @artist_total: scrobbles counted, rank among all artists, how many artists, share of all (%)
SELECT n, k, artists, round(100.0 * n / total, 1) FROM (
    SELECT artist, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) AS k,
           count(*) OVER () AS artists, sum(count(*)) OVER () AS total
    FROM scrobbles WHERE counted GROUP BY artist)
WHERE artist = :artist;

-- @artist_span: first and last scrobble (local dates), active days
SELECT min(local_date), max(local_date), count(DISTINCT local_date)
FROM scrobbles WHERE counted AND artist = :artist;

-- @artist_busiest_day: the local date of its most scrobbles (the earliest of a tie)
SELECT local_date, count(*) AS n FROM scrobbles WHERE counted AND artist = :artist
GROUP BY local_date ORDER BY n DESC, local_date LIMIT 1;

-- @artist_months: scrobbles per local month (months without one are 0 on the chart)
SELECT local_month, count(*) FROM scrobbles WHERE counted AND artist = :artist
GROUP BY local_month ORDER BY local_month;

-- @artist_years: per year of its scrobbles: scrobbles, share of the year's (%), rank that year
SELECT local_year, n, round(100.0 * n / year_n, 1), k FROM (
    SELECT local_year, artist, count(*) AS n,
           rank() OVER (PARTITION BY local_year ORDER BY count(*) DESC) AS k,
           sum(count(*)) OVER (PARTITION BY local_year) AS year_n
    FROM scrobbles WHERE counted GROUP BY local_year, artist)
WHERE artist = :artist ORDER BY local_year;

-- @artist_albums: all its albums, most played first, with the first and last local date
SELECT album_name, count(*) AS n, min(local_date), max(local_date) FROM scrobbles
WHERE counted AND artist = :artist AND album_name <> ''
GROUP BY album_name ORDER BY n DESC, album_name;

-- @artist_tracks: all its tracks, the same way
SELECT track_name, count(*) AS n, min(local_date), max(local_date) FROM scrobbles
WHERE counted AND artist = :artist GROUP BY track_name ORDER BY n DESC, track_name;

-- @artist_hours: the share (%) of its scrobbles in each local hour
SELECT local_hour, round(100.0 * count(*) / sum(count(*)) OVER (), 1) FROM scrobbles
WHERE counted AND artist = :artist GROUP BY local_hour ORDER BY local_hour;

-- @artist_weekdays: the share (%) of its scrobbles on each local weekday (1 = Monday)
SELECT local_weekday, round(100.0 * count(*) / sum(count(*)) OVER (), 1) FROM scrobbles
WHERE counted AND artist = :artist GROUP BY local_weekday ORDER BY local_weekday;

-- @artist_longest_run: its longest run of consecutive active days: from, to, days (the earliest of a tie)
SELECT min(local_date), max(local_date), count(*) AS days FROM (
    SELECT local_date, julianday(local_date) - row_number() OVER (ORDER BY local_date) AS run
    FROM (SELECT DISTINCT local_date FROM scrobbles WHERE counted AND artist = :artist))
GROUP BY run ORDER BY days DESC, min(local_date) LIMIT 1;

-- @artist_absences: each return after a year of listening away: last day before, the day
-- back, the listener's active days between (days with any counted scrobble: a stretch in which
-- nothing at all was scrobbled is no absence), the calendar days between.  A year of
-- listening: as many active days as an average year of the history has (its active days x
-- 365.2425 / the days from its first to its last, rounded; a history shorter than a year: all
-- of its active days).
WITH listener AS (SELECT DISTINCT local_date FROM scrobbles WHERE counted),
span AS (SELECT count(*) AS active,
                julianday(max(local_date)) - julianday(min(local_date)) + 1 AS days FROM listener),
away AS (SELECT CASE WHEN days >= 365 THEN max(1, round(active * 365.2425 / days))
                     ELSE active END AS days FROM span),
gaps AS (SELECT lag(local_date) OVER (ORDER BY local_date) AS prev, local_date
         FROM (SELECT DISTINCT local_date FROM scrobbles WHERE counted AND artist = :artist))
SELECT prev, local_date, (SELECT count(*) FROM listener AS l
       WHERE l.local_date > g.prev AND l.local_date < g.local_date) AS days,
       CAST(julianday(local_date) - julianday(prev) AS INTEGER) - 1
FROM gaps AS g WHERE prev IS NOT NULL AND days >= (SELECT days FROM away) ORDER BY local_date;

-- @artist_longest_absence: the longest absence: last day before, the day back, the listener's
-- active days between, the calendar days between (the earliest of a tie)
WITH listener AS (SELECT DISTINCT local_date FROM scrobbles WHERE counted),
gaps AS (SELECT lag(local_date) OVER (ORDER BY local_date) AS prev, local_date
         FROM (SELECT DISTINCT local_date FROM scrobbles WHERE counted AND artist = :artist))
SELECT prev, local_date, (SELECT count(*) FROM listener AS l
       WHERE l.local_date > g.prev AND l.local_date < g.local_date) AS days,
       CAST(julianday(local_date) - julianday(prev) AS INTEGER) - 1
FROM gaps AS g WHERE prev IS NOT NULL AND days > 0 ORDER BY days DESC, local_date LIMIT 1;

-- @artist_variants: the names the alias file merged into it, with their scrobbles
SELECT artist_name, count(*) AS n FROM scrobbles
WHERE counted AND artist = :artist AND EXISTS (SELECT 1 FROM aliases WHERE canonical = :artist)
GROUP BY artist_name ORDER BY n DESC, artist_name;

-- ---- a year's page (report/year/YYYY.html) ----

-- @year_totals: scrobbles counted, active days, artists
SELECT count(*), count(DISTINCT local_date), count(DISTINCT artist) FROM scrobbles
WHERE counted AND local_year = :year;

-- @year_artists: the ten most played artists: artist, scrobbles, rank, rank the year before
-- (0: not played then but in an earlier year, "back"; -1: never played before, "new")
WITH r AS (SELECT local_year, artist, count(*) AS n,
                  rank() OVER (PARTITION BY local_year ORDER BY count(*) DESC) AS k
           FROM scrobbles WHERE counted GROUP BY local_year, artist)
SELECT a.artist, a.n, a.k, coalesce(b.k, CASE WHEN EXISTS (SELECT 1 FROM r AS e
       WHERE e.artist = a.artist AND e.local_year < a.local_year - 1) THEN 0 ELSE -1 END)
FROM r AS a
LEFT JOIN r AS b ON b.artist = a.artist AND b.local_year = a.local_year - 1
WHERE a.local_year = :year AND a.k <= 10 ORDER BY a.k, a.artist LIMIT 10;

-- @year_albums: the ten most played albums: album, artist, scrobbles, rank, rank the year before
WITH r AS (SELECT local_year, artist, album_name, count(*) AS n,
                  rank() OVER (PARTITION BY local_year ORDER BY count(*) DESC) AS k
           FROM scrobbles WHERE counted AND album_name <> ''
           GROUP BY local_year, artist, album_name)
SELECT a.album_name, a.artist, a.n, a.k, coalesce(b.k, CASE WHEN EXISTS (SELECT 1 FROM r AS e
       WHERE e.artist = a.artist AND e.album_name = a.album_name
       AND e.local_year < a.local_year - 1) THEN 0 ELSE -1 END)
FROM r AS a
LEFT JOIN r AS b ON b.artist = a.artist AND b.album_name = a.album_name
                AND b.local_year = a.local_year - 1
WHERE a.local_year = :year AND a.k <= 10 ORDER BY a.k, a.artist, a.album_name LIMIT 10;

-- @year_tracks: the ten most played tracks: track, artist, scrobbles, rank, rank the year before
WITH r AS (SELECT local_year, artist, track_name, count(*) AS n,
                  rank() OVER (PARTITION BY local_year ORDER BY count(*) DESC) AS k
           FROM scrobbles WHERE counted GROUP BY local_year, artist, track_name)
SELECT a.track_name, a.artist, a.n, a.k, coalesce(b.k, CASE WHEN EXISTS (SELECT 1 FROM r AS e
       WHERE e.artist = a.artist AND e.track_name = a.track_name
       AND e.local_year < a.local_year - 1) THEN 0 ELSE -1 END)
FROM r AS a
LEFT JOIN r AS b ON b.artist = a.artist AND b.track_name = a.track_name
                AND b.local_year = a.local_year - 1
WHERE a.local_year = :year AND a.k <= 10 ORDER BY a.k, a.artist, a.track_name LIMIT 10;

-- @year_new_artists: how many artists were first heard that year, and their scrobbles in it
SELECT count(*), coalesce(sum(y.n), 0) FROM artist_firsts AS f
JOIN (SELECT artist, count(*) AS n FROM scrobbles WHERE counted AND local_year = :year
      GROUP BY artist) AS y USING (artist)
WHERE CAST(substr(f.first_local_date, 1, 4) AS INTEGER) = :year;

-- @year_new_artists_top: the ten of them with the most scrobbles that year: artist, first scrobble, scrobbles
SELECT f.artist, f.first_local_date, y.n FROM artist_firsts AS f
JOIN (SELECT artist, count(*) AS n FROM scrobbles WHERE counted AND local_year = :year
      GROUP BY artist) AS y USING (artist)
WHERE CAST(substr(f.first_local_date, 1, 4) AS INTEGER) = :year
ORDER BY y.n DESC, f.artist LIMIT 10;

-- @year_busiest_day: the local date of the most scrobbles (the earliest of a tie)
SELECT local_date, scrobbles FROM daily WHERE substr(local_date, 1, 4) = printf('%04d', :year)
ORDER BY scrobbles DESC, local_date LIMIT 1;

-- @year_busiest_week: the week (from its Monday) of the most scrobbles, inside the year
SELECT date(local_date, '-' || ((CAST(strftime('%w', local_date) AS INTEGER) + 6) % 7) || ' days')
           AS monday, sum(scrobbles) AS n
FROM daily WHERE substr(local_date, 1, 4) = printf('%04d', :year)
GROUP BY monday ORDER BY n DESC, monday LIMIT 1;

-- @year_longest_streak: the longest run of active days inside the year: from, to, days
SELECT min(local_date), max(local_date), count(*) AS days FROM (
    SELECT local_date, julianday(local_date) - row_number() OVER (ORDER BY local_date) AS run
    FROM daily WHERE substr(local_date, 1, 4) = printf('%04d', :year))
GROUP BY run ORDER BY days DESC, min(local_date) LIMIT 1;

-- @year_hours: scrobbles by local weekday (1 = Monday) and hour: the year's punchcard
SELECT local_weekday, local_hour, count(*) FROM scrobbles
WHERE counted AND local_year = :year GROUP BY 1, 2 ORDER BY 1, 2;

-- The library (artists.html, albums.html, tracks.html, month/, album/, track/):

-- @library_artists: every counted artist as artists.html lists it: scrobbles, first and last local date
SELECT artist, count(*) AS n, min(local_date), max(local_date) FROM scrobbles
WHERE counted GROUP BY artist ORDER BY n DESC, artist;

-- @library_albums: every album of at least :min counted scrobbles (albums.html: :min = 3)
SELECT artist, album_name, count(*) AS n, min(local_date), max(local_date) FROM scrobbles
WHERE counted AND album_name <> '' GROUP BY artist, album_name HAVING n >= :min
ORDER BY n DESC, artist, album_name;

-- @library_tracks: every track of at least :min counted scrobbles (tracks.html: :min = 3)
SELECT artist, track_name, count(*) AS n, min(local_date), max(local_date) FROM scrobbles
WHERE counted GROUP BY artist, track_name HAVING n >= :min ORDER BY n DESC, artist, track_name;

-- @library_months: the months with a page (those with a counted scrobble)
SELECT DISTINCT local_month FROM scrobbles WHERE counted ORDER BY 1;

-- @library_day: the counted scrobbles of the local date :day as its month's page lists them
SELECT substr(played_at_local, 12, 5), artist, track_name, album_name FROM scrobbles
WHERE counted AND local_date = :day ORDER BY uts, seq DESC;

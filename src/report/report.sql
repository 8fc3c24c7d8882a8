-- report.sql: the report's SQL, as named statements (embedded at build time as
-- src/report/report_sql.h; report_stmt() prepares one by its name).  A
-- statement runs from its "-- name:" line to the next.  The database is opened
-- read-only: what several pages share is made once, by "setup", into temp
-- tables.  Names are cut to the report's 1024 bytes (REPORT_NAME_MAX; the
-- database keeps them whole and cuts only what is longer than that).

-- name: setup
-- year_artist: in the order of the index counted_by_artist (no sort).  names:
-- albums and tracks by their first 1024 bytes.  firsts: each artist's first
-- counted day, indexed by artist for the joins with a year's artists (without
-- the index the planner read every artist's first day once for each artist of
-- the year: a history of a million artists took hours).
CREATE TEMP TABLE year_artist AS SELECT local_year, artist, count(*) AS n
    FROM scrobbles WHERE counted GROUP BY artist, local_year;
CREATE TEMP TABLE names AS SELECT local_year,
    substr(artist, 1, 1024) AS artist, substr(album_name, 1, 1024) AS album_name,
    substr(track_name, 1, 1024) AS track_name, count(*) AS n
    FROM scrobbles WHERE counted GROUP BY 1, 2, 3, 4;
CREATE TEMP TABLE firsts AS SELECT artist, first_local_date FROM artist_firsts;
CREATE INDEX temp.firsts_by_artist ON firsts (artist);
-- albums (an album: the artist after the alias file and the album's name) and
-- tracks (the artist and the track's name), each by year
CREATE TEMP TABLE album_years AS SELECT local_year, artist, album_name AS name, sum(n) AS n
    FROM names WHERE album_name <> '' GROUP BY 1, 2, 3;
CREATE TEMP TABLE track_years AS SELECT local_year, artist, track_name AS name, sum(n) AS n
    FROM names GROUP BY 1, 2, 3;
-- rank() within each year (ties share a rank) of artists, albums and tracks
CREATE TEMP TABLE year_rank AS SELECT local_year, artist, n, rank() OVER
    (PARTITION BY local_year ORDER BY n DESC) AS k FROM year_artist;
CREATE INDEX temp.year_rank_by_artist ON year_rank (artist, local_year);
CREATE INDEX temp.year_rank_by_year ON year_rank (local_year, k);
CREATE TEMP TABLE album_rank AS SELECT local_year, artist, name, n, rank() OVER
    (PARTITION BY local_year ORDER BY n DESC) AS k FROM album_years;
CREATE INDEX temp.album_rank_by_name ON album_rank (artist, name, local_year);
CREATE INDEX temp.album_rank_by_year ON album_rank (local_year, k);
CREATE TEMP TABLE track_rank AS SELECT local_year, artist, name, n, rank() OVER
    (PARTITION BY local_year ORDER BY n DESC) AS k FROM track_years;
CREATE INDEX temp.track_rank_by_name ON track_rank (artist, name, local_year);
CREATE INDEX temp.track_rank_by_year ON track_rank (local_year, k);
CREATE INDEX temp.album_years_by_artist ON album_years (artist);
CREATE INDEX temp.track_years_by_artist ON track_years (artist);
-- the album and track pages: the counted rows grouped by what those pages
-- read, indexed by (artist, album) and (artist, track): a page reads its own
-- rows, not every row of its artist
CREATE TEMP TABLE plays AS SELECT artist, album_name, track_name, local_date, local_weekday,
    local_hour, count(*) AS n FROM scrobbles WHERE counted GROUP BY 1, 2, 3, 4, 5, 6;
CREATE INDEX temp.plays_by_album ON plays (artist, album_name);
CREATE INDEX temp.plays_by_track ON plays (artist, track_name);

-- ---- the listings: artists.html, albums.html, tracks.html ----

-- name: listing_artists
-- every counted artist, most played first: scrobbles, first and last local date
SELECT artist, count(*) AS n, min(local_date), max(local_date)
    FROM scrobbles WHERE counted GROUP BY artist ORDER BY n DESC, artist;

-- name: listing_albums
-- the albums of at least ?1 counted scrobbles (artist, album, n, first, last,
-- the album's artist and name as stored); also the list of album pages (?1:
-- the minimum, ?2: at most this many; -1: all)
SELECT substr(artist, 1, 1024), substr(album_name, 1, 1024), sum(n) AS t, min(local_date),
    max(local_date), artist, album_name
    FROM plays WHERE album_name <> '' GROUP BY artist, album_name
    HAVING t >= ?1 ORDER BY t DESC, artist, album_name LIMIT ?2;

-- name: listing_tracks
SELECT substr(artist, 1, 1024), substr(track_name, 1, 1024), sum(n) AS t, min(local_date),
    max(local_date), artist, track_name
    FROM plays GROUP BY artist, track_name
    HAVING t >= ?1 ORDER BY t DESC, artist, track_name LIMIT ?2;

-- name: count_albums
-- how many albums (tracks) have at least ?1 counted scrobbles
SELECT count(*) FROM (SELECT 1 FROM plays WHERE album_name <> ''
    GROUP BY artist, album_name HAVING sum(n) >= ?1);

-- name: count_tracks
SELECT count(*) FROM (SELECT 1 FROM plays GROUP BY artist, track_name HAVING sum(n) >= ?1);

-- ---- a month's page, ?1: 'YYYY-MM' (local) ----

-- name: month_artists
SELECT artist, count(*) AS n FROM scrobbles
    WHERE counted AND local_date BETWEEN ?1 || '-01' AND ?1 || '-31'
    GROUP BY artist ORDER BY n DESC, artist LIMIT 10;

-- name: month_albums
SELECT substr(album_name, 1, 1024), substr(artist, 1, 1024), count(*) AS n FROM scrobbles
    WHERE counted AND local_date BETWEEN ?1 || '-01' AND ?1 || '-31' AND album_name <> ''
    GROUP BY 2, 1 ORDER BY n DESC, 2, 1 LIMIT 10;

-- name: month_tracks
SELECT substr(track_name, 1, 1024), substr(artist, 1, 1024), count(*) AS n FROM scrobbles
    WHERE counted AND local_date BETWEEN ?1 || '-01' AND ?1 || '-31'
    GROUP BY 2, 1 ORDER BY n DESC, 2, 1 LIMIT 10;

-- name: month_scrobbles
-- every counted scrobble of the month in time order: its local date and time
-- (HH:MM), artist, track, album
SELECT local_date, substr(played_at_local, 12, 5), substr(artist, 1, 1024),
    substr(track_name, 1, 1024), substr(album_name, 1, 1024)
    FROM scrobbles WHERE counted AND local_date BETWEEN ?1 || '-01' AND ?1 || '-31'
    ORDER BY uts, seq DESC;

-- ---- an album's or a track's page, ?1: the artist, ?2: the name as stored ----

-- name: album_days
SELECT local_date, sum(n) FROM plays
    WHERE artist = ?1 AND album_name = ?2 GROUP BY local_date ORDER BY local_date;

-- name: album_punch
SELECT local_weekday, local_hour, sum(n) FROM plays
    WHERE artist = ?1 AND album_name = ?2 GROUP BY 1, 2;

-- name: album_parts
-- its tracks: name, scrobbles, first and last local date
SELECT substr(track_name, 1, 1024), sum(n) AS t, min(local_date), max(local_date)
    FROM plays WHERE artist = ?1 AND album_name = ?2
    GROUP BY track_name ORDER BY t DESC, track_name;

-- name: track_days
SELECT local_date, sum(n) FROM plays
    WHERE artist = ?1 AND track_name = ?2 GROUP BY local_date ORDER BY local_date;

-- name: track_punch
SELECT local_weekday, local_hour, sum(n) FROM plays
    WHERE artist = ?1 AND track_name = ?2 GROUP BY 1, 2;

-- name: track_parts
-- the albums it was scrobbled from ('' : none given)
SELECT substr(album_name, 1, 1024), sum(n) AS t, min(local_date), max(local_date)
    FROM plays WHERE artist = ?1 AND track_name = ?2
    GROUP BY album_name ORDER BY t DESC, album_name;

-- ---- an artist's page, ?1: the artist ----

-- name: artist_albums
-- all its albums and tracks: name, scrobbles, first and last local date
SELECT substr(album_name, 1, 1024), count(*) AS n, min(local_date), max(local_date)
    FROM scrobbles WHERE counted AND artist = ?1 AND album_name <> ''
    GROUP BY album_name ORDER BY n DESC, album_name;

-- name: artist_tracks
SELECT substr(track_name, 1, 1024), count(*) AS n, min(local_date), max(local_date)
    FROM scrobbles WHERE counted AND artist = ?1
    GROUP BY track_name ORDER BY n DESC, track_name;

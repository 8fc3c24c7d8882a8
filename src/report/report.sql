-- report.sql: the report's SQL, as named statements (embedded at build time as
-- src/report/report_sql.h; report_stmt() prepares one by its name).  A
-- statement runs from its "-- name:" line to the next.  The database is opened
-- read-only: what several pages share is made once, by "setup", into temp
-- tables.  Names are cut to the report's 1024 bytes (REPORT_NAME_MAX; the
-- database keeps them whole and cuts only what is longer than that).

-- name: open
-- temp tables on disk and a bounded page cache (20 MB: the temp tables of a
-- 146k history fit, and the album and track pages read them in cache)
PRAGMA temp_store = FILE;
PRAGMA cache_size = -20000;
PRAGMA soft_heap_limit = 50331648;

-- name: meta
SELECT key, value FROM meta;

-- name: quality
SELECT rule, description, rows FROM quality ORDER BY rowid;

-- name: excludes
-- the exclude file's rules (LASTFM_EXCLUDE): where, what, the rows each matched
SELECT 'line ' || line || ': ' || kind, CASE kind WHEN 'artist' THEN a
    WHEN 'album' THEN a || ' ' || char(8212) || ' ' || b ELSE a || ' to ' || b END, rows
    FROM excludes ORDER BY line;

-- name: genre_years
-- genres over time: the database's yearly_tags (every counted scrobble once,
-- under its artist's primary tag; '' for none), by year and tag
SELECT local_year, substr(tag, 1, 1024), scrobbles FROM yearly_tags ORDER BY local_year, tag;

-- name: genre_setup
-- each genre's artists: counted scrobbles of each artist (after the alias
-- file) under each primary tag, for the genres' pages
CREATE TEMP TABLE tag_artist AS SELECT p.tag AS tag, s.artist AS artist, count(*) AS n
    FROM scrobbles AS s JOIN artist_primary_tag AS p ON p.artist_name = s.artist_name
    WHERE s.counted GROUP BY 1, 2;
CREATE INDEX temp.tag_artist_by_tag ON tag_artist (tag, n);

-- name: genre_top
-- the genres with the most counted scrobbles over the whole history (ties by
-- name): the heatmap's (10) and those with a page (30, REPORT_TAG_PAGES)
SELECT substr(tag, 1, 1024), sum(scrobbles) AS n FROM yearly_tags WHERE tag <> ''
    GROUP BY tag ORDER BY n DESC, tag LIMIT 30;

-- name: tag_artists
-- a genre's artists (those whose primary tag it is), the most played first,
-- ranked (ties share a rank); ?1 the tag, ?2 how many
SELECT substr(artist, 1, 1024), n, rank() OVER (ORDER BY n DESC) FROM tag_artist
    WHERE tag = ?1 ORDER BY n DESC, artist LIMIT ?2;

-- name: tag_artist_count
SELECT count(*) FROM tag_artist WHERE tag = ?1;

-- name: genre_totals
-- scrobbles with and without a primary tag, the genres, whether a tags CSV was read
SELECT coalesce(sum(CASE WHEN tag <> '' THEN scrobbles END), 0),
       coalesce(sum(CASE WHEN tag = '' THEN scrobbles END), 0),
       (SELECT count(DISTINCT tag) FROM yearly_tags WHERE tag <> ''),
       coalesce((SELECT value <> '-' FROM meta WHERE key = 'tags_input_sha256'), 0)
FROM yearly_tags;

-- name: days
SELECT local_date, scrobbles FROM daily ORDER BY local_date;

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

-- name: name_variants
-- the counted artists whose names differ only by case or diacritics (the
-- processed stage's view), the most played first in each group
SELECT fold, substr(artist, 1, 1024), scrobbles FROM name_variants;

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
-- the month's top 10: name, [artist,] scrobbles, rank (rank(): ties share one,
-- the rank rule of every page)
SELECT artist, n, rank() OVER (ORDER BY n DESC) FROM (SELECT artist, count(*) AS n
    FROM scrobbles WHERE counted AND local_date BETWEEN ?1 || '-01' AND ?1 || '-31'
    GROUP BY artist) ORDER BY n DESC, artist LIMIT 10;

-- name: month_albums
SELECT b, a, n, rank() OVER (ORDER BY n DESC) FROM (SELECT substr(album_name, 1, 1024) AS b,
    substr(artist, 1, 1024) AS a, count(*) AS n FROM scrobbles
    WHERE counted AND local_date BETWEEN ?1 || '-01' AND ?1 || '-31' AND album_name <> ''
    GROUP BY 2, 1) ORDER BY n DESC, a, b LIMIT 10;

-- name: month_tracks
SELECT t, a, n, rank() OVER (ORDER BY n DESC) FROM (SELECT substr(track_name, 1, 1024) AS t,
    substr(artist, 1, 1024) AS a, count(*) AS n FROM scrobbles
    WHERE counted AND local_date BETWEEN ?1 || '-01' AND ?1 || '-31'
    GROUP BY 2, 1) ORDER BY n DESC, a, t LIMIT 10;

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

-- name: artist_links
-- the artists with a page: at least ?1 counted scrobbles, the 5000 most
-- played (REPORT_ARTIST_PAGES_MAX), with their all-time rank (ties share one)
SELECT artist, t, k FROM (SELECT artist, t, rank() OVER (ORDER BY t DESC) AS k
    FROM (SELECT artist, sum(n) AS t FROM year_artist GROUP BY artist))
    WHERE t >= ?1 ORDER BY t DESC, artist LIMIT 5000;

-- name: artist_qualifying
-- how many artists have at least ?1 counted scrobbles (pages or not)
SELECT count(*) FROM (SELECT sum(n) AS t FROM year_artist GROUP BY artist) WHERE t >= ?1;

-- name: artist_days
-- its active days (the index counted_by_artist holds local_date,
-- local_weekday and local_hour: no table read)
SELECT local_date, count(*) FROM scrobbles WHERE counted AND artist = ?1
    GROUP BY local_date ORDER BY local_date;

-- name: artist_years
-- its years: scrobbles, rank among the year's artists
SELECT local_year, n, k FROM year_rank WHERE artist = ?1 ORDER BY local_year;

-- name: artist_punch
SELECT local_weekday, local_hour, count(*) FROM scrobbles WHERE counted AND artist = ?1
    GROUP BY 1, 2;

-- name: artist_variants
-- the names the alias file merged into it (only when it is a canonical name),
-- the 20 most scrobbled (ARTIST_VARIANTS)
SELECT artist_name, count(*) AS n FROM scrobbles WHERE counted AND artist = ?1
    AND EXISTS (SELECT 1 FROM aliases WHERE canonical = ?1)
    GROUP BY artist_name ORDER BY n DESC, artist_name LIMIT 20;

-- name: artist_tags
-- its Last.fm tags (of every name scrobbled under it), the highest count
-- first, at most 20; ignored (on the ignore list, its own name), and the
-- primary tag of one of its names (what the genre charts count it as)
SELECT substr(t.tag, 1, 1024), max(t.count) AS c, min(t.ignored),
       max(EXISTS (SELECT 1 FROM artist_primary_tag AS p
                   WHERE p.artist_name = t.artist_name AND p.tag = t.tag))
    FROM artist_tags AS t
    WHERE t.artist_name IN (SELECT artist_name FROM scrobbles WHERE artist = ?1)
    GROUP BY t.tag ORDER BY c DESC, t.tag LIMIT 20;

-- ---- a year's page, ?1: the year ----

-- name: year_artists
-- the year's top 10 (YEAR_TOP): name, artist (NULL: an artist), scrobbles,
-- rank, and the rank the year before: 0 when it was not played then but in
-- an earlier year ("back"), -1 when this is its first year ("new")
SELECT a.artist, NULL, a.n, a.k, coalesce((SELECT p.k FROM year_rank AS p
    WHERE p.artist = a.artist AND p.local_year = a.local_year - 1),
    CASE WHEN EXISTS (SELECT 1 FROM year_rank AS e WHERE e.artist = a.artist
        AND e.local_year < a.local_year - 1) THEN 0 ELSE -1 END)
    FROM year_rank AS a WHERE a.local_year = ?1 AND a.k <= 10 ORDER BY a.k, a.artist;

-- name: year_albums
SELECT a.name, a.artist, a.n, a.k, coalesce((SELECT p.k FROM album_rank AS p
    WHERE p.artist = a.artist AND p.name = a.name AND p.local_year = a.local_year - 1),
    CASE WHEN EXISTS (SELECT 1 FROM album_rank AS e WHERE e.artist = a.artist
        AND e.name = a.name AND e.local_year < a.local_year - 1) THEN 0 ELSE -1 END)
    FROM album_rank AS a WHERE a.local_year = ?1 AND a.k <= 10 ORDER BY a.k, a.artist, a.name;

-- name: year_tracks
SELECT a.name, a.artist, a.n, a.k, coalesce((SELECT p.k FROM track_rank AS p
    WHERE p.artist = a.artist AND p.name = a.name AND p.local_year = a.local_year - 1),
    CASE WHEN EXISTS (SELECT 1 FROM track_rank AS e WHERE e.artist = a.artist
        AND e.name = a.name AND e.local_year < a.local_year - 1) THEN 0 ELSE -1 END)
    FROM track_rank AS a WHERE a.local_year = ?1 AND a.k <= 10 ORDER BY a.k, a.artist, a.name;

-- name: year_new
-- the artists whose first counted scrobble is in the year (?2 <= day < ?3),
-- by their scrobbles in it, the first 10
SELECT f.artist, f.first_local_date, y.n FROM firsts AS f JOIN year_rank AS y
    ON y.artist = f.artist AND y.local_year = ?1
    WHERE f.first_local_date >= ?2 AND f.first_local_date < ?3
    ORDER BY y.n DESC, f.artist LIMIT 10;

-- ---- the index ----

-- name: index_years
-- the years: scrobbles, active days, artists and new artists
SELECT y.local_year, y.n, coalesce(d.days, 0), y.artists, coalesce(f.n, 0), ''
    FROM (SELECT local_year, sum(n) AS n, count(*) AS artists FROM year_artist GROUP BY 1) AS y
    LEFT JOIN (SELECT CAST(substr(local_date, 1, 4) AS INTEGER) AS local_year, count(*) AS days
        FROM daily GROUP BY 1) AS d USING (local_year)
    LEFT JOIN (SELECT CAST(substr(first_local_date, 1, 4) AS INTEGER) AS local_year,
        count(*) AS n FROM firsts GROUP BY 1) AS f USING (local_year) ORDER BY 1;

-- name: index_months
-- the months: scrobbles and new artists
SELECT m.local_month, m.n, coalesce(f.n, 0)
    FROM (SELECT substr(local_date, 1, 7) AS local_month, sum(scrobbles) AS n
        FROM daily GROUP BY 1) AS m
    LEFT JOIN (SELECT substr(first_local_date, 1, 7) AS local_month, count(*) AS n
        FROM firsts GROUP BY 1) AS f USING (local_month) ORDER BY 1;

-- name: top_artists
-- the all-time top 10 (REPORT_TOP) with their rank (ties share one); the count apart
SELECT artist, t, rank() OVER (ORDER BY t DESC) FROM (SELECT artist, sum(n) AS t
    FROM year_artist GROUP BY artist) ORDER BY t DESC, artist LIMIT 10;

-- name: count_artists
SELECT count(DISTINCT artist) FROM year_artist;

-- name: bump_artists
-- the rank heatmap's artists
SELECT artist FROM year_artist GROUP BY artist ORDER BY sum(n) DESC, artist LIMIT 10;

-- name: year_artist_all
-- every year's artists, most played first, with the year's rank (ties share one)
SELECT local_year, artist, n, k FROM year_rank ORDER BY local_year, k, artist;

-- name: new_share
-- each year's scrobbles of the artists first heard in it
SELECT p.local_year, sum(p.n) FROM year_artist AS p JOIN firsts AS f USING (artist)
    WHERE CAST(substr(f.first_local_date, 1, 4) AS INTEGER) = p.local_year GROUP BY 1;

-- name: punch
-- local and UTC weekday x hour in one scan (1970-01-01 was a Thursday)
SELECT local_year, local_weekday, local_hour, count(*), (uts / 86400 + 3) % 7 + 1,
    uts / 3600 % 24 FROM scrobbles WHERE counted AND uts >= 0 GROUP BY 1, 2, 3, 5, 6;

-- name: top_albums
-- the all-time top 10 albums (tracks) with their rank, their count apart, and
-- each year's top 5 (REPORT_TOP_YEAR) with the year's rank (ties share one)
SELECT name, artist, t, rank() OVER (ORDER BY t DESC) FROM (SELECT name, artist, sum(n) AS t
    FROM album_years GROUP BY artist, name) ORDER BY t DESC, artist, name LIMIT 10;

-- name: all_albums
SELECT count(*) FROM (SELECT 1 FROM album_years GROUP BY artist, name);

-- name: year_top_albums
SELECT local_year, name, artist, n, k FROM album_rank WHERE k <= 5
    ORDER BY local_year, k, artist, name;

-- name: top_tracks
SELECT name, artist, t, rank() OVER (ORDER BY t DESC) FROM (SELECT name, artist, sum(n) AS t
    FROM track_years GROUP BY artist, name) ORDER BY t DESC, artist, name LIMIT 10;

-- name: all_tracks
SELECT count(*) FROM (SELECT 1 FROM track_years GROUP BY artist, name);

-- name: year_top_tracks
SELECT local_year, name, artist, n, k FROM track_rank WHERE k <= 5
    ORDER BY local_year, k, artist, name;

-- name: sessions
SELECT CAST(substr(started_local, 1, 4) AS INTEGER) AS y, tracks, seconds FROM sessions
    ORDER BY y, seconds;

-- name: all_rows
-- every row and artist, counted or not
SELECT count(*), count(DISTINCT artist) FROM scrobbles;

-- name: eddington_all
-- the Eddington number over every row's local day
SELECT coalesce(max(k), 0) FROM (SELECT n, row_number() OVER (ORDER BY n DESC) AS k
    FROM (SELECT count(*) AS n FROM scrobbles GROUP BY local_date)) WHERE n >= k;

-- name: counted
SELECT count(*) FROM scrobbles WHERE counted;

-- process.sql: the processed stage's tables and views, as lastfm-process
-- creates them in DATA_DIR/processed/lastfm.sqlite.  These are the definitions
-- a user can read and run; the database keeps them too (sqlite3 lastfm.sqlite
-- .schema).  Time order is (uts, seq DESC): seq is the CSV's row number, and
-- the CSV is newest first, so within one second the API's order is kept.

-- Every interim row, with its local time, its flags and its session.  The
-- flags and sessions are filled by one pass in time order (src/rules.c); the
-- view `rules` below states them in SQL, and the tests check that both agree.
CREATE TABLE scrobbles (
    seq INTEGER PRIMARY KEY,      -- row number in the interim CSV (1 = newest)
    played_at_utc TEXT NOT NULL,  -- the nine CSV columns, as they are
    track_name TEXT NOT NULL, artist_name TEXT NOT NULL, album_name TEXT NOT NULL,
    track_mbid TEXT NOT NULL, artist_mbid TEXT NOT NULL, album_mbid TEXT NOT NULL,
    source_page INTEGER NOT NULL, source_file TEXT NOT NULL,
    uts INTEGER NOT NULL,         -- Unix seconds
    played_at_local TEXT NOT NULL,-- ISO 8601 with the UTC offset in force
    local_date TEXT NOT NULL, local_year INTEGER NOT NULL, local_month TEXT NOT NULL,
    local_hour INTEGER NOT NULL, local_weekday INTEGER NOT NULL,  -- 1 = Monday
    tz TEXT NOT NULL,             -- the zone in force
    artist TEXT NOT NULL,         -- artist_name after the alias file
    session_id INTEGER,           -- NULL when not counted
    bad_time INTEGER NOT NULL, duplicate INTEGER NOT NULL, unknown_artist INTEGER NOT NULL,
    burst INTEGER NOT NULL,
    excluded INTEGER NOT NULL,    -- set aside by the exclude file (LASTFM_EXCLUDE)
    counted INTEGER NOT NULL      -- 1 unless a rule flags the row or the exclude file
);

-- LASTFM_ARTIST_ALIASES as it was read.
CREATE TABLE aliases (variant TEXT PRIMARY KEY, canonical TEXT NOT NULL);

-- LASTFM_EXCLUDE as it was read: each rule (its line in the file; kind
-- 'artist' a = the artist; 'album' a = the artist, b = the album; 'dates' a
-- and b = the first and last local date), and the rows it matched (a row is
-- counted under the first rule that matches it).
CREATE TABLE excludes (line INTEGER PRIMARY KEY, kind TEXT NOT NULL, a TEXT NOT NULL, b TEXT,
                       rows INTEGER NOT NULL);

-- What the data was made from: input, settings, program, time (key, value).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- The quality ledger: each rule, the rows it flags, and a few of them.
CREATE TABLE quality (rule TEXT PRIMARY KEY, description TEXT NOT NULL, rows INTEGER NOT NULL,
                      examples TEXT NOT NULL);

-- The quality rules and the sessions in SQL, by their definitions (the
-- settings from meta).  SELECT count(*) FROM rules JOIN scrobbles USING (seq)
-- WHERE rules.counted <> scrobbles.counted ... finds no row.
-- A blank artist: only spaces (Unicode's White_Space), zero-width characters
-- or Hangul fillers, the list trim() below is given.
CREATE VIEW rules (seq, bad_time, duplicate, unknown_artist, burst, excluded, counted,
                   session_id) AS
WITH settings AS (
    SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'judged_at_uts') AS judged_at,
           (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'duplicate_window_seconds')
               AS window,
           (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'burst_limit') AS burst_limit
), timed AS (
    SELECT seq, uts, artist_name, artist, album_name, local_date,
           lag(uts) OVER t AS prev_uts,
           track_name = lag(track_name) OVER t AND artist_name = lag(artist_name) OVER t
               AND album_name = lag(album_name) OVER t AS same_as_prev
    FROM scrobbles
    WINDOW t AS (ORDER BY uts, seq DESC)
), flagged AS (
    SELECT seq, uts,
           (uts < 1033430400 OR uts > judged_at) AS bad_time,
           coalesce(uts - prev_uts <= window AND same_as_prev, 0) AS duplicate,
           lower(trim(artist_name, char(9, 10, 11, 12, 13, 32, 133, 160, 4447, 4448, 5760,
                                           6158, 8192, 8193, 8194, 8195, 8196, 8197, 8198,
                                           8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232,
                                           8233, 8239, 8287, 8288, 12288, 12644, 65279,
                                           65440)))
               IN ('', '[unknown]', 'unknown artist') AS unknown_artist,
           EXISTS (SELECT 1 FROM excludes AS e WHERE (e.kind = 'artist' AND e.a = artist)
                   OR (e.kind = 'album' AND e.a = artist AND e.b = album_name)
                   OR (e.kind = 'dates' AND local_date BETWEEN e.a AND e.b)) AS excluded
    FROM timed, settings
), plays AS (
    -- bursts: the plays (neither bad_time nor duplicate) within 59 s either side
    SELECT seq, count(*) OVER (ORDER BY uts RANGE BETWEEN 59 PRECEDING AND 59 FOLLOWING)
               AS near
    FROM flagged WHERE NOT bad_time AND NOT duplicate
), bursts AS (
    SELECT flagged.*, coalesce(burst_limit > 0 AND near > burst_limit, 0) AS burst
    FROM flagged LEFT JOIN plays USING (seq), settings
), counted AS (
    SELECT *, NOT (bad_time OR duplicate OR unknown_artist OR burst OR excluded) AS counted
    FROM bursts
), gaps AS (
    SELECT *, max(CASE WHEN counted THEN uts END)
                  OVER (ORDER BY uts, seq DESC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_counted_uts
    FROM counted
), starts AS (
    SELECT *, (counted AND (prev_counted_uts IS NULL OR uts - prev_counted_uts > 1800))
                  AS starts_session
    FROM gaps
)
SELECT seq, bad_time, duplicate, unknown_artist, burst, excluded, counted,
       CASE WHEN counted THEN sum(starts_session) OVER (ORDER BY uts, seq DESC
                                                        ROWS UNBOUNDED PRECEDING) END
FROM starts;

-- Counted scrobbles per local date (days without any are absent).
CREATE VIEW daily (local_date, scrobbles) AS
SELECT local_date, count(*) FROM scrobbles WHERE counted GROUP BY local_date;

-- The first counted listen of each artist over the whole history: the local
-- date of its earliest scrobble (SQLite takes local_date from the row that
-- holds min(uts); rows of one second share their local date), and its counted
-- scrobbles.
CREATE VIEW artist_firsts (artist, first_local_date, scrobbles) AS
SELECT artist, first_local_date, scrobbles FROM (
    SELECT artist, local_date AS first_local_date, count(*) AS scrobbles, min(uts) AS first_uts
    FROM scrobbles WHERE counted GROUP BY artist);

CREATE VIEW monthly (local_month, scrobbles, new_artists) AS
SELECT m.local_month, m.n, coalesce(f.n, 0)
FROM (SELECT substr(local_date, 1, 7) AS local_month, count(*) AS n FROM scrobbles
      WHERE counted GROUP BY 1) AS m
LEFT JOIN (SELECT substr(first_local_date, 1, 7) AS local_month, count(*) AS n
           FROM artist_firsts GROUP BY 1) AS f USING (local_month);

-- top_artist: the most counted scrobbles that year; a tie goes to the name
-- that sorts first.
CREATE VIEW yearly (local_year, scrobbles, active_days, artists, new_artists, top_artist) AS
WITH per_artist AS (
    SELECT local_year, artist, count(*) AS n FROM scrobbles WHERE counted
    GROUP BY local_year, artist
), ranked AS (
    SELECT local_year, artist, n,
           row_number() OVER (PARTITION BY local_year ORDER BY n DESC, artist) AS k
    FROM per_artist
)
SELECT y.local_year, y.n, d.days, y.artists, coalesce(f.n, 0), t.artist
FROM (SELECT local_year, sum(n) AS n, count(*) AS artists FROM per_artist
      GROUP BY local_year) AS y
JOIN (SELECT CAST(substr(local_date, 1, 4) AS INTEGER) AS local_year, count(*) AS days
      FROM daily GROUP BY 1) AS d USING (local_year)
LEFT JOIN (SELECT CAST(substr(first_local_date, 1, 4) AS INTEGER) AS local_year, count(*) AS n
           FROM artist_firsts GROUP BY 1) AS f USING (local_year)
LEFT JOIN (SELECT local_year, artist FROM ranked WHERE k = 1) AS t USING (local_year);

-- Hour x weekday in local time (ISO weekday: 1 = Monday).
CREATE VIEW punchcard (local_weekday, local_hour, scrobbles) AS
SELECT local_weekday, local_hour, count(*) FROM scrobbles WHERE counted
GROUP BY local_weekday, local_hour;

-- Sessions: started and ended are the first and last scrobble's local times
-- (time order: uts, then seq descending); seconds is the time between them.
CREATE VIEW sessions (session_id, started_local, ended_local, tracks, seconds) AS
SELECT g.session_id,
       (SELECT played_at_local FROM scrobbles AS s WHERE s.counted AND s.session_id = g.session_id
        ORDER BY s.uts, s.seq DESC LIMIT 1),
       (SELECT played_at_local FROM scrobbles AS s WHERE s.counted AND s.session_id = g.session_id
        ORDER BY s.uts DESC, s.seq LIMIT 1),
       g.tracks, g.last_uts - g.first_uts
FROM (SELECT session_id, count(*) AS tracks, min(uts) AS first_uts, max(uts) AS last_uts
      FROM scrobbles WHERE counted GROUP BY session_id) AS g;

-- Runs of consecutive local dates with a counted scrobble.
CREATE VIEW streaks (start_date, end_date, days) AS
SELECT min(local_date), max(local_date), count(*) FROM (
    SELECT local_date, julianday(local_date) - row_number() OVER (ORDER BY local_date) AS run
    FROM daily)
GROUP BY run;

-- The largest n such that n local days have at least n counted scrobbles.
CREATE VIEW eddington (n) AS
SELECT coalesce(max(k), 0) FROM (
    SELECT scrobbles, row_number() OVER (ORDER BY scrobbles DESC) AS k FROM daily)
WHERE scrobbles >= k;

-- Each artist's name folded for comparison (case and diacritics dropped:
-- src/shared/namefold.h), written by the processed stage: "IDLES" and
-- "Idles", "Motörhead" and "Motorhead" fold the same.
CREATE TABLE artist_folds (artist TEXT PRIMARY KEY, fold TEXT NOT NULL);

-- Counted artists whose names differ only by case or diacritics, the most
-- played first in each group: candidates for the alias file (nothing is
-- merged without it).
CREATE VIEW name_variants (fold, artist, scrobbles) AS
WITH a AS (SELECT artist, count(*) AS n FROM scrobbles WHERE counted GROUP BY artist),
f AS (SELECT a.artist, a.n, artist_folds.fold FROM a JOIN artist_folds USING (artist))
SELECT fold, artist, n FROM f
WHERE fold IN (SELECT fold FROM f GROUP BY fold HAVING count(*) > 1)
ORDER BY fold, n DESC, artist;

-- The artists' tags, as the tags CSV has them (lastfm-syncd's artist.getTopTags
-- answers, interim/lastfm_artist_tags_interim.csv; empty when there is none).
CREATE TABLE artist_tag_rows (artist_name TEXT NOT NULL, tag_name TEXT NOT NULL,
                              count INTEGER NOT NULL, rank INTEGER NOT NULL);
-- Tags that are not genres (LASTFM_TAG_IGNORE or the built-in etc/tag-ignore),
-- lower-cased and trimmed.
CREATE TABLE tag_ignore (tag TEXT PRIMARY KEY) WITHOUT ROWID;

-- @after-rows: what follows runs once every row is in (an index is built
-- faster once than kept up to date row by row).

-- Partial indexes over the counted rows: each view below reads one of them
-- instead of the whole table.  Each ends in `counted` so that a query that
-- names it (WHERE counted) reads the index alone, never the table (SQLite
-- takes an index as covering only when it holds every column named).
CREATE INDEX counted_by_date ON scrobbles (local_date, counted) WHERE counted;
CREATE INDEX counted_by_artist ON scrobbles (artist, local_year, uts, local_date, local_weekday,
                                            local_hour, counted) WHERE counted;
CREATE INDEX counted_by_session ON scrobbles (session_id, uts, seq, played_at_local, counted)
    WHERE counted;


-- Each artist's tags compared lower-cased (ASCII letters) and trimmed: "Rock"
-- and "rock " are one tag, with the higher count and the first rank of the
-- two.  ignored: the tag is in tag_ignore, or is the artist's own name.
CREATE TABLE artist_tags (artist_name TEXT NOT NULL, tag TEXT NOT NULL, count INTEGER NOT NULL,
                          rank INTEGER NOT NULL, ignored INTEGER NOT NULL,
                          PRIMARY KEY (artist_name, tag)) WITHOUT ROWID;
INSERT INTO artist_tags
SELECT artist_name, tag, max(count), min(rank),
       tag IN (SELECT tag FROM tag_ignore) OR tag = lower(trim(artist_name))
FROM (SELECT artist_name, lower(trim(tag_name)) AS tag, count, rank FROM artist_tag_rows)
WHERE tag <> ''
GROUP BY artist_name, tag;

-- An artist's primary tag: its highest-count tag not ignored, a tie going to
-- the tag that sorts first.  An artist without one is absent.
CREATE TABLE artist_primary_tag (artist_name TEXT PRIMARY KEY, tag TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO artist_primary_tag
SELECT artist_name, tag FROM (
    SELECT artist_name, tag,
           row_number() OVER (PARTITION BY artist_name ORDER BY count DESC, tag) AS n
    FROM artist_tags WHERE NOT ignored)
WHERE n = 1;

-- Genres over time: every counted scrobble once, under its artist's primary
-- tag (by artist_name, the name Last.fm was asked about), or under '' when
-- the artist has none (no answer yet, unknown to Last.fm, or only ignored
-- tags).
CREATE VIEW yearly_tags (local_year, tag, scrobbles) AS
SELECT s.local_year, coalesce(p.tag, ''), count(*)
FROM scrobbles AS s LEFT JOIN artist_primary_tag AS p ON p.artist_name = s.artist_name
WHERE s.counted
GROUP BY 1, 2;

-- Server social (issue 15): leaderboards, /whoknows, crowns, /compat and server charts.
-- Only members who opted in for a server appear in it; guild_visibility mirrors that choice (the
-- privacy store) so queries can join it. The member_* tables below are per-member totals kept up to
-- date in the same transaction as the plays they count (src/store/history/historyRepository.ts),
-- so a leaderboard or a /whoknows reads a few rows per member instead of a year of rollups.
-- All of them are personal data: /unlink erases them with the plays.

-- Up Migration

CREATE TABLE guild_visibility (
  guild_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  PRIMARY KEY (guild_id, member_id)
);
CREATE INDEX guild_visibility_member ON guild_visibility (member_id);

-- All time per member: plays and ms (as member_daily counts them) and how many artists they played.
CREATE TABLE member_totals (
  member_id TEXT PRIMARY KEY,
  plays BIGINT NOT NULL,
  ms BIGINT NOT NULL,
  artists INTEGER NOT NULL
);

-- All time per member and artist, as member_daily_artists counts them. first_day is when the member
-- discovered the artist; last_day when they last played it.
CREATE TABLE member_artist_totals (
  member_id TEXT NOT NULL,
  artist_id TEXT NOT NULL REFERENCES artists (id),
  plays INTEGER NOT NULL,
  ms BIGINT NOT NULL,
  first_day DATE NOT NULL,
  last_day DATE NOT NULL,
  PRIMARY KEY (member_id, artist_id)
);
-- /whoknows artist and crowns: an artist's listeners, most plays first.
CREATE INDEX member_artist_totals_artist ON member_artist_totals (artist_id, plays DESC) INCLUDE (member_id, ms);
-- A member's favourites (/compat, taste profiles) without visiting every artist they ever played.
CREATE INDEX member_artist_totals_member ON member_artist_totals (member_id, plays DESC) INCLUDE (artist_id, ms);

-- How many of a member's artists were first (and last) played on each day: "discoveries in the last
-- N days" is the sum of firsts over those days and "distinct artists in the last N days" the sum of
-- lasts (an artist played in the window has its last play in it, the window ending today), a few
-- hundred rows per member instead of every artist of every day.
CREATE TABLE member_artist_days (
  member_id TEXT NOT NULL,
  day DATE NOT NULL,
  firsts INTEGER NOT NULL,
  lasts INTEGER NOT NULL,
  PRIMARY KEY (member_id, day)
);
CREATE INDEX member_artist_days_day ON member_artist_days (day, member_id) INCLUDE (firsts, lasts);
-- The same lasts per calendar month: a year's distinct artists add up about a dozen months and the
-- days at either end instead of 365 days per member.
CREATE TABLE member_artist_months (
  member_id TEXT NOT NULL,
  month DATE NOT NULL,
  lasts INTEGER NOT NULL,
  PRIMARY KEY (member_id, month)
);
CREATE INDEX member_artist_months_month ON member_artist_months (month, member_id) INCLUDE (lasts);

CREATE TABLE member_track_totals (
  member_id TEXT NOT NULL,
  track_id TEXT NOT NULL REFERENCES tracks (id),
  plays INTEGER NOT NULL,
  ms BIGINT NOT NULL,
  PRIMARY KEY (member_id, track_id)
);
CREATE INDEX member_track_totals_track ON member_track_totals (track_id, plays DESC) INCLUDE (member_id, ms);

-- All time per member and parent genre (and 'unclassified'), as member_daily_genres counts them.
CREATE TABLE member_genre_totals (
  member_id TEXT NOT NULL,
  genre TEXT NOT NULL,
  plays INTEGER NOT NULL,
  ms BIGINT NOT NULL,
  PRIMARY KEY (member_id, genre)
);
CREATE INDEX member_genre_totals_genre ON member_genre_totals (genre, plays DESC) INCLUDE (member_id, ms);

-- Running sums per member up to and including `day` (one row per day with plays): plays, ms,
-- discoveries and listening time per genre ({"rock": ms, …}). Any window of a member's listening is
-- the row at its end minus the row just before it: two index probes per member, so a year's
-- leaderboard costs what a week's does.
CREATE TABLE member_cumulative (
  member_id TEXT NOT NULL,
  day DATE NOT NULL,
  plays BIGINT NOT NULL,
  ms BIGINT NOT NULL,
  firsts INTEGER NOT NULL,
  genre_ms JSONB NOT NULL,
  PRIMARY KEY (member_id, day)
);

-- The opted-in member with the most plays of an artist in a server (at least the server's
-- threshold) holds its crown; a tie keeps the holder.
CREATE TABLE crowns (
  guild_id TEXT NOT NULL,
  artist_id TEXT NOT NULL REFERENCES artists (id),
  holder_id TEXT NOT NULL,
  plays INTEGER NOT NULL,
  since TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (guild_id, artist_id)
);
CREATE INDEX crowns_holder ON crowns (guild_id, holder_id);

-- Crowns changing hands, for the weekly digest's highlights. from_id is null for a first claim.
CREATE TABLE crown_events (
  id BIGSERIAL PRIMARY KEY,
  guild_id TEXT NOT NULL,
  artist_id TEXT NOT NULL REFERENCES artists (id),
  from_id TEXT,
  to_id TEXT NOT NULL,
  plays INTEGER NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX crown_events_guild_at ON crown_events (guild_id, at);
CREATE INDEX crown_events_from ON crown_events (from_id);
CREATE INDEX crown_events_to ON crown_events (to_id);

-- Backfill begin: the totals of the history stored before this release (the bench runs the same).
INSERT INTO member_artist_totals (member_id, artist_id, plays, ms, first_day, last_day)
SELECT member_id, artist_id, sum(plays), sum(ms), min(day), max(day)
FROM member_daily_artists GROUP BY member_id, artist_id;

INSERT INTO member_totals (member_id, plays, ms, artists)
SELECT d.member_id, d.plays, d.ms, coalesce(a.artists, 0)
FROM (SELECT member_id, sum(plays) AS plays, sum(ms) AS ms FROM member_daily GROUP BY member_id) d
LEFT JOIN (SELECT member_id, count(*) AS artists FROM member_artist_totals GROUP BY member_id) a USING (member_id);

INSERT INTO member_artist_days (member_id, day, firsts, lasts)
SELECT member_id, day, sum(firsts), sum(lasts)
FROM (
  SELECT member_id, first_day AS day, 1 AS firsts, 0 AS lasts FROM member_artist_totals
  UNION ALL
  SELECT member_id, last_day AS day, 0 AS firsts, 1 AS lasts FROM member_artist_totals
) marks
GROUP BY member_id, day;

INSERT INTO member_artist_months (member_id, month, lasts)
SELECT member_id, date_trunc('month', last_day)::date, count(*)
FROM member_artist_totals GROUP BY 1, 2;

INSERT INTO member_track_totals (member_id, track_id, plays, ms)
SELECT member_id, track_id, count(*), coalesce(sum(ms_played), 0)
FROM plays GROUP BY member_id, track_id;

INSERT INTO member_genre_totals (member_id, genre, plays, ms)
SELECT member_id, genre, sum(plays), sum(ms)
FROM member_daily_genres GROUP BY member_id, genre;

-- Each genre's running sum on every day the member played anything (a genre not played that day
-- carries its sum forward), gathered into one object per day.
INSERT INTO member_cumulative (member_id, day, plays, ms, firsts, genre_ms)
SELECT d.member_id, d.day, d.plays, d.ms, d.firsts, coalesce(g.genre_ms, '{}'::jsonb)
FROM (
  SELECT d.member_id, d.day,
    sum(d.plays) OVER w AS plays, sum(d.ms) OVER w AS ms, sum(coalesce(a.firsts, 0)) OVER w AS firsts
  FROM member_daily d LEFT JOIN member_artist_days a ON a.member_id = d.member_id AND a.day = d.day
  WINDOW w AS (PARTITION BY d.member_id ORDER BY d.day)
) d
LEFT JOIN (
  SELECT member_id, day, jsonb_object_agg(genre, ms) FILTER (WHERE ms > 0) AS genre_ms
  FROM (
    SELECT d.member_id, d.day, genres.genre,
      sum(coalesce(r.ms, 0)) OVER (PARTITION BY d.member_id, genres.genre ORDER BY d.day) AS ms
    FROM member_daily d
    JOIN (SELECT DISTINCT member_id, genre FROM member_daily_genres) genres ON genres.member_id = d.member_id
    LEFT JOIN member_daily_genres r ON r.member_id = d.member_id AND r.day = d.day AND r.genre = genres.genre
  ) running
  GROUP BY member_id, day
) g ON g.member_id = d.member_id AND g.day = d.day;
-- Backfill end

-- Down Migration

DROP TABLE crown_events;
DROP TABLE crowns;
DROP TABLE member_cumulative;
DROP TABLE member_genre_totals;
DROP TABLE member_track_totals;
DROP TABLE member_artist_months;
DROP TABLE member_artist_days;
DROP TABLE member_artist_totals;
DROP TABLE member_totals;
DROP TABLE guild_visibility;

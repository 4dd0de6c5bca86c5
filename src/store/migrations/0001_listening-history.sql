-- Listening history (issue 13). Plays are facts about a member; tracks, artists and albums are a
-- shared catalogue (not personal data). Times are UTC instants (timestamptz); Discord ids are text.
-- Rollups are per member per UTC day, kept up to date in the same transaction as the plays they
-- count, so leaderboards and digests read a few rows per member instead of every play.

-- Up Migration

-- Catalogue ids are Spotify ids, or a stable synthetic id starting with "name:" for what an
-- import knows only by name (Account data exports carry no URIs).
CREATE TABLE artists (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE albums (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  release_date TEXT
);

CREATE TABLE tracks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  album_id TEXT REFERENCES albums (id),
  duration_ms INTEGER,
  isrc TEXT
);
CREATE INDEX tracks_isrc ON tracks (isrc) WHERE isrc IS NOT NULL;

-- Credits in order: position 0 is the main artist.
CREATE TABLE track_artists (
  track_id TEXT NOT NULL REFERENCES tracks (id),
  position SMALLINT NOT NULL,
  artist_id TEXT NOT NULL REFERENCES artists (id),
  PRIMARY KEY (track_id, position)
);
CREATE INDEX track_artists_artist ON track_artists (artist_id);

-- One row per listen. (member_id, played_at) is the dedup key: overlapping polls, retries and two
-- instances insert with ON CONFLICT DO NOTHING. played_at is when the play ended, as Spotify's
-- recently-played and the extended export's `ts` both say. ms_played is null when unknown;
-- ms_estimated marks the track duration standing in for it (recently-played has no ms_played).
CREATE TABLE plays (
  member_id TEXT NOT NULL,
  played_at TIMESTAMPTZ NOT NULL,
  track_id TEXT NOT NULL REFERENCES tracks (id),
  ms_played INTEGER,
  ms_estimated BOOLEAN NOT NULL DEFAULT FALSE,
  source TEXT NOT NULL CHECK (source IN ('collected', 'imported')),
  context_uri TEXT,
  PRIMARY KEY (member_id, played_at)
);
-- "Who played track T / artist A" (whoknows, suggestions) go through the track.
CREATE INDEX plays_track ON plays (track_id);

-- Per member per UTC day. The primary keys serve "member M over period P" (a range scan per
-- member); the (day, …) indexes serve "every member (or a set S) over period P" for leaderboards.
CREATE TABLE member_daily (
  member_id TEXT NOT NULL,
  day DATE NOT NULL,
  plays INTEGER NOT NULL,
  ms BIGINT NOT NULL,
  PRIMARY KEY (member_id, day)
);
CREATE INDEX member_daily_day ON member_daily (day, member_id) INCLUDE (plays, ms);

-- Every credited artist of a play counts one play (and the play's ms) for that artist.
CREATE TABLE member_daily_artists (
  member_id TEXT NOT NULL,
  day DATE NOT NULL,
  artist_id TEXT NOT NULL REFERENCES artists (id),
  plays INTEGER NOT NULL,
  ms BIGINT NOT NULL,
  PRIMARY KEY (member_id, day, artist_id)
);
CREATE INDEX member_daily_artists_day ON member_daily_artists (day, artist_id) INCLUDE (member_id, plays, ms);

-- A play counts once, for its track's primary parent genre (src/core/genres), or "unclassified":
-- per day these add up to member_daily.plays.
CREATE TABLE member_daily_genres (
  member_id TEXT NOT NULL,
  day DATE NOT NULL,
  genre TEXT NOT NULL,
  plays INTEGER NOT NULL,
  ms BIGINT NOT NULL,
  PRIMARY KEY (member_id, day, genre)
);
CREATE INDEX member_daily_genres_day ON member_daily_genres (day, genre) INCLUDE (member_id, plays, ms);

-- The collector's state per member: the after= cursor (newest played_at collected, Unix ms, as
-- Spotify's cursors are), when to poll next (so a restart continues the cadence), and what the
-- cadence rule reads.
CREATE TABLE collector_state (
  member_id TEXT PRIMARY KEY,
  cursor_ms BIGINT,
  next_poll_at TIMESTAMPTZ NOT NULL,
  last_poll_at TIMESTAMPTZ,
  last_count INTEGER,
  last_play_at TIMESTAMPTZ,
  failures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX collector_state_due ON collector_state (next_poll_at);

-- Intervals in which plays may be missing: a full page whose oldest play was newer than the cursor.
CREATE TABLE history_gaps (
  member_id TEXT NOT NULL,
  gap_from TIMESTAMPTZ NOT NULL,
  gap_to TIMESTAMPTZ NOT NULL,
  detected_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (member_id, gap_from)
);

-- Down Migration

DROP TABLE history_gaps;
DROP TABLE collector_state;
DROP TABLE member_daily_genres;
DROP TABLE member_daily_artists;
DROP TABLE member_daily;
DROP TABLE plays;
DROP TABLE track_artists;
DROP TABLE tracks;
DROP TABLE albums;
DROP TABLE artists;

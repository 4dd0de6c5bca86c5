-- One artist, one track, whatever the source (issue 23). ListenBrainz and Last.fm name what they
-- play and often give MusicBrainz ids (MBIDs); Spotify gives its own ids; exports give names. An
-- identity is resolved by alias, MBID, ISRC, Spotify id, then normalised names
-- (src/store/catalogue), and when the catalogue learns that a `name:` identity is a known Spotify
-- one, the `name:` one is merged away: its id becomes an alias, so a later play under it lands on
-- the survivor.

-- Up Migration

-- matchKey's normalisation (norm in src/core/history/exportRecords.ts), the one SQL copy of it:
-- sqlNorm (src/store/catalogue/norm.ts) calls this function. IMMUTABLE so that generated columns
-- and indexes may use it; a one-expression SQL function is inlined into the queries that call it.
CREATE FUNCTION catalogue_norm(s TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(regexp_replace(btrim(normalize(s, NFKC)), '\s+', ' ', 'g')) $$;

-- Generated: every writer (collector, import, benches) gets it right without knowing about it.
ALTER TABLE artists
  ADD COLUMN mbid TEXT,
  ADD COLUMN name_key TEXT GENERATED ALWAYS AS (catalogue_norm(name)) STORED;
CREATE INDEX artists_name_key ON artists (name_key);
CREATE INDEX artists_mbid ON artists (mbid) WHERE mbid IS NOT NULL;

-- match_key is the main artist's normalised name, chr(31), the normalised title: it spans two
-- tables, so the credits' trigger below fills it when a track's main artist is written.
ALTER TABLE tracks
  ADD COLUMN mbid TEXT,
  ADD COLUMN match_key TEXT;
CREATE INDEX tracks_match_key ON tracks (match_key);
CREATE INDEX tracks_mbid ON tracks (mbid) WHERE mbid IS NOT NULL;

UPDATE tracks t SET match_key = catalogue_norm(a.name) || chr(31) || catalogue_norm(t.name)
FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
WHERE ta.track_id = t.id AND ta.position = 0;

CREATE FUNCTION tracks_fill_match_key() RETURNS TRIGGER
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tracks t SET match_key = catalogue_norm(a.name) || chr(31) || catalogue_norm(t.name)
  FROM new_credits c JOIN artists a ON a.id = c.artist_id
  WHERE c.position = 0 AND t.id = c.track_id
    AND t.match_key IS DISTINCT FROM catalogue_norm(a.name) || chr(31) || catalogue_norm(t.name);
  RETURN NULL;
END $$;
-- Once per statement, over the rows it inserted: an import adds its credits in one statement.
CREATE TRIGGER track_artists_match_key AFTER INSERT ON track_artists
  REFERENCING NEW TABLE AS new_credits FOR EACH STATEMENT EXECUTE FUNCTION tracks_fill_match_key();

-- Ids merged away (always `name:` ids) and the identity they now stand for. The survivor is never
-- an alias itself: a merge re-points the aliases of what it merges.
CREATE TABLE artist_aliases (
  alias_id TEXT PRIMARY KEY,
  artist_id TEXT NOT NULL REFERENCES artists (id)
);
CREATE INDEX artist_aliases_artist ON artist_aliases (artist_id);

CREATE TABLE track_aliases (
  alias_id TEXT PRIMARY KEY,
  track_id TEXT NOT NULL REFERENCES tracks (id)
);
CREATE INDEX track_aliases_track ON track_aliases (track_id);

-- Merging moves every row of a merged artist; these lookups would otherwise scan.
CREATE INDEX crown_events_artist ON crown_events (artist_id);
CREATE INDEX suggestion_dismissed_artists_artist ON suggestion_dismissed_artists (artist_id);

ALTER TABLE plays DROP CONSTRAINT plays_source_check;
ALTER TABLE plays ADD CONSTRAINT plays_source_check
  CHECK (source IN ('collected', 'imported', 'listenbrainz', 'lastfm'));

-- Down Migration

-- Refuses (the CHECK fails) while listens from those sources are stored: deleting them here would
-- leave the rollups counting plays that are gone.
ALTER TABLE plays DROP CONSTRAINT plays_source_check;
ALTER TABLE plays ADD CONSTRAINT plays_source_check CHECK (source IN ('collected', 'imported'));
DROP INDEX suggestion_dismissed_artists_artist;
DROP INDEX crown_events_artist;
DROP TABLE track_aliases;
DROP TABLE artist_aliases;
DROP TRIGGER track_artists_match_key ON track_artists;
DROP FUNCTION tracks_fill_match_key();
ALTER TABLE tracks DROP COLUMN match_key, DROP COLUMN mbid;
ALTER TABLE artists DROP COLUMN name_key, DROP COLUMN mbid;
DROP FUNCTION catalogue_norm(TEXT);

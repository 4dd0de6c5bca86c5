-- Import speed (issue 24): the two foreign keys a history import checks once per row become
-- checks once per statement. A 300,000-play import spent more time in the per-row checks of
-- plays.track_id (300,000 of them) and member_daily_artists.artist_id (one per artist-day) than in
-- writing the rows. The triggers below keep what the foreign keys promised, with the same locks:
-- - a row written must name an existing track (artist): checked when the statement ends, after
--   locking the rows it names FOR KEY SHARE, so a concurrent merge's DELETE of that track waits
--   for the writer to commit, then fails on its referenced rows, as with the foreign key;
-- - a track (artist) still referenced cannot be deleted, nor its id changed.
-- Rows written by UPDATE (a merge moving plays to another track) are checked row by row, as before.

-- Up Migration

CREATE FUNCTION catalogue_refs_check(kind TEXT, missing TEXT) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert or update violates foreign key: % "%" does not exist', kind, missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
END $$;

CREATE FUNCTION plays_tracks_exist() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  missing TEXT;
BEGIN
  PERFORM 1 FROM tracks t WHERE t.id IN (SELECT DISTINCT track_id FROM new_plays) ORDER BY t.id FOR KEY SHARE OF t;
  SELECT n.track_id INTO missing FROM (SELECT DISTINCT track_id FROM new_plays) n
  WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = n.track_id) LIMIT 1;
  PERFORM catalogue_refs_check('track', missing);
  RETURN NULL;
END $$;

CREATE FUNCTION plays_track_exists() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM tracks WHERE id = NEW.track_id FOR KEY SHARE;
  IF NOT FOUND THEN
    PERFORM catalogue_refs_check('track', NEW.track_id);
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION daily_artists_exist() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  missing TEXT;
BEGIN
  PERFORM 1 FROM artists a WHERE a.id IN (SELECT DISTINCT artist_id FROM new_rows) ORDER BY a.id FOR KEY SHARE OF a;
  SELECT n.artist_id INTO missing FROM (SELECT DISTINCT artist_id FROM new_rows) n
  WHERE NOT EXISTS (SELECT 1 FROM artists a WHERE a.id = n.artist_id) LIMIT 1;
  PERFORM catalogue_refs_check('artist', missing);
  RETURN NULL;
END $$;

CREATE FUNCTION daily_artist_exists() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM artists WHERE id = NEW.artist_id FOR KEY SHARE;
  IF NOT FOUND THEN
    PERFORM catalogue_refs_check('artist', NEW.artist_id);
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION tracks_unreferenced() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  referenced TEXT;
BEGIN
  SELECT o.id INTO referenced FROM old_tracks o
  WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = o.id)
    AND EXISTS (SELECT 1 FROM plays p WHERE p.track_id = o.id) LIMIT 1;
  IF referenced IS NOT NULL THEN
    RAISE EXCEPTION 'delete on tracks violates foreign key: track "%" is still referenced from plays', referenced
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION artists_unreferenced() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  referenced TEXT;
BEGIN
  SELECT o.id INTO referenced FROM old_artists o
  WHERE NOT EXISTS (SELECT 1 FROM artists a WHERE a.id = o.id)
    AND EXISTS (SELECT 1 FROM member_daily_artists d WHERE d.artist_id = o.id) LIMIT 1;
  IF referenced IS NOT NULL THEN
    RAISE EXCEPTION 'delete on artists violates foreign key: artist "%" is still referenced from member_daily_artists', referenced
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION catalogue_id_unchanged() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the id of a % is never changed', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
END $$;

ALTER TABLE plays DROP CONSTRAINT plays_track_id_fkey;
CREATE TRIGGER plays_tracks_exist AFTER INSERT ON plays
  REFERENCING NEW TABLE AS new_plays FOR EACH STATEMENT EXECUTE FUNCTION plays_tracks_exist();
CREATE TRIGGER plays_track_exists BEFORE UPDATE OF track_id ON plays
  FOR EACH ROW WHEN (OLD.track_id IS DISTINCT FROM NEW.track_id) EXECUTE FUNCTION plays_track_exists();

ALTER TABLE member_daily_artists DROP CONSTRAINT member_daily_artists_artist_id_fkey;
CREATE TRIGGER daily_artists_exist AFTER INSERT ON member_daily_artists
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_artists_exist();
CREATE TRIGGER daily_artist_exists BEFORE UPDATE OF artist_id ON member_daily_artists
  FOR EACH ROW WHEN (OLD.artist_id IS DISTINCT FROM NEW.artist_id) EXECUTE FUNCTION daily_artist_exists();

CREATE TRIGGER tracks_unreferenced AFTER DELETE ON tracks
  REFERENCING OLD TABLE AS old_tracks FOR EACH STATEMENT EXECUTE FUNCTION tracks_unreferenced();
CREATE TRIGGER tracks_id_unchanged BEFORE UPDATE OF id ON tracks
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION catalogue_id_unchanged();
CREATE TRIGGER artists_unreferenced AFTER DELETE ON artists
  REFERENCING OLD TABLE AS old_artists FOR EACH STATEMENT EXECUTE FUNCTION artists_unreferenced();
CREATE TRIGGER artists_id_unchanged BEFORE UPDATE OF id ON artists
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION catalogue_id_unchanged();

-- Down Migration

DROP TRIGGER artists_id_unchanged ON artists;
DROP TRIGGER artists_unreferenced ON artists;
DROP TRIGGER tracks_id_unchanged ON tracks;
DROP TRIGGER tracks_unreferenced ON tracks;
DROP TRIGGER daily_artist_exists ON member_daily_artists;
DROP TRIGGER daily_artists_exist ON member_daily_artists;
ALTER TABLE member_daily_artists ADD CONSTRAINT member_daily_artists_artist_id_fkey
  FOREIGN KEY (artist_id) REFERENCES artists (id);
DROP TRIGGER plays_track_exists ON plays;
DROP TRIGGER plays_tracks_exist ON plays;
ALTER TABLE plays ADD CONSTRAINT plays_track_id_fkey FOREIGN KEY (track_id) REFERENCES tracks (id);
DROP FUNCTION catalogue_id_unchanged();
DROP FUNCTION artists_unreferenced();
DROP FUNCTION tracks_unreferenced();
DROP FUNCTION daily_artist_exists();
DROP FUNCTION daily_artists_exist();
DROP FUNCTION plays_track_exists();
DROP FUNCTION plays_tracks_exist();
DROP FUNCTION catalogue_refs_check(TEXT, TEXT);

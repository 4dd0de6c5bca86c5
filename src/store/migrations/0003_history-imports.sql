-- Full-history imports (issue 13): one row per upload that was imported, so the member (and
-- /unlink) can see what came from their Spotify export. The plays themselves go to `plays` with
-- source 'imported'. Nothing here stores the export's IP addresses, user agents or usernames.

-- Up Migration

CREATE TABLE history_imports (
  id BIGSERIAL PRIMARY KEY,
  member_id TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  files INTEGER NOT NULL,
  -- Music plays of 30 s or more read from the files, and how many of them were new.
  plays_read INTEGER NOT NULL,
  plays_imported INTEGER NOT NULL,
  -- Podcast episodes and audiobooks, counted apart (not stored as music).
  podcasts INTEGER NOT NULL,
  first_play TIMESTAMPTZ,
  last_play TIMESTAMPTZ
);
CREATE INDEX history_imports_member ON history_imports (member_id);

-- Down Migration

DROP TABLE history_imports;

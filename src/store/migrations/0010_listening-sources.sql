-- Listening sources beyond Spotify (issue 23). source_links: which ListenBrainz or Last.fm account a
-- Discord member connected (only the public user name: never a token). One account belongs to one
-- member: the unique index on the lower-cased name, as both services treat names without case.
-- source_sync: where the backfill (reading backwards) and the poll (reading forwards) stand for each
-- link; it goes with its link. Both are personal data: /unlink erases them.

-- Up Migration

CREATE TABLE source_links (
  member_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('listenbrainz', 'lastfm')),
  user_name TEXT NOT NULL,
  linked_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (member_id, source)
);
CREATE UNIQUE INDEX source_links_account ON source_links (source, lower(user_name));

-- Times the sources page by are Unix ms (BIGINT), as the port carries them; the others are instants.
-- user_name is the account this progress belongs to: a step that finishes after the member switched
-- accounts must not write the old account's progress over the new one's.
CREATE TABLE source_sync (
  member_id TEXT NOT NULL,
  source TEXT NOT NULL,
  user_name TEXT NOT NULL,
  backfill_before_ms BIGINT,
  backfill_done BOOLEAN NOT NULL DEFAULT FALSE,
  listens_read BIGINT NOT NULL DEFAULT 0,
  listens_total BIGINT,
  cursor_ms BIGINT,
  next_poll_at TIMESTAMPTZ NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'private', 'not-found')),
  last_failure TEXT,
  -- Backfill pace, for the progress DM's "about N minutes left": when it started, pages read, and
  -- where the last progress report stood.
  backfill_started_at TIMESTAMPTZ,
  pages INTEGER NOT NULL DEFAULT 0,
  progress_at TIMESTAMPTZ,
  progress_read BIGINT,
  progress_pages INTEGER,
  PRIMARY KEY (member_id, source),
  FOREIGN KEY (member_id, source) REFERENCES source_links (member_id, source) ON DELETE CASCADE
);
CREATE INDEX source_sync_due ON source_sync (next_poll_at) WHERE status = 'ok';

-- Down Migration

DROP TABLE source_sync;
DROP TABLE source_links;

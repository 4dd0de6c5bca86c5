-- Suggestion feedback (issue 16): what a member told Encore about its suggestions. Personal data,
-- erased by /unlink. Spotify responses the suggestions reuse (an artist's albums, an album's
-- tracks, a genre search) are shared catalogue facts kept in keyv namespaces with a TTL, not here.

-- Up Migration

-- 👎: the artist is never suggested to this member again.
CREATE TABLE suggestion_dismissed_artists (
  member_id TEXT NOT NULL,
  artist_id TEXT NOT NULL,
  dismissed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, artist_id)
);

-- 👍 per source ('server', 'newRelease', 'deepCut', 'genre'): the more likes, the more that source weighs.
CREATE TABLE suggestion_source_likes (
  member_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('server', 'newRelease', 'deepCut', 'genre')),
  likes INTEGER NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, source)
);

-- Down Migration

DROP TABLE suggestion_source_likes;
DROP TABLE suggestion_dismissed_artists;

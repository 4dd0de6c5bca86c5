-- Cover art for the /chart grids (issue 25). Spotify's track and album objects carry the album's
-- images (CDN URLs that outlive a play); ListenBrainz gives a release MBID, whose front cover the
-- Cover Art Archive serves. Both are catalogue facts, shared, not personal data. An artist tile
-- shows the artist's own image when one is known (image_url), else the cover of their most played
-- album. Filled when a play is stored; a URL learnt later fills an empty one.

-- Up Migration

ALTER TABLE albums
  ADD COLUMN image_url TEXT,
  ADD COLUMN mbid TEXT;

ALTER TABLE artists
  ADD COLUMN image_url TEXT;

-- Down Migration

ALTER TABLE artists DROP COLUMN image_url;
ALTER TABLE albums DROP COLUMN mbid, DROP COLUMN image_url;

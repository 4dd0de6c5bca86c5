-- /whoknows autocomplete hands out `#<md5 of the id>` for ids that do not fit a choice value
-- (longer than 99 characters, or not printable ASCII: pickKey in src/app/social/social.ts). A
-- submitted key, stale or forged, must be an index probe, not a hash of every row the server played.
-- Partial: only the ids that get such keys are indexed, so imports pay for few rows.

-- Up Migration

CREATE INDEX artists_hashed_pick_key ON artists (md5(id)) WHERE octet_length(id) > 99 OR id ~ '[^!-~]';
CREATE INDEX tracks_hashed_pick_key ON tracks (md5(id)) WHERE octet_length(id) > 99 OR id ~ '[^!-~]';

-- Down Migration

DROP INDEX tracks_hashed_pick_key;
DROP INDEX artists_hashed_pick_key;

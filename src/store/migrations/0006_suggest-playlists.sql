-- Suggestions (issue 16): what /suggest answered (its buttons act on it), the weekly "Encore Radar"
-- playlist a member turned on, and a server's monthly "Sounds of <server>" playlist. Answers and
-- radars are personal data; a server playlist names the admin whose Spotify account holds it, and
-- /unlink of that admin removes it (its months go with it).

-- Up Migration

-- One /suggest answer. `suggestions` is what the member saw, in order (uri, track id, artist ids,
-- the source that produced it). A save sets save_started_at first and playlist_id as soon as Spotify
-- created the playlist, so a second click or a retry never makes a second one. Answers older than a
-- day are pruned: their buttons have outlived any reason to press them.
CREATE TABLE suggest_answers (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  guild_id TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  suggestions JSONB NOT NULL,
  liked INTEGER[] NOT NULL DEFAULT '{}',
  dismissed INTEGER[] NOT NULL DEFAULT '{}',
  save_started_at TIMESTAMPTZ,
  playlist_id TEXT,
  saved_at TIMESTAMPTZ
);
CREATE INDEX suggest_answers_member ON suggest_answers (member_id);
CREATE INDEX suggest_answers_created ON suggest_answers (created_at);

-- A member's weekly radar: one playlist in their account whose items are replaced in place each
-- week. last_refreshed_week (the UTC Monday of the week) is written by a conditional UPDATE, which
-- is what makes a week's refresh happen once across instances and restarts.
CREATE TABLE radar_playlists (
  member_id TEXT PRIMARY KEY,
  guild_id TEXT,
  enabled BOOLEAN NOT NULL,
  enabled_at TIMESTAMPTZ NOT NULL,
  playlist_id TEXT,
  track_uris TEXT[] NOT NULL DEFAULT '{}',
  last_refreshed_week DATE,
  refreshed_at TIMESTAMPTZ
);
CREATE INDEX radar_playlists_enabled ON radar_playlists (last_refreshed_week) WHERE enabled;

-- A server's monthly playlist, in the account of the admin who turned it on.
CREATE TABLE server_playlists (
  guild_id TEXT PRIMARY KEY,
  owner_member_id TEXT NOT NULL,
  enabled BOOLEAN NOT NULL,
  enabled_at TIMESTAMPTZ NOT NULL,
  playlist_id TEXT
);
CREATE INDEX server_playlists_owner ON server_playlists (owner_member_id);

-- One row per server and month refreshed ('YYYY-MM', UTC): inserted once (ON CONFLICT DO NOTHING),
-- so two instances never refresh or announce a month twice. `announced` says where it was told.
CREATE TABLE server_playlist_months (
  guild_id TEXT NOT NULL REFERENCES server_playlists (guild_id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  playlist_id TEXT NOT NULL,
  tracks INTEGER NOT NULL,
  members INTEGER NOT NULL,
  refreshed_at TIMESTAMPTZ NOT NULL,
  announced TEXT,
  PRIMARY KEY (guild_id, month)
);

-- Down Migration

DROP TABLE server_playlist_months;
DROP TABLE server_playlists;
DROP TABLE radar_playlists;
DROP TABLE suggest_answers;

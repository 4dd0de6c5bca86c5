-- Linked Roles (issue 26): a member's Discord OAuth2 grant (scopes role_connections.write identify)
-- and the metadata values Discord holds for them. grant_sealed is the grant encrypted like Spotify's
-- tokens (AES-256-GCM, the key id beside it: src/store/accounts/tokenCipher.ts); last_pushed is what
-- was last sent, so the refresh job pushes only on change. Personal data: /unlink erases the row.

-- Up Migration

CREATE TABLE linked_role_connections (
  member_id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  grant_sealed JSONB NOT NULL,
  connected_at TIMESTAMPTZ NOT NULL,
  last_pushed JSONB,
  pushed_at TIMESTAMPTZ
);

-- Down Migration

DROP TABLE linked_role_connections;

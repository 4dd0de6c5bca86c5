-- A member's own settings (/settings): personal data, erased by /unlink with everything else.
-- The time zone is an IANA name validated by Intl before it is stored; no row means the default.

-- Up Migration

CREATE TABLE member_settings (
  member_id TEXT PRIMARY KEY,
  timezone TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE member_settings;

-- Membership as part of visibility (issue 21): a member who opted in for a server and then left it
-- is taken off everything the server sees (their opt-in is withdrawn from the privacy store and the
-- mirror), and remembered here so that rejoining gives it back. guild_member_checks is where the
-- periodic membership sweep left off: the members it asked Discord about longest ago come first.
-- Both are personal data: /unlink erases them.

-- Up Migration

CREATE TABLE guild_departures (
  guild_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  left_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (guild_id, member_id)
);
CREATE INDEX guild_departures_member ON guild_departures (member_id);

CREATE TABLE guild_member_checks (
  guild_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  checked_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (guild_id, member_id)
);
CREATE INDEX guild_member_checks_member ON guild_member_checks (member_id);

-- Down Migration

DROP TABLE guild_member_checks;
DROP TABLE guild_departures;

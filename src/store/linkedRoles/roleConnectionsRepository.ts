import type pg from 'pg';
import type {
  DiscordGrant,
  RoleConnection,
  RoleConnectionsRepository,
  RoleConnectStateRecord,
  RoleFiguresReader,
} from '../../app/linkedRoles/ports.js';
import { utcMonthStart, type RoleMetadataValues } from '../../core/linkedRoles.js';
import type { Sealed, TokenCipher } from '../accounts/tokenCipher.js';
import { singleUseRecords } from '../accounts/singleUse.js';
import type { Store } from '../index.js';

interface Row {
  member_id: string;
  username: string;
  grant_sealed: Sealed;
  connected_at: Date;
  last_pushed: RoleMetadataValues | null;
  pushed_at: Date | null;
}

/** Linked Roles connections (linked_role_connections), the grant sealed with the same cipher as Spotify's tokens. */
export function createRoleConnectionsRepository(store: Store, cipher: TokenCipher): RoleConnectionsRepository {
  const pool = store.pool;
  const states = singleUseRecords<RoleConnectStateRecord>(store, 'linked-role-states');
  const fromRow = (r: Row): RoleConnection => ({
    discordUserId: r.member_id,
    username: r.username,
    grant: JSON.parse(cipher.open(r.grant_sealed)) as DiscordGrant,
    connectedAt: r.connected_at.getTime(),
    ...(r.last_pushed ? { lastPushed: r.last_pushed } : {}),
    ...(r.pushed_at ? { pushedAt: r.pushed_at.getTime() } : {}),
  });
  return {
    async get(id) {
      const { rows } = await pool.query<Row>('SELECT * FROM linked_role_connections WHERE member_id = $1', [id]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async save(c) {
      await pool.query(
        `INSERT INTO linked_role_connections (member_id, username, grant_sealed, connected_at, last_pushed, pushed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (member_id) DO UPDATE SET username = EXCLUDED.username, grant_sealed = EXCLUDED.grant_sealed,
           last_pushed = EXCLUDED.last_pushed, pushed_at = EXCLUDED.pushed_at`,
        [
          c.discordUserId,
          c.username,
          JSON.stringify(cipher.seal(JSON.stringify(c.grant))),
          new Date(c.connectedAt),
          c.lastPushed ? JSON.stringify(c.lastPushed) : null,
          c.pushedAt !== undefined ? new Date(c.pushedAt) : null,
        ],
      );
    },
    async markPushed(id, values, at) {
      await pool.query('UPDATE linked_role_connections SET last_pushed = $2, pushed_at = $3 WHERE member_id = $1', [
        id,
        JSON.stringify(values),
        new Date(at),
      ]);
    },
    async listMembers() {
      const { rows } = await pool.query<{ member_id: string }>(
        'SELECT member_id FROM linked_role_connections ORDER BY pushed_at NULLS FIRST, member_id',
      );
      return rows.map((r) => r.member_id);
    },
    async delete(id) {
      const result = await pool.query('DELETE FROM linked_role_connections WHERE member_id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },
    saveState: (state, record, expiresAt) => states.put(state, record, expiresAt),
    consumeState: (state, now) => states.take(state, now),
  };
}

/**
 * The figures from the history rollups (this UTC month's ms), the crowns (the most held in one
 * server) and the ListenBrainz/Last.fm links; `spotifyLinkedAt` adds the Spotify link, kept in keyv.
 */
export function createRoleFiguresReader(
  pool: pg.Pool,
  spotifyLinkedAt: (discordUserId: string) => Promise<number | undefined>,
): RoleFiguresReader {
  return {
    async figuresOf(id, now) {
      const monthStart = new Date(utcMonthStart(now)).toISOString().slice(0, 10);
      const { rows } = await pool.query<{ ms: string | null; crowns: number | null; sources_at: Date | null }>(
        `SELECT (SELECT sum(ms) FROM member_daily WHERE member_id = $1 AND day >= $2::date)::text AS ms,
                (SELECT max(n) FROM (SELECT count(*)::int AS n FROM crowns WHERE holder_id = $1 GROUP BY guild_id) g) AS crowns,
                (SELECT min(linked_at) FROM source_links WHERE member_id = $1) AS sources_at`,
        [id, monthStart],
      );
      const row = rows[0]!;
      const spotifyAt = await spotifyLinkedAt(id);
      const candidates = [spotifyAt, row.sources_at?.getTime()].filter((t): t is number => t !== undefined);
      return {
        msThisMonth: Number(row.ms ?? 0),
        crowns: row.crowns ?? 0,
        ...(candidates.length ? { linkedSince: Math.min(...candidates) } : {}),
      };
    },
  };
}

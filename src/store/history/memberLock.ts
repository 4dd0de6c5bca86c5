import type pg from 'pg';

/**
 * Serialises every writer of one member's rollups (polls, imports, a genre rebuild) until the
 * transaction ends: adding deltas commutes, but a rebuild that recounts from the plays must not
 * interleave with a delta.
 */
export async function lockMember(db: Pick<pg.PoolClient, 'query'>, memberId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('encore:history'), hashtext($1))`, [memberId]);
}

import type { Store } from '../index.js';
import { KEYV_TABLE } from '../schema.js';

/**
 * Records that may be used once and expire: one-time link tokens and OAuth states.
 *
 * keyv's own delete is a SELECT followed by a DELETE, so two requests racing with the same token
 * could both see it. `take` is a single `DELETE … RETURNING`: Postgres lets exactly one caller
 * remove the row, so a replay can never win twice. Rows use keyv's layout (`ns:key`,
 * `{"value","expires"}`) so the store's other tools (expiry, listing) keep working on them.
 */
export interface SingleUseRecords<T extends { discordUserId: string }> {
  put(key: string, record: T, expiresAt: number): Promise<void>;
  /** The record without using it up; undefined when unknown, already taken, or expired at `now`. */
  peek(key: string, now: number): Promise<T | undefined>;
  /** The record, once; undefined when unknown, already taken, or expired at `now`. */
  take(key: string, now: number): Promise<T | undefined>;
  /** Deletes every pending record of the member; how many there were. */
  deleteFor(discordUserId: string): Promise<number>;
}

export function singleUseRecords<T extends { discordUserId: string }>(
  store: Store,
  namespace: string,
): SingleUseRecords<T> {
  const keyOf = (key: string) => `${namespace}:${key}`;
  const unexpired = (row: { value: string } | undefined, now: number): T | undefined => {
    if (!row) return undefined;
    const { value, expires } = JSON.parse(row.value) as { value: T; expires?: number };
    return typeof expires === 'number' && expires <= now ? undefined : value;
  };
  return {
    async put(key, record, expiresAt) {
      await store.pool.query(
        `INSERT INTO ${KEYV_TABLE} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [keyOf(key), JSON.stringify({ value: record, expires: expiresAt })],
      );
    },
    async peek(key, now) {
      const { rows } = await store.pool.query<{ value: string }>(`SELECT value FROM ${KEYV_TABLE} WHERE key = $1`, [
        keyOf(key),
      ]);
      return unexpired(rows[0], now);
    },
    async take(key, now) {
      const { rows } = await store.pool.query<{ value: string }>(
        `DELETE FROM ${KEYV_TABLE} WHERE key = $1 RETURNING value`,
        [keyOf(key)],
      );
      return unexpired(rows[0], now);
    },
    async deleteFor(discordUserId) {
      const result = await store.pool.query(
        `DELETE FROM ${KEYV_TABLE} WHERE key LIKE $1 AND (value::jsonb -> 'value' ->> 'discordUserId') = $2`,
        [`${namespace}:%`, discordUserId],
      );
      return result.rowCount ?? 0;
    },
  };
}

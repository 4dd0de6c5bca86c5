import type pg from 'pg';

const TABLE = 'spotify_rate_slots';
/**
 * A row's next start further ahead of a caller's clock than this means a clock that went back (a
 * fast-forwarded sandbox run, a skewed host): the caller starts over from its own now. Callers only
 * reserve within a second of their now, in batches of a quarter second, so on synchronised clocks
 * the row is never this far ahead.
 */
const CLOCK_BACK_MS = 5_000;
/** A shared pause further ahead than this is taken for clock skew too (rate-limit Retry-Afters are seconds). */
const LONGEST_PAUSE_MS = 3_600_000;
/** Processes that reserved within this window count as sharing the rate. */
const HOLDER_WINDOW_MS = 600_000;

/**
 * The shared request-start slots the Spotify gateway's pacer asks for (the `SharedRateStore` port of
 * src/spotify/sharedRate.ts, matched by shape: the store does not import the Spotify adapter).
 * One row per app; each reservation is one statement under the row's lock.
 */
export function createSharedRateLimit(pool: pg.Pool) {
  const created = new Map<string, Promise<unknown>>();
  const ensure = (bucket: string, now: number) => {
    let done = created.get(bucket);
    if (!done) {
      done = pool
        .query(`INSERT INTO ${TABLE} (bucket, next_at) VALUES ($1, $2::float8) ON CONFLICT (bucket) DO NOTHING`, [
          bucket,
          now,
        ])
        .catch((error: unknown) => {
          created.delete(bucket);
          throw error;
        });
      created.set(bucket, done);
    }
    return done;
  };
  return {
    /**
     * Reserves `count` starts `intervalMs` apart, the first at the row's next free start or `now`,
     * whichever is later, unless that is more than `horizonMs` away: then nothing is reserved and
     * `first` says when to ask again.
     */
    async reserve(request: {
      bucket: string;
      holder: string;
      count: number;
      intervalMs: number;
      now: number;
      horizonMs: number;
    }): Promise<{ first: number; granted: boolean; sharers: number }> {
      const { bucket, holder, count, intervalMs, now, horizonMs } = request;
      for (let attempt = 0; ; attempt++) {
        await ensure(bucket, now);
        // FOR UPDATE in the CTE: racing processes queue on the row and each reads the one before's result.
        const { rows } = await pool.query<{ first: number; granted: boolean; sharers: number }>(
          `WITH cur AS (
           SELECT bucket, holders,
                  greatest(CASE WHEN next_at > $2::float8 + ${CLOCK_BACK_MS} THEN $2::float8 ELSE next_at END,
                           CASE WHEN paused_until > $2::float8 + ${LONGEST_PAUSE_MS} THEN $2::float8 ELSE paused_until END,
                           $2::float8) AS first
             FROM ${TABLE} WHERE bucket = $1 FOR UPDATE
         ), decided AS (
           SELECT bucket, first, first <= $2::float8 + $5::float8 AS granted,
                  (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
                     FROM jsonb_each(cur.holders || jsonb_build_object($6::text, $2::float8))
                    WHERE value::text::double precision > $2::float8 - ${HOLDER_WINDOW_MS}) AS holders
             FROM cur
         )
         UPDATE ${TABLE} s
            SET next_at = CASE WHEN d.granted THEN d.first + $3::int * $4::float8 ELSE s.next_at END,
                holders = d.holders
           FROM decided d
          WHERE s.bucket = d.bucket
         RETURNING d.first, d.granted, (SELECT count(*) FROM jsonb_object_keys(d.holders))::int AS sharers`,
          [bucket, now, count, intervalMs, horizonMs, holder],
        );
        const row = rows[0];
        if (row) return { first: Number(row.first), granted: row.granted, sharers: row.sharers };
        // The row went away (the unlogged table is emptied by a Postgres crash): create it again.
        created.delete(bucket);
        if (attempt > 0) throw new Error(`the shared rate row ${bucket} cannot be created`);
      }
    },

    /** Nobody starts before `until` (Spotify answered 429 with Retry-After); a shorter pause never shortens a longer one. */
    async pause(bucket: string, until: number): Promise<void> {
      await ensure(bucket, until);
      await pool.query(`UPDATE ${TABLE} SET paused_until = greatest(paused_until, $2::float8) WHERE bucket = $1`, [
        bucket,
        until,
      ]);
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { pollUntil } from '../support/waitUntil.js';

let db: TestDatabase;
let store: Store;
const { log } = captureLogger('warn');

beforeAll(async () => {
  db = await createTestDatabase();
  store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log });
  await store.pool.query(`INSERT INTO artists (id, name) VALUES ('a1', 'Artist'), ('a2', 'Other')`);
  await store.pool.query(`INSERT INTO tracks (id, name) VALUES ('t1', 'Song'), ('t2', 'Other song')`);
  await store.pool.query(`INSERT INTO track_artists (track_id, position, artist_id) VALUES ('t1', 0, 'a1')`);
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const play = (member: string, at: string, track: string) =>
  store.pool.query(
    `INSERT INTO plays (member_id, played_at, track_id, ms_played, source) VALUES ($1, $2, $3, 200000, 'imported')`,
    [member, at, track],
  );
const artistDay = (member: string, artist: string) =>
  store.pool.query(
    `INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms) VALUES ($1, '2025-01-01', $2, 1, 1000)`,
    [member, artist],
  );
const count = async (sql: string) => Number((await store.pool.query<{ n: string }>(sql)).rows[0]!.n);

// Migration 0014 checks these references once per statement instead of with foreign keys.
describe('plays and artist-days refer to catalogue rows that exist', () => {
  it('refuses a whole statement of plays when one names an unknown track, and stores the others otherwise', async () => {
    await expect(
      store.pool.query(
        `INSERT INTO plays (member_id, played_at, track_id, ms_played, source)
         VALUES ('m1', '2025-01-01T10:00:00Z', 't1', 1, 'imported'), ('m1', '2025-01-01T10:05:00Z', 'nope', 1, 'imported')`,
      ),
    ).rejects.toMatchObject({ code: '23503' });
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = 'm1'`)).toBe(0);
    await play('m1', '2025-01-01T10:00:00Z', 't1');
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = 'm1'`)).toBe(1);
  });

  it('refuses moving a play onto an unknown track', async () => {
    await play('m2', '2025-01-02T10:00:00Z', 't1');
    await expect(store.pool.query(`UPDATE plays SET track_id = 'nope' WHERE member_id = 'm2'`)).rejects.toMatchObject({
      code: '23503',
    });
    await store.pool.query(`UPDATE plays SET track_id = 't2' WHERE member_id = 'm2'`);
    expect((await store.pool.query(`SELECT track_id FROM plays WHERE member_id = 'm2'`)).rows).toEqual([
      { track_id: 't2' },
    ]);
  });

  it('refuses an artist-day of an unknown artist', async () => {
    await expect(artistDay('m3', 'nope')).rejects.toMatchObject({ code: '23503' });
    await artistDay('m3', 'a1');
    expect(await count(`SELECT count(*) AS n FROM member_daily_artists WHERE member_id = 'm3'`)).toBe(1);
  });

  it('keeps a track or an artist that is still referenced, and deletes one that is not', async () => {
    await play('m4', '2025-01-03T10:00:00Z', 't1');
    await artistDay('m4', 'a2');
    await expect(store.pool.query(`DELETE FROM tracks WHERE id = 't1'`)).rejects.toMatchObject({ code: '23503' });
    await expect(store.pool.query(`DELETE FROM artists WHERE id = 'a2'`)).rejects.toMatchObject({ code: '23503' });
    await expect(store.pool.query(`UPDATE tracks SET id = 't9' WHERE id = 't2'`)).rejects.toMatchObject({
      code: '23503',
    });
    await store.pool.query(`DELETE FROM member_daily_artists WHERE artist_id = 'a2'`);
    await store.pool.query(`DELETE FROM artists WHERE id = 'a2'`);
    expect(await count(`SELECT count(*) AS n FROM artists WHERE id = 'a2'`)).toBe(0);
  });

  it('makes a delete of a track wait for a transaction still writing plays of it, then refuses it', async () => {
    await store.pool.query(`INSERT INTO tracks (id, name) VALUES ('t3', 'Third')`);
    const writer = await store.pool.connect();
    const deleter = await store.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO plays (member_id, played_at, track_id, ms_played, source) VALUES ('m5', '2025-01-04T10:00:00Z', 't3', 1, 'imported')`,
      );
      const { rows } = await deleter.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
      const deleting = deleter.query(`DELETE FROM tracks WHERE id = 't3'`).then(
        () => 'deleted',
        (error: { code?: string }) => error.code,
      );
      // The writer's plays lock the track as a foreign key's check would: the delete waits on it.
      const waited = await pollUntil(
        async () =>
          (
            await store.pool.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [
              rows[0]!.pid,
            ])
          ).rowCount === 1,
      );
      expect(waited).toBe(true);
      await writer.query('COMMIT');
      expect(await deleting).toBe('23503');
      expect(await count(`SELECT count(*) AS n FROM plays WHERE track_id = 't3'`)).toBe(1);
    } finally {
      writer.release();
      deleter.release();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createPersonalDataRegistry } from '../../src/app/accounts/personalData.js';
import {
  historyPersonalData,
  pollMember,
  reclassifyHistory,
  type CollectorDeps,
  type NewPlay,
} from '../../src/app/history/index.js';
import { NotLinkedError } from '../../src/core/errors.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const repo = () => createHistoryRepository(store().pool);
const T = Date.UTC(2026, 10, 20, 22);

const play = (i: number, overrides: Partial<NewPlay> = {}): NewPlay => ({
  playedAt: T + i * 200_000,
  track: {
    id: `t${i % 7}`,
    name: `Track ${i % 7}`,
    durationMs: 180_000,
    isrc: 'USAAA0000001',
    album: { id: `al${i % 3}`, name: 'Album', releaseDate: '2020-01-01' },
    artists: [{ id: `a${i % 5}`, name: `Artist ${i % 5}` }, ...(i % 4 === 0 ? [{ id: 'feat', name: 'Feat' }] : [])],
  },
  msPlayed: 180_000,
  msEstimated: true,
  source: 'collected',
  genre: i % 2 ? 'rock' : 'unclassified',
  ...overrides,
});
const plays = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => play(from + k));

async function rollups(memberId: string) {
  const q = async (sql: string) => (await store().pool.query(sql, [memberId])).rows[0] as Record<string, number>;
  return {
    daily: await q(
      `SELECT coalesce(sum(plays), 0)::int AS plays, coalesce(sum(ms), 0)::int AS ms FROM member_daily WHERE member_id = $1`,
    ),
    artists: await q(`SELECT coalesce(sum(plays), 0)::int AS plays FROM member_daily_artists WHERE member_id = $1`),
    genres: await q(`SELECT coalesce(sum(plays), 0)::int AS plays FROM member_daily_genres WHERE member_id = $1`),
  };
}
/** Artist credits of n plays made by play(i): one main artist each, plus "feat" every fourth. */
const credits = (from: number, to: number) => plays(from, to).reduce((n, p) => n + p.track.artists.length, 0);

describe('the history store', () => {
  it('stores a play once and counts only newly inserted plays in the rollups', async () => {
    const member = aMemberId();
    expect(await repo().insertPlays(member, plays(0, 30))).toBe(30);
    expect(await repo().insertPlays(member, plays(0, 30))).toBe(0);
    expect(await repo().insertPlays(member, plays(20, 45))).toBe(15);
    expect(await repo().plays(member)).toHaveLength(45);
    expect(await rollups(member)).toEqual({
      daily: { plays: 45, ms: 45 * 180_000 },
      artists: { plays: credits(0, 45) },
      genres: { plays: 45 },
    });
  });

  it('keeps the rollups right when several writers insert the same plays at once', async () => {
    const member = aMemberId();
    const inserted = await Promise.all([
      repo().insertPlays(member, plays(0, 40)),
      repo().insertPlays(member, plays(10, 50)),
      repo().insertPlays(member, plays(0, 50)),
      repo().insertPlays(member, plays(25, 50)),
    ]);
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(50);
    expect(await rollups(member)).toEqual({
      daily: { plays: 50, ms: 50 * 180_000 },
      artists: { plays: credits(0, 50) },
      genres: { plays: 50 },
    });
  });

  it('splits rollups by UTC day and by the genre each play counts for, unclassified included', async () => {
    const member = aMemberId();
    // 23:00 UTC onwards, one every 200 s: the last two fall on the next day.
    await repo().insertPlays(
      member,
      plays(0, 20).map((p) => ({ ...p, playedAt: p.playedAt + 3_600_000 })),
    );
    const { rows } = await store().pool.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, genre, plays FROM member_daily_genres WHERE member_id = $1 ORDER BY day, genre`,
      [member],
    );
    expect(rows).toEqual([
      { day: '2026-11-20', genre: 'rock', plays: 9 },
      { day: '2026-11-20', genre: 'unclassified', plays: 9 },
      { day: '2026-11-21', genre: 'rock', plays: 1 },
      { day: '2026-11-21', genre: 'unclassified', plays: 1 },
    ]);
  });

  it('keeps what is known about a play: null ms when unknown, source, context', async () => {
    const member = aMemberId();
    await repo().insertPlays(member, [
      play(0, { msPlayed: null, msEstimated: false, source: 'imported', contextUri: 'spotify:playlist:x' }),
    ]);
    expect(await repo().plays(member)).toEqual([
      {
        playedAt: T,
        trackId: 't0',
        msPlayed: null,
        msEstimated: false,
        source: 'imported',
        contextUri: 'spotify:playlist:x',
      },
    ]);
    expect((await rollups(member)).daily).toEqual({ plays: 1, ms: 0 });
  });

  it('/unlink erases the member’s plays, rollups, gaps and collector state, and nobody else’s', async () => {
    const member = aMemberId();
    const other = aMemberId();
    await repo().ensureCollectorState(member, T);
    await repo().recordPoll(member, {
      plays: plays(0, 12),
      gap: { from: T - 3_600_000, to: T },
      detectedAt: T,
      state: { nextPollAt: T + 1, cursor: T },
    });
    await repo().insertPlays(other, plays(0, 5));
    const registry = createPersonalDataRegistry([historyPersonalData(repo())]);
    expect(await registry.eraseAll(member)).toEqual([{ kind: 'listening-history', count: 12 }]);
    expect(await repo().countRows(member)).toEqual({
      plays: 0,
      member_daily: 0,
      member_daily_artists: 0,
      member_daily_genres: 0,
      history_gaps: 0,
      collector_state: 0,
      member_totals: 0,
      member_artist_totals: 0,
      member_artist_days: 0,
      member_artist_months: 0,
      member_track_totals: 0,
      member_genre_totals: 0,
      member_cumulative: 0,
    });
    expect(await repo().plays(other)).toHaveLength(5);
    expect(await registry.eraseAll(member)).toEqual([]);
  });

  it('a poll that finishes after the member unlinked stores nothing', async () => {
    const member = aMemberId();
    await repo().ensureCollectorState(member, T);
    await repo().deleteForUser(member);
    expect(
      await repo().recordPoll(member, { plays: plays(0, 3), detectedAt: T, state: { nextPollAt: T + 1 } }),
    ).toBeUndefined();
    expect(await repo().countRows(member)).toMatchObject({ plays: 0, member_daily: 0 });
  });

  it('moves the cursor, the next poll and the gap with the plays, in one transaction', async () => {
    const member = aMemberId();
    await repo().ensureCollectorState(member, T);
    await repo().recordPoll(member, {
      plays: plays(0, 3),
      gap: { from: T - 10, to: T },
      detectedAt: T,
      state: { cursor: T + 400_000, nextPollAt: T + 1_200_000, lastPollAt: T, lastCount: 3, lastPlayAt: T + 400_000 },
    });
    const state = (await repo().collectorStates([member])).get(member);
    expect(state).toEqual({
      memberId: member,
      cursor: T + 400_000,
      nextPollAt: T + 1_200_000,
      lastPollAt: T,
      lastCount: 3,
      lastPlayAt: T + 400_000,
      failures: 0,
    });
    expect(await repo().gaps(member)).toEqual([{ from: T - 10, to: T }]);
    await repo().recordFailure(member, T + 9);
    expect((await repo().collectorStates([member])).get(member)).toMatchObject({
      nextPollAt: T + 9,
      failures: 1,
      cursor: T + 400_000,
    });
  });

  it('a member unlinked between the tick’s listing and their poll leaves no collector state behind', async () => {
    const member = aMemberId();
    const deps: CollectorDeps = {
      repo: repo(),
      activeMembers: async () => [member],
      spotifyFor: async () => {
        throw new NotLinkedError();
      },
      cachedGenres: async () => new Map(),
      lease: { acquire: async () => true, release: async () => {} },
      instanceId: 'test',
      log: { info: () => {}, warn: () => {} },
    };
    expect(await pollMember(deps, member, T)).toEqual({ kind: 'unlinked', memberId: member });
    expect(await repo().countRows(member)).toMatchObject({ collector_state: 0, plays: 0 });
  });

  it('answers "top artists of member M in period P" and "totals of members S in period P" from the rollups, through their indexes', async () => {
    const [m1, m2, m3] = [aMemberId(), aMemberId(), aMemberId()];
    await repo().insertPlays(m1, plays(0, 40)); // 22:00 on the 20th to 00:10 on the 21st
    await repo().insertPlays(m2, plays(0, 10));
    await repo().insertPlays(m3, plays(0, 5));
    const top = await repo().topArtists(m1, '2026-11-20', '2026-11-20', 3);
    expect(top[0]).toEqual({ artistId: 'feat', name: 'Feat', plays: 9, ms: 9 * 180_000 });
    expect(top).toHaveLength(3);
    const day1 = plays(0, 40).filter((p) => p.playedAt < Date.UTC(2026, 10, 21));
    expect(top.slice(1).map((a) => a.plays)).toEqual([
      day1.filter((p) => p.track.artists[0]!.id === top[1]!.artistId).length,
      day1.filter((p) => p.track.artists[0]!.id === top[2]!.artistId).length,
    ]);
    expect(await repo().totals([m1, m2], '2026-11-20', '2026-11-21')).toEqual([
      { memberId: m1, plays: 40, ms: 40 * 180_000 },
      { memberId: m2, plays: 10, ms: 10 * 180_000 },
    ]);
    // With sequential scans ruled out, both queries still plan: an index serves each.
    const client = await store().pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = async (sql: string, params: unknown[]) =>
        JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows);
      expect(
        await plan(
          `SELECT artist_id, sum(plays) FROM member_daily_artists WHERE member_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY artist_id`,
          [m1, '2026-11-01', '2026-11-30'],
        ),
      ).toMatch(/Index/);
      expect(
        await plan(
          `SELECT member_id, sum(plays) FROM member_daily WHERE member_id = ANY($1::text[]) AND day BETWEEN $2::date AND $3::date GROUP BY member_id`,
          [[m1, m2], '2026-11-01', '2026-11-30'],
        ),
      ).toMatch(/Index/);
      expect(
        await plan(
          `SELECT artist_id, sum(plays) FROM member_daily_artists WHERE day BETWEEN $1::date AND $2::date GROUP BY artist_id`,
          ['2026-11-01', '2026-11-30'],
        ),
      ).toMatch(/Index/);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });

  it('recounts genre rollups once the genre cache knows artists it did not, even while new plays arrive', async () => {
    const member = aMemberId();
    const unclassified = (from: number, to: number) => plays(from, to).map((p) => ({ ...p, genre: 'unclassified' }));
    await repo().insertPlays(member, unclassified(0, 30));
    const genreRows = async () =>
      (
        await store().pool.query<{ genre: string; plays: number }>(
          `SELECT genre, sum(plays)::int AS plays FROM member_daily_genres WHERE member_id = $1 GROUP BY genre ORDER BY genre`,
          [member],
        )
      ).rows;
    expect(await genreRows()).toEqual([{ genre: 'unclassified', plays: 30 }]);
    expect(await repo().unclassifiedMembers([member])).toEqual([member]);

    // The cache has since learned the artists a0 and a1.
    const cache = new Map<string, readonly string[]>([
      ['a0', ['deep house']],
      ['a1', ['uk drill']],
    ]);
    const deps = {
      repo: repo(),
      activeMembers: async () => [member],
      cachedGenres: async (ids: readonly string[]) =>
        new Map(ids.flatMap((id) => (cache.has(id) ? [[id, cache.get(id)!] as const] : []))),
    };
    const [result] = await Promise.all([reclassifyHistory(deps), repo().insertPlays(member, unclassified(30, 40))]);
    expect(result.members).toBe(1);
    const rows = await genreRows();
    expect(rows.reduce((n, r) => n + r.plays, 0)).toBe(40);
    // A recount reads each track's credits from the catalogue (the first play of a track id wrote them).
    const { rows: mains } = await store().pool.query<{ track_id: string; artist_id: string }>(
      `SELECT track_id, artist_id FROM track_artists WHERE position = 0`,
    );
    const credits = new Map(mains.map((r) => [r.track_id, r.artist_id]));
    const recounted = result.plays === 40 ? plays(0, 40) : plays(0, 30);
    const mainIs = (artist: string) => recounted.filter((p) => credits.get(p.track.id) === artist).length;
    const expected = { electronic: mainIs('a0'), 'hip-hop': mainIs('a1') };
    expect(expected.electronic + expected['hip-hop']).toBeGreaterThan(0);
    expect(rows.find((r) => r.genre === 'electronic')?.plays).toBe(expected.electronic);
    expect(rows.find((r) => r.genre === 'hip-hop')?.plays).toBe(expected['hip-hop']);
  });

  it('a full page counts local files too: 48 plays and 2 local files newer than the cursor are a gap and a busy member', async () => {
    const member = aMemberId();
    await repo().ensureCollectorState(member, T);
    await repo().recordPoll(member, { plays: [], detectedAt: T, state: { cursor: T - 86_400_000, nextPollAt: T } });
    const items = Array.from({ length: 50 }, (_, i) => ({
      played_at: new Date(T - i * 200_000).toISOString(),
      track:
        i % 25 === 3
          ? { id: null, name: 'Demo', is_local: true, artists: [{ id: null, name: 'Me' }] }
          : { id: `t${i}`, name: `T${i}`, duration_ms: 190_000, artists: [{ id: 'a1', name: 'A' }] },
    }));
    const deps: CollectorDeps = {
      repo: repo(),
      activeMembers: async () => [member],
      spotifyFor: async () => ({ recentlyPlayed: async () => ({ items }) }),
      cachedGenres: async () => new Map(),
      lease: { acquire: async () => true, release: async () => {} },
      instanceId: 'test',
      log: { info: () => {}, warn: () => {} },
    };
    expect(await pollMember(deps, member, T)).toMatchObject({
      kind: 'collected',
      fetched: 48,
      inserted: 48,
      gap: true,
      nextPollAt: T + 10 * 60_000,
    });
    expect(await repo().gaps(member)).toEqual([{ from: T - 86_400_000, to: T - 49 * 200_000 }]);
  });
});

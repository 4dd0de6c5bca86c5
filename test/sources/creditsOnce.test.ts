import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SourceListen } from '../../src/app/sources/ports.js';
import { createSourceLinksRepository } from '../../src/store/sources/sourceLinksRepository.js';
import { createSourcePlays } from '../../src/store/sources/sourcePlays.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';

/**
 * Two listens of one recording may name its artists differently (one scrobbler sends the featured
 * artist, another only the main one) while the catalogue keeps one credit list per track. The
 * artist rollups must count what the catalogue credits, whatever the order and batching the
 * listens arrive in: otherwise a backfill resumed after a crash (its pages cut elsewhere) counts a
 * featured artist once more or less than one clean read (issue 23's SIGKILL test found it).
 */
const store = useTestStore();
const q = async <R>(sql: string, params: unknown[] = []) => (await store().pool.query(sql, params)).rows as R[];
const T = Date.UTC(2026, 10, 28, 18);
const MINUTE = 60_000;

const listen = (startedAt: number, artists: string[], title: string): SourceListen => ({
  listenedAt: startedAt,
  track: { name: title, durationMs: 200_000 },
  artists: artists.map((name) => ({ name })),
});

async function aListener(): Promise<string> {
  const member = aMemberId();
  expect(await createSourceLinksRepository(store().pool).link(member, 'lastfm', `lfm-${member}`, T)).toBe('linked');
  return member;
}
const storeAll = (member: string, listens: SourceListen[]) =>
  createSourcePlays(store().pool).storeListens(member, 'lastfm', listens, async () => () => 'unclassified');

/** The member's artist rollups, and what the catalogue's credits of their stored plays give. */
async function artistCounts(member: string) {
  const rollups = await q<{ name: string; plays: number }>(
    `SELECT a.name, sum(r.plays)::int AS plays FROM member_daily_artists r JOIN artists a ON a.id = r.artist_id
     WHERE r.member_id = $1 GROUP BY a.name ORDER BY a.name`,
    [member],
  );
  const credited = await q<{ name: string; plays: number }>(
    `SELECT a.name, count(*)::int AS plays FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id
     JOIN artists a ON a.id = ta.artist_id WHERE p.member_id = $1 GROUP BY a.name ORDER BY a.name`,
    [member],
  );
  return { rollups, credited };
}

describe('a listen is credited to the artists the catalogue holds for its track', () => {
  it('counts the same artists whether the differing listens come in one page or two, in either order', async () => {
    const band = `Massive ${randomBytes(3).toString('hex')}`;
    const guest = `Guest ${randomBytes(3).toString('hex')}`;
    const title = `Teardrop ${randomBytes(2).toString('hex')}`;
    const featured = listen(T, [band, guest], title);
    const plain = listen(T + 10 * MINUTE, [band], title);

    const onePage = await aListener();
    expect(await storeAll(onePage, [featured, plain])).toEqual({ inserted: 2 });
    const twoPages = await aListener();
    expect(await storeAll(twoPages, [plain])).toEqual({ inserted: 1 });
    expect(await storeAll(twoPages, [featured])).toEqual({ inserted: 1 });

    const first = await artistCounts(onePage);
    // Both plays landed on one track, whose credits the rollups count, each artist once per play.
    expect(first.rollups).toEqual(first.credited);
    expect(first.rollups.find((r) => r.name === band)).toEqual({ name: band, plays: 2 });
    const second = await artistCounts(twoPages);
    expect(second.rollups).toEqual(second.credited);
    expect(second.rollups).toEqual(first.rollups);
  });
});

import { describe, expect, it } from 'vitest';
import { isPreview, isResumable, orderPlaylist, runOrderJob, SORT_LEASE_MS } from '../../src/app/sort/index.js';
import type { PlaylistItemInput } from '../../src/core/sort/index.js';
import { createOrderJobRepository } from '../../src/store/sortJobs.js';
import { useTestStore } from '../support/database.js';
import { fakeSortSpotify } from './fakeSortSpotify.js';

const testStore = useTestStore();

/** 1,000 tracks whose release dates are shuffled against their playlist order, one of them twice. */
const source = () => {
  const items: PlaylistItemInput[] = Array.from({ length: 999 }, (_, i) => ({
    uri: `spotify:track:t${i}`,
    type: 'track',
    isLocal: false,
    artistIds: ['a'],
    releaseDate: `${1960 + ((i * 37) % 60)}-01-01`,
    addedAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
  }));
  items.push({ ...items[10]! });
  return { id: 'src', name: 'Everything', items };
};

async function choice(user: string) {
  const fake = fakeSortSpotify(source(), {});
  const jobs = createOrderJobRepository(testStore());
  const result = await orderPlaylist(
    { playlistId: 'src', by: 'release-date', mode: 'parent' },
    { spotify: fake.spotify, jobs, discordUserId: user },
  );
  if (result.plan !== 'choose') throw new Error(`expected a choice, got ${result.plan}`);
  return { fake, jobs, result, target: (await jobs.get(result.jobId))!.state.targetUris };
}

describe('reordering by replacing the playlist', () => {
  it('writes nothing until the member chooses, and offers the moves that keep "date added"', async () => {
    const { fake, result } = await choice('o1');
    expect(fake.calls.filter((c) => c === 'replace' || c === 'add')).toEqual([]);
    expect(result.replaceCalls).toBe(10);
    expect(result.moveCalls).toBeGreaterThan(result.replaceCalls);
  });

  it('ends with every track in the new order whichever write the process dies after', async () => {
    for (let dieAt = 1; dieAt <= 10; dieAt++) {
      const { fake, jobs, result, target } = await choice('o2');
      const before = [...fake.uris('src')].sort();
      fake.dieAfterWrite(dieAt);
      const first = await runOrderJob(result.jobId, { spotify: fake.spotify, jobs }, isPreview);
      expect(first.kind, `died after write ${dieAt}`).toBe('waiting');
      // Until it resumes the playlist may be short; the resume job then finishes it.
      const later = Date.now() + SORT_LEASE_MS + 5 * 60_000;
      const resumed = await runOrderJob(
        result.jobId,
        { spotify: fake.spotify, jobs, now: () => later },
        isResumable(later),
      );
      expect(resumed.kind, `resumed after write ${dieAt}`).toBe('done');
      expect(fake.uris('src')).toEqual(target);
      expect([...fake.uris('src')].sort()).toEqual(before);
    }
  });

  it('is one runner at a time, and a finished reorder cannot run again', async () => {
    const { fake, jobs, result, target } = await choice('o3');
    const outcomes = await Promise.all([
      runOrderJob(result.jobId, { spotify: fake.spotify, jobs }, isPreview),
      runOrderJob(result.jobId, { spotify: fake.spotify, jobs }, isPreview),
    ]);
    // The loser is turned away either while the winner holds the lease (busy) or after it finished (not runnable).
    const kinds = outcomes.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'done')).toHaveLength(1);
    expect(kinds.filter((k) => k !== 'done').every((k) => k === 'busy' || k === 'not-runnable')).toBe(true);
    expect(fake.uris('src')).toEqual(target);
    expect((await runOrderJob(result.jobId, { spotify: fake.spotify, jobs }, isPreview)).kind).toBe('not-runnable');
    expect(fake.calls.filter((c) => c === 'replace')).toHaveLength(1);
  });

  it('keeping the dates moves tracks instead and never replaces', async () => {
    const fake = fakeSortSpotify(source(), {});
    const jobs = createOrderJobRepository(testStore());
    const moved: unknown[] = [];
    fake.spotify.reorder = async (_id, op, snapshot) => (moved.push(op), `${snapshot}+`);
    const result = await orderPlaylist(
      { playlistId: 'src', by: 'release-date', mode: 'parent', keepDates: true },
      { spotify: fake.spotify, jobs, discordUserId: 'o4' },
    );
    expect(result.plan).toBe('reorder');
    expect(moved.length).toBe(result.plan === 'reorder' ? result.writeCalls : -1);
    expect(fake.calls).not.toContain('replace');
  });
});

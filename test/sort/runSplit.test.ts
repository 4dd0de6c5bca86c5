import { describe, expect, it } from 'vitest';
import { previewSplit, runSplitJob } from '../../src/app/sort/index.js';
import type { PlaylistItemInput } from '../../src/core/sort/index.js';
import { createSortJobRepository } from '../../src/store/sortJobs.js';
import { QuotaExceededError } from '../../src/core/errors.js';
import { useTestStore } from '../support/database.js';
import { fakeSortSpotify } from './fakeSortSpotify.js';

const testStore = useTestStore();

const track = (i: number, artist: string): PlaylistItemInput => ({ uri: `spotify:track:t${i}`, type: 'track', isLocal: false, artistIds: [artist] });
const source = () => ({
  id: 'src',
  name: 'Road trip',
  items: Array.from({ length: 450 }, (_, i) => track(i, ['rockA', 'rockB', 'hiphopA', 'jazzA'][i % 4]!)),
});
const genres = { rockA: ['modern rock'], rockB: ['garage rock'], hiphopA: ['uk hip hop'], jazzA: ['cool jazz'] };

describe('a split job', () => {
  it('previews without writing, then creates one private playlist per genre with tracks in order', async () => {
    const fake = fakeSortSpotify(source(), genres);
    const jobs = createSortJobRepository(testStore());
    const preview = await previewSplit({ discordUserId: 'u1', playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' }, { spotify: fake.spotify, jobs });
    expect(fake.created()).toEqual([]);
    expect(preview.analysis.playlists.map((p) => p.playlistName)).toEqual(['Road trip · Rock', 'Road trip · Hip hop', 'Road trip · Jazz']);
    expect(preview.writeRequests).toBe(3 + 3 + 2 + 2); // 3 creates; 226 rock tracks → 3 adds, 112 → 2, 112 → 2

    const outcome = await runSplitJob((await jobs.get(preview.jobId))!, { spotify: fake.spotify, jobs });
    expect(outcome.kind).toBe('done');
    const created = fake.created();
    expect(created.map((p) => [p.name, p.uris.length])).toEqual([['Road trip · Rock', 226], ['Road trip · Hip hop', 112], ['Road trip · Jazz', 112]]);
    expect(created[0]!.uris.slice(0, 3)).toEqual(['spotify:track:t0', 'spotify:track:t1', 'spotify:track:t4']);
    expect((await jobs.get(preview.jobId))!.status).toBe('done');
  });

  it('resumes after dying at any write with exactly the playlists an uninterrupted run makes', async () => {
    const reference = fakeSortSpotify(source(), genres);
    const jobs = createSortJobRepository(testStore());
    const ref = await previewSplit({ discordUserId: 'u2', playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' }, { spotify: reference.spotify, jobs });
    await runSplitJob((await jobs.get(ref.jobId))!, { spotify: reference.spotify, jobs });
    const expected = reference.created();

    for (let dieAt = 1; dieAt <= 10; dieAt++) {
      const fake = fakeSortSpotify(source(), genres);
      const preview = await previewSplit({ discordUserId: 'u2', playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' }, { spotify: fake.spotify, jobs });
      fake.dieAfterWrite(dieAt);
      const first = await runSplitJob((await jobs.get(preview.jobId))!, { spotify: fake.spotify, jobs });
      expect(first.kind).toBe('failed');
      // A restart: the job is read back from Postgres in whatever state the crash left.
      const stored = (await jobs.get(preview.jobId))!;
      const second = await runSplitJob(stored, { spotify: fake.spotify, jobs });
      expect(second.kind).toBe('done');
      expect(fake.created()).toEqual(expected);
    }
  });

  it('waits until the quota resets instead of failing, and lists itself as unfinished', async () => {
    const fake = fakeSortSpotify(source(), genres);
    const jobs = createSortJobRepository(testStore());
    const preview = await previewSplit({ discordUserId: 'u3', playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' }, { spotify: fake.spotify, jobs });
    const resumesAt = Date.now() + 3_600_000;
    const realAppend = fake.spotify.appendItems;
    fake.spotify.appendItems = async () => {
      throw new QuotaExceededError(resumesAt);
    };
    const outcome = await runSplitJob((await jobs.get(preview.jobId))!, { spotify: fake.spotify, jobs });
    expect(outcome).toMatchObject({ kind: 'waiting', resumeAt: resumesAt, reason: 'spotify.quotaExceeded' });
    expect((await jobs.listUnfinished()).map((j) => j.id)).toContain(preview.jobId);

    fake.spotify.appendItems = realAppend;
    const resumed = await runSplitJob((await jobs.get(preview.jobId))!, { spotify: fake.spotify, jobs });
    expect(resumed.kind).toBe('done');
    expect(fake.created().map((p) => p.uris.length)).toEqual([226, 112, 112]);
    expect((await jobs.listUnfinished()).map((j) => j.id)).not.toContain(preview.jobId);
  });

  it('deletes every job of a member for /unlink', async () => {
    const jobs = createSortJobRepository(testStore());
    const fake = fakeSortSpotify(source(), genres);
    await previewSplit({ discordUserId: 'gone', playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' }, { spotify: fake.spotify, jobs });
    expect(await jobs.deleteForUser('gone')).toBe(1);
    expect(await jobs.deleteForUser('gone')).toBe(0);
  });
});

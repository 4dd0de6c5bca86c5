import { describe, expect, it } from 'vitest';
import {
  cancelSort,
  isPreview,
  isResumable,
  previewSplit,
  runSplitJob,
  SORT_LEASE_MS,
  type RunSplitDeps,
  type SortJobRepository,
} from '../../src/app/sort/index.js';
import type { PlaylistItemInput } from '../../src/core/sort/index.js';
import { createSortJobRepository } from '../../src/store/sortJobs.js';
import { QuotaExceededError } from '../../src/core/errors.js';
import { useTestStore } from '../support/database.js';
import { fakeSortSpotify } from './fakeSortSpotify.js';

const testStore = useTestStore();

const track = (i: number, artist: string): PlaylistItemInput => ({
  uri: `spotify:track:t${i}`,
  type: 'track',
  isLocal: false,
  artistIds: [artist],
});
const source = () => ({
  id: 'src',
  name: 'Road trip',
  items: Array.from({ length: 450 }, (_, i) => track(i, ['rockA', 'rockB', 'hiphopA', 'jazzA'][i % 4]!)),
});
const genres = { rockA: ['modern rock'], rockB: ['garage rock'], hiphopA: ['uk hip hop'], jazzA: ['cool jazz'] };
const EXPECTED = [
  ['Road trip · Rock', 226],
  ['Road trip · Hip hop', 112],
  ['Road trip · Jazz', 112],
];
const noWait = async () => {};

async function previewed(
  user: string,
  fake = fakeSortSpotify(source(), genres),
  jobs = createSortJobRepository(testStore()),
) {
  const preview = await previewSplit(
    { discordUserId: user, playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' },
    { spotify: fake.spotify, jobs },
  );
  return { fake, jobs, jobId: preview.jobId, preview };
}

/** The job store with a database that fails the chosen saves, as a restart or a network blip would. */
function flakySaves(
  jobs: SortJobRepository,
  fails: (saveNumber: number) => boolean,
): SortJobRepository & { saves: () => number } {
  let saves = 0;
  return {
    ...jobs,
    async save(job) {
      saves++;
      if (fails(saves)) throw new Error('Connection terminated unexpectedly');
      return jobs.save(job);
    },
    saves: () => saves,
  };
}

describe('a split job', () => {
  it('previews without writing, then creates one private playlist per genre with tracks in order', async () => {
    const { fake, jobs, jobId, preview } = await previewed('u1');
    expect(fake.created()).toEqual([]);
    expect(preview.analysis.playlists.map((p) => p.playlistName)).toEqual([
      'Road trip · Rock',
      'Road trip · Hip hop',
      'Road trip · Jazz',
    ]);
    expect(preview.writeRequests).toBe(3 + 3 + 2 + 2); // 3 creates; 226 rock tracks → 3 adds, 112 → 2, 112 → 2

    const outcome = await runSplitJob(jobId, { spotify: fake.spotify, jobs }, isPreview);
    expect(outcome.kind).toBe('done');
    const created = fake.created();
    expect(created.map((p) => [p.name, p.uris.length])).toEqual(EXPECTED);
    expect(created[0]!.uris.slice(0, 3)).toEqual(['spotify:track:t0', 'spotify:track:t1', 'spotify:track:t4']);
    expect((await jobs.get(jobId))!.status).toBe('done');
  });

  it('resumes after dying at any write with exactly the playlists an uninterrupted run makes', async () => {
    const reference = await previewed('u2');
    await runSplitJob(reference.jobId, { spotify: reference.fake.spotify, jobs: reference.jobs }, isPreview);
    const expected = reference.fake.created();

    for (let dieAt = 1; dieAt <= 10; dieAt++) {
      const { fake, jobs, jobId } = await previewed('u2');
      fake.dieAfterWrite(dieAt);
      const first = await runSplitJob(jobId, { spotify: fake.spotify, jobs, parallelWrites: 1 }, isPreview);
      expect(first.kind).toBe('failed');
      // A restart: the job is read back from Postgres in whatever state the crash left.
      const second = await runSplitJob(jobId, { spotify: fake.spotify, jobs }, () => true);
      expect(second.kind).toBe('done');
      expect(fake.created()).toEqual(expected);
    }
  });

  it('with a database error at every save, retries or leaves the job resumable, and always ends as an uninterrupted run', async () => {
    const reference = await previewed('u-db');
    await runSplitJob(reference.jobId, { spotify: reference.fake.spotify, jobs: reference.jobs }, isPreview);
    const expected = reference.fake.created();
    const totalSaves = 2 + 2 * 11; // running + (start, finish) per step: 1 check, 3 creates, 7 adds + done

    for (let failing = 1; failing <= totalSaves; failing++) {
      // A blip: one failed save is retried, and the run finishes by itself.
      const blip = await previewed('u-db');
      const delays: number[] = [];
      const once = flakySaves(blip.jobs, (n) => n === failing);
      const outcome = await runSplitJob(
        blip.jobId,
        { spotify: blip.fake.spotify, jobs: once, parallelWrites: 1, sleep: async (ms) => void delays.push(ms) },
        isPreview,
      );
      expect(outcome.kind, `blip at save ${failing}`).toBe('done');
      expect(delays).toEqual([250]);
      expect(blip.fake.created()).toEqual(expected);

      // An outage: every save from this one on fails; the job stops, and resumes once its lease lapses.
      const down = await previewed('u-db');
      const outage = flakySaves(down.jobs, (n) => n >= failing);
      const stopped = await runSplitJob(
        down.jobId,
        { spotify: down.fake.spotify, jobs: outage, parallelWrites: 1, sleep: noWait },
        isPreview,
      );
      expect(stopped.kind, `outage from save ${failing}`).toBe('interrupted');
      const later = Date.now() + SORT_LEASE_MS + 1;
      const resumed = await runSplitJob(
        down.jobId,
        { spotify: down.fake.spotify, jobs: down.jobs, now: () => later },
        isResumable(later),
      );
      if (resumed.kind === 'not-runnable') {
        // The outage began before the job was ever marked running: it is still a preview, untouched.
        expect(resumed.job.status).toBe('previewed');
        expect(down.fake.created()).toEqual([]);
        continue;
      }
      expect(resumed.kind, `resume after outage from save ${failing}`).toBe('done');
      expect(down.fake.created()).toEqual(expected);
    }
  }, 120_000);

  it('has one runner at a time: a second Confirm and the resume job are turned away while it runs', async () => {
    const { fake, jobs, jobId } = await previewed('u-race');
    const first = runSplitJob(jobId, { spotify: fake.spotify, jobs }, isPreview);
    const second = runSplitJob(jobId, { spotify: fake.spotify, jobs }, isPreview);
    const resume = runSplitJob(jobId, { spotify: fake.spotify, jobs }, isResumable(Date.now()));
    const outcomes = (await Promise.all([first, second, resume])).map((o) => o.kind).sort();
    expect(outcomes.filter((k) => k === 'done')).toHaveLength(1);
    expect(outcomes.every((k) => k === 'done' || k === 'busy' || k === 'not-runnable')).toBe(true);
    expect(fake.created().map((p) => [p.name, p.uris.length])).toEqual(EXPECTED);
    // Once done, nothing can start it again.
    expect((await runSplitJob(jobId, { spotify: fake.spotify, jobs }, isPreview)).kind).toBe('not-runnable');
    expect(fake.created().map((p) => [p.name, p.uris.length])).toEqual(EXPECTED);
  });

  it('two previews of the same playlist confirmed at once write one set of playlists', async () => {
    const a = await previewed('u-twice');
    const b = await previewed('u-twice', a.fake, a.jobs);
    const outcomes = await Promise.all([
      runSplitJob(a.jobId, { spotify: a.fake.spotify, jobs: a.jobs }, isPreview),
      runSplitJob(b.jobId, { spotify: a.fake.spotify, jobs: a.jobs }, isPreview),
    ]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['busy', 'done']);
    // The loser's preview, confirmed again later, adopts the playlists and adds nothing.
    const loser = outcomes[0]!.kind === 'busy' ? a.jobId : b.jobId;
    expect((await runSplitJob(loser, { spotify: a.fake.spotify, jobs: a.jobs }, isPreview)).kind).toBe('done');
    expect(a.fake.created().map((p) => [p.name, p.uris.length])).toEqual(EXPECTED);
  });

  it('Stop during a run ends it at the next step and reports exactly what was written; after the end, Cancel changes nothing', async () => {
    const { fake, jobs, jobId } = await previewed('u-stop');
    expect((await runSplitJob(jobId, { spotify: fake.spotify, jobs }, isPreview)).kind).toBe('done');
    const { fake: fake2, jobs: jobs2, jobId: job2 } = await previewed('u-stop');
    let stopAnswer: Promise<Awaited<ReturnType<typeof cancelSort>>> | undefined;
    // The member presses Stop once the first playlist exists; the write under way then lands only
    // after the press is recorded, as when Stop is pressed during a slow Spotify call.
    const create = fake2.spotify.createPrivatePlaylist.bind(fake2.spotify);
    fake2.spotify.createPrivatePlaylist = async (name, description) => {
      await stopAnswer;
      return create(name, description);
    };
    const stopped = await runSplitJob(
      job2,
      {
        spotify: fake2.spotify,
        jobs: jobs2,
        parallelWrites: 1,
        onProgress: (p) => void (p.playlistsCreated === 1 && (stopAnswer ??= cancelSort(jobs2, job2, 'u-stop'))),
      },
      isPreview,
    );
    expect((await stopAnswer)!.kind).toBe('stopping');
    expect(stopped.kind).toBe('cancelled');
    if (stopped.kind !== 'cancelled') return;
    expect(stopped.written.map((w) => [w.name, w.tracks])).toEqual(fake2.created().map((p) => [p.name, p.uris.length]));
    // The first, and at most the one under way when Stop was pressed: never the third.
    expect(fake2.created().length).toBeGreaterThanOrEqual(1);
    expect(fake2.created().length).toBeLessThan(3);
    expect((await jobs2.get(job2))!.status).toBe('cancelled');

    const after = await cancelSort(jobs, jobId, 'u-stop');
    expect(after.kind).toBe('already-done');
    expect((await jobs.get(jobId))!.status).toBe('done');
  });

  it('Cancel on a preview writes nothing, and a cancelled preview cannot be confirmed', async () => {
    const { fake, jobs, jobId } = await previewed('u-cancel');
    expect((await cancelSort(jobs, jobId, 'u-cancel')).kind).toBe('cancelled-preview');
    expect((await runSplitJob(jobId, { spotify: fake.spotify, jobs }, isPreview)).kind).toBe('not-runnable');
    expect(fake.created()).toEqual([]);
    await expect(cancelSort(jobs, jobId, 'someone-else')).rejects.toMatchObject({ id: 'sort.jobGone' });
  });

  it('a crashed runner’s job is taken over only after its lease lapses', async () => {
    const { fake, jobs, jobId } = await previewed('u-lease');
    const job = (await jobs.get(jobId))!;
    const t0 = Date.now();
    expect(await jobs.lease(job, 'crashed-runner', SORT_LEASE_MS, t0)).toBe(true);
    await jobs.save({ ...job, status: 'running' });
    const early: RunSplitDeps = { spotify: fake.spotify, jobs, now: () => t0 + SORT_LEASE_MS - 1 };
    expect((await runSplitJob(jobId, early, isResumable(t0))).kind).toBe('busy');
    expect(fake.created()).toEqual([]);
    const late = t0 + SORT_LEASE_MS;
    expect((await runSplitJob(jobId, { ...early, now: () => late }, isResumable(late))).kind).toBe('done');
    expect(fake.created().map((p) => [p.name, p.uris.length])).toEqual(EXPECTED);
  });

  it('waits until the quota resets instead of failing, and lists itself as unfinished', async () => {
    const { fake, jobs, jobId } = await previewed('u3');
    const resumesAt = Date.now() + 3_600_000;
    const realAppend = fake.spotify.appendItems;
    fake.spotify.appendItems = async () => {
      throw new QuotaExceededError(resumesAt);
    };
    const outcome = await runSplitJob(jobId, { spotify: fake.spotify, jobs }, isPreview);
    expect(outcome).toMatchObject({ kind: 'waiting', resumeAt: resumesAt, reason: 'spotify.quotaExceeded' });
    expect((await jobs.listUnfinished()).map((j) => j.id)).toContain(jobId);
    expect((await runSplitJob(jobId, { spotify: fake.spotify, jobs }, isResumable(Date.now()))).kind).toBe(
      'not-runnable',
    );

    fake.spotify.appendItems = realAppend;
    const resumed = await runSplitJob(
      jobId,
      { spotify: fake.spotify, jobs, now: () => resumesAt },
      isResumable(resumesAt),
    );
    expect(resumed.kind).toBe('done');
    expect(fake.created().map((p) => p.uris.length)).toEqual([226, 112, 112]);
    expect((await jobs.listUnfinished()).map((j) => j.id)).not.toContain(jobId);
  });

  it('deletes every job of a member for /unlink', async () => {
    const { jobs } = await previewed('gone');
    expect(await jobs.deleteForUser('gone')).toBe(1);
    expect(await jobs.deleteForUser('gone')).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  readSplitSource,
  runOrderJob,
  runSplitJob,
  SORT_LEASE_MS,
  sortServiceFrom,
  type InteractionReplyRef,
  type SortRunner,
  type SplitGenreChoice,
} from '../../src/app/sort/index.js';
import type { PlaylistItemInput } from '../../src/core/sort/index.js';
import { createGenreChoiceRepository } from '../../src/store/genreChoices.js';
import { createOrderJobRepository, createSortJobRepository } from '../../src/store/sortJobs.js';
import { useTestStore } from '../support/database.js';
import { fakeSortSpotify } from './fakeSortSpotify.js';

const testStore = useTestStore();

const track = (i: number, artist: string, releaseYear = 2000): PlaylistItemInput => ({
  uri: `spotify:track:t${i}`,
  type: 'track',
  isLocal: false,
  artistIds: [artist],
  artistName: artist,
  releaseDate: `${releaseYear}-01-01`,
});
/** 40 tracks by four artists of three genres; release years run against the playlist order. */
const source = () => ({
  id: 'src',
  name: 'Road trip',
  items: Array.from({ length: 40 }, (_, i) => track(i, ['rockA', 'rockB', 'hiphopA', 'jazzA'][i % 4]!, 2030 - i)),
});
const genres = { rockA: ['modern rock'], rockB: ['garage rock'], hiphopA: ['uk hip hop'], jazzA: ['cool jazz'] };
const ref: InteractionReplyRef = { applicationId: 'app', token: 'tok', expiresAt: Date.now() + 60_000 };

/** The sort runner over the real job stores and an in-memory Spotify, recording thrifty starts. */
function world(options: { thrifty?: boolean; choices?: boolean } = {}) {
  const fake = fakeSortSpotify(source(), genres);
  const store = testStore();
  const jobs = createSortJobRepository(store);
  const orderJobs = createOrderJobRepository(store);
  const choices = createGenreChoiceRepository(store);
  const events: string[] = [];
  const runner: SortRunner = {
    jobs,
    orderJobs,
    choices: options.choices === false ? undefined : choices,
    forMember: async () => fake.spotify,
    playlistsFor: async () => [],
    run: (job, accept, run) =>
      runSplitJob(job.id, { spotify: fake.spotify, jobs, reply: run.reply, onProgress: run.onProgress }, accept),
    runOrder: (job, accept, run) =>
      runOrderJob(
        job.id,
        { spotify: fake.spotify, jobs: orderJobs, reply: run.reply, onProgress: run.onOrderProgress },
        accept,
      ),
    startThrifty: options.thrifty === false ? undefined : (choice) => void events.push(`started ${choice.id}`),
    stop: async () => {},
  };
  return { fake, jobs, orderJobs, choices, events, sort: sortServiceFrom(runner) };
}

async function splitPreview(w: ReturnType<typeof world>, member: string) {
  const asked = await w.sort.previewSplit({
    discordUserId: member,
    playlistId: 'src',
    minTracksPerGenre: 1,
    mode: 'parent',
  });
  if (asked.kind !== 'preview') throw new Error('expected a preview');
  return asked.preview;
}

async function orderChoice(w: ReturnType<typeof world>, member: string) {
  const result = await w.sort.order({ playlistId: 'src', by: 'release-date', mode: 'parent' }, member);
  if (result.plan !== 'choose') throw new Error(`expected a choice, got ${result.plan}`);
  return result.jobId;
}

/** A stored "now or thrifty?" question, as previewSplitOrAsk leaves it for a large split. */
async function genreQuestion(w: ReturnType<typeof world>, member: string): Promise<SplitGenreChoice> {
  const choice: SplitGenreChoice = {
    id: `choice-${member}`,
    discordUserId: member,
    createdAt: Date.now(),
    request: { discordUserId: member, playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' },
    source: await readSplitSource('src', w.fake.spotify),
    unknownArtists: 4,
    thriftyMinutes: 1,
    remainingBudget: 1000,
    status: 'asked',
  };
  await w.choices.save(choice);
  return choice;
}

describe('confirmSplit', () => {
  it("runs the member's previewed split to the end, keeps the reply with the job, and refuses a second Confirm", async () => {
    const w = world();
    const preview = await splitPreview(w, 'c1');
    const progress: number[] = [];
    const outcome = await w.sort.confirmSplit(preview.jobId, 'c1', {
      reply: ref,
      onProgress: (p) => progress.push(p.tracksAdded),
    });
    expect(outcome.kind).toBe('done');
    expect(outcome.kind === 'done' && outcome.playlists.map((p) => [p.name, p.tracks])).toEqual([
      ['Road trip · Rock', 20],
      ['Road trip · Hip hop', 10],
      ['Road trip · Jazz', 10],
    ]);
    expect(progress.at(-1)).toBe(40);
    expect((await w.jobs.get(preview.jobId))?.reply).toEqual(ref);

    const created = w.fake.created().length;
    expect(await w.sort.confirmSplit(preview.jobId, 'c1')).toEqual({ kind: 'not-startable', status: 'done' });
    expect(w.fake.created()).toHaveLength(created);
  });

  it('tells a Confirm arriving while another runner holds the job that it is already running, and writes nothing', async () => {
    const w = world();
    const preview = await splitPreview(w, 'c2');
    const job = (await w.jobs.get(preview.jobId))!;
    expect(await w.jobs.lease(job, 'another-instance', SORT_LEASE_MS, Date.now())).toBe(true);
    expect(await w.sort.confirmSplit(preview.jobId, 'c2')).toEqual({ kind: 'not-startable', status: 'running' });
    expect(w.fake.created()).toEqual([]);
    expect((await w.jobs.get(preview.jobId))?.status).toBe('previewed');
  });

  it("treats another member's job, or one that is gone, as gone", async () => {
    const w = world();
    const preview = await splitPreview(w, 'c3');
    await expect(w.sort.confirmSplit(preview.jobId, 'someone-else')).rejects.toMatchObject({ id: 'sort.jobGone' });
    await expect(w.sort.confirmSplit('no-such-job', 'c3')).rejects.toMatchObject({ id: 'sort.jobGone' });
    expect(w.fake.created()).toEqual([]);
    expect((await w.jobs.get(preview.jobId))?.status).toBe('previewed');
  });
});

describe('chooseOrder', () => {
  it('cancel retires the stored job without writing, and a later click hears it was cancelled', async () => {
    const w = world();
    const jobId = await orderChoice(w, 'o1');
    const before = w.fake.uris('src');
    expect(await w.sort.chooseOrder(jobId, 'o1', 'cancel')).toEqual({ kind: 'cancelled' });
    expect((await w.orderJobs.get(jobId))?.status).toBe('cancelled');
    expect(w.fake.uris('src')).toEqual(before);
    expect(await w.sort.chooseOrder(jobId, 'o1', 'replace')).toEqual({ kind: 'not-startable', status: 'cancelled' });
    expect(w.fake.uris('src')).toEqual(before);
  });

  it('keep reorders by moves only (every "date added" stays), says so first, and retires the replacing job', async () => {
    const w = world();
    const jobId = await orderChoice(w, 'o2');
    const target = (await w.orderJobs.get(jobId))!.state.targetUris;
    const seen: Array<{ written: number; total: number; keptDates?: boolean }> = [];
    const outcome = await w.sort.chooseOrder(jobId, 'o2', 'keep', { onProgress: (p) => seen.push(p) });
    expect(outcome).toMatchObject({ kind: 'kept', result: { plan: 'reorder', name: 'Road trip', items: 40 } });
    expect(seen[0]).toEqual({ written: 0, total: 0, keptDates: true });
    expect(w.fake.uris('src')).toEqual(target);
    expect(w.fake.calls).not.toContain('replace');
    expect(w.fake.calls).toContain('reorder');
    expect((await w.orderJobs.get(jobId))?.status).toBe('cancelled');
  });

  it('replace runs the stored job to the end with its progress, and only its owner may start it', async () => {
    const w = world();
    const jobId = await orderChoice(w, 'o3');
    await expect(w.sort.chooseOrder(jobId, 'intruder', 'replace')).rejects.toMatchObject({ id: 'sort.jobGone' });
    const target = (await w.orderJobs.get(jobId))!.state.targetUris;
    const seen: Array<{ written: number; total: number }> = [];
    const outcome = await w.sort.chooseOrder(jobId, 'o3', 'replace', { reply: ref, onProgress: (p) => seen.push(p) });
    expect(outcome.kind).toBe('done');
    expect(w.fake.uris('src')).toEqual(target);
    expect(seen.at(-1)).toMatchObject({ written: 40, total: 40 });
    expect(await w.orderJobs.get(jobId)).toMatchObject({ status: 'done', reply: ref });
    expect(await w.sort.chooseOrder(jobId, 'o3', 'keep')).toEqual({ kind: 'not-startable', status: 'done' });
  });
});

describe('chooseGenreSource', () => {
  it('now plans the preview from the playlist already read, and the question is then answered', async () => {
    const w = world();
    const choice = await genreQuestion(w, 'g1');
    const reads = w.fake.calls.filter((c) => c === 'items').length;
    const outcome = await w.sort.chooseGenreSource(choice.id, 'g1', 'now');
    expect(outcome.kind).toBe('preview');
    if (outcome.kind !== 'preview') return;
    expect(outcome.preview.analysis.playlists.map((p) => p.playlistName)).toEqual([
      'Road trip · Rock',
      'Road trip · Hip hop',
      'Road trip · Jazz',
    ]);
    expect(w.fake.calls.filter((c) => c === 'items')).toHaveLength(reads);
    expect((await w.jobs.get(outcome.preview.jobId))?.status).toBe('previewed');
    expect((await w.choices.get(choice.id))?.status).toBe('done');
    expect(await w.sort.chooseGenreSource(choice.id, 'g1', 'thrifty')).toEqual({
      kind: 'not-startable',
      status: 'done',
    });
    expect(w.events).toEqual([]);
  });

  it('thrifty stores the choice with its reply, announces it, then starts the run; a second click hears it is running', async () => {
    const w = world();
    const choice = await genreQuestion(w, 'g2');
    const outcome = await w.sort.chooseGenreSource(choice.id, 'g2', 'thrifty', {
      reply: ref,
      announceThrifty: async (c) => void w.events.push(`announced ${c.id} as ${c.status}`),
    });
    expect(outcome).toMatchObject({ kind: 'thrifty', choice: { id: choice.id, status: 'thrifty', reply: ref } });
    expect(w.events).toEqual([`announced ${choice.id} as thrifty`, `started ${choice.id}`]);
    expect(await w.choices.get(choice.id)).toMatchObject({ status: 'thrifty', reply: ref });
    expect(await w.sort.chooseGenreSource(choice.id, 'g2', 'now')).toEqual({
      kind: 'not-startable',
      status: 'running',
    });
  });

  it('thrifty with MusicBrainz switched off since the question says so, and leaves the question open', async () => {
    const w = world({ thrifty: false });
    const choice = await genreQuestion(w, 'g3');
    await expect(w.sort.chooseGenreSource(choice.id, 'g3', 'thrifty')).rejects.toMatchObject({
      id: 'command.notConfigured',
    });
    expect((await w.choices.get(choice.id))?.status).toBe('asked');
  });

  it("cancel closes the question; another member's click, or one without choices, finds it gone", async () => {
    const w = world();
    const choice = await genreQuestion(w, 'g4');
    await expect(w.sort.chooseGenreSource(choice.id, 'intruder', 'cancel')).rejects.toMatchObject({
      id: 'sort.jobGone',
    });
    await expect(world({ choices: false }).sort.chooseGenreSource(choice.id, 'g4', 'now')).rejects.toMatchObject({
      id: 'sort.jobGone',
    });
    expect(await w.sort.chooseGenreSource(choice.id, 'g4', 'cancel')).toEqual({ kind: 'cancelled' });
    expect((await w.choices.get(choice.id))?.status).toBe('cancelled');
    expect(w.fake.created()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  analysePlaylist, finishStep, nextSplitStep, splitProgress, startSplitJob, startStep,
  type SplitJobState, type SplitStep, type SplitStepResult,
} from '../../../src/core/sort/index.js';
import { artist, genresOf, track } from '../factories.js';
import { seededRandom } from '../random.js';

/** Spotify's side of a split job: the playlists that exist and what they hold. */
type FakeSpotify = Map<string, { name: string; uris: string[] }>;

function perform(spotify: FakeSpotify, step: SplitStep): SplitStepResult | undefined {
  switch (step.kind) {
    case 'create-playlist': {
      const existing = step.recover ? [...spotify.entries()].find(([, p]) => p.name === step.playlistName) : undefined;
      if (existing) return { kind: 'create-playlist', playlistId: existing[0] };
      const id = `pl${spotify.size + 1}`;
      spotify.set(id, { name: step.playlistName, uris: [] });
      return { kind: 'create-playlist', playlistId: id };
    }
    case 'add-tracks':
      spotify.get(step.playlistId)!.uris.push(...step.uris);
      return { kind: 'add-tracks' };
    case 'count-tracks':
      return { kind: 'count-tracks', total: spotify.get(step.playlistId)!.uris.length };
    case 'done':
      return undefined;
  }
}

/**
 * Runs a job to the end. `crashAfterCall(n)` says whether the process dies right after the n-th
 * Spotify call, before the result is persisted; the run then resumes from the persisted state.
 */
function run(initial: SplitJobState, spotify: FakeSpotify, crashAfterCall: (n: number) => boolean): { state: SplitJobState; calls: number } {
  let persisted = JSON.parse(JSON.stringify(initial)) as SplitJobState;
  let calls = 0;
  for (;;) {
    const step = nextSplitStep(persisted);
    if (step.kind === 'done') return { state: finishStep(persisted, step, undefined, 1), calls };
    persisted = JSON.parse(JSON.stringify(startStep(persisted, step)));
    const result = perform(spotify, step);
    calls++;
    if (crashAfterCall(calls)) continue;
    persisted = JSON.parse(JSON.stringify(finishStep(persisted, step, result, 0)));
  }
}

function plannedJob(trackCount: number) {
  const genres = [['indie rock'], ['uk drill'], ['k-pop'], ['deep house'], ['stomp and holler']];
  const artists = genres.map((g) => artist({ genres: g }));
  const items = Array.from({ length: trackCount }, (_, i) => track({ artists: [artists[(i * i) % artists.length]!] }));
  const analysis = analysePlaylist(items, genresOf(...artists), { playlistName: 'Big mix' });
  return { analysis, job: startSplitJob('job-1', 'source', analysis.playlists) };
}

describe('a resumable split job', () => {
  it('creates each planned playlist once and fills it in order, in exactly the lower-bound number of writes', () => {
    const { analysis, job } = plannedJob(1_000);
    const spotify: FakeSpotify = new Map();
    const { state, calls } = run(job, spotify, () => false);
    expect(calls).toBe(analysis.requests.playlistCreates + analysis.requests.trackAdds);
    expect([...spotify.values()]).toEqual(analysis.playlists.map((p) => ({ name: p.playlistName, uris: p.trackUris })));
    expect(state.finishedAt).toBe(1);
    expect(splitProgress(state)).toEqual({ playlistsCreated: analysis.playlists.length, playlists: analysis.playlists.length, tracksAdded: 1_000, tracks: 1_000 });
  });

  it('ends with the same playlists, no duplicates, however often it is interrupted', () => {
    const { analysis, job } = plannedJob(1_000);
    const expected = analysis.playlists.map((p) => ({ name: p.playlistName, uris: p.trackUris }));
    for (let seed = 1; seed <= 50; seed++) {
      const random = seededRandom(seed);
      const spotify: FakeSpotify = new Map();
      run(job, spotify, () => random() < 0.3);
      expect([...spotify.values()], `seed ${seed}`).toEqual(expected);
    }
  });

  it('after an interrupted add, counts what landed instead of adding again', () => {
    const { job } = plannedJob(250);
    const create = nextSplitStep(job);
    const created = finishStep(startStep(job, create), create, { kind: 'create-playlist', playlistId: 'p1' }, 0);
    const add = nextSplitStep(created);
    expect(add).toMatchObject({ kind: 'add-tracks', playlistId: 'p1', offset: 0 });
    const crashed = startStep(created, add);
    expect(nextSplitStep(crashed)).toEqual({ kind: 'count-tracks', key: created.targets[0]!.key, playlistId: 'p1' });
    const counted = finishStep(crashed, nextSplitStep(crashed), { kind: 'count-tracks', total: 37 }, 0);
    expect(nextSplitStep(counted)).toMatchObject({ kind: 'add-tracks', offset: 37 });
  });

  it('after an interrupted create, asks to recover an existing playlist first', () => {
    const { job } = plannedJob(10);
    const create = nextSplitStep(job);
    expect(create).toMatchObject({ kind: 'create-playlist', recover: false });
    expect(nextSplitStep(startStep(job, create))).toMatchObject({ kind: 'create-playlist', recover: true, playlistName: create.kind === 'create-playlist' ? create.playlistName : '' });
  });

  it('rejects a result that does not answer the step', () => {
    const { job } = plannedJob(10);
    const create = nextSplitStep(job);
    expect(() => finishStep(job, create, { kind: 'add-tracks' }, 0)).toThrow(TypeError);
  });
});

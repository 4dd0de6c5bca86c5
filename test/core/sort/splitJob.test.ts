import { describe, expect, it } from 'vitest';
import {
  analysePlaylist,
  finishSplitJob,
  finishStep,
  nextSplitStep,
  nextSplitSteps,
  splitProgress,
  startSplitJob,
  startStep,
  upgradeSplitJob,
  type SplitJobState,
  type SplitStep,
  type SplitStepResult,
} from '../../../src/core/sort/index.js';
import { artist, genresOf, track } from '../factories.js';
import { seededRandom } from '../random.js';

/** Spotify's side of a split job: the playlists that exist and what they hold. */
type FakeSpotify = Map<string, { name: string; uris: string[] }>;

function perform(spotify: FakeSpotify, step: SplitStep): SplitStepResult {
  switch (step.kind) {
    case 'find-earlier':
      return {
        kind: 'find-earlier',
        found: [...spotify.entries()]
          .filter(([, p]) => step.names.includes(p.name))
          .map(([id, p]) => ({ name: p.name, playlistId: id, uris: [...p.uris] })),
      };
    case 'create-playlist': {
      const id = `pl${spotify.size + 1}`;
      spotify.set(id, { name: step.playlistName, uris: [] });
      return { kind: 'create-playlist', playlistId: id };
    }
    case 'add-tracks':
      spotify.get(step.playlistId)!.uris.push(...step.uris);
      return { kind: 'add-tracks' };
    case 'count-tracks':
      return { kind: 'count-tracks', total: spotify.get(step.playlistId)!.uris.length };
  }
}

/**
 * Runs a job to the end. `crashAfterCall(n)` says whether the process dies right after the n-th
 * Spotify call, before the result is persisted; the run then resumes from the persisted state.
 */
function run(
  initial: SplitJobState,
  spotify: FakeSpotify,
  crashAfterCall: (n: number) => boolean,
): { state: SplitJobState; calls: number } {
  let persisted = JSON.parse(JSON.stringify(initial)) as SplitJobState;
  let calls = 0;
  for (;;) {
    const step = nextSplitStep(persisted);
    if (!step) return { state: finishSplitJob(persisted, 1), calls };
    persisted = JSON.parse(JSON.stringify(startStep(persisted, step)));
    const result = perform(spotify, step);
    calls++;
    if (crashAfterCall(calls)) continue;
    persisted = JSON.parse(JSON.stringify(finishStep(persisted, step, result)));
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
  it('creates each planned playlist once and fills it in order: one read for earlier runs, then exactly the lower-bound number of writes', () => {
    const { analysis, job } = plannedJob(1_000);
    const spotify: FakeSpotify = new Map();
    const { state, calls } = run(job, spotify, () => false);
    expect(calls).toBe(1 + analysis.requests.playlistCreates + analysis.requests.trackAdds);
    expect([...spotify.values()]).toEqual(analysis.playlists.map((p) => ({ name: p.playlistName, uris: p.trackUris })));
    expect(state.finishedAt).toBe(1);
    expect(splitProgress(state)).toEqual({
      playlistsCreated: analysis.playlists.length,
      playlists: analysis.playlists.length,
      tracksAdded: 1_000,
      tracks: 1_000,
    });
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
    const checked = finishStep(startStep(job, nextSplitStep(job)!), nextSplitStep(job)!, {
      kind: 'find-earlier',
      found: [],
    });
    const create = nextSplitStep(checked)!;
    const created = finishStep(startStep(checked, create), create, { kind: 'create-playlist', playlistId: 'p1' });
    const add = nextSplitStep(created)!;
    expect(add).toMatchObject({ kind: 'add-tracks', playlistId: 'p1', offset: 0 });
    const crashed = startStep(created, add);
    expect(nextSplitStep(crashed)).toEqual({ kind: 'count-tracks', key: created.targets[0]!.key, playlistId: 'p1' });
    const counted = finishStep(crashed, nextSplitStep(crashed)!, { kind: 'count-tracks', total: 37 });
    expect(nextSplitStep(counted)).toMatchObject({ kind: 'add-tracks', offset: 37 });
  });

  it('after an interrupted create, looks for the playlist it may have made before creating another', () => {
    const { job } = plannedJob(10);
    const checked = finishStep(startStep(job, nextSplitStep(job)!), nextSplitStep(job)!, {
      kind: 'find-earlier',
      found: [],
    });
    const create = nextSplitStep(checked)!;
    expect(create).toMatchObject({ kind: 'create-playlist' });
    const name = create.kind === 'create-playlist' ? create.playlistName : '';
    const recovery = nextSplitStep(startStep(checked, create))!;
    expect(recovery).toEqual({ kind: 'find-earlier', key: create.key, names: [name] });
    const found = finishStep(startStep(checked, create), recovery, {
      kind: 'find-earlier',
      found: [{ name, playlistId: 'made', uris: [] }],
    });
    expect(found.targets[0]).toMatchObject({ playlistId: 'made', added: 0 });
    expect(nextSplitStep(found)).toMatchObject({ kind: 'add-tracks', playlistId: 'made' });
  });

  it('a second sort of the same source adopts the playlists the first made and adds only what they lack', () => {
    const { analysis, job } = plannedJob(300);
    const spotify: FakeSpotify = new Map();
    run(job, spotify, () => false);
    const firstRun = [...spotify.values()].map((p) => ({ ...p, uris: [...p.uris] }));
    // The member deletes half of one playlist's tracks, then sorts the same source again.
    const [firstId, first] = [...spotify.entries()][0]!;
    spotify.set(firstId, { ...first, uris: first.uris.slice(0, Math.floor(first.uris.length / 2)) });
    const again = run(startSplitJob('job-2', 'source', analysis.playlists), spotify, () => false);
    expect([...spotify.values()]).toEqual(firstRun);
    expect(again.calls).toBe(1 + Math.ceil((first.uris.length - Math.floor(first.uris.length / 2)) / 100));
    expect(splitProgress(again.state)).toMatchObject({
      playlistsCreated: analysis.playlists.length,
      tracksAdded: 300,
      tracks: 300,
    });
  });

  it('offers writes to different playlists side by side, never two to one playlist', () => {
    const { job } = plannedJob(1_000);
    const checked = finishStep(startStep(job, nextSplitStep(job)!), nextSplitStep(job)!, {
      kind: 'find-earlier',
      found: [],
    });
    expect(checked.targets.length).toBe(3);
    const creates = nextSplitSteps(checked, new Set(), 4);
    expect(creates.map((s) => s.kind)).toEqual(['create-playlist', 'create-playlist', 'create-playlist']);
    let state = checked;
    for (const [i, create] of creates.entries())
      state = finishStep(startStep(state, create), create, { kind: 'create-playlist', playlistId: `p${i}` });
    const parallel = nextSplitSteps(state, new Set(), 4);
    expect(parallel.map((s) => s.kind)).toEqual(['add-tracks', 'add-tracks', 'add-tracks']);
    expect(new Set(parallel.map((s) => s.key)).size).toBe(3);
    const busy = new Set(parallel.slice(0, 2).map((s) => s.key));
    expect(nextSplitSteps(state, busy, 4).map((s) => s.key)).toEqual([parallel[2]!.key]);
    // The check for earlier runs' playlists comes first, alone.
    expect(nextSplitSteps(job, new Set(), 4).map((s) => s.kind)).toEqual(['find-earlier']);
  });

  it('reads a job stored by the previous release, with its interrupted step', () => {
    const { job } = plannedJob(10);
    const { inFlight: _none, checkedEarlier: _c, ...rest } = job;
    const legacy = {
      ...rest,
      version: 1 as const,
      inFlight: {
        kind: 'create-playlist',
        key: job.targets[0]!.key,
        playlistName: job.targets[0]!.playlistName,
        recover: false,
      },
    };
    const upgraded = upgradeSplitJob(legacy);
    expect(upgraded.version).toBe(2);
    expect(nextSplitStep(upgraded)).toEqual({
      kind: 'find-earlier',
      key: job.targets[0]!.key,
      names: [job.targets[0]!.playlistName],
    });
  });

  it('rejects a result that does not answer the step', () => {
    const { job } = plannedJob(10);
    const check = nextSplitStep(job)!;
    expect(() => finishStep(job, check, { kind: 'add-tracks' })).toThrow(TypeError);
  });
});

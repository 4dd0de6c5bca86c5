import { describe, expect, it } from 'vitest';
import {
  finishOrderStep,
  nextOrderStep,
  orderProgress,
  replaceWriteCount,
  startOrderJob,
  startOrderStep,
  type OrderJobState,
  type OrderStep,
  type OrderStepResult,
} from '../../../src/core/sort/index.js';
import { seededRandom, shuffle } from '../random.js';

/** Spotify's side of one playlist: its items, its snapshot id (new on every write), and what it was asked. */
interface FakePlaylist {
  uris: string[];
  snapshotId: string;
  writes: number;
  reads: number;
}

function fakePlaylist(uris: readonly string[]): FakePlaylist {
  return { uris: [...uris], snapshotId: 'planned', writes: 0, reads: 0 };
}

function perform(playlist: FakePlaylist, step: OrderStep): OrderStepResult | undefined {
  switch (step.kind) {
    case 'replace':
      playlist.uris = [...step.uris];
      playlist.snapshotId = `snap-${++playlist.writes}`;
      return { kind: 'replace', snapshotId: playlist.snapshotId };
    case 'append':
      playlist.uris.push(...step.uris);
      playlist.snapshotId = `snap-${++playlist.writes}`;
      return { kind: 'append', snapshotId: playlist.snapshotId };
    case 'verify':
      playlist.reads++;
      return { kind: 'verify', snapshotId: playlist.snapshotId, total: playlist.uris.length };
    case 'done':
      return undefined;
  }
}

/**
 * How a call goes wrong: `after`, it reached Spotify and the process died before the result was
 * persisted; `before`, it never reached Spotify (the process died, or the call failed) with the
 * step already persisted as in flight.
 */
type Crash = 'after' | 'before' | undefined;

const persist = (state: OrderJobState): OrderJobState => JSON.parse(JSON.stringify(state)) as OrderJobState;

/** Runs a job to the end, resuming from the persisted state after each crash; `crashAt(n)` says how the n-th call goes. */
function run(
  initial: OrderJobState,
  playlist: FakePlaylist,
  crashAt: (call: number) => Crash = () => undefined,
): { state: OrderJobState; calls: number } {
  let persisted = persist(initial);
  let calls = 0;
  for (;;) {
    const step = nextOrderStep(persisted);
    if (step.kind === 'done') return { state: finishOrderStep(persisted, step, undefined, 1), calls };
    persisted = persist(startOrderStep(persisted, step));
    const crash = crashAt(++calls);
    if (crash === 'before') continue;
    const result = perform(playlist, step);
    if (crash === 'after') continue;
    persisted = persist(finishOrderStep(persisted, step, result, 0));
  }
}

const BASE = 'spotify:track:';

/** A 1,000-item playlist in which 100 tracks appear twice, and a reshuffled target order of the same items. */
function reorder(itemCount = 1_000) {
  const current = Array.from({ length: itemCount }, (_, i) => `${BASE}t${i % (itemCount - itemCount / 10)}`);
  const target = shuffle(current, seededRandom(7));
  return { current, target, job: startOrderJob('job-1', 'pl-1', target, 'planned') };
}

function occurrences(uris: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const uri of uris) counts.set(uri, (counts.get(uri) ?? 0) + 1);
  return counts;
}

/** Every ordered pair of crash points among the first `calls` calls, in both ways a call can go wrong. */
function crashPairs(calls: number): [number, Crash, number, Crash][] {
  const pairs: [number, Crash, number, Crash][] = [];
  const kinds: Crash[] = ['after', 'before'];
  for (let first = 1; first <= calls; first++)
    for (let second = first + 1; second <= calls + 2; second++)
      for (const a of kinds) for (const b of kinds) pairs.push([first, a, second, b]);
  return pairs;
}

describe('a resumable replace job for /sort mode:order', () => {
  it('reorders 1,000 items in exactly 10 writes: one replace of 100, then nine appends of 100', () => {
    const { current, target, job } = reorder();
    const playlist = fakePlaylist(current);
    const { state, calls } = run(job, playlist);
    expect(calls).toBe(10);
    expect(playlist.writes).toBe(10);
    expect(playlist.reads).toBe(0);
    expect(playlist.uris).toEqual(target);
    expect(state.finishedAt).toBe(1);
    expect(orderProgress(state)).toEqual({ written: 1_000, total: 1_000 });
    expect(replaceWriteCount(current.length)).toBe(10);
  });

  it('plans the replace first, then appends each next batch at its offset', () => {
    const { target, job } = reorder();
    const replace = nextOrderStep(job);
    expect(replace).toEqual({ kind: 'replace', playlistId: 'pl-1', uris: target.slice(0, 100) });
    const replaced = finishOrderStep(startOrderStep(job, replace), replace, { kind: 'replace', snapshotId: 's1' }, 0);
    expect(replaced).toMatchObject({ written: 100, snapshotId: 's1' });
    expect(replaced.inFlight).toBeUndefined();
    expect(nextOrderStep(replaced)).toEqual({
      kind: 'append',
      playlistId: 'pl-1',
      offset: 100,
      uris: target.slice(100, 200),
    });
    expect(orderProgress(replaced)).toEqual({ written: 100, total: 1_000 });
  });

  it('keeps every occurrence of a track that the playlist holds twice', () => {
    const { current, target, job } = reorder();
    expect(new Set(target).size).toBe(900);
    const playlist = fakePlaylist(current);
    run(job, playlist);
    expect(playlist.uris).toEqual(target);
    expect(occurrences(playlist.uris)).toEqual(occurrences(current));
  });

  it('ends with exactly the target order after a crash at any call, whether the write landed or not', () => {
    const { current, target, job } = reorder();
    for (let crashCall = 1; crashCall <= 11; crashCall++) {
      for (const how of ['after', 'before'] as const) {
        const playlist = fakePlaylist(current);
        run(job, playlist, (n) => (n === crashCall ? how : undefined));
        const label = `crash ${how} call ${crashCall}`;
        expect(playlist.uris, label).toEqual(target);
        expect(occurrences(playlist.uris), label).toEqual(occurrences(current));
        // A write that landed is verified, never repeated: still exactly 10 writes, plus one read.
        if (crashCall <= 10) {
          expect(playlist.writes, label).toBe(10);
          expect(playlist.reads, label).toBe(1);
        }
      }
    }
  });

  it('ends with exactly the target order however it is interrupted twice, at any two calls', () => {
    const { current, target, job } = reorder();
    for (const [first, a, second, b] of crashPairs(11)) {
      const playlist = fakePlaylist(current);
      run(job, playlist, (n) => (n === first ? a : n === second ? b : undefined));
      const label = `crash ${a} call ${first}, then ${b} call ${second}`;
      expect(playlist.uris, label).toEqual(target);
      expect(occurrences(playlist.uris), label).toEqual(occurrences(current));
    }
  });

  it('ends with exactly the target order under random crashes at a third of the calls', () => {
    const { current, target, job } = reorder();
    for (let seed = 1; seed <= 50; seed++) {
      const random = seededRandom(seed);
      const playlist = fakePlaylist(current);
      run(job, playlist, () => (random() < 0.3 ? (random() < 0.5 ? 'after' : 'before') : undefined));
      expect(playlist.uris, `seed ${seed}`).toEqual(target);
    }
  });

  it('after an interrupted replace that did not land (snapshot still the planned one), replaces again', () => {
    const { job } = reorder();
    const replace = nextOrderStep(job);
    const crashed = startOrderStep(job, replace);
    const verify = nextOrderStep(crashed);
    expect(verify).toEqual({ kind: 'verify', playlistId: 'pl-1', interrupted: replace });
    const verified = finishOrderStep(crashed, verify, { kind: 'verify', snapshotId: 'planned', total: 1_000 }, 0);
    expect(verified.written).toBe(0);
    expect(nextOrderStep(verified)).toEqual(replace);
  });

  it('after an interrupted replace that landed (snapshot changed, total = first batch), goes on with the appends', () => {
    const { job } = reorder();
    const replace = nextOrderStep(job);
    const crashed = startOrderStep(job, replace);
    const verified = finishOrderStep(
      crashed,
      nextOrderStep(crashed),
      { kind: 'verify', snapshotId: 's1', total: 100 },
      0,
    );
    expect(verified).toMatchObject({ written: 100, snapshotId: 's1' });
    expect(nextOrderStep(verified)).toMatchObject({ kind: 'append', offset: 100 });
  });

  it('after an interrupted append, counts what landed against the latest known snapshot instead of appending again', () => {
    const { job } = reorder();
    const replace = nextOrderStep(job);
    const replaced = finishOrderStep(startOrderStep(job, replace), replace, { kind: 'replace', snapshotId: 's1' }, 0);
    const append = nextOrderStep(replaced);
    const crashed = startOrderStep(replaced, append);
    const verify = nextOrderStep(crashed);
    expect(verify).toEqual({ kind: 'verify', playlistId: 'pl-1', interrupted: append });

    const notLanded = finishOrderStep(crashed, verify, { kind: 'verify', snapshotId: 's1', total: 100 }, 0);
    expect(notLanded).toMatchObject({ written: 100, snapshotId: 's1' });
    expect(nextOrderStep(notLanded)).toEqual(append);

    const landed = finishOrderStep(crashed, verify, { kind: 'verify', snapshotId: 's2', total: 200 }, 0);
    expect(landed).toMatchObject({ written: 200, snapshotId: 's2' });
    expect(nextOrderStep(landed)).toMatchObject({ kind: 'append', offset: 200 });
  });

  it('replaces again, never appends, when verification finds a total it does not expect', () => {
    const { job } = reorder();
    const replace = nextOrderStep(job);
    const replaced = finishOrderStep(startOrderStep(job, replace), replace, { kind: 'replace', snapshotId: 's1' }, 0);
    const append = nextOrderStep(replaced);
    const crashedAppend = startOrderStep(replaced, append);
    const verifyAppend = nextOrderStep(crashedAppend);
    for (const observed of [
      { snapshotId: 's2', total: 555 }, // landed, but not what the append makes
      { snapshotId: 's1', total: 200 }, // snapshot unchanged, yet more items
      { snapshotId: 's2', total: 100 }, // snapshot changed, yet nothing added
      { snapshotId: 's2', total: 0 },
    ]) {
      const verified = finishOrderStep(crashedAppend, verifyAppend, { kind: 'verify', ...observed }, 0);
      expect(verified.written, JSON.stringify(observed)).toBe(0);
      expect(verified.snapshotId).toBe(observed.snapshotId);
      expect(nextOrderStep(verified), JSON.stringify(observed)).toEqual(replace);
    }
    const crashedReplace = startOrderStep(job, replace);
    const afterReplace = finishOrderStep(
      crashedReplace,
      nextOrderStep(crashedReplace),
      { kind: 'verify', snapshotId: 's9', total: 1_000 },
      0,
    );
    expect(nextOrderStep(afterReplace)).toEqual(replace);
  });

  it('repeats a verification that was itself interrupted', () => {
    const { job } = reorder();
    const crashed = startOrderStep(job, nextOrderStep(job));
    const verify = nextOrderStep(crashed);
    expect(nextOrderStep(startOrderStep(crashed, verify))).toEqual(verify);
  });

  it('survives JSON.stringify and JSON.parse at every step', () => {
    const { current, job } = reorder(250);
    const playlist = fakePlaylist(current);
    let state = job;
    for (;;) {
      expect(persist(state)).toEqual(state);
      const step = nextOrderStep(state);
      if (step.kind === 'done') break;
      state = startOrderStep(state, step);
      expect(persist(state)).toEqual(state);
      expect(nextOrderStep(persist(state))).toEqual(nextOrderStep(state));
      state = finishOrderStep(state, step, perform(playlist, step), 0);
    }
    expect(state.version).toBe(1);
  });

  it('rejects a result that does not answer the step', () => {
    const { job } = reorder();
    const replace = nextOrderStep(job);
    expect(() => finishOrderStep(job, replace, { kind: 'append', snapshotId: 's1' }, 0)).toThrow(TypeError);
    expect(() => finishOrderStep(job, replace, undefined, 0)).toThrow(TypeError);
  });

  it("refuses an empty target order, and counts the replace path's writes for the confirmation", () => {
    expect(() => startOrderJob('job-1', 'pl-1', [], 'planned')).toThrow(RangeError);
    expect([1, 100, 101, 250, 1_000, 1_001].map(replaceWriteCount)).toEqual([1, 1, 2, 3, 10, 11]);
  });
});

import { seededRandom } from '../spotify/random.js';
import { mbidFor, type CatalogueTrack } from './catalogue.js';

/** One listen as the emulator stores it: times in Unix seconds, like ListenBrainz. */
export interface EmulatedListen {
  readonly listenedAt: number;
  readonly insertedAt: number;
  readonly msid: string;
  readonly track: CatalogueTrack;
}

export interface HistorySpec {
  /** First and last instant of the generated history, Unix ms. */
  readonly since: number;
  readonly until: number;
  /** Average listens a day (nobody listens between 02:00 and 08:00 UTC). */
  readonly perDay: number;
  readonly seed: number;
}

const HOUR = 3600;

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be59b, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A user's listening history, generated hour by hour from a seed: an hour's listens depend only on
 * (seed, hour), so a range query generates just the hours it walks through, and a 100,000-listen
 * history costs a counts array, not 100,000 objects. About one listen in twenty shares its second
 * with the one before (imports and scrobblers do that), so paging must cope with ties.
 * Listens added later (addListen) are kept apart and merged into their hour.
 */
export class History {
  private readonly start: number;
  private readonly sinceSec: number;
  private readonly untilSec: number;
  private readonly generatedBuckets: number;
  private readonly extras = new Map<number, EmulatedListen[]>();
  private counts: Uint16Array | undefined;

  constructor(
    private readonly spec: HistorySpec,
    private readonly catalogue: readonly CatalogueTrack[],
  ) {
    this.sinceSec = Math.ceil(spec.since / 1000);
    this.untilSec = Math.floor(spec.until / 1000);
    this.start = Math.floor(this.sinceSec / HOUR) * HOUR;
    this.generatedBuckets = spec.perDay > 0 ? Math.max(0, Math.floor((this.untilSec - this.start) / HOUR) + 1) : 0;
  }

  private bucketOf(sec: number): number {
    return Math.floor((sec - this.start) / HOUR);
  }

  private lastBucket(): number {
    const extra = this.extras.size ? Math.max(...this.extras.keys()) : -1;
    return Math.max(this.generatedBuckets - 1, extra);
  }

  /** The hour's listens, oldest first (ties by msid). */
  bucket(b: number): EmulatedListen[] {
    const out: EmulatedListen[] = [];
    if (b >= 0 && b < this.generatedBuckets) {
      const r = seededRandom(mix(this.spec.seed, b));
      const hourStart = this.start + b * HOUR;
      const hourOfDay = Math.floor(hourStart / HOUR) % 24;
      const perActiveHour = this.spec.perDay / 18;
      const n = hourOfDay >= 2 && hourOfDay < 8 ? 0 : r.int(0, Math.round(2 * perActiveHour));
      const seconds = Array.from({ length: n }, () => r.int(0, HOUR - 1)).sort((x, y) => x - y);
      const size = this.catalogue.length;
      const favourite = (this.spec.seed * 7919) % size;
      const taken = new Set<string>();
      let previous = -1;
      for (let k = 0; k < n; k++) {
        const tie = previous >= 0 && r.chance(0.05);
        const at = hourStart + (tie ? previous : seconds[k]!);
        previous = at - hourStart;
        let index = (favourite + Math.floor(Math.pow(r.next(), 2.2) * size)) % size;
        // ListenBrainz keeps one listen per (listened_at, recording_msid): a tie is another track.
        while (taken.has(`${at}:${index}`)) index = (index + 1) % size;
        taken.add(`${at}:${index}`);
        const insertedDelay = r.int(5, 900);
        if (at < this.sinceSec || at > this.untilSec) continue;
        out.push({
          listenedAt: at,
          insertedAt: at + insertedDelay,
          msid: msidOf(index),
          track: this.catalogue[index]!,
        });
      }
    }
    const extra = this.extras.get(b);
    if (extra) out.push(...extra);
    return out.sort((x, y) => x.listenedAt - y.listenedAt || (x.msid < y.msid ? -1 : x.msid > y.msid ? 1 : 0));
  }

  /** Records a new listen (a test's "the member just played this"); a second listen of the same track at the same second is dropped, as ListenBrainz does. */
  addListen(listenedAtSec: number, trackIndex: number): EmulatedListen | undefined {
    const b = this.bucketOf(listenedAtSec);
    if (b < 0) throw new Error('listen before the start of the history');
    const msid = msidOf(trackIndex);
    if (this.bucket(b).some((l) => l.listenedAt === listenedAtSec && l.msid === msid)) return undefined;
    const listen = { listenedAt: listenedAtSec, insertedAt: listenedAtSec, msid, track: this.catalogue[trackIndex]! };
    this.extras.set(b, [...(this.extras.get(b) ?? []), listen]);
    this.counts = undefined;
    return listen;
  }

  /** Listens with min < listened_at < max, newest first, at most `limit`, walking down from max. */
  newestBelow(max: number | undefined, min: number | undefined, limit: number): EmulatedListen[] {
    const out: EmulatedListen[] = [];
    const counts = this.bucketCounts();
    const top = max === undefined ? this.lastBucket() : Math.min(this.lastBucket(), this.bucketOf(max - 1));
    const bottom = min === undefined ? 0 : Math.max(0, this.bucketOf(min + 1));
    for (let b = top; b >= bottom && out.length < limit; b--) {
      if (counts[b] === 0) continue;
      const listens = this.bucket(b);
      for (let i = listens.length - 1; i >= 0 && out.length < limit; i--) {
        const l = listens[i]!;
        if ((max === undefined || l.listenedAt < max) && (min === undefined || l.listenedAt > min)) out.push(l);
      }
    }
    return out;
  }

  /** Listens with min < listened_at < max, oldest first, at most `limit`, walking up from min. */
  oldestAbove(min: number, max: number | undefined, limit: number): EmulatedListen[] {
    const out: EmulatedListen[] = [];
    const counts = this.bucketCounts();
    const top = max === undefined ? this.lastBucket() : Math.min(this.lastBucket(), this.bucketOf(max - 1));
    for (let b = Math.max(0, this.bucketOf(min + 1)); b <= top && out.length < limit; b++) {
      if (counts[b] === 0) continue;
      for (const l of this.bucket(b)) {
        if (out.length >= limit) break;
        if (l.listenedAt > min && (max === undefined || l.listenedAt < max)) out.push(l);
      }
    }
    return out;
  }

  private bucketCounts(): Uint16Array {
    if (!this.counts) {
      const counts = new Uint16Array(this.lastBucket() + 2);
      for (let b = 0; b <= this.lastBucket(); b++) counts[b] = this.bucket(b).length;
      this.counts = counts;
    }
    return this.counts;
  }

  count(): number {
    return this.bucketCounts().reduce((sum, n) => sum + n, 0);
  }

  /** listened_at of the oldest and the newest listen, Unix seconds; 0 and 0 for an empty history (as ListenBrainz). */
  bounds(): { oldest: number; latest: number } {
    const oldest = this.oldestAbove(-1, undefined, 1)[0]?.listenedAt ?? 0;
    const latest = this.newestBelow(undefined, undefined, 1)[0]?.listenedAt ?? 0;
    return { oldest, latest };
  }

  /** Every listen, newest first: the ground truth tests compare a client's paging with. */
  all(): EmulatedListen[] {
    return this.newestBelow(undefined, undefined, Infinity);
  }
}

/** ListenBrainz's recording_msid names the submitted metadata, so one track keeps one msid. */
export function msidOf(trackIndex: number): string {
  return mbidFor('recording', `msid:${trackIndex}`);
}

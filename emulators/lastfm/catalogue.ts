import { createHash } from 'node:crypto';
import { seedWorld } from '../spotify/seed.js';
import { mbidFor } from '../listenbrainz/catalogue.js';

/** One track as Last.fm knows it: names first, MBIDs only sometimes (Last.fm often sends mbid ""). */
export interface LastfmTrack {
  readonly name: string;
  readonly mbid: string;
  readonly artist: {
    readonly name: string;
    readonly mbid: string;
    /** The Spotify world's genres for the artist: what artist.getTopTags builds its tags from. */
    readonly genres?: readonly string[];
  };
  readonly album: { readonly name: string; readonly mbid: string };
  /** The cover's hash in lastfm.freetls.fastly.net URLs; "" when Last.fm has no cover. */
  readonly imageHash: string;
}

/** A scrobble: when (Unix seconds, as Last.fm's `date.uts`) and what. */
export interface Scrobble {
  readonly uts: number;
  readonly track: LastfmTrack;
}

const hex = (text: string) => createHash('md5').update(text).digest('hex');
/** A stable number in [0, 1) from a string: which names get an MBID, which covers exist. */
const unit = (text: string) => parseInt(hex(text).slice(0, 8), 16) / 2 ** 32;

/**
 * The tracks the emulated users scrobble: the Spotify emulator's catalogue (same artist and track
 * names), so a Spotify member and a Last.fm member can be seen to share artists. About 80% of artists,
 * 60% of tracks and 50% of albums carry an MBID; the rest have "" as on the real service. MBIDs are
 * the ListenBrainz emulator's (`mbidFor`): one MusicBrainz, whichever service reports the id.
 */
export function lastfmCatalogue(size = 2000, seed = 42): readonly LastfmTrack[] {
  const cacheKey = `${size}:${seed}`;
  const cached = catalogues.get(cacheKey);
  if (cached) return cached;
  const world = seedWorld(seed);
  const tracks = world.trackList.slice(0, size).map((t) => {
    const worldArtist = world.artists.get(t.artistIds[0]!)!;
    const artistName = worldArtist.name;
    const albumName = world.albums.get(t.albumId)?.name ?? '';
    return {
      name: t.name,
      mbid: unit(`track:${t.id}`) < 0.6 ? mbidFor('recording', t.id) : '',
      artist: {
        name: artistName,
        mbid: unit(`artist:${artistName}`) < 0.8 ? mbidFor('artist', t.artistIds[0]!) : '',
        genres: worldArtist.genres,
      },
      album: { name: albumName, mbid: unit(`album:${t.albumId}`) < 0.5 ? mbidFor('release', t.albumId) : '' },
      imageHash: unit(`image:${t.albumId}`) < 0.85 ? hex(`cover:${t.albumId}`) : '',
    };
  });
  catalogues.set(cacheKey, tracks);
  return tracks;
}
/** Built once per process: every emulator started with the same size and seed shares it. */
const catalogues = new Map<string, readonly LastfmTrack[]>();

/** A stable number in [0, 1) from two integers, cheap enough to call for every scrobble read. */
function mix(seed: number, salt: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35) ^ i;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** How one emulated user's history is laid out; nothing is stored per scrobble. */
export interface HistoryShape {
  /** How many scrobbles in all. */
  readonly count: number;
  /** First and last scrobble, Unix seconds. */
  readonly since: number;
  readonly until: number;
  /** Consecutive scrobbles sharing one second (imports and offline caches do this); 1 = none. */
  readonly sameSecond?: number;
  readonly seed?: number;
}

/**
 * A history generated on demand: scrobble i (0 = oldest) is a pure function of i, its time is
 * non-decreasing in i, so a time range maps to an index range by binary search. 100,000 scrobbles cost
 * nothing until read.
 */
export class LazyHistory {
  private readonly group: number;
  private readonly groups: number;
  constructor(
    private readonly shape: HistoryShape,
    private readonly catalogue: readonly LastfmTrack[],
  ) {
    this.group = Math.max(1, shape.sameSecond ?? 1);
    this.groups = Math.ceil(shape.count / this.group);
  }

  get count() {
    return this.shape.count;
  }

  /** When scrobble i happened: groups spread evenly with a deterministic jitter below one step. */
  utsAt(i: number): number {
    const g = Math.floor(i / this.group);
    const span = this.shape.until - this.shape.since;
    const step = this.groups > 1 ? span / (this.groups - 1) : 0;
    const jitter = g > 0 && g < this.groups - 1 ? mix(this.shape.seed ?? 0, 1, g) * step * 0.9 : 0;
    return this.shape.since + Math.floor(g * step + jitter);
  }

  at(i: number): Scrobble {
    const pick = Math.floor(Math.pow(mix(this.shape.seed ?? 0, 2, i), 1.8) * this.catalogue.length);
    return { uts: this.utsAt(i), track: this.catalogue[pick]! };
  }

  /** The first index whose time is ≥ uts (count when none). */
  firstAtOrAfter(uts: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.utsAt(mid) < uts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Every scrobble oldest first: the ground truth tests compare a client's collection with. */
  *all(): Generator<Scrobble> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }
}

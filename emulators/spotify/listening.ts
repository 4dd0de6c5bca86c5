import { SPOTIFY_GENRES } from './genres.js';
import { seededRandom } from './random.js';
import type { ETrack, World } from './seed.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How a seeded user listens. */
export interface ListeningProfile {
  /** Listening on an average day, in hours (0: never plays anything). */
  hoursPerDay: number;
  /** The user's local time minus UTC, in hours: their day rhythm follows local time. */
  utcOffset: number;
}

/** One play as the emulator made it: `playedAt` is when it ended (Unix ms), as Spotify reports. */
export interface EmulatedPlay {
  trackId: string;
  playedAt: number;
  /** How long it was listened to (skips end early, but every play lasts at least 30 s). */
  msPlayed: number;
  contextUri: string;
}

export interface Listening {
  /** Plays of a user with from < playedAt ≤ to, oldest first: exactly what the user played then. */
  playsBetween(userId: string, from: number, to: number): EmulatedPlay[];
  /** The last `limit` plays ending at or before `at`, newest first: what Spotify remembers then. */
  recent(userId: string, at: number, limit?: number): EmulatedPlay[];
  /**
   * A listening binge: `count` tracks back to back from `start`. Regular plays it overlaps are
   * not played (a user plays one track at a time). Returns the binge's last playedAt.
   */
  binge(userId: string, start: number, count: number): number;
  /** Changes how a user listens from now on and before (the simulation is a pure function of it). */
  setProfile(userId: string, profile: Partial<ListeningProfile>): void;
  profile(userId: string): ListeningProfile;
}

/** Chance of listening in each local hour, before scaling: asleep at night, a commute, evenings most. */
const RHYTHM = [
  0.03, 0.01, 0, 0, 0, 0, 0.02, 0.25, 0.45, 0.3, 0.2, 0.2, 0.35, 0.3, 0.2, 0.25, 0.35, 0.5, 0.6, 0.7, 0.8, 0.8, 0.6,
  0.25,
];
const RHYTHM_SUM = RHYTHM.reduce((a, b) => a + b, 0);
// Plays of one listening hour cover about 85% of it (starts mid-hour, ends at the hour).
const HOUR_FILL = 0.85;

export const DEFAULT_PROFILES: Readonly<Record<string, ListeningProfile>> = {
  alice: { hoursPerDay: 5, utcOffset: 1 },
  bob: { hoursPerDay: 3, utcOffset: -5 },
  carol: { hoursPerDay: 2, utcOffset: 9 },
  dave: { hoursPerDay: 1, utcOffset: 0 },
  erin: { hoursPerDay: 0.5, utcOffset: -8 },
  mallory: { hoursPerDay: 1, utcOffset: 2 },
};

function hashId(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
  return h;
}

function weightedIndex(taste: Taste, r: ReturnType<typeof seededRandom>): number {
  let x = r.next() * taste.weightSum;
  let i = 0;
  while (i < taste.favourites.length - 1 && (x -= taste.favouriteWeights[i]!) > 0) i++;
  return i;
}

/** A 32-bit mix of several integers, so each (user, hour) has its own reproducible random stream. */
function mix(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v | 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(v / 4294967296), 0x01000193);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

interface Taste {
  favourites: ETrack[][];
  home: ETrack[][];
  favouriteWeights: number[];
  weightSum: number;
  /** The shared artists of the user's taste cluster, when clusters are planted. */
  pool?: ETrack[][];
}

export interface ListeningOptions {
  /**
   * Plants this many taste clusters: users (in the world's order, round robin) share their
   * cluster's three genres and draw most favourites from its pool of artists, and play the rest of
   * the pool now and then, so users of a cluster predict each other. 0 (default): independent tastes.
   */
  clusters?: number;
}

/** Artists in a cluster's shared pool, and how many of a user's favourites come from it. */
const CLUSTER_POOL = 24;
const CLUSTER_FAVOURITES = 8;

/**
 * The emulator's users listen over its clock: each has a daily rhythm in their own time zone and a
 * taste clustered around three genres and a dozen favourite artists. Everything is a pure function
 * of (seed, user, hour), so any interval can be asked for in any order and answers the same.
 */
export function createListening(
  world: World,
  seed: number,
  overrides: Record<string, Partial<ListeningProfile>> = {},
  options: ListeningOptions = {},
): Listening {
  const clusters = options.clusters ?? 0;
  const userIds = [...world.users.keys()];
  const profiles = new Map<string, ListeningProfile>(
    userIds.map((id) => [id, { ...(DEFAULT_PROFILES[id] ?? { hoursPerDay: 1, utcOffset: 0 }), ...overrides[id] }]),
  );
  const byMainArtist = new Map<string, ETrack[]>();
  for (const t of world.trackList) {
    const list = byMainArtist.get(t.artistIds[0]!);
    if (list) list.push(t);
    else byMainArtist.set(t.artistIds[0]!, [t]);
  }
  const tastes = new Map<string, Taste>();
  const tasteOf = (userId: string): Taste => {
    let taste = tastes.get(userId);
    if (taste) return taste;
    if (clusters > 0) {
      taste = clusteredTaste(userIds.indexOf(userId));
      tastes.set(userId, taste);
      return taste;
    }
    const r = seededRandom(mix(seed, userIds.indexOf(userId), 7));
    const genres = new Set<string>();
    while (genres.size < 3) genres.add(r.pick(SPOTIFY_GENRES));
    const home = world.artistList
      .filter((a) => byMainArtist.has(a.id) && a.genres.some((g) => genres.has(g)))
      .map((a) => byMainArtist.get(a.id)!);
    const favourites = Array.from({ length: Math.min(12, home.length) }, () => r.pick(home));
    const favouriteWeights = favourites.map((_, i) => 1 / (i + 1));
    taste = { favourites, home, favouriteWeights, weightSum: favouriteWeights.reduce((a, b) => a + b, 0) };
    tastes.set(userId, taste);
    return taste;
  };
  const homeOf = (genres: Set<string>) =>
    world.artistList
      .filter((a) => byMainArtist.has(a.id) && a.genres.some((g) => genres.has(g)))
      .map((a) => byMainArtist.get(a.id)!);
  /** A user of a planted cluster: the cluster's genres, most favourites from its pool, a few of their own. */
  const clusteredTaste = (userIndex: number): Taste => {
    const cluster = userIndex % clusters;
    const rc = seededRandom(mix(seed, cluster, 11));
    const genres = new Set<string>();
    while (genres.size < 3) genres.add(rc.pick(SPOTIFY_GENRES));
    const home = homeOf(genres);
    // Fans gather around artists with bigger catalogues: pools and favourites are drawn by catalogue size.
    const sizes = home.reduce<number[]>((acc, tracks) => [...acc, (acc.at(-1) ?? 0) + tracks.length], []);
    const bySize = (rr: ReturnType<typeof seededRandom>) => {
      const x = rr.next() * (sizes.at(-1) ?? 0);
      let lo = 0;
      let hi = sizes.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sizes[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return home[lo]!;
    };
    const pool = [...new Set(Array.from({ length: CLUSTER_POOL * 3 }, () => bySize(rc)))].slice(0, CLUSTER_POOL);
    const r = seededRandom(mix(seed, userIndex, 7));
    const favourites = new Set<ETrack[]>();
    for (let i = 0; favourites.size < Math.min(CLUSTER_FAVOURITES, pool.length) && i < 100; i++)
      favourites.add(r.pick(pool));
    for (let i = 0; favourites.size < Math.min(12, home.length) && i < 100; i++) favourites.add(bySize(r));
    // Shuffled so that the shared artists are not always the user's most played.
    const list = [...favourites]
      .map((f) => ({ f, k: r.next() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.f);
    const favouriteWeights = list.map((_, i) => 1 / (i + 1));
    // A user replays the songs they know of a favourite (about 60%), not the whole discography:
    // the rest are the deeper cuts a suggestion can offer.
    const known = list.map((tracks) => {
      const mine = tracks.filter((t) => mix(seed, userIndex, hashId(t.id)) % 5 < 3);
      return mine.length ? mine : tracks.slice(0, 1);
    });
    return {
      favourites: known,
      home,
      pool,
      favouriteWeights,
      weightSum: favouriteWeights.reduce((a, b) => a + b, 0),
    };
  };
  /** Nobody plays a release before it is out: another of the same list that is, else one of the user's home genres'. */
  const released = (track: ETrack, from: readonly ETrack[], at: number | undefined, taste: Taste): ETrack => {
    const out = world.releasedAt;
    if (!out || at === undefined || (out.get(track.id) ?? -Infinity) <= at) return track;
    const ok = (t: ETrack) => (out.get(t.id) ?? -Infinity) <= at;
    return from.find(ok) ?? taste.home.flat().find(ok) ?? world.trackList[0]!;
  };
  const pickTrack = (userId: string, r: ReturnType<typeof seededRandom>, at?: number): ETrack => {
    const taste = tasteOf(userId);
    const roll = r.next();
    const from = (list: readonly ETrack[]) => released(r.pick(list), list, at, taste);
    if (taste.pool) {
      // A clustered user: favourites, the rest of the cluster's pool, the home genres, anything.
      if (roll < 0.6) return from(taste.favourites[weightedIndex(taste, r)]!);
      if (roll < 0.78) return from(r.pick(taste.pool));
      if (roll < 0.96) return from(r.pick(taste.home));
      return from(world.trackList);
    }
    if (roll < 0.75 && taste.favourites.length) {
      let x = r.next() * taste.weightSum;
      let i = 0;
      while (i < taste.favourites.length - 1 && (x -= taste.favouriteWeights[i]!) > 0) i++;
      return from(taste.favourites[i]!);
    }
    if (roll < 0.95 && taste.home.length) return from(r.pick(taste.home));
    return from(world.trackList);
  };
  const playOf = (track: ETrack, start: number, r: ReturnType<typeof seededRandom>): EmulatedPlay => {
    // One play in ten is skipped after 35–90 s: still a play (Spotify counts one after 30 s).
    const msPlayed = r.chance(0.1) ? Math.min(track.durationMs, r.int(35_000, 90_000)) : track.durationMs;
    return { trackId: track.id, playedAt: start + msPlayed, msPlayed, contextUri: `spotify:album:${track.albumId}` };
  };

  const binges = new Map<string, Array<{ start: number; end: number; plays: EmulatedPlay[] }>>();
  const memo = new Map<string, EmulatedPlay[]>();
  const chance = (userId: string, hour: number) => {
    const p = profiles.get(userId);
    if (!p || p.hoursPerDay <= 0) return 0;
    const local = hour + p.utcOffset;
    const localHour = ((local % 24) + 24) % 24;
    // Some days are busier than others.
    const dayFactor = 0.5 + seededRandom(mix(seed, userIds.indexOf(userId), Math.floor(local / 24), 3)).next();
    return Math.min(0.95, (RHYTHM[localHour]! * dayFactor * p.hoursPerDay) / (RHYTHM_SUM * HOUR_FILL));
  };
  const listens = (userId: string, hour: number) =>
    seededRandom(mix(seed, userIds.indexOf(userId), hour, 1)).next() < chance(userId, hour);
  /** The regular plays of one clock hour (before binges), ending inside it. */
  const hourPlays = (userId: string, hour: number): EmulatedPlay[] => {
    const key = `${userId}:${hour}`;
    const known = memo.get(key);
    if (known) return known;
    const plays: EmulatedPlay[] = [];
    if (listens(userId, hour)) {
      const r = seededRandom(mix(seed, userIds.indexOf(userId), hour, 2));
      const end = (hour + 1) * HOUR;
      // A session carried over from the previous hour goes on at once; a new one starts within 30 minutes.
      let at = hour * HOUR + (listens(userId, hour - 1) ? r.int(0, 20_000) : r.int(0, 30 * 60_000));
      for (;;) {
        const play = playOf(pickTrack(userId, r, at), at, r);
        if (play.playedAt > end) break;
        plays.push(play);
        at = play.playedAt + r.int(500, 8_000);
      }
    }
    if (memo.size > 200_000) memo.clear();
    memo.set(key, plays);
    return plays;
  };
  const playsOfHour = (userId: string, hour: number): EmulatedPlay[] => {
    const sessions = (binges.get(userId) ?? []).filter((b) => b.start < (hour + 1) * HOUR && b.end > hour * HOUR);
    if (!sessions.length) return hourPlays(userId, hour);
    const regular = hourPlays(userId, hour).filter(
      (p) => !sessions.some((b) => p.playedAt - p.msPlayed < b.end && p.playedAt > b.start),
    );
    const extra = sessions.flatMap((b) => b.plays.filter((p) => Math.floor((p.playedAt - 1) / HOUR) === hour));
    return [...regular, ...extra].sort((a, b) => a.playedAt - b.playedAt);
  };

  return {
    playsBetween(userId, from, to) {
      const out: EmulatedPlay[] = [];
      for (let hour = Math.floor(from / HOUR); hour <= Math.floor(to / HOUR); hour++) {
        for (const play of playsOfHour(userId, hour)) if (play.playedAt > from && play.playedAt <= to) out.push(play);
      }
      return out;
    },
    recent(userId, at, limit = 50) {
      const out: EmulatedPlay[] = [];
      // Spotify remembers the last 50 plays however old; this world's memory starts 60 days back.
      for (let hour = Math.floor(at / HOUR); out.length < limit && hour > Math.floor((at - 60 * DAY) / HOUR); hour--) {
        const plays = playsOfHour(userId, hour);
        for (let i = plays.length - 1; i >= 0 && out.length < limit; i--)
          if (plays[i]!.playedAt <= at) out.push(plays[i]!);
      }
      return out;
    },
    binge(userId, start, count) {
      const r = seededRandom(mix(seed, userIds.indexOf(userId), start, 5));
      const plays: EmulatedPlay[] = [];
      let at = start;
      for (let i = 0; i < count; i++) {
        const play = playOf(pickTrack(userId, r, at), at, r);
        plays.push(play);
        at = play.playedAt + r.int(500, 3_000);
      }
      const list = binges.get(userId) ?? [];
      list.push({ start, end: plays.at(-1)!.playedAt, plays });
      binges.set(userId, list);
      return plays.at(-1)!.playedAt;
    },
    setProfile(userId, profile) {
      profiles.set(userId, { ...(profiles.get(userId) ?? { hoursPerDay: 1, utcOffset: 0 }), ...profile });
      for (const key of memo.keys()) if (key.startsWith(`${userId}:`)) memo.delete(key);
    },
    profile: (userId) => ({ ...(profiles.get(userId) ?? { hoursPerDay: 0, utcOffset: 0 }) }),
  };
}

/**
 * The server's year awards (issue 25), among the members who share their listening in the server:
 * the caller passes only those. A tie on an award's measure is shared: every tied member wins, in
 * member-id order, because picking one of two equal listeners by their id would be arbitrary.
 */

export type AwardKind = 'nightOwl' | 'earlyBird' | 'explorer' | 'loyalist' | 'genreHopper' | 'trendsetter';

export const AWARD_ORDER: readonly AwardKind[] = [
  'nightOwl',
  'earlyBird',
  'explorer',
  'loyalist',
  'genreHopper',
  'trendsetter',
];

/** Local hours (member's own time zone) the two clock awards count: [from, to). */
export const NIGHT_HOURS = { from: 0, to: 5 } as const;
export const EARLY_HOURS = { from: 5, to: 9 } as const;
/** The server's most played artists a Trendsetter may have been first to. */
export const TRENDSETTER_TOP = 10;

/** One member's year, from the rollups (and their plays' local hours). */
export interface MemberYear {
  memberId: string;
  /** Listening time between 00:00 and 05:00 in the member's time zone. */
  nightMs: number;
  /** Listening time between 05:00 and 09:00 in the member's time zone. */
  earlyMs: number;
  /** Artists the member first played this year (never before it). */
  newArtists: number;
  /** The artist the member played most this year. */
  topArtist?: { name: string; plays: number };
  /** Listening time per genre this year; "unclassified" is ignored. */
  genres: ReadonlyArray<{ genre: string; ms: number }>;
}

/** A member's first play of one of the server's top artists (epoch ms). */
export interface FirstPlay {
  artistId: string;
  artist: string;
  memberId: string;
  firstAt: number;
}

export interface AwardWinner {
  memberId: string;
  /** The measure: ms, a count, bits of entropy, or how many top artists they were first to. */
  value: number;
  /** The artist (Loyalist), the genre count (Genre Hopper), the artists (Trendsetter). */
  about?: string;
  /** Trendsetter: when they first played the earliest of those artists. */
  since?: number;
}

export interface Award {
  kind: AwardKind;
  winners: AwardWinner[];
}

const EPSILON = 1e-9;

/** Members with the highest `value` (> 0), ties shared. */
function best<T extends { memberId: string; value: number }>(entries: readonly T[]): T[] {
  const top = Math.max(0, ...entries.map((e) => e.value));
  if (top <= 0) return [];
  return entries
    .filter((e) => Math.abs(e.value - top) <= EPSILON * Math.max(1, top))
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

/** Shannon entropy (bits) of the member's classified genre minutes: 0 with one genre, log2(n) with n even ones. */
export function genreEntropy(genres: MemberYear['genres']): { bits: number; genres: number } {
  const counted = genres.filter((g) => g.ms > 0 && g.genre !== 'unclassified');
  const total = counted.reduce((sum, g) => sum + g.ms, 0);
  if (total <= 0) return { bits: 0, genres: 0 };
  const bits = -counted.reduce((sum, g) => sum + (g.ms / total) * Math.log2(g.ms / total), 0);
  return { bits: Math.max(0, bits), genres: counted.length };
}

/**
 * Trendsetter credits: for each of the server's top artists, the member(s) whose first play came
 * earliest. The winner was first to the most of them; equal counts go to whoever was first earliest.
 */
export function trendsetters(firstPlays: readonly FirstPlay[], topArtistIds: readonly string[]): AwardWinner[] {
  const wanted = new Set(topArtistIds.slice(0, TRENDSETTER_TOP));
  const earliest = new Map<string, FirstPlay[]>();
  for (const play of firstPlays) {
    if (!wanted.has(play.artistId)) continue;
    const held = earliest.get(play.artistId);
    if (!held || play.firstAt < held[0]!.firstAt) earliest.set(play.artistId, [play]);
    else if (play.firstAt === held[0]!.firstAt) held.push(play);
  }
  const credits = new Map<string, FirstPlay[]>();
  for (const plays of earliest.values())
    for (const play of plays) credits.set(play.memberId, [...(credits.get(play.memberId) ?? []), play]);
  const entries = [...credits].map(([memberId, plays]) => ({
    memberId,
    value: plays.length,
    since: Math.min(...plays.map((p) => p.firstAt)),
    about: plays
      .sort((a, b) => a.firstAt - b.firstAt || (a.artist < b.artist ? -1 : 1))
      .map((p) => p.artist)
      .join(', '),
  }));
  const most = best(entries);
  const first = Math.min(...most.map((e) => e.since));
  return most.filter((e) => e.since === first);
}

/** Every award with at least one winner, in AWARD_ORDER. */
export function computeAwards(
  members: readonly MemberYear[],
  firstPlays: readonly FirstPlay[],
  topArtistIds: readonly string[],
): Award[] {
  const byKind: Record<AwardKind, AwardWinner[]> = {
    nightOwl: best(members.map((m) => ({ memberId: m.memberId, value: m.nightMs }))),
    earlyBird: best(members.map((m) => ({ memberId: m.memberId, value: m.earlyMs }))),
    explorer: best(members.map((m) => ({ memberId: m.memberId, value: m.newArtists }))),
    loyalist: best(
      members.map((m) => ({ memberId: m.memberId, value: m.topArtist?.plays ?? 0, about: m.topArtist?.name })),
    ),
    genreHopper: best(
      members.map((m) => {
        const { bits, genres } = genreEntropy(m.genres);
        return { memberId: m.memberId, value: bits, about: String(genres) };
      }),
    ),
    trendsetter: trendsetters(firstPlays, topArtistIds),
  };
  return AWARD_ORDER.filter((kind) => byKind[kind].length > 0).map((kind) => ({ kind, winners: byKind[kind] }));
}

/**
 * A server's weekly digest as plain data, from the opted-in members' week (the caller has already
 * left everyone else out). Pure: the numbers in, the digest out.
 */
import type { Milestone } from '../streaks/milestones.js';
import { isUnclassified, unclassifiedLast } from '../taste/unclassified.js';

export interface MemberWeek {
  memberId: string;
  ms: number;
  plays: number;
}
export interface ArtistWeek {
  artistId: string;
  name: string;
  plays: number;
  ms: number;
}
export interface TrackWeek {
  trackId: string;
  name: string;
  artists: readonly string[];
  plays: number;
}
export interface GenreWeek {
  genre: string;
  ms: number;
  plays: number;
}

/** Minutes listened in one hour of one weekday (0 = Monday … 6 = Sunday), in the server's time zone. */
export interface ClockMinutes {
  weekday: number;
  hour: number;
  minutes: number;
}

export interface DigestInput {
  week: string;
  /** The server's listening clock for the week (empty cells left out). */
  clock?: readonly ClockMinutes[];
  thisWeek: readonly MemberWeek[];
  lastWeek: readonly MemberWeek[];
  topArtists: readonly ArtistWeek[];
  topTracks: readonly TrackWeek[];
  genres: readonly GenreWeek[];
  lastWeekGenres: readonly GenreWeek[];
  /** Each member's listening time per genre this week (for the most diverse week). */
  memberGenres?: ReadonlyArray<{ memberId: string; genre: string; ms: number }>;
  /** Artists first played in this server this week (by any opted-in member), most played first. */
  discoveries: readonly ArtistWeek[];
  /** Crowns that changed hands this week (only visible members named; `fromId` null when unclaimed or hidden). */
  crownChanges?: ReadonlyArray<{ artist: string; toId: string; fromId: string | null; plays: number }>;
}

export type Movement = { kind: 'new' } | { kind: 'up'; by: number } | { kind: 'down'; by: number } | { kind: 'same' };

export interface LeaderboardRow {
  rank: number;
  memberId: string;
  ms: number;
  movement: Movement;
}

export type Highlight =
  | { kind: 'discovery'; artist: string; plays: number }
  | { kind: 'climber'; memberId: string; by: number }
  | { kind: 'genreShift'; genre: string; change: number }
  | { kind: 'diverse'; memberId: string; genres: number }
  | { kind: 'crown'; artist: string; toId: string; fromId: string | null; plays: number }
  | { kind: 'milestone'; memberId: string; milestone: Milestone };

/** Shannon entropy (bits) of a member's listening time over genres; "unclassified" left out. */
export function genreEntropy(msByGenre: ReadonlyMap<string, number>): number {
  const values = [...msByGenre].filter(([g, ms]) => !isUnclassified(g) && ms > 0).map(([, ms]) => ms);
  const total = values.reduce((s, v) => s + v, 0);
  return total > 0 ? Math.abs(values.reduce((s, v) => s + (v / total) * Math.log2(v / total), 0)) : 0;
}

export interface ServerDigest {
  kind: 'digest';
  week: string;
  totalMs: number;
  totalPlays: number;
  listeners: number;
  topArtists: ArtistWeek[];
  topTracks: TrackWeek[];
  /** Shares of the week's listening time (0–1), largest first. */
  topGenres: Array<{ genre: string; share: number; ms: number }>;
  leaderboard: LeaderboardRow[];
  highlights: Highlight[];
  clock: ClockMinutes[];
}
export interface QuietWeek {
  kind: 'quiet';
  week: string;
}

/** A server needs at least this many opted-in members with plays for a digest (else a short note). */
export const MIN_LISTENERS = 2;
export const LEADERBOARD_SIZE = 10;
const TOP = 5;

const byMsThenId = (a: MemberWeek, b: MemberWeek) => b.ms - a.ms || b.plays - a.plays || cmp(a.memberId, b.memberId);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Ranks (1-based) by listening time; members without plays are not ranked. */
export function ranks(weeks: readonly MemberWeek[]): Map<string, number> {
  return new Map(
    [...weeks]
      .filter((m) => m.plays > 0)
      .sort(byMsThenId)
      .map((m, i) => [m.memberId, i + 1]),
  );
}

export function movement(thisRank: number, lastRank: number | undefined): Movement {
  if (lastRank === undefined) return { kind: 'new' };
  if (lastRank > thisRank) return { kind: 'up', by: lastRank - thisRank };
  if (lastRank < thisRank) return { kind: 'down', by: thisRank - lastRank };
  return { kind: 'same' };
}

function genreShares(genres: readonly GenreWeek[]): Map<string, number> {
  const total = genres.reduce((s, g) => s + g.ms, 0);
  return new Map(genres.map((g) => [g.genre, total > 0 ? g.ms / total : 0]));
}

export function buildServerDigest(input: DigestInput): ServerDigest | QuietWeek {
  const active = input.thisWeek.filter((m) => m.plays > 0);
  if (active.length < MIN_LISTENERS) return { kind: 'quiet', week: input.week };
  const now = ranks(active);
  const before = ranks(input.lastWeek);
  const sorted = [...active].sort(byMsThenId);
  const leaderboard = sorted.slice(0, LEADERBOARD_SIZE).map((m) => ({
    rank: now.get(m.memberId)!,
    memberId: m.memberId,
    ms: m.ms,
    movement: movement(now.get(m.memberId)!, before.get(m.memberId)),
  }));

  const shares = genreShares(input.genres);
  const topGenres = unclassifiedLast(
    input.genres.filter((g) => g.ms > 0),
    (g) => g.genre,
    (a, b) => b.ms - a.ms || cmp(a.genre, b.genre),
  ).map((g) => ({ genre: g.genre, ms: g.ms, share: shares.get(g.genre) ?? 0 }));

  const highlights: Highlight[] = [];
  const discovery = input.discoveries[0];
  if (discovery) highlights.push({ kind: 'discovery', artist: discovery.name, plays: discovery.plays });
  const climber = sorted
    .map((m) => ({ memberId: m.memberId, by: (before.get(m.memberId) ?? 0) - now.get(m.memberId)! }))
    .filter((c) => before.has(c.memberId) && c.by >= 2)
    .sort((a, b) => b.by - a.by || cmp(a.memberId, b.memberId))[0];
  if (climber) highlights.push({ kind: 'climber', memberId: climber.memberId, by: climber.by });
  else {
    const last = genreShares(input.lastWeekGenres);
    const shift = [...new Set([...shares.keys(), ...last.keys()])]
      .filter((genre) => !isUnclassified(genre) && last.size > 0)
      .map((genre) => ({ genre, change: (shares.get(genre) ?? 0) - (last.get(genre) ?? 0) }))
      .filter((s) => Math.abs(s.change) >= 0.05)
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || cmp(a.genre, b.genre))[0];
    if (shift) highlights.push({ kind: 'genreShift', genre: shift.genre, change: shift.change });
  }

  if (highlights.length < 2) {
    const perMember = new Map<string, Map<string, number>>();
    for (const row of input.memberGenres ?? []) {
      if (!now.has(row.memberId)) continue;
      const genres = perMember.get(row.memberId) ?? new Map<string, number>();
      genres.set(row.genre, (genres.get(row.genre) ?? 0) + row.ms);
      perMember.set(row.memberId, genres);
    }
    const diverse = [...perMember]
      .map(([memberId, genres]) => ({
        memberId,
        entropy: genreEntropy(genres),
        genres: [...genres.keys()].filter((g) => !isUnclassified(g)).length,
      }))
      .filter((d) => d.entropy >= 1.5)
      .sort((a, b) => b.entropy - a.entropy || cmp(a.memberId, b.memberId))[0];
    if (diverse) highlights.push({ kind: 'diverse', memberId: diverse.memberId, genres: diverse.genres });
  }

  // A crown taken from someone is the better story than one claimed unopposed; most plays first.
  const crown = [...(input.crownChanges ?? [])].sort(
    (a, b) => Number(b.fromId !== null) - Number(a.fromId !== null) || b.plays - a.plays || cmp(a.artist, b.artist),
  )[0];

  return {
    kind: 'digest',
    week: input.week,
    totalMs: active.reduce((s, m) => s + m.ms, 0),
    totalPlays: active.reduce((s, m) => s + m.plays, 0),
    listeners: active.length,
    topArtists: input.topArtists.slice(0, TOP),
    topTracks: input.topTracks.slice(0, TOP),
    topGenres,
    leaderboard,
    // The crown comes on top of the two others: it is the server's own contest.
    highlights: [
      ...highlights.slice(0, 2),
      ...(crown
        ? [{ kind: 'crown' as const, artist: crown.artist, toId: crown.toId, fromId: crown.fromId, plays: crown.plays }]
        : []),
    ],
    clock: [...(input.clock ?? [])],
  };
}

/** At most this many members' milestones in one digest: a highlight, not a list. */
export const DIGEST_MILESTONES = 2;
const MILESTONE_ORDER: Record<Milestone['kind'], number> = { streakDays: 0, yearMinutes: 1, artistPlays: 2 };
const milestoneSize = (m: Milestone) =>
  m.kind === 'artistPlays' ? m.plays : m.kind === 'yearMinutes' ? m.minutes : m.days;

/**
 * The digest with the week's milestones of its leaderboard's members (opted in, by construction)
 * as highlights: each member's biggest one, streaks first, then the year's minutes, then plays of
 * an artist; at most DIGEST_MILESTONES members, in leaderboard order.
 */
export function withMilestones(digest: ServerDigest, crossed: ReadonlyMap<string, readonly Milestone[]>): ServerDigest {
  const picked: Highlight[] = [];
  for (const row of digest.leaderboard) {
    const best = [...(crossed.get(row.memberId) ?? [])].sort(
      (a, b) => MILESTONE_ORDER[a.kind] - MILESTONE_ORDER[b.kind] || milestoneSize(b) - milestoneSize(a),
    )[0];
    if (best) picked.push({ kind: 'milestone', memberId: row.memberId, milestone: best });
    if (picked.length === DIGEST_MILESTONES) break;
  }
  return picked.length ? { ...digest, highlights: [...digest.highlights, ...picked] } : digest;
}

import { computeAwards, type Award, type FirstPlay, type MemberYear } from './awards.js';

/** What the server's year reads from the rollups, for its opted-in members only. */
export interface ServerYearInput {
  year: number;
  /** The UTC days covered: 1 January to the last day counted. */
  fromDay: string;
  toDay: string;
  memberTotals: ReadonlyArray<{ memberId: string; plays: number; ms: number }>;
  months: ReadonlyArray<{ month: string; ms: number }>;
  topArtists: ReadonlyArray<{ artistId: string; name: string; plays: number; ms: number }>;
  topTracks: ReadonlyArray<{ name: string; artists: string[]; plays: number }>;
  genres: ReadonlyArray<{ genre: string; ms: number }>;
  members: readonly MemberYear[];
  firstPlays: readonly FirstPlay[];
}

export interface ServerYear {
  kind: 'year';
  year: number;
  fromDay: string;
  toDay: string;
  listeners: number;
  totalMs: number;
  totalPlays: number;
  /** The month (YYYY-MM) with the most listening. */
  topMonth?: { month: string; ms: number };
  topArtists: Array<{ name: string; plays: number; ms: number }>;
  topTracks: Array<{ name: string; artists: string[]; plays: number }>;
  /** Share of the classified listening, most first. */
  topGenres: Array<{ genre: string; share: number }>;
  awards: Award[];
}

const TOP = 5;

/** The server's year: totals, tops, its busiest month and the awards. */
export function buildServerYear(input: ServerYearInput): ServerYear {
  const listening = input.memberTotals.filter((m) => m.plays > 0);
  const classified = input.genres.filter((g) => g.genre !== 'unclassified' && g.ms > 0);
  const genreMs = classified.reduce((sum, g) => sum + g.ms, 0);
  const topMonth = [...input.months]
    .filter((m) => m.ms > 0)
    .sort((a, b) => b.ms - a.ms || (a.month < b.month ? -1 : 1))[0];
  return {
    kind: 'year',
    year: input.year,
    fromDay: input.fromDay,
    toDay: input.toDay,
    listeners: listening.length,
    totalMs: listening.reduce((sum, m) => sum + m.ms, 0),
    totalPlays: listening.reduce((sum, m) => sum + m.plays, 0),
    ...(topMonth ? { topMonth } : {}),
    topArtists: input.topArtists.slice(0, TOP).map(({ name, plays, ms }) => ({ name, plays, ms })),
    topTracks: input.topTracks.slice(0, TOP).map(({ name, artists, plays }) => ({ name, artists, plays })),
    topGenres: [...classified]
      .sort((a, b) => b.ms - a.ms || (a.genre < b.genre ? -1 : 1))
      .slice(0, TOP)
      .map((g) => ({ genre: g.genre, share: g.ms / genreMs })),
    awards: computeAwards(
      input.members,
      input.firstPlays,
      input.topArtists.map((a) => a.artistId),
    ),
  };
}

/** Which year a moment belongs to, and the UTC days a server year covers up to `toDay`. */
export function yearDays(year: number, toDay: string): { fromDay: string; toDay: string } {
  const last = `${year}-12-31`;
  return { fromDay: `${year}-01-01`, toDay: toDay < last ? toDay : last };
}

import {
  HISTORY_PERIODS,
  PERIOD_LABELS,
  daysEndingAt,
  gapsWithin,
  listeningClock,
  periodRange,
  utcDaysOf,
  weeklyGenreMix,
  type Gap,
  type HistoryPeriod,
} from '../../core/history/index.js';
import {
  RANGE_LABELS,
  memberChartData,
  type MemberChartData,
  type MemberChartKind,
  type TimeRange,
  type TopItemsSource,
} from './memberChart.js';
import type { HistoryReader } from './ports.js';
import { RANGE_DAYS, THIN_HISTORY_PLAYS } from './coverage.js';
import { genreDisplayName, isUnclassified } from '../../core/taste/index.js';
import { playsAndListeningTime } from '../../core/time/listeningTime.js';

export { HISTORY_PERIODS, THIN_HISTORY_PLAYS, type HistoryPeriod };

/** The genre mix looks back this far unless the member asks for all time or a year. */
const MIX_DEFAULT_WEEKS = 12;
const TOP_LIMIT = 10;
/** From this share of unclassified listening on, a genre chart says the lookups are still catching up. */
const MOSTLY_UNCLASSIFIED = 0.5;
const DAY = 86_400_000;

/** Which Spotify range stands in for a period when history is thin. */
const FALLBACK_RANGE: Record<HistoryPeriod, TimeRange> = {
  week: 'short_term',
  month: 'short_term',
  year: 'long_term',
  all: 'long_term',
};

/** What the member should know about a history chart, turned into words by the message builder. */
export type HistoryNote =
  /** Too few plays in the span; `fallback`: Spotify's top items for that range stood in. */
  | { kind: 'thin'; plays: number; period: HistoryPeriod | TimeRange; fallback?: TimeRange }
  | { kind: 'since'; firstPlayAt: number }
  | { kind: 'gaps'; gaps: Gap[] }
  | { kind: 'timeZone'; timeZone: string; isDefault: boolean }
  /** Most of the listening's artists have no genre in the shared cache yet (the background resolver is on it). */
  | { kind: 'unclassified'; share: number }
  /** One of Spotify's ranges, counted from the member's history (it covers the span): no Spotify request. */
  | { kind: 'fromHistory'; range: TimeRange }
  /** One of Spotify's ranges, from Spotify's top items: the member's history does not cover the span yet. */
  | { kind: 'fromSpotify'; range: TimeRange };

export interface HistoryChart {
  data: MemberChartData;
  notes: HistoryNote[];
  /** Whether the chart is drawn from Encore's history (false: Spotify's top items stood in). */
  fromHistory: boolean;
}

export interface HistoryChartDeps {
  history: HistoryReader;
  /** The member's time zone, if they set one. */
  timeZoneOf(memberId: string): Promise<string | undefined>;
  /**
   * Spotify's top items, for when history is thin (today's charts). Absent for a member without
   * Spotify (ListenBrainz, Last.fm, an import): the thin history is drawn as it is, and says so.
   */
  spotify?(): Promise<TopItemsSource>;
}

/** The span a history chart reads, with its words: a /chart period, or one of Spotify's ranges. */
export interface HistorySpan {
  range: { from: number; to: number };
  label: string;
  /** What the thin note names: the period asked for, or the Spotify range read from history. */
  named: HistoryPeriod | TimeRange;
  /** When the span is one of Spotify's ranges: the chart says it was counted from history. */
  spotifyRange?: TimeRange;
  /** Which Spotify range stands in when the history is thin (for a period). */
  fallback: TimeRange;
}

/** What the history knows about a member over a span: read once, by the caller that chose the span. */
export interface HistoryFacts {
  summary: { plays: number; ms: number; firstPlayAt?: number; lastPlayAt?: number };
  gaps: Gap[];
}

export const DEFAULT_TIME_ZONE = 'UTC';

/** "35%", and "<1%" rather than a "0%" beside a genre that was played. */
const percent = (share: number) => (share > 0 && share < 0.005 ? '<1%' : `${Math.round(share * 100)}%`);

/** The span a period covers for a chart kind (the genre mix looks back at least MIX_DEFAULT_WEEKS). */
export function periodSpan(kind: MemberChartKind, period: HistoryPeriod, now: number): HistorySpan {
  const widened = kind === 'genre-mix' && (period === 'week' || period === 'month');
  return {
    range: widened ? daysEndingAt(now, MIX_DEFAULT_WEEKS * 7) : periodRange(period, now),
    label: widened ? `Past ${MIX_DEFAULT_WEEKS} weeks` : PERIOD_LABELS[period],
    named: period,
    fallback: FALLBACK_RANGE[period],
  };
}

/** The member's summary over a span's UTC days and their recorded gaps. */
export async function historyFacts(history: HistoryReader, memberId: string, span: HistorySpan): Promise<HistoryFacts> {
  const days = utcDaysOf(span.range);
  const [summary, gaps] = await Promise.all([
    history.summary(memberId, days.fromDay, days.toDay),
    history.gaps(memberId),
  ]);
  return { summary, gaps };
}

/**
 * A member's chart from their listening history over a period ending `now`: top artists, tracks
 * or genres with real play counts and minutes, the listening clock in their time zone (computed
 * from the plays: rollups are per UTC day), or the weekly genre mix (from the rollups). Where the
 * period holds too few plays, top lists come from Spotify instead and the notes say so; recorded
 * collection gaps inside the period are noted.
 */
export async function historyChartData(
  kind: MemberChartKind,
  period: HistoryPeriod,
  memberId: string,
  now: number,
  deps: HistoryChartDeps,
): Promise<HistoryChart> {
  const span = periodSpan(kind, period, now);
  return historySpanChart(kind, span, memberId, await historyFacts(deps.history, memberId, span), deps);
}

/** historyChartData over any span, with the facts the caller already read. */
export async function historySpanChart(
  kind: MemberChartKind,
  span: HistorySpan,
  memberId: string,
  facts: HistoryFacts,
  deps: HistoryChartDeps,
): Promise<HistoryChart> {
  const { range, label } = span;
  const { summary } = facts;
  const days = utcDaysOf(range);
  const notes: HistoryNote[] = [];
  const inPeriod = gapsWithin(facts.gaps, range);
  if (summary.firstPlayAt !== undefined && summary.firstPlayAt > range.from + DAY)
    notes.push({ kind: 'since', firstPlayAt: summary.firstPlayAt });
  const thin = summary.plays < THIN_HISTORY_PLAYS;
  const counted = `${label} · ${playsAndListeningTime(summary.plays, summary.ms)}`;
  // Top lists read from history for one of Spotify's ranges say so where Spotify's would be unlabelled.
  const topSubtitle = span.spotifyRange ? `${counted} · from your history` : counted;
  const thinNote: HistoryNote = { kind: 'thin', plays: summary.plays, period: span.named };

  switch (kind) {
    case 'top-artists':
    case 'top-tracks':
    case 'top-genres': {
      if (thin && deps.spotify) {
        const fallback = span.fallback;
        const data = await memberChartData(kind, fallback, await deps.spotify());
        return {
          data: { ...data, subtitle: `${data.subtitle} · Spotify’s top items: too little history yet` },
          notes: [{ ...thinNote, fallback }],
          fromHistory: false,
        };
      }
      if (thin) notes.push(thinNote);
      else if (inPeriod.length) notes.push({ kind: 'gaps', gaps: inPeriod });
      if (span.spotifyRange) notes.push({ kind: 'fromHistory', range: span.spotifyRange });
      if (kind === 'top-artists') {
        const artists = await deps.history.topArtists(memberId, days.fromDay, days.toDay, TOP_LIMIT);
        return {
          data: {
            kind,
            title: 'Your top artists',
            subtitle: topSubtitle,
            artists: artists.map((a) => ({
              name: a.name,
              value: a.plays,
              valueLabel: playsAndListeningTime(a.plays, a.ms),
            })),
          },
          notes,
          fromHistory: true,
        };
      }
      if (kind === 'top-tracks') {
        const tracks = await deps.history.topTracks(memberId, range.from, range.to, TOP_LIMIT);
        return {
          data: {
            kind,
            title: 'Your top tracks',
            subtitle: topSubtitle,
            tracks: tracks.map((t) => ({
              name: t.name,
              artist: t.artists.join(', ') || 'Unknown artist',
              value: t.plays,
              valueLabel: playsAndListeningTime(t.plays, t.ms),
            })),
          },
          notes,
          fromHistory: true,
        };
      }
      // Genres from the rollups, which the collector and the import filled from the shared genre
      // cache alone: artists it did not know yet count as "Not yet classified" until the background
      // resolver (the resolve-genres job) learns them and the recount moves their plays.
      const byGenre = new Map<string, { plays: number; ms: number }>();
      for (const row of await deps.history.genreDays(memberId, days.fromDay, days.toDay, 'period')) {
        const g = byGenre.get(row.genre) ?? { plays: 0, ms: 0 };
        g.plays += row.plays;
        g.ms += row.ms;
        byGenre.set(row.genre, g);
      }
      const totalMs = [...byGenre.values()].reduce((s, g) => s + g.ms, 0) || 1;
      const unclassified = [...byGenre].filter(([genre]) => isUnclassified(genre)).reduce((s, [, g]) => s + g.ms, 0);
      if (unclassified / totalMs >= MOSTLY_UNCLASSIFIED)
        notes.push({ kind: 'unclassified', share: unclassified / totalMs });
      return {
        data: {
          kind,
          title: 'Your top genres',
          subtitle: topSubtitle,
          genres: [...byGenre.entries()].map(([genre, g]) => ({
            genre: genreDisplayName(genre),
            share: g.ms / totalMs,
            valueLabel: `${percent(g.ms / totalMs)} · ${playsAndListeningTime(g.plays, g.ms)}`,
          })),
        },
        notes,
        fromHistory: true,
      };
    }
    case 'listening-clock': {
      const stored = await deps.timeZoneOf(memberId);
      const timeZone = stored ?? DEFAULT_TIME_ZONE;
      notes.push({ kind: 'timeZone', timeZone, isDefault: stored === undefined });
      if (thin) notes.push(thinNote);
      else if (inPeriod.length) notes.push({ kind: 'gaps', gaps: inPeriod });
      const plays = await deps.history.playTimes(memberId, range.from, range.to);
      return {
        data: {
          kind,
          title: 'Your listening clock',
          subtitle: `${counted} · ${timeZone} time`,
          cells: listeningClock(plays, timeZone).map(({ weekday, hour, minutes }) => ({ weekday, hour, minutes })),
        },
        notes,
        fromHistory: true,
      };
    }
    case 'genre-mix': {
      if (thin) notes.push(thinNote);
      else if (inPeriod.length) notes.push({ kind: 'gaps', gaps: inPeriod });
      const rows = await deps.history.genreDays(memberId, days.fromDay, days.toDay, 'week');
      return {
        data: {
          kind,
          title: 'Your genre mix',
          subtitle: `${counted} · weeks from Monday, UTC`,
          points: weeklyGenreMix(rows),
        },
        notes,
        fromHistory: true,
      };
    }
  }
}

/** One of Spotify's ranges as a span of history ending `now`. */
export function rangeSpan(range: TimeRange, now: number): HistorySpan {
  return {
    range: daysEndingAt(now, RANGE_DAYS[range]),
    label: RANGE_LABELS[range],
    named: range,
    spotifyRange: range,
    fallback: range,
  };
}

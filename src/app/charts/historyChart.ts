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
  memberChartData,
  type MemberChartData,
  type MemberChartKind,
  type TimeRange,
  type TopItemsSource,
} from './memberChart.js';
import type { HistoryReader } from './ports.js';
import { genreDisplayName } from '../../core/taste/index.js';
import { playsAndListeningTime } from '../../core/time/listeningTime.js';

export { HISTORY_PERIODS, type HistoryPeriod };

/** Fewer plays than this in the period and the top lists come from Spotify instead (said so). */
export const THIN_HISTORY_PLAYS = 20;
/** The genre mix looks back this far unless the member asks for all time or a year. */
const MIX_DEFAULT_WEEKS = 12;
const TOP_LIMIT = 10;
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
  | { kind: 'thin'; plays: number; period: HistoryPeriod; fallback?: TimeRange }
  | { kind: 'since'; firstPlayAt: number }
  | { kind: 'gaps'; gaps: Gap[] }
  | { kind: 'timeZone'; timeZone: string; isDefault: boolean };

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
  /** Spotify's top items, for when history is thin (today's charts). */
  spotify(): Promise<TopItemsSource>;
}

export const DEFAULT_TIME_ZONE = 'UTC';

/** "35%", and "<1%" rather than a "0%" beside a genre that was played. */
const percent = (share: number) => (share > 0 && share < 0.005 ? '<1%' : `${Math.round(share * 100)}%`);

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
  const range =
    kind === 'genre-mix' && (period === 'week' || period === 'month')
      ? daysEndingAt(now, MIX_DEFAULT_WEEKS * 7)
      : periodRange(period, now);
  const days = utcDaysOf(range);
  const label =
    kind === 'genre-mix' && range.from !== periodRange(period, now).from
      ? `Past ${MIX_DEFAULT_WEEKS} weeks`
      : PERIOD_LABELS[period];
  const [summary, gaps] = await Promise.all([
    deps.history.summary(memberId, days.fromDay, days.toDay),
    deps.history.gaps(memberId),
  ]);
  const notes: HistoryNote[] = [];
  const inPeriod = gapsWithin(gaps, range);
  if (summary.firstPlayAt !== undefined && summary.firstPlayAt > range.from + DAY)
    notes.push({ kind: 'since', firstPlayAt: summary.firstPlayAt });
  const thin = summary.plays < THIN_HISTORY_PLAYS;
  const counted = `${label} · ${playsAndListeningTime(summary.plays, summary.ms)}`;

  switch (kind) {
    case 'top-artists':
    case 'top-tracks':
    case 'top-genres': {
      if (thin) {
        const fallback = FALLBACK_RANGE[period];
        const data = await memberChartData(kind, fallback, await deps.spotify());
        return {
          data: { ...data, subtitle: `${data.subtitle} · Spotify’s top items: too little history yet` },
          notes: [{ kind: 'thin', plays: summary.plays, period, fallback }],
          fromHistory: false,
        };
      }
      if (inPeriod.length) notes.push({ kind: 'gaps', gaps: inPeriod });
      if (kind === 'top-artists') {
        const artists = await deps.history.topArtists(memberId, days.fromDay, days.toDay, TOP_LIMIT);
        return {
          data: {
            kind,
            title: 'Your top artists',
            subtitle: counted,
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
            subtitle: counted,
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
      const byGenre = new Map<string, { plays: number; ms: number }>();
      for (const row of await deps.history.genreDays(memberId, days.fromDay, days.toDay, 'period')) {
        const g = byGenre.get(row.genre) ?? { plays: 0, ms: 0 };
        g.plays += row.plays;
        g.ms += row.ms;
        byGenre.set(row.genre, g);
      }
      const totalMs = [...byGenre.values()].reduce((s, g) => s + g.ms, 0) || 1;
      return {
        data: {
          kind,
          title: 'Your top genres',
          subtitle: counted,
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
      if (thin) notes.push({ kind: 'thin', plays: summary.plays, period });
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
      if (thin) notes.push({ kind: 'thin', plays: summary.plays, period });
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

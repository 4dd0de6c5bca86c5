import type { HistoryPeriod } from '../../core/history/index.js';
import { historyCoverage } from './coverage.js';
import {
  historyFacts,
  historySpanChart,
  periodSpan,
  rangeSpan,
  type HistoryChart,
  type HistoryChartDeps,
} from './historyChart.js';
import { memberChartData, type MemberChartKind, type TimeRange, type TopItemsSource } from './memberChart.js';
import type { HistoryReader } from './ports.js';

/** The kinds that exist only in history (Spotify keeps no play times): a range cannot serve them. */
const HISTORY_KINDS = new Set<MemberChartKind>(['listening-clock', 'genre-mix']);

export interface MemberChartRequest {
  kind: MemberChartKind;
  memberId: string;
  /** A history period the member asked for. */
  period?: HistoryPeriod;
  /** One of Spotify's ranges (the default when no period is asked: short_term). */
  range?: TimeRange;
  now: number;
}

export interface MemberChartDeps {
  /** Absent when this process keeps no history: Spotify's top lists, as before history existed. */
  history?: HistoryReader;
  timeZoneOf(memberId: string): Promise<string | undefined>;
  /** Whether the member linked Spotify (a store read, no request). */
  spotifyLinked(): Promise<boolean>;
  /** The member's Spotify top items; throws NotLinkedError when they have not linked Spotify. */
  spotify(): Promise<TopItemsSource>;
}

/**
 * A member's /chart, from their history first: a period, the listening clock and the genre mix
 * always read the history; a top list for one of Spotify's ranges is counted from the history when
 * it covers the range (coverage.ts), with no Spotify request at all, and asks Spotify's top items
 * only where the history is thin. A member without Spotify (ListenBrainz, Last.fm, an import) gets
 * whatever their history holds, noted when thin; one with neither history nor Spotify is told to link.
 */
export async function chartForMember(request: MemberChartRequest, deps: MemberChartDeps): Promise<HistoryChart> {
  const { kind, memberId, now } = request;
  const range = request.range ?? 'short_term';
  const history = deps.history;
  if (!history)
    return { data: await memberChartData(kind, range, await deps.spotify()), notes: [], fromHistory: false };
  const linked = await deps.spotifyLinked();
  const historyDeps: HistoryChartDeps = {
    history,
    timeZoneOf: deps.timeZoneOf,
    ...(linked ? { spotify: deps.spotify } : {}),
  };
  const fromPeriod = request.period !== undefined || HISTORY_KINDS.has(kind);
  const span = fromPeriod ? periodSpan(kind, request.period ?? 'month', now) : rangeSpan(range, now);
  const facts = await historyFacts(history, memberId, span);
  // Neither Spotify nor a single stored play: Spotify is the way in, and deps.spotify() says how to link it.
  if (!linked && facts.summary.firstPlayAt === undefined) await deps.spotify();
  if (fromPeriod || !linked || historyCoverage(span.range, facts.summary, facts.gaps).covers)
    return historySpanChart(kind, span, memberId, facts, historyDeps);
  const data = await memberChartData(kind, range, await deps.spotify());
  return {
    data: { ...data, subtitle: `${data.subtitle} · Spotify’s top items` },
    notes: [{ kind: 'fromSpotify', range }],
    fromHistory: false,
  };
}

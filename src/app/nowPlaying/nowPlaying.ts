import { UserError } from '../../core/errors.js';
import type { NowPlayingDeps, NowPlayingSource, PlayCounts, PlayedTrack, SourceReading } from './ports.js';

export type * from './ports.js';

/** /np's answer when there is something (or nothing) to show. */
export interface NowPlayingView {
  /** 'none': connected, but no source and no history has a play yet. */
  state: 'playing' | 'last' | 'none';
  track?: PlayedTrack;
  /** When it was seen playing, or when the last play was. */
  at?: number;
  /** Where it came from; undefined for the last play found in Encore's own history. */
  source?: NowPlayingSource;
  counts?: PlayCounts;
  /** In a server: its opted-in members who played the artist, and the member's rank among them. */
  server?: { listeners: number; rank?: number };
}

export type NowPlayingResult =
  { kind: 'shown'; view: NowPlayingView } | { kind: 'consent'; url: string; expiresAt: number };

type Reading = { source: NowPlayingSource; reading: SourceReading };

/**
 * /np: the track a member plays now on any source they connected (Spotify first), else the newest
 * of their sources' last listens and their history's last play. A Spotify link made before Encore
 * asked for the currently-playing scope gets a consent link instead of an error.
 */
export async function nowPlaying(
  deps: NowPlayingDeps,
  query: { memberId: string; guildId?: string },
): Promise<NowPlayingResult> {
  const { memberId, guildId } = query;
  const sources = await deps.sourcesOf(memberId);
  if (!sources.length) throw new UserError('nowPlaying.notLinked');
  const settled = await Promise.allSettled(sources.map((source) => deps.read(memberId, source)));
  const readings: Reading[] = settled.flatMap((r, i) =>
    r.status === 'fulfilled' ? [{ source: sources[i]!, reading: r.value }] : [],
  );
  // One source failing leaves the others to answer; all of them failing is the first one's error.
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!readings.length && failed) throw failed.reason;
  if (readings.some((r) => r.reading.kind === 'needs-consent'))
    return { kind: 'consent', ...(await deps.consentUrl(memberId, guildId)) };

  const playing = readings.find((r) => r.reading.kind === 'playing');
  const chosen = playing ? shown(playing, 'playing') : await lastPlay(deps, memberId, readings);
  if (!chosen) return { kind: 'shown', view: { state: 'none' } };
  const counts = await deps.counts(memberId, chosen.track);
  const view: NowPlayingView = { ...chosen, counts };
  if (guildId && counts.artistId && deps.listenersOf) {
    const listeners = await deps.listenersOf(guildId, counts.artistId);
    const mine = listeners.find((l) => l.memberId === memberId);
    view.server = { listeners: listeners.length, ...(mine ? { rank: mine.rank } : {}) };
  }
  return { kind: 'shown', view };
}

function shown(r: Reading, state: 'playing' | 'last') {
  const reading = r.reading as Extract<SourceReading, { track: PlayedTrack }>;
  return { state, track: reading.track, at: reading.at, source: r.source };
}

const sameTrack = (a: PlayedTrack, b: PlayedTrack) =>
  a.name.toLowerCase() === b.name.toLowerCase() &&
  a.artists[0]?.name.toLowerCase() === b.artists[0]?.name.toLowerCase();

/**
 * The newest last play among the sources' and the history's (the history may lag a poll behind).
 * The history dates a play by its end, ListenBrainz and Last.fm by its start: the same play found
 * in both is the source's, which carries the cover and the link.
 */
async function lastPlay(deps: NowPlayingDeps, memberId: string, readings: readonly Reading[]) {
  const fromSources = readings
    .filter((r) => r.reading.kind === 'last')
    .map((r) => shown(r, 'last'))
    .sort((a, b) => b.at - a.at);
  const newest = fromSources[0];
  const history = await deps.lastFromHistory(memberId);
  if (!history || (newest && (history.at <= newest.at || sameTrack(history.track, newest.track)))) return newest;
  return { state: 'last' as const, track: history.track, at: history.at, source: undefined };
}

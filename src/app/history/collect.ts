import {
  BudgetExhaustedError,
  NotAllowlistedError,
  NotLinkedError,
  QuotaExceededError,
  RateLimitedError,
  RelinkNeededError,
} from '../../core/errors.js';
import { CADENCE, detectGap, nextPollDelay, retryAt, rollupGenre } from '../../core/history/index.js';
import type { CatalogueTrack, CollectorDeps, NewPlay, RecentlyPlayedPage } from './ports.js';

/** Long enough for one poll (a single request, 30 s timeout at background priority, retries). */
export const POLL_LEASE_MS = 3 * 60_000;
/** Members polled side by side by one instance; the gateway's pacer bounds Spotify traffic anyway. */
const PARALLEL_POLLS = 4;

export type PollResult =
  | { kind: 'collected'; memberId: string; fetched: number; inserted: number; gap: boolean; nextPollAt: number }
  | { kind: 'not-due' | 'busy' | 'unlinked'; memberId: string }
  | { kind: 'relink-needed'; memberId: string }
  | { kind: 'failed'; memberId: string; reason: string; nextPollAt: number };

/** The album image nearest 300 px wide (Spotify lists 640, 300 and 64): a grid tile is at most that. */
function coverUrl(images: Array<{ url?: string | null; width?: number | null }> | null | undefined) {
  const usable = (images ?? []).filter((i): i is { url: string; width?: number | null } => !!i.url);
  usable.sort((a, b) => Math.abs((a.width ?? 300) - 300) - Math.abs((b.width ?? 300) - 300));
  return usable[0]?.url;
}

/** Turns Spotify's items into plays; items without a track id (local files) are skipped. */
export function playsFromPage(page: RecentlyPlayedPage, genreOf: (track: CatalogueTrack) => string): NewPlay[] {
  const plays: NewPlay[] = [];
  for (const item of page.items) {
    const t = item.track;
    const playedAt = Date.parse(item.played_at);
    if (!t?.id || t.is_local || Number.isNaN(playedAt)) continue;
    const track: CatalogueTrack = {
      id: t.id,
      name: t.name,
      durationMs: t.duration_ms,
      isrc: t.external_ids?.isrc,
      album: t.album?.id
        ? {
            id: t.album.id,
            name: t.album.name ?? '',
            releaseDate: t.album.release_date ?? undefined,
            imageUrl: coverUrl(t.album.images),
          }
        : undefined,
      artists: (t.artists ?? []).filter((a): a is { id: string; name: string } => !!a.id),
    };
    // recently-played has no ms_played: the track's length stands in for it, marked as estimated.
    const ms = t.duration_ms ?? null;
    plays.push({
      playedAt,
      track,
      msPlayed: ms,
      msEstimated: ms !== null,
      source: 'collected',
      contextUri: item.context?.uri ?? undefined,
      genre: '',
    });
  }
  for (const play of plays) play.genre = genreOf(play.track);
  return plays;
}

/**
 * Polls one member's recently-played once, if it is due, and stores what is new. Called under
 * the member's lease. Every failure is an outcome, never an exception: one member's trouble must
 * not stop the others' polls, and a failed poll is simply tried again at the next cadence.
 */
export async function pollMember(deps: CollectorDeps, memberId: string, now: number): Promise<PollResult> {
  // Read under the lease: another instance may have polled this member a moment ago.
  const state = await deps.repo.ensureCollectorState(memberId, now);
  if (state.nextPollAt > now) return { kind: 'not-due', memberId };
  let page: RecentlyPlayedPage;
  try {
    const spotify = await deps.spotifyFor(memberId);
    page = await spotify.recentlyPlayed(state.cursor);
  } catch (error) {
    return failed(deps, memberId, now, error);
  }
  const artistIds = [
    ...new Set(page.items.flatMap((i) => (i.track?.artists ?? []).map((a) => a.id).filter((id): id is string => !!id))),
  ];
  const genres = await deps.cachedGenres(artistIds);
  const plays = playsFromPage(page, (track) => rollupGenre(track.artists.map((a) => genres.get(a.id))));
  // Every item counts for the window, local files included: they fill Spotify's 50 like any play.
  const times = page.items.map((i) => Date.parse(i.played_at)).filter((t) => !Number.isNaN(t));
  const newest = times.length ? Math.max(...times) : undefined;
  const cursor = Math.max(state.cursor ?? Number.NEGATIVE_INFINITY, newest ?? Number.NEGATIVE_INFINITY);
  const lastPlayAt = newest === undefined ? state.lastPlayAt : Math.max(newest, state.lastPlayAt ?? newest);
  const gap = detectGap(state.cursor, times);
  const nextPollAt = now + nextPollDelay({ count: times.length, lastPlayAt }, now);
  const stored = await deps.repo.recordPoll(memberId, {
    plays,
    gap,
    detectedAt: now,
    state: {
      cursor: Number.isFinite(cursor) ? cursor : undefined,
      nextPollAt,
      lastPollAt: now,
      lastCount: times.length,
      lastPlayAt,
    },
  });
  if (!stored) return { kind: 'unlinked', memberId };
  if (gap)
    deps.log.info(
      { memberId, from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString() },
      'plays may be missing: recently-played was full past the cursor',
    );
  return { kind: 'collected', memberId, fetched: plays.length, inserted: stored.inserted, gap: !!gap, nextPollAt };
}

async function failed(deps: CollectorDeps, memberId: string, now: number, error: unknown): Promise<PollResult> {
  if (error instanceof NotLinkedError) {
    // Unlinked between listing and polling: the state this poll created must not outlive the link.
    await deps.repo.dropCollectorState(memberId);
    return { kind: 'unlinked', memberId };
  }
  if (error instanceof RelinkNeededError) {
    // The link is now marked dead (the member gets a relink DM); it is not polled until they relink.
    // Logged once, here: later ticks skip the member without a word.
    deps.log.info({ memberId }, 'Spotify ended the link: history collection paused until the member links again');
    await deps.repo.recordFailure(memberId, now + CADENCE.idleMs);
    return { kind: 'relink-needed', memberId };
  }
  const resumesAt =
    error instanceof QuotaExceededError
      ? error.resumesAt
      : error instanceof BudgetExhaustedError
        ? error.availableAt
        : error instanceof RateLimitedError
          ? error.retryAt
          : undefined;
  const nextPollAt = error instanceof NotAllowlistedError ? now + CADENCE.idleMs : retryAt(now, resumesAt);
  await deps.repo.recordFailure(memberId, nextPollAt);
  const reason = error instanceof Error ? error.name : String(error);
  if (resumesAt === undefined && !(error instanceof NotAllowlistedError))
    deps.log.warn({ memberId, err: error }, 'history poll failed; tried again at the next cadence');
  return { kind: 'failed', memberId, reason, nextPollAt };
}

/**
 * One collector tick: every linked member whose next poll is due is polled once, each under a
 * per-member lease so that two instances never poll the same member at the same time.
 */
export async function collectDue(deps: CollectorDeps, now: number): Promise<PollResult[]> {
  const members = await deps.activeMembers();
  const states = await deps.repo.collectorStates(members);
  const due = members.filter((id) => (states.get(id)?.nextPollAt ?? Number.NEGATIVE_INFINITY) <= now);
  const results: PollResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const memberId = due[next++]!;
      if (!(await deps.lease.acquire(memberId, deps.instanceId, POLL_LEASE_MS, now))) {
        results.push({ kind: 'busy', memberId });
        continue;
      }
      try {
        results.push(await pollMember(deps, memberId, now));
      } catch (error) {
        // The database failed mid-poll: nothing was committed, the cursor did not move.
        deps.log.warn({ memberId, err: error }, 'could not store a history poll; tried again next tick');
        results.push({ kind: 'failed', memberId, reason: 'store', nextPollAt: now });
      } finally {
        await deps.lease.release(memberId, deps.instanceId).catch(() => {});
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_POLLS, due.length) }, worker));
  return results;
}

import { BudgetExhaustedError, QuotaExceededError } from '../../core/errors.js';
import { parentGenreOf } from '../../core/genres/index.js';
import { affinities, fineGenrePlays, rankSuggestions, type Candidate } from '../../core/suggest/index.js';
import type { SuggestDeps } from './engine.js';
import type { Suggestion, SuggestionSource, SuggestRequest, SuggestResult, SuggestService } from './ports.js';
import { utcDay } from '../../core/time/utcDay.js';
import { releaseCandidates, representativeGenres, serverRadar } from './suggestCandidates.js';
import { SUGGEST_LIMITS } from './suggestLimits.js';

export { COLD_REQUEST_CAP, SUGGEST_LIMITS, WARM_REQUEST_CAP } from './suggestLimits.js';

const DAY = 86_400_000;
const dayOf = utcDay;

/** Tracks from sources, the library check, and the final pick (see README "Suggestions"). */
export function createSuggestService(deps: SuggestDeps): SuggestService {
  return {
    feedback: deps.feedback,
    async suggest(request) {
      return suggestTracks(deps, request);
    },
  };
}

const wants = (from: SuggestRequest['from'], source: SuggestionSource) =>
  from === 'everything' ||
  (from === 'server' && source === 'server') ||
  (from === 'artists' && (source === 'newRelease' || source === 'deepCut')) ||
  (from === 'genre' && source === 'genre');

const spotifyShort = (error: unknown) => error instanceof BudgetExhaustedError || error instanceof QuotaExceededError;

export async function suggestTracks(deps: SuggestDeps, request: SuggestRequest): Promise<SuggestResult> {
  const { memberId, now } = request;
  // The last day with plays before `now` (a cut at midnight must not read the day after it).
  const today = dayOf(now - 1);
  const daysBack = (n: number) => dayOf(now - 1 - (n - 1) * DAY);
  const spotify = await deps.spotifyFor(memberId);
  const skipped = new Set<SuggestionSource>();

  // The member's taste, from the history first; Spotify's top artists only when it is thin.
  let topArtists = await deps.history.topArtists(memberId, daysBack(SUGGEST_LIMITS.tasteDays), today, 50);
  if (topArtists.reduce((s, a) => s + a.plays, 0) < SUGGEST_LIMITS.thinPlays)
    topArtists = await deps.history.topArtists(memberId, daysBack(SUGGEST_LIMITS.thinTasteDays), today, 50);
  let spotifyGenres = new Map<string, string[]>();
  if (topArtists.reduce((s, a) => s + a.plays, 0) < SUGGEST_LIMITS.thinPlays && (await spotify.remainingBudget()) > 2) {
    const top = await spotify.topArtists().catch((e: unknown) => (spotifyShort(e) ? [] : Promise.reject(e)));
    const known = new Set(topArtists.map((a) => a.id));
    // Ranked Spotify artists count as a few plays each, less than anything the member really played.
    topArtists = [
      ...topArtists,
      ...top.filter((a) => !known.has(a.id)).map((a, i) => ({ ...a, plays: Math.max(1, 5 - i / 10) })),
    ];
    spotifyGenres = new Map(top.map((a) => [a.id, a.genres]));
  }
  const artistGenres = new Map([...(await spotify.knownGenres(topArtists.map((a) => a.id))), ...spotifyGenres]);
  const genrePlays = fineGenrePlays(topArtists, artistGenres);
  const weekArtists = await deps.history.topArtists(memberId, daysBack(7), today, 200);
  const weekGenrePlays = new Map(fineGenrePlays(weekArtists, artistGenres).map((g) => [g.genre, g.plays]));
  const [dismissed, weights] = await Promise.all([
    deps.feedback.dismissedArtists(memberId),
    deps.feedback.sourceWeights(memberId),
  ]);

  const candidates: Candidate[] = [];
  // Each source's Spotify cost is checked against what is left of today's budget, keeping room
  // for the library check: a short budget skips a source (and says so) rather than fail the answer.
  let budget = await spotify.remainingBudget();
  const reserve = Math.ceil(SUGGEST_LIMITS.libraryChecks / 40);
  const afford = (cost: number) => {
    if (cost === 0) return true;
    if (budget - reserve < cost) return false;
    budget -= cost;
    return true;
  };

  if (wants(request.from, 'server') && request.guildId) candidates.push(...(await serverRadar(deps, request, today)));

  const artistSources = wants(request.from, 'newRelease');
  const rankOf = new Map(topArtists.map((a, i) => [a.id, i + 1]));
  if (artistSources) {
    const chosen = topArtists.filter((a) => !dismissed.has(a.id)).slice(0, SUGGEST_LIMITS.artistsForReleases);
    const uncached = (await Promise.all(chosen.map(async (a) => !(await spotify.cached('latestAlbums', a.id))))).filter(
      Boolean,
    ).length;
    const newCached = chosen[0] ? await spotify.cached('newAlbumsOf', chosen[0].name) : true;
    // Cold: the albums lists, the track lists of the albums picked, and one tag:new search.
    // Warm (every albums list cached), one more track list a time: a warm answer stays within its cap.
    const albumFetches = uncached ? SUGGEST_LIMITS.albumFetches : 1;
    const cost = uncached + albumFetches + (newCached ? 0 : 1);
    if (chosen.length && afford(cost))
      try {
        candidates.push(...(await releaseCandidates(deps, spotify, request, chosen, rankOf, today, albumFetches)));
      } catch (error) {
        if (!spotifyShort(error)) throw error;
        skipped.add('newRelease').add('deepCut');
      }
    else if (chosen.length) skipped.add('newRelease').add('deepCut');
  }

  if (wants(request.from, 'genre')) {
    let genres = genrePlays;
    if (request.from === 'genre' && request.genre) {
      genres = genres.filter((g) => parentGenreOf(g.genre)?.id === request.genre);
      if (!genres.length)
        genres = await representativeGenres(deps, request.memberId, request.genre, daysBack(28), today);
    }
    const chosen = genres.slice(0, SUGGEST_LIMITS.genreSearches);
    const cost = (await Promise.all(chosen.map(async (g) => !(await spotify.cached('searchGenre', g.genre))))).filter(
      Boolean,
    ).length;
    if (chosen.length && afford(cost))
      try {
        for (const g of chosen) {
          const tracks = await spotify.searchGenre(g.genre);
          const week = weekGenrePlays.get(g.genre) ?? 0;
          const share = g.plays / Math.max(1, genrePlays[0]?.plays ?? g.plays);
          for (const t of tracks)
            candidates.push({
              ...t,
              signal: share,
              reason:
                week > 0
                  ? { source: 'genre', genre: g.genre, genrePlays: week, period: 'week' }
                  : { source: 'genre', genre: g.genre, genrePlays: g.plays, period: 'month' },
            });
        }
      } catch (error) {
        if (!spotifyShort(error)) throw error;
        skipped.add('genre');
      }
    else if (chosen.length) skipped.add('genre');
  }

  // Everything the member ever played is out, by id and by song.
  const played = await deps.history.played(
    memberId,
    candidates.map((c) => ({ id: c.trackId, name: c.name, mainArtist: c.artists[0]?.name ?? '' })),
    now,
  );
  const context = {
    played: played.ids,
    playedKeys: played.songs,
    saved: new Set<string>(),
    dismissedArtists: dismissed,
    artistAffinity: affinities(topArtists.map((a) => ({ key: a.id, plays: a.plays }))),
    genreAffinity: affinities(genrePlays.map((g) => ({ key: g.genre, plays: g.plays }))),
    artistGenres,
    sourceWeights: weights,
  };
  // The library check on the best of them (a few more than asked, as some turn out saved).
  const shortlist = rankSuggestions(candidates, context, Math.min(SUGGEST_LIMITS.libraryChecks, request.count * 3));
  const ids = shortlist.map((c) => c.trackId);
  const checkCost = Math.ceil((await spotify.unknownSaved(ids)) / 40);
  let verified: Set<string>;
  let saved = new Set<string>();
  if (checkCost <= budget) {
    try {
      saved = await spotify.savedAmong(ids);
      verified = new Set(ids);
    } catch (error) {
      if (!spotifyShort(error)) throw error;
      verified = new Set();
    }
  } else verified = new Set();
  if (verified.size === 0 && shortlist.length) {
    // Without the library check nothing can be promised not to be saved already: nothing is offered.
    for (const c of shortlist) skipped.add(c.reason.source);
  }
  const final = rankSuggestions(
    shortlist.filter((c) => verified.has(c.trackId)),
    { ...context, saved },
    request.count,
  );
  return {
    suggestions: final.map((c): Suggestion => ({
      trackId: c.trackId,
      uri: c.uri,
      name: c.name,
      artists: c.artists,
      albumName: c.albumName,
      reason: c.reason,
    })),
    skipped: [...skipped],
    requests: spotify.requests(),
  };
}

import { BudgetExhaustedError, QuotaExceededError } from '../../core/errors.js';
import { EXPLICIT_GENRE_TABLE } from '../../core/genres/explicitTable.js';
import { parentGenreById, parentGenreOf } from '../../core/genres/index.js';
import {
  affinities,
  fineGenrePlays,
  radarSignal,
  rankSuggestions,
  recency,
  similarMembers,
  type Candidate,
} from '../../core/suggest/index.js';
import type { SuggestAlbum, SuggestDeps, SuggestSpotify } from './engine.js';
import type { Suggestion, SuggestionSource, SuggestRequest, SuggestResult, SuggestService } from './ports.js';
import { utcDay } from '../../core/time/utcDay.js';

const DAY = 86_400_000;
const dayOf = utcDay;

/** Every knob of the engine, in one place. */
export const SUGGEST_LIMITS = {
  /** Top artists whose discographies are read (one albums request each when cold). */
  artistsForReleases: 3,
  /** Album track lists read per answer when cold (deeper cuts and new releases together). */
  albumFetches: 4,
  /** Genres searched per answer (one request each when cold; ≤ 10 tracks a page in development mode). */
  genreSearches: 2,
  /** A release this recent is "new"; older albums are deeper cuts. */
  newReleaseDays: 120,
  /** Candidates checked against the library (one request per 40) before the final pick. */
  libraryChecks: 40,
  /** "Members like you" looked at, and the window their plays count in. */
  similarPeers: 8,
  /** Members compared with the asker at most (those sharing most plays of the asker's top artists). */
  peersCompared: 60,
  radarDays: 30,
  /** The history window the member's taste is read from, and the longer one when it is thin. */
  tasteDays: 28,
  thinTasteDays: 180,
  /** Fewer plays than this in the taste window: the history is thin, ask Spotify's top artists. */
  thinPlays: 30,
} as const;

/** Requests a cold answer may cost at most (the budget), and when warm. */
export const COLD_REQUEST_CAP = 15;
export const WARM_REQUEST_CAP = 3;

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

/**
 * A parent genre the member asked for but none of whose Spotify genres Encore knows from their
 * artists: search its best-known Spotify names, counting the member's plays of the parent.
 */
async function representativeGenres(
  deps: SuggestDeps,
  memberId: string,
  parentId: string,
  fromDay: string,
  toDay: string,
): Promise<Array<{ genre: string; plays: number }>> {
  const parent = parentGenreById(parentId);
  if (!parent) return [];
  const own = parent.name.toLowerCase();
  const names = [...(own.includes('/') ? [] : [own]), ...(EXPLICIT_GENRE_TABLE[parent.id] ?? [])];
  const taste = (await deps.history.tastes([memberId], fromDay, toDay, 1)).get(memberId);
  const plays = taste?.genres.find((g) => g.genre === parent.id)?.plays ?? 0;
  return names.slice(0, SUGGEST_LIMITS.genreSearches).map((genre) => ({ genre, plays }));
}

/** Tracks that opted-in members with taste like the asker's played a lot lately, and the asker never did. */
async function serverRadar(deps: SuggestDeps, request: SuggestRequest, today: string): Promise<Candidate[]> {
  const visible = (await deps.visibleMembers(request.guildId!)).filter((m) => m !== request.memberId);
  if (!visible.length) return [];
  const from = dayOf(request.now - 1 - 89 * DAY);
  const own = (await deps.history.tastes([request.memberId], from, today, 50)).get(request.memberId);
  if (!own || !own.artists.length) return [];
  // Only members who share some of the asker's top artists are compared (a server may have thousands).
  const sharing = await deps.history.peersSharingArtists(
    visible,
    own.artists.slice(0, 25).map((a) => a.id),
    from,
    today,
    SUGGEST_LIMITS.peersCompared,
  );
  const tastes = await deps.history.tastes(sharing, from, today, 50);
  const peers = similarMembers(
    own,
    sharing.flatMap((memberId) => {
      const taste = tastes.get(memberId);
      return taste ? [{ memberId, taste }] : [];
    }),
    SUGGEST_LIMITS.similarPeers,
  );
  if (!peers.length) return [];
  const similarity = new Map(peers.map((p) => [p.memberId, p.similarity]));
  const rows = await deps.history.serverRadar(
    request.memberId,
    peers.map((p) => p.memberId),
    request.now - SUGGEST_LIMITS.radarDays * DAY,
    request.now,
    60,
  );
  return rows.map((row) => {
    const listeners = row.listeners
      .map((l) => ({ memberId: l.memberId, similarity: similarity.get(l.memberId) ?? 0, plays: l.plays }))
      .sort((a, b) => b.similarity - a.similarity || b.plays - a.plays);
    // The reason names three at most, and counts only the plays of those it names.
    const named = listeners.slice(0, 3);
    return {
      ...row.track,
      signal: radarSignal(listeners),
      reason: {
        source: 'server',
        listeners: named.map((l) => ({ memberId: l.memberId, similarity: l.similarity })),
        plays: named.reduce((s, l) => s + l.plays, 0),
      },
    };
  });
}

/**
 * New releases and deeper cuts of the member's top artists: each artist's newest albums (one
 * request), the newest if recent, and the album the member played least; one `tag:new` search for
 * the top artist catches a release the albums page has not listed yet.
 */
async function releaseCandidates(
  deps: SuggestDeps,
  spotify: SuggestSpotify,
  request: SuggestRequest,
  artists: ReadonlyArray<{ id: string; name: string }>,
  rankOf: ReadonlyMap<string, number>,
  today: string,
  maxFetches: number,
): Promise<Candidate[]> {
  const lists = await Promise.all(artists.map((a) => spotify.latestAlbums(a.id)));
  const fresh = artists[0] ? await spotify.newAlbumsOf(artists[0].name) : [];
  const all = lists.flat();
  const albumPlays = await deps.history.albumPlays(
    request.memberId,
    all.map((a) => a.id),
    request.now,
  );
  const newCutoff = dayOf(request.now - SUGGEST_LIMITS.newReleaseDays * DAY);
  const picks: Array<{ album: SuggestAlbum; artist: { id: string; name: string }; isNew: boolean }> = [];
  const seen = new Set<string>();
  const add = (album: SuggestAlbum, artist: { id: string; name: string }, isNew: boolean) => {
    if (seen.has(album.id)) return;
    seen.add(album.id);
    picks.push({ album, artist, isNew });
  };
  for (const album of fresh) {
    const artist = artists.find((a) => album.artists.some((x) => x.id === a.id));
    if (artist && album.releaseDate <= today) add(album, artist, true);
  }
  artists.forEach((artist, i) => {
    const albums = lists[i]!.filter((al) => al.releaseDate <= today);
    const newest = albums[0];
    if (newest && newest.releaseDate >= newCutoff) add(newest, artist, true);
    // The deeper cut: the album the member played least (never, ideally), newest first on ties.
    const older = albums.filter((al) => al.releaseDate < newCutoff);
    const least = [...older].sort((a, b) => (albumPlays.get(a.id) ?? 0) - (albumPlays.get(b.id) ?? 0))[0];
    if (least) add(least, artist, false);
  });
  // Cached album track lists first: they cost nothing.
  const ordered = await Promise.all(
    picks.map(async (p) => ({ ...p, cached: await spotify.cached('albumTracks', p.album.id) })),
  );
  let fetches = 0;
  const out: Candidate[] = [];
  for (const pick of ordered) {
    if (!pick.cached && fetches >= maxFetches) continue;
    if (!pick.cached) fetches++;
    const tracks = await spotify.albumTracks(pick.album);
    const rank = rankOf.get(pick.artist.id) ?? 0;
    for (const t of tracks) {
      if (!t.artists.some((a) => a.id === pick.artist.id)) continue;
      out.push({
        ...t,
        albumName: pick.album.name,
        signal: pick.isNew ? recency(pick.album.releaseDate, today) : 0.5,
        reason: pick.isNew
          ? {
              source: 'newRelease',
              artistName: pick.artist.name,
              artistRank: rank,
              releaseDate: pick.album.releaseDate,
            }
          : { source: 'deepCut', artistName: pick.artist.name, artistRank: rank, albumName: pick.album.name },
      });
    }
  }
  return out;
}

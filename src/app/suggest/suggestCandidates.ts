/**
 * Where suggestions come from besides a genre search: what like-minded members of the server played
 * lately (the radar), the member's top artists' new releases and deeper cuts, and a parent genre's
 * best-known Spotify names when the member's artists name none of its genres.
 */
import { EXPLICIT_GENRE_TABLE } from '../../core/genres/explicitTable.js';
import { parentGenreById } from '../../core/genres/index.js';
import { radarSignal, recency, similarMembers, type Candidate } from '../../core/suggest/index.js';
import { utcDay } from '../../core/time/utcDay.js';
import type { SuggestAlbum, SuggestDeps, SuggestSpotify } from './engine.js';
import type { SuggestRequest } from './ports.js';
import { SUGGEST_LIMITS } from './suggestLimits.js';

const DAY = 86_400_000;
const dayOf = utcDay;

/**
 * A parent genre the member asked for but none of whose Spotify genres Encore knows from their
 * artists: search its best-known Spotify names, counting the member's plays of the parent.
 */
export async function representativeGenres(
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
export async function serverRadar(deps: SuggestDeps, request: SuggestRequest, today: string): Promise<Candidate[]> {
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
export async function releaseCandidates(
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

import {
  FAMILY_TREE,
  OTHER_NAME,
  UNCLASSIFIED_NAME,
  primaryGenre,
  type GenreMode,
  type ResolvedGenre,
} from '../genres/index.js';
import { genrePlaylistName } from './playlistNames.js';
import { naiveSplitRequests, splitRequestLowerBound, type SplitRequestEstimate } from './requestEstimate.js';
import type { ArtistGenreLookup, PlaylistItemInput } from './types.js';

/** Group keys that are not genres; '~' cannot start a canonical genre or a parent id. */
export const OTHER_KEY = '~other';
export const UNCLASSIFIED_KEY = '~unclassified';

export interface AnalyseOptions {
  /** The source playlist's name, used in the planned names. */
  readonly playlistName: string;
  readonly mode?: GenreMode;
  /** Genres with fewer tracks go into "Other". Default 1 (every genre gets its playlist). */
  readonly minTracksPerGenre?: number;
  /** Whether tracks with no known genre get an "Unclassified" playlist. Default true. */
  readonly includeUnclassified?: boolean;
  /** Artists already in the shared cache; without it, artists missing from the lookup count as uncached. */
  readonly cachedArtistIds?: ReadonlySet<string>;
}

export interface ItemCounts {
  /** Every item in the playlist. */
  readonly items: number;
  /** Distinct, sortable tracks (not local, not episodes, not duplicates, not unavailable). */
  readonly tracks: number;
  readonly localFiles: number;
  readonly episodes: number;
  /** Later occurrences of a track URI already seen; the first occurrence is kept. */
  readonly duplicates: number;
  /** Items Spotify no longer has (no URI). */
  readonly unavailable: number;
  readonly classified: number;
  readonly unclassified: number;
}

export interface GenreCount {
  readonly key: string;
  readonly name: string;
  readonly count: number;
}

export interface PlannedPlaylist {
  /** A genre key, OTHER_KEY or UNCLASSIFIED_KEY. */
  readonly key: string;
  readonly genreName: string;
  readonly playlistName: string;
  /** Tracks in their original playlist order. */
  readonly trackUris: readonly string[];
  /** The genre keys gathered here (several for "Other"). */
  readonly genreKeys: readonly string[];
}

/** The preview model of a split sort: what would be created and what it costs. */
export interface PlaylistAnalysis {
  readonly counts: ItemCounts;
  /** Every genre found, most tracks first, before small ones are folded into "Other". */
  readonly genres: readonly GenreCount[];
  readonly playlists: readonly PlannedPlaylist[];
  readonly distinctArtists: number;
  readonly uncachedArtists: number;
  readonly requests: SplitRequestEstimate;
  /** The same workload done the seed's way (one artist lookup per track), for comparison. */
  readonly naiveRequests: number;
}

interface GenreTally {
  readonly genre: ResolvedGenre;
  count: number;
}

const UNKNOWN_ORDER = FAMILY_TREE.length;

function byCountThenTree(a: GenreTally, b: GenreTally): number {
  if (a.count !== b.count) return b.count - a.count;
  const order = (a.genre.parent?.order ?? UNKNOWN_ORDER) - (b.genre.parent?.order ?? UNKNOWN_ORDER);
  if (order !== 0) return order;
  return a.genre.key < b.genre.key ? -1 : a.genre.key > b.genre.key ? 1 : 0;
}

/** Classifies every item, groups tracks by primary genre and plans the playlists of a split sort. */
export function analysePlaylist(
  items: readonly PlaylistItemInput[],
  artistGenres: ArtistGenreLookup,
  options: AnalyseOptions,
): PlaylistAnalysis {
  const mode = options.mode ?? 'parent';
  const minTracks = Math.max(1, Math.floor(options.minTracksPerGenre ?? 1));
  let localFiles = 0,
    episodes = 0,
    duplicates = 0,
    unavailable = 0;
  const seen = new Set<string>();
  const artists = new Set<string>();
  const tallies = new Map<string, GenreTally>();
  // One entry per sortable track, in playlist order: [uri, genre key or UNCLASSIFIED_KEY].
  const sortable: Array<readonly [string, string]> = [];

  for (const item of items) {
    if (!item.uri) unavailable++;
    else if (item.isLocal || item.uri.startsWith('spotify:local:')) localFiles++;
    else if (item.type === 'episode') episodes++;
    else if (seen.has(item.uri)) duplicates++;
    else {
      seen.add(item.uri);
      for (const id of item.artistIds) artists.add(id);
      const genre = primaryGenre(
        item.artistIds.map((id) => artistGenres.get(id)),
        mode,
      );
      if (genre) {
        const tally = tallies.get(genre.key);
        if (tally) tally.count++;
        else tallies.set(genre.key, { genre, count: 1 });
      }
      sortable.push([item.uri, genre?.key ?? UNCLASSIFIED_KEY]);
    }
  }

  const ranked = [...tallies.values()].sort(byCountThenTree);
  const kept = ranked.filter((t) => t.count >= minTracks);
  const folded = new Set(ranked.filter((t) => t.count < minTracks).map((t) => t.genre.key));
  const groups = new Map<string, { name: string; uris: string[]; genreKeys: string[] }>();
  for (const tally of kept)
    groups.set(tally.genre.key, { name: tally.genre.name, uris: [], genreKeys: [tally.genre.key] });
  if (folded.size > 0)
    groups.set(OTHER_KEY, {
      name: OTHER_NAME,
      uris: [],
      genreKeys: ranked.filter((t) => folded.has(t.genre.key)).map((t) => t.genre.key),
    });
  const includeUnclassified = options.includeUnclassified ?? true;
  if (includeUnclassified) groups.set(UNCLASSIFIED_KEY, { name: UNCLASSIFIED_NAME, uris: [], genreKeys: [] });
  let unclassified = 0;
  for (const [uri, key] of sortable) {
    if (key === UNCLASSIFIED_KEY) unclassified++;
    groups.get(folded.has(key) ? OTHER_KEY : key)?.uris.push(uri);
  }

  const playlists: PlannedPlaylist[] = [...groups.entries()]
    .filter(([, group]) => group.uris.length > 0)
    .map(([key, group]) => ({
      key,
      genreName: group.name,
      playlistName: genrePlaylistName(options.playlistName, group.name),
      trackUris: group.uris,
      genreKeys: group.genreKeys,
    }));

  const cached = options.cachedArtistIds;
  let uncachedArtists = 0;
  for (const id of artists) if (cached ? !cached.has(id) : !artistGenres.has(id)) uncachedArtists++;
  const workload = {
    itemCount: items.length,
    uncachedArtistCount: uncachedArtists,
    playlistSizes: playlists.map((p) => p.trackUris.length),
  };

  return {
    counts: {
      items: items.length,
      tracks: sortable.length,
      localFiles,
      episodes,
      duplicates,
      unavailable,
      classified: sortable.length - unclassified,
      unclassified,
    },
    genres: ranked.map((t) => ({ key: t.genre.key, name: t.genre.name, count: t.count })),
    playlists,
    distinctArtists: artists.size,
    uncachedArtists,
    requests: splitRequestLowerBound(workload),
    naiveRequests: naiveSplitRequests({ ...workload, trackCount: sortable.length }),
  };
}

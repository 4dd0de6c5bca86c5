import { PERIOD_LABELS, periodRange, utcDaysOf, type HistoryPeriod } from '../../core/history/index.js';
import { playsAndListeningTime } from '../../core/time/listeningTime.js';
import type { HistoryReader } from './ports.js';

export const COVER_GRID_KINDS = ['albums-grid', 'artists-grid'] as const;
export type CoverGridKind = (typeof COVER_GRID_KINDS)[number];
export const COVER_GRID_SIZES = { '3x3': 3, '4x4': 4, '5x5': 5 } as const;
export type CoverGridSize = keyof typeof COVER_GRID_SIZES;

/** Where a tile's cover comes from: an image URL the source gave, or a release MBID (Cover Art Archive). */
export interface CoverRef {
  url?: string;
  mbid?: string;
}

export interface CoverTile {
  /** The album's or the artist's name. */
  title: string;
  /** The album's artist (albums grid). */
  artist?: string;
  plays: number;
  cover: CoverRef;
}

/** A grid of covers, as the grid renderer (src/charts/grid) draws it. */
export interface CoverGrid {
  kind: CoverGridKind;
  /** Tiles per side. */
  side: number;
  title: string;
  subtitle: string;
  /** In play order, at most side × side; fewer when the history holds fewer. */
  tiles: CoverTile[];
  /** What a screen reader says: what the image is, and the tiles in order. */
  altText: string;
}

/** What the grids read of a member's history besides the HistoryReader (src/store/history/coverReads.ts). */
export interface CoverGridReader {
  /** Most played albums over [from, to] with their main artist and cover. */
  topAlbums(
    memberId: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<Array<{ albumId: string; name: string; artist?: string; plays: number; ms: number; cover: CoverRef }>>;
  /**
   * A cover for each artist: their own image when known, else the cover of their most played album
   * over [from, to]. Artists with neither are left out.
   */
  artistCovers(
    memberId: string,
    artistIds: readonly string[],
    from: number,
    to: number,
  ): Promise<Map<string, CoverRef>>;
}

export interface CoverGridService {
  reader: CoverGridReader;
  /** Fetches (or reads from the cache) the covers and draws the grid into a PNG. */
  render(grid: CoverGrid): Promise<Buffer>;
}

export interface CoverGridRequest {
  kind: CoverGridKind;
  size: CoverGridSize;
  period: HistoryPeriod;
  memberId: string;
  now: number;
}

/** A member's cover grid from their history over a period; `tiles` is empty when they played nothing then. */
export async function coverGridFor(
  request: CoverGridRequest,
  deps: { history: HistoryReader; covers: CoverGridReader },
): Promise<CoverGrid> {
  const side = COVER_GRID_SIZES[request.size];
  const range = periodRange(request.period, request.now);
  const label = PERIOD_LABELS[request.period];
  const days = utcDaysOf(range);
  const summary = await deps.history.summary(request.memberId, days.fromDay, days.toDay);
  const subtitle = `${label} · ${playsAndListeningTime(summary.plays, summary.ms)}`;
  let tiles: CoverTile[];
  if (request.kind === 'albums-grid') {
    const albums = await deps.covers.topAlbums(request.memberId, range.from, range.to, side * side);
    tiles = albums.map((a) => ({ title: a.name, artist: a.artist, plays: a.plays, cover: a.cover }));
  } else {
    const artists = await deps.history.topArtists(request.memberId, days.fromDay, days.toDay, side * side);
    const covers = await deps.covers.artistCovers(
      request.memberId,
      artists.map((a) => a.artistId),
      range.from,
      range.to,
    );
    tiles = artists.map((a) => ({ title: a.name, plays: a.plays, cover: covers.get(a.artistId) ?? {} }));
  }
  const what = request.kind === 'albums-grid' ? 'albums' : 'artists';
  const title = `Your top ${what}`;
  const head = `${side}×${side} cover-art grid of your top ${what}, ${label.toLowerCase()}: `;
  return {
    kind: request.kind,
    side,
    title,
    subtitle,
    tiles,
    altText: tiles.length
      ? head + listTiles(tiles, ALT_TEXT_MAX - head.length)
      : `${title}: no listening history for ${label.toLowerCase()} yet`,
  };
}

/** Discord keeps 1,024 characters of an attachment's description. */
const ALT_TEXT_MAX = 1_024;

/** The tiles in order, with their artists when that fits, else without, else as many as fit and how many more. */
function listTiles(tiles: readonly CoverTile[], room: number): string {
  const plays = (n: number) => `${n.toLocaleString('en')} play${n === 1 ? '' : 's'}`;
  const full = tiles.map((t, i) => `${i + 1}. ${t.title}${t.artist ? ` by ${t.artist}` : ''} (${plays(t.plays)})`);
  if (full.join('; ').length <= room) return full.join('; ');
  const short = tiles.map((t, i) => `${i + 1}. ${t.title} (${plays(t.plays)})`);
  let listed = '';
  for (let i = 0; i < short.length; i++) {
    const more = `; and ${short.length - i - 1} more`;
    const next = listed ? `${listed}; ${short[i]}` : short[i]!;
    if (next.length + (i < short.length - 1 ? more.length : 0) > room)
      return listed
        ? `${listed}; and ${short.length - i} more`
        : `${short.length} ${short.length === 1 ? 'tile' : 'tiles'}`;
    listed = next;
  }
  return listed;
}

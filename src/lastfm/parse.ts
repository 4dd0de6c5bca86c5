import type { SourceListen } from '../app/sources/ports.js';

/** One item of `recenttracks.track` as Last.fm sends it (plain or `extended=1`); any field may be missing. */
export interface RawRecentTrack {
  readonly '@attr'?: { readonly nowplaying?: string };
  readonly artist?: { readonly '#text'?: string; readonly name?: string; readonly mbid?: string };
  readonly name?: string;
  readonly mbid?: string;
  readonly album?: { readonly '#text'?: string; readonly mbid?: string };
  readonly image?: ReadonlyArray<{ readonly size?: string; readonly '#text'?: string }>;
  readonly date?: { readonly uts?: string };
}

export interface RawRecentTracks {
  readonly recenttracks?: {
    /** An array, or a single object when there is exactly one item (Last.fm's XML-to-JSON conversion). */
    readonly track?: RawRecentTrack | readonly RawRecentTrack[];
    readonly '@attr'?: { readonly page?: string; readonly totalPages?: string; readonly total?: string };
  };
}

export interface ParsedRecentTracks {
  /** Dated scrobbles, newest first, as Last.fm ordered them. */
  readonly scrobbles: SourceListen[];
  /** The now-playing item (no date), if Last.fm sent one. */
  readonly playing?: Omit<SourceListen, 'listenedAt'>;
  readonly page: number;
  readonly totalPages: number;
  readonly total?: number;
}

/** Last.fm's "no id" is the empty string. */
const present = (value: string | undefined) => (value && value.trim() !== '' ? value : undefined);

function describe(raw: RawRecentTrack): Omit<SourceListen, 'listenedAt'> | undefined {
  const artistName = present(raw.artist?.name) ?? present(raw.artist?.['#text']);
  const trackName = present(raw.name);
  if (!artistName || !trackName) return undefined;
  const albumName = present(raw.album?.['#text']);
  const imageUrl = present(raw.image?.find((i) => i.size === 'extralarge')?.['#text']);
  const trackMbid = present(raw.mbid);
  const artistMbid = present(raw.artist?.mbid);
  const albumMbid = present(raw.album?.mbid);
  return {
    track: { name: trackName, ...(trackMbid ? { mbid: trackMbid } : {}) },
    artists: [{ name: artistName, ...(artistMbid ? { mbid: artistMbid } : {}) }],
    ...(albumName ? { album: { name: albumName, ...(albumMbid ? { mbid: albumMbid } : {}) } } : {}),
    ...(imageUrl ? { imageUrl } : {}),
  };
}

const integer = (text: string | undefined) => {
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
};

export function parseRecentTracks(body: RawRecentTracks): ParsedRecentTracks {
  const list = body.recenttracks?.track;
  const items: readonly RawRecentTrack[] =
    list === undefined ? [] : Array.isArray(list) ? list : [list as RawRecentTrack];
  const scrobbles: SourceListen[] = [];
  let playing: Omit<SourceListen, 'listenedAt'> | undefined;
  for (const raw of items) {
    const described = describe(raw);
    if (!described) continue;
    const uts = integer(raw.date?.uts);
    if (raw['@attr']?.nowplaying === 'true' || uts === undefined) playing ??= described;
    else scrobbles.push({ listenedAt: uts * 1000, ...described });
  }
  const attr = body.recenttracks?.['@attr'];
  return {
    scrobbles,
    ...(playing ? { playing } : {}),
    page: integer(attr?.page) ?? 1,
    totalPages: integer(attr?.totalPages) ?? 1,
    ...(integer(attr?.total) === undefined ? {} : { total: integer(attr?.total) }),
  };
}

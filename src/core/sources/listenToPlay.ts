/**
 * A listen from ListenBrainz or Last.fm, as Encore's catalogue will see it before resolution: names
 * cleaned as an export's are, `name:` ids for every name, the ids the source gave kept when they are
 * well formed. Pure: no I/O, no clock.
 */
import { cleanName, matchKey, nameAlbumId, nameArtistId, nameTrackId } from '../history/exportRecords.js';

/** The fields of a source's listen this mapping reads (src/app/sources/ports.ts: SourceListen). */
export interface ListenInput {
  /** When the listen STARTED (Unix ms): both sources date a listen by its start. */
  listenedAt: number;
  track: { name: string; mbid?: string; spotifyId?: string; isrc?: string; durationMs?: number };
  artists: ReadonlyArray<{ name: string; mbid?: string }>;
  album?: { name: string; mbid?: string };
}

export interface MappedArtist {
  /** `name:` id from the normalised name; resolution may swap it for a known identity. */
  nameId: string;
  name: string;
  mbid?: string;
}

export interface MappedListen {
  startedAt: number;
  /** The track's length as the source gives it (not how long the member listened). */
  durationMs?: number;
  track: {
    name: string;
    nameId: string;
    /** Main artist and title, normalised (matchKey): how a same-named track is found. */
    matchKey: string;
    spotifyId?: string;
    mbid?: string;
    isrc?: string;
  };
  /** Credits in order, main artist first, each name once. */
  artists: MappedArtist[];
  album?: { nameId: string; name: string; mbid?: string };
}

const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SPOTIFY_ID = /^[A-Za-z0-9]{22}$/;
const ISRC = /^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/;
/** Postgres INTEGER, where lengths are stored. */
const MAX_MS = 2_147_483_647;

const mbidOf = (v: string | undefined) => {
  const id = v?.trim().toLowerCase();
  return id && MBID.test(id) ? id : undefined;
};
const isrcOf = (v: string | undefined) => {
  const code = v?.replace(/-/g, '').trim().toUpperCase();
  return code && ISRC.test(code) ? code : undefined;
};

/**
 * The listen as the catalogue and the plays table need it; undefined when it names no track or no
 * artist, or its time is not a time.
 */
export function mapListen(listen: ListenInput): MappedListen | undefined {
  if (!Number.isFinite(listen.listenedAt) || listen.listenedAt < 0) return undefined;
  const title = cleanName(listen.track.name);
  const artists: MappedArtist[] = [];
  for (const credit of listen.artists) {
    const name = cleanName(credit.name);
    if (!name) continue;
    const nameId = nameArtistId(name);
    if (artists.some((a) => a.nameId === nameId)) continue;
    const mbid = mbidOf(credit.mbid);
    artists.push({ nameId, name, ...(mbid ? { mbid } : {}) });
  }
  const main = artists[0];
  if (!title || !main) return undefined;
  const duration = listen.track.durationMs;
  const durationMs =
    duration !== undefined && Number.isFinite(duration) && duration > 0
      ? Math.min(Math.round(duration), MAX_MS)
      : undefined;
  const spotifyId = listen.track.spotifyId?.trim();
  const mbid = mbidOf(listen.track.mbid);
  const isrc = isrcOf(listen.track.isrc);
  const albumName = listen.album && cleanName(listen.album.name);
  const albumMbid = mbidOf(listen.album?.mbid);
  return {
    startedAt: Math.round(listen.listenedAt),
    ...(durationMs ? { durationMs } : {}),
    track: {
      name: title,
      nameId: nameTrackId(main.name, title),
      matchKey: matchKey(main.name, title),
      ...(spotifyId && SPOTIFY_ID.test(spotifyId) ? { spotifyId } : {}),
      ...(mbid ? { mbid } : {}),
      ...(isrc ? { isrc } : {}),
    },
    artists,
    ...(albumName
      ? {
          album: {
            nameId: nameAlbumId(main.name, albumName),
            name: albumName,
            ...(albumMbid ? { mbid: albumMbid } : {}),
          },
        }
      : {}),
  };
}

/**
 * When a listen's play ended and how long it counts for, given the length known for it (the
 * listen's own, else the catalogue's): Encore dates plays by their end. A length from either is a
 * track's length standing in for the time listened, so it is marked estimated; with none the play
 * counts no minutes and is dated by its start.
 */
export function playTiming(
  startedAt: number,
  lengthMs: number | undefined,
): { playedAt: number; msPlayed: number | null; msEstimated: boolean } {
  return lengthMs
    ? { playedAt: startedAt + lengthMs, msPlayed: lengthMs, msEstimated: true }
    : { playedAt: startedAt, msPlayed: null, msEstimated: false };
}

/**
 * Where in its second a listen is placed. Both sources date listens to the second, and two scrobbles
 * of different tracks in one second are two listens, but a member's plays are keyed by their instant:
 * a millisecond offset drawn from the track (the same for every re-read of that listen, so dedup
 * still holds) keeps them apart. Two tracks share an offset one time in a thousand.
 */
export function offsetInSecond(matchKey: string): number {
  let hash = 2166136261;
  for (let i = 0; i < matchKey.length; i++) hash = Math.imul(hash ^ matchKey.charCodeAt(i), 16777619);
  // FNV's low bits barely move between similar names ("Song 1", "Song 2"): mix them in (murmur3's finaliser).
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % 1000;
}

/**
 * What a listen lasted when neither the source nor the catalogue knows its track's length (Last.fm
 * never sends one): about three and a half minutes, a typical song, marked estimated. Without it a
 * Last.fm member's minutes would read 0 on every minutes board and digest.
 */
export const TYPICAL_TRACK_MS = 210_000;

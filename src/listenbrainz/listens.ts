import type { SourceArtist, SourceListen } from '../app/sources/ports.js';

/** A listen as ListenBrainz serves it (docs/listenbrainz.md); every field is checked before use. */
export interface ListenBrainzListenJson {
  readonly listened_at?: unknown;
  readonly track_metadata?: {
    readonly artist_name?: unknown;
    readonly track_name?: unknown;
    readonly release_name?: unknown;
    readonly additional_info?: Record<string, unknown>;
    readonly mbid_mapping?: {
      readonly recording_mbid?: unknown;
      readonly release_mbid?: unknown;
      readonly artist_mbids?: unknown;
      readonly artists?: ReadonlyArray<{ readonly artist_mbid?: unknown; readonly artist_credit_name?: unknown }>;
      readonly caa_id?: unknown;
      readonly caa_release_mbid?: unknown;
      readonly url_rels?: ReadonlyArray<{ readonly url?: unknown }>;
    };
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;
/** spotify_id is documented as a URL (http://open.spotify.com/track/<id>); a bare id or URI is accepted too. */
const SPOTIFY_TRACK =
  /(?:^|open\.spotify\.com\/(?:intl-[a-z-]+\/)?track\/|^spotify:track:)([A-Za-z0-9]{22})(?:$|[/?#])/;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const uuid = (v: unknown): string | undefined => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : undefined);
const uuids = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(uuid).filter((x): x is string => x !== undefined) : [];

function spotifyTrackId(v: unknown): string | undefined {
  return typeof v === 'string' ? SPOTIFY_TRACK.exec(v.trim())?.[1] : undefined;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : undefined;
}

/**
 * The artist credits, best source first: ListenBrainz's own mapping (names as MusicBrainz credits
 * them, each with its MBID); else the Spotify reader's list of names; else the one submitted name,
 * with the submitted artist MBID only when there is exactly one (a single name cannot be split to
 * match several ids).
 */
function artistsOf(meta: NonNullable<ListenBrainzListenJson['track_metadata']>, fallbackName: string): SourceArtist[] {
  const mapped = (meta.mbid_mapping?.artists ?? [])
    .map((a) => ({ name: text(a.artist_credit_name), mbid: uuid(a.artist_mbid) }))
    .filter((a): a is { name: string; mbid: string | undefined } => a.name !== undefined)
    .map((a) => (a.mbid ? { name: a.name, mbid: a.mbid } : { name: a.name }));
  if (mapped.length > 0) return mapped;
  const info = meta.additional_info ?? {};
  const submittedIds = uuids(info.artist_mbids);
  const names = Array.isArray(info.artist_names) ? info.artist_names.map(text).filter((n) => n !== undefined) : [];
  if (names.length > 0)
    return names.map((name, i) => (submittedIds.length === names.length ? { name, mbid: submittedIds[i]! } : { name }));
  return [submittedIds.length === 1 ? { name: fallbackName, mbid: submittedIds[0]! } : { name: fallbackName }];
}

/**
 * One ListenBrainz listen as the port's SourceListen, or undefined when it lacks an artist or track
 * name (ListenBrainz requires both, so this only guards against a malformed answer).
 * `listenedAtMs` is given for playing-now, which has no listened_at.
 */
export function toSourceListen(json: ListenBrainzListenJson, listenedAtMs?: number): SourceListen | undefined {
  const meta = json.track_metadata;
  const artistName = text(meta?.artist_name);
  const trackName = text(meta?.track_name);
  const at = typeof json.listened_at === 'number' ? json.listened_at * 1000 : listenedAtMs;
  if (!meta || !artistName || !trackName || at === undefined) return undefined;
  const info = meta.additional_info ?? {};
  const mapping = meta.mbid_mapping;
  // The mapping already prefers the submitted recording MBID (then manual, then automatic
  // matches); the submitted one alone is unvalidated, so it is only the fallback.
  const recordingMbid = uuid(mapping?.recording_mbid) ?? uuid(info.recording_mbid);
  const spotifyId =
    spotifyTrackId(info.spotify_id) ??
    (mapping?.url_rels ?? []).map((r) => spotifyTrackId(r.url)).find((id) => id !== undefined);
  const isrc =
    typeof info.isrc === 'string' && ISRC.test(info.isrc.toUpperCase()) ? info.isrc.toUpperCase() : undefined;
  const durationMs =
    positive(info.duration_ms) ?? (positive(info.duration) === undefined ? undefined : positive(info.duration)! * 1000);
  const releaseName = text(meta.release_name);
  const releaseMbid = uuid(mapping?.release_mbid) ?? uuid(info.release_mbid);
  const caaId = typeof mapping?.caa_id === 'number' ? mapping.caa_id : undefined;
  const caaRelease = uuid(mapping?.caa_release_mbid);
  return {
    listenedAt: at,
    track: {
      name: trackName,
      ...(recordingMbid ? { mbid: recordingMbid } : {}),
      ...(spotifyId ? { spotifyId } : {}),
      ...(isrc ? { isrc } : {}),
      ...(durationMs ? { durationMs } : {}),
    },
    artists: artistsOf(meta, artistName),
    ...(releaseName ? { album: { name: releaseName, ...(releaseMbid ? { mbid: releaseMbid } : {}) } } : {}),
    // The Cover Art Archive URL form documented with mbid_mapping (docs/users/json.rst).
    ...(caaId !== undefined && caaRelease
      ? { imageUrl: `https://coverartarchive.org/release/${caaRelease}/${caaId}-250.jpg` }
      : {}),
  };
}

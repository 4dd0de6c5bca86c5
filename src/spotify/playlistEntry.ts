import type { Episode, PlaylistEntry, Track } from './types.js';

/** A playlist item as Spotify sends it: the content under `item` since 2026, under `track` before. */
export type RawItem = {
  added_at?: string;
  is_local?: boolean;
  item?: Track | Episode | null;
  track?: Track | Episode | null;
};

/** Reads a playlist item from `item` (2026) or `track` (older), normalised; undefined if Spotify lost it. */
export function toPlaylistEntry(raw: RawItem): PlaylistEntry | undefined {
  const content = raw.item ?? raw.track;
  if (!content) return undefined;
  if (content.type === 'episode')
    return {
      uri: content.uri,
      type: 'episode',
      isLocal: false,
      addedAt: raw.added_at,
      name: content.name,
      durationMs: content.duration_ms,
      artists: [],
    };
  return {
    uri: content.uri,
    type: 'track',
    isLocal: raw.is_local === true || content.is_local === true,
    addedAt: raw.added_at,
    name: content.name,
    durationMs: content.duration_ms,
    artists: content.artists ?? [],
    releaseDate: content.album?.release_date ?? undefined,
    isrc: content.external_ids?.isrc,
  };
}

import { genresFromWeightedTags, type WeightedTag } from '../core/genres/index.js';

/** One tag from ListenBrainz's metadata cache (MusicBrainz's tags, copied nightly). */
export interface MetadataTag {
  readonly tag: string;
  readonly count: number;
  /** Present when the tag is one of MusicBrainz's curated genres. */
  readonly genreMbid?: string;
}

/** What POST /1/metadata/recording/ with inc "artist tag" says about one recording. */
export interface RecordingTags {
  /** The recording's artist credit, in order. */
  readonly artists: ReadonlyArray<{ readonly mbid: string; readonly name: string }>;
  /** Tags of the credited artists, each naming which artist it belongs to. */
  readonly artistTags: ReadonlyArray<MetadataTag & { readonly artistMbid: string }>;
  readonly recordingTags: readonly MetadataTag[];
}

/** What GET /1/metadata/artist/ with inc "tag" says about one artist. */
export interface ArtistTags {
  readonly mbid: string;
  readonly name?: string;
  readonly tags: readonly MetadataTag[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Well-formed MBIDs only, lower-case, each once: ListenBrainz answers 400 to the whole request for one bad id. */
export function uniqueMbids(mbids: readonly string[]): string[] {
  return [...new Set(mbids.map((m) => m.trim().toLowerCase()).filter((m) => UUID.test(m)))];
}

export const asObject = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function parseTag(raw: unknown): (MetadataTag & { artistMbid?: string }) | undefined {
  const t = asObject(raw);
  if (typeof t.tag !== 'string') return undefined;
  return {
    tag: t.tag,
    count: typeof t.count === 'number' ? t.count : 0,
    ...(typeof t.genre_mbid === 'string' ? { genreMbid: t.genre_mbid } : {}),
    ...(typeof t.artist_mbid === 'string' ? { artistMbid: t.artist_mbid } : {}),
  };
}

const tagList = (raw: unknown) =>
  (Array.isArray(raw) ? raw : []).map(parseTag).filter((t): t is NonNullable<typeof t> => t !== undefined);

/** One value of POST /1/metadata/recording/'s answer (keyed by recording MBID). */
export function parseRecordingTags(raw: unknown): RecordingTags {
  const entry = asObject(raw);
  const tag = asObject(entry.tag);
  const credit = asObject(entry.artist).artists;
  return {
    artists: (Array.isArray(credit) ? credit : []).flatMap((a) => {
      const artist = asObject(a);
      return typeof artist.artist_mbid === 'string'
        ? [{ mbid: artist.artist_mbid, name: typeof artist.name === 'string' ? artist.name : '' }]
        : [];
    }),
    artistTags: tagList(tag.artist).filter((t): t is MetadataTag & { artistMbid: string } => !!t.artistMbid),
    recordingTags: tagList(tag.recording),
  };
}

/** One item of GET /1/metadata/artist/'s answer (an array); undefined without an artist MBID. */
export function parseArtistTags(raw: unknown): ArtistTags | undefined {
  const entry = asObject(raw);
  const mbid = typeof entry.artist_mbid === 'string' ? entry.artist_mbid : undefined;
  if (!mbid) return undefined;
  return {
    mbid,
    ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
    tags: tagList(asObject(entry.tag).artist),
  };
}

/** MusicBrainz's curated genres rank first (ListenBrainz marks them with genre_mbid); the allow-list decides the rest. */
export function genresFromMetadataTags(tags: readonly MetadataTag[]): string[] {
  return genresFromWeightedTags(
    tags.map((t): WeightedTag => ({ name: t.tag, count: t.count, curated: t.genreMbid !== undefined })),
  );
}

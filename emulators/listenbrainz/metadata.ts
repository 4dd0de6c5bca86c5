import { mbidFor, type CatalogueArtist, type CatalogueTrack } from './catalogue.js';

/**
 * ListenBrainz's metadata endpoints (listenbrainz/webserver/views/metadata_api.py; shapes from
 * listenbrainz/testdata/mb_metadata_cache_example.json and mb_artist_metadata_example.json, see
 * docs/listenbrainz.md): what MusicBrainz knows about a recording or an artist, tags included.
 */

/** A tag as ListenBrainz's metadata cache holds it; `genre_mbid` marks MusicBrainz's curated genres. */
export interface EmulatedMetadataTag {
  readonly tag: string;
  readonly count: number;
  readonly genre_mbid?: string;
}

/** Extra or replacement tags, by MBID, for a test to seed (a `name:`-only artist's MBID, say). */
export interface MetadataSeed {
  readonly artists?: ReadonlyArray<{
    readonly mbid: string;
    readonly name: string;
    readonly tags: readonly EmulatedMetadataTag[];
  }>;
  readonly recordings?: ReadonlyArray<{
    readonly mbid: string;
    readonly name: string;
    readonly artists: ReadonlyArray<{ readonly mbid: string; readonly name: string }>;
    readonly tags: readonly EmulatedMetadataTag[];
  }>;
}

export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
  }
}

const ALLOWED_INCS = ['artist', 'tag', 'release', 'recording', 'release_group'];
/** A stable small number per credit, as MusicBrainz's artist_credit ids are. */
const creditId = (key: string) => [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** MAX_ITEMS_PER_GET: the most recording MBIDs one POST may ask about. */
const MAX_ITEMS = 1000;

/** The seeded world's artists carry their Spotify genres as MusicBrainz genres, votes falling, plus the usual noise. */
function worldArtistTags(artist: CatalogueArtist): EmulatedMetadataTag[] {
  const genres = (artist.genres ?? []).map((g, i) => ({
    tag: g,
    count: 12 - 3 * i,
    genre_mbid: mbidFor('release', `genre:${g}`),
  }));
  return genres.length ? [...genres, { tag: 'seen live', count: 14 }, { tag: 'favorites', count: 2 }] : [];
}

/** parse_incs: a space-separated list of allowed names. */
export function parseIncs(inc: unknown): string[] {
  if (inc === undefined || inc === null || inc === '') return [];
  if (typeof inc !== 'string') throw new MetadataError('inc must be a string');
  const incs = inc.split(/\s+/).filter(Boolean);
  for (const i of incs)
    if (!ALLOWED_INCS.includes(i))
      throw new MetadataError(`invalid inc argument '${i}'. Must be one of ${ALLOWED_INCS.join(', ')}.`);
  return incs;
}

export function createMetadataIndex(catalogue: readonly CatalogueTrack[], seed: MetadataSeed = {}) {
  const artists = new Map<string, { name: string; tags: EmulatedMetadataTag[] }>();
  const recordings = new Map<string, { artists: Array<{ mbid: string; name: string }>; tags: EmulatedMetadataTag[] }>();
  // Only what MusicBrainz has: the tracks shared with the Spotify world, not the bedroom tapes.
  for (const track of catalogue) {
    if (!track.spotifyId) continue;
    for (const a of track.artists)
      if (!artists.has(a.mbid)) artists.set(a.mbid, { name: a.name, tags: worldArtistTags(a) });
    recordings.set(track.recordingMbid, {
      artists: track.artists.map((a) => ({ mbid: a.mbid, name: a.name })),
      tags: [],
    });
  }
  for (const a of seed.artists ?? []) artists.set(a.mbid, { name: a.name, tags: [...a.tags] });
  for (const r of seed.recordings ?? []) {
    recordings.set(r.mbid, { artists: [...r.artists], tags: [...r.tags] });
    for (const a of r.artists) if (!artists.has(a.mbid)) artists.set(a.mbid, { name: a.name, tags: [] });
  }

  function recordingMetadata(mbids: readonly string[], incs: readonly string[]) {
    const result: Record<string, unknown> = {};
    for (const mbid of [...new Set(mbids)].sort()) {
      const r = recordings.get(mbid);
      if (!r) continue;
      result[mbid] = {
        // ListenBrainz's example answer holds only performer relations here; the emulator has none.
        recording: { rels: [] },
        ...(incs.includes('artist')
          ? {
              artist: {
                artist_credit_id: creditId(r.artists.map((a) => a.mbid).join(',')),
                name: r.artists.map((a) => a.name).join(' feat. '),
                artists: r.artists.map((a, i) => ({
                  artist_mbid: a.mbid,
                  name: a.name,
                  join_phrase: i < r.artists.length - 1 ? ' feat. ' : '',
                  type: 'Person',
                })),
              },
            }
          : {}),
        ...(incs.includes('tag')
          ? {
              tag: {
                recording: r.tags,
                artist: r.artists.flatMap((a) =>
                  (artists.get(a.mbid)?.tags ?? []).map((t) => ({ artist_mbid: a.mbid, ...t })),
                ),
                release_group: [],
              },
            }
          : {}),
      };
    }
    return result;
  }

  return {
    /** GET /1/metadata/recording/?recording_mbids=a,b&inc=… */
    getRecordings(query: Record<string, string>) {
      const incs = parseIncs(query.inc);
      if (query.recording_mbids === undefined)
        throw new MetadataError(
          'recording_mbids argument must be present and contain a comma separated list of recording_mbids',
        );
      const mbids = query.recording_mbids.split(',').map((m) => {
        if (!UUID.test(m.trim())) throw new MetadataError(`Recording mbid ${m} is not valid.`);
        return m.trim();
      });
      return recordingMetadata(mbids, incs);
    },
    /** POST /1/metadata/recording/ with {"recording_mbids": [...], "inc": "artist tag"}. */
    postRecordings(body: unknown) {
      const data = (body ?? {}) as { recording_mbids?: unknown; inc?: unknown };
      const incs = parseIncs(data.inc);
      if (!Array.isArray(data.recording_mbids))
        throw new MetadataError('recording_mbids JSON element must be present and contain a list of recording_mbids');
      for (const m of data.recording_mbids)
        if (typeof m !== 'string' || !UUID.test(m))
          throw new MetadataError(`recording_mbid ${String(m)} is not valid.`);
      if (data.recording_mbids.length === 0)
        throw new MetadataError('At least one valid recording_mbid must be present.');
      if (data.recording_mbids.length > MAX_ITEMS)
        throw new MetadataError(`Maximum number of recordings_mbids that can be fetched at once is ${MAX_ITEMS}`);
      return recordingMetadata(data.recording_mbids as string[], incs);
    },
    /** GET /1/metadata/artist/?artist_mbids=a,b&inc=tag: an array, unknown artists left out. */
    getArtists(query: Record<string, string>) {
      const incs = parseIncs(query.inc);
      if (query.artist_mbids === undefined)
        throw new MetadataError(
          'artist_mbids argument must be present and contain a comma separated list of artist_mbids',
        );
      const mbids = query.artist_mbids.split(',').map((m) => {
        if (!UUID.test(m.trim())) throw new MetadataError(`artist mbid ${m} is not valid.`);
        return m.trim();
      });
      return [...new Set(mbids)].sort().flatMap((mbid) => {
        const a = artists.get(mbid);
        if (!a) return [];
        return [
          {
            artist_mbid: mbid,
            mbid,
            name: a.name,
            type: 'Group',
            rels: {},
            ...(incs.includes('tag') ? { tag: { artist: a.tags.map((t) => ({ artist_mbid: mbid, ...t })) } } : {}),
          },
        ];
      });
    },
  };
}

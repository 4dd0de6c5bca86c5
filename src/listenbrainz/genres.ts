import type { ListenBrainzClient } from './client.js';
import { genresFromMetadataTags, uniqueMbids, type ArtistTags, type RecordingTags } from './metadata.js';

/** An artist to find genres for, with whatever ids the history holds for it. */
export interface ArtistGenreLookup {
  /** The caller's id for the artist (a Spotify id or a `name:` id): the answer's key. */
  readonly id: string;
  readonly name?: string;
  readonly mbid?: string;
  /** One recording of the artist's, for artists whose own MBID is unknown. */
  readonly recordingMbid?: string;
}

export interface ListenBrainzGenres {
  readonly genres: string[];
  /** The artist's MBID, as given or as learnt from a recording's credit (for a MusicBrainz lookup next). */
  readonly mbid?: string;
}

const fold = (name: string) => name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Genres from ListenBrainz's metadata cache, in as few requests as it allows: artists with an MBID
 * by GET /1/metadata/artist/ (100 a request), the rest by one of their recordings (POST
 * /1/metadata/recording/, 1,000 a request), where the artist is found in the recording's credit by
 * MBID, by name, or as its only artist. An artist ListenBrainz knows nothing about is absent.
 */
export async function listenBrainzArtistGenres(
  client: Pick<ListenBrainzClient, 'artistTags' | 'recordingTags'>,
  artists: readonly ArtistGenreLookup[],
): Promise<Map<string, ListenBrainzGenres>> {
  const found = new Map<string, ListenBrainzGenres>();
  const withMbid = artists.filter((a) => a.mbid && uniqueMbids([a.mbid]).length === 1);
  const byArtist = withMbid.length
    ? await client.artistTags(withMbid.map((a) => a.mbid!))
    : new Map<string, ArtistTags>();
  for (const a of withMbid) {
    const tags = byArtist.get(a.mbid!.trim().toLowerCase());
    const genres = tags ? genresFromMetadataTags(tags.tags) : [];
    if (genres.length) found.set(a.id, { genres, mbid: a.mbid!.trim().toLowerCase() });
  }

  const rest = artists.filter((a) => !found.has(a.id) && a.recordingMbid && uniqueMbids([a.recordingMbid]).length);
  const byRecording = rest.length
    ? await client.recordingTags(rest.map((a) => a.recordingMbid!))
    : new Map<string, RecordingTags>();
  for (const a of rest) {
    const recording = byRecording.get(a.recordingMbid!.trim().toLowerCase());
    if (!recording) continue;
    const credit = recording.artists;
    const mine =
      credit.find((c) => a.mbid && c.mbid === a.mbid.trim().toLowerCase()) ??
      credit.find((c) => a.name && fold(c.name) === fold(a.name)) ??
      (credit.length === 1 ? credit[0] : undefined);
    if (!mine) continue;
    let genres = genresFromMetadataTags(recording.artistTags.filter((t) => t.artistMbid === mine.mbid));
    // The artist has no tags of its own: a recording credited to it alone speaks for it.
    if (genres.length === 0 && credit.length === 1) genres = genresFromMetadataTags(recording.recordingTags);
    found.set(a.id, { genres, mbid: mine.mbid });
  }
  return found;
}

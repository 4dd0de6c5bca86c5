import { createHash } from 'node:crypto';
import { seedWorld } from '../spotify/seed.js';

/**
 * How a listen reached ListenBrainz decides which ids it carries (docs/listenbrainz.md):
 * - spotify: ListenBrainz's own Spotify reader: spotify_id (a URL), isrc, duration_ms, artist_names
 *   and spotify_artist_ids in additional_info, no MBIDs there; ListenBrainz's mapper adds mbid_mapping.
 * - mbid: a scrobbler that sends MusicBrainz ids (Picard-tagged files, Navidrome): recording_mbid,
 *   artist_mbids, release_mbid and duration_ms in additional_info, and an mbid_mapping.
 * - names: only artist, track and release names; some are mapped by ListenBrainz (mbid_mapping),
 *   some are not (no mbid_mapping at all).
 */
export type SubmissionStyle = 'spotify' | 'mbid' | 'names';

export interface CatalogueArtist {
  readonly name: string;
  /** Set when the artist is also in the Spotify emulator's catalogue. */
  readonly spotifyId?: string;
  readonly mbid: string;
  /** The Spotify world's genres for this artist: what the metadata endpoints tag it with (metadata.ts). */
  readonly genres?: readonly string[];
}

export interface CatalogueTrack {
  readonly name: string;
  readonly artists: readonly CatalogueArtist[];
  readonly album: { readonly name: string; readonly mbid: string; readonly spotifyId?: string };
  readonly recordingMbid: string;
  readonly durationMs: number;
  /** Set when the track is also in the Spotify emulator's catalogue. */
  readonly spotifyId?: string;
  readonly isrc?: string;
  readonly style: SubmissionStyle;
  /** Whether ListenBrainz's mapper found it (mbid_mapping present); always for 'spotify' and 'mbid'. */
  readonly mapped: boolean;
  readonly caaId?: number;
}

/**
 * A stable MusicBrainz-looking id for an entity of the Spotify emulator's world, so the MusicBrainz
 * emulator (or a later test) can be seeded with the same ids: `mbidFor('artist', spotifyArtistId)`.
 */
export function mbidFor(kind: 'artist' | 'recording' | 'release', key: string): string {
  const h = createHash('sha1').update(`${kind}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const LOCAL_ARTISTS = [
  'Obscure Bedroom Act',
  'The Tape Hiss',
  'Kellerkind',
  'Sofa Choir',
  'Nachtbus',
  'Basement Ghosts',
];
const LOCAL_WORDS = ['Demo', 'Live', 'Session', 'Cassette', 'Rehearsal', 'Bootleg', 'Loop', 'Sketch'];

/**
 * The tracks ListenBrainz users of the emulator listen to: the Spotify emulator's first `shared`
 * tracks (same names, Spotify ids and ISRCs, so a cross-source test can count one artist once) and a
 * few tracks Spotify does not have (bedroom recordings, bootlegs) that carry names only.
 */
export function buildCatalogue(seed = 42, shared = 3000): CatalogueTrack[] {
  const world = seedWorld(seed);
  const tracks: CatalogueTrack[] = [];
  for (const [i, t] of world.trackList.slice(0, shared).entries()) {
    const album = world.albums.get(t.albumId)!;
    const style: SubmissionStyle = (['spotify', 'mbid', 'names'] as const)[i % 3]!;
    tracks.push({
      name: t.name,
      artists: t.artistIds.map((id) => ({
        name: world.artists.get(id)!.name,
        spotifyId: id,
        mbid: mbidFor('artist', id),
        genres: world.artists.get(id)!.genres,
      })),
      album: { name: album.name, mbid: mbidFor('release', album.id), spotifyId: album.id },
      recordingMbid: mbidFor('recording', t.id),
      durationMs: t.durationMs,
      spotifyId: t.id,
      isrc: t.isrc,
      style,
      mapped: style !== 'names' || i % 2 === 0,
      ...(i % 4 === 0 ? { caaId: 10_000_000 + i } : {}),
    });
  }
  for (let i = 0; i < 120; i++) {
    const artist = LOCAL_ARTISTS[i % LOCAL_ARTISTS.length]!;
    tracks.push({
      name: `${LOCAL_WORDS[i % LOCAL_WORDS.length]} ${Math.floor(i / LOCAL_WORDS.length) + 1}`,
      artists: [{ name: artist, mbid: mbidFor('artist', `local:${artist}`) }],
      album: { name: `${artist} Tapes`, mbid: mbidFor('release', `local:${artist}`) },
      recordingMbid: mbidFor('recording', `local:${i}`),
      durationMs: 120_000 + i * 1000,
      style: 'names',
      mapped: false,
    });
  }
  return tracks;
}

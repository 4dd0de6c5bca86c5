import type { PlaylistItemInput } from '../../src/core/sort/index.js';

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${(++sequence).toString(36).padStart(6, '0')}`;

export interface ArtistFixture {
  readonly id: string;
  readonly name: string;
  readonly genres: readonly string[];
}

/** An artist with a fresh id; pass genres to make it classifiable. */
export function artist(overrides: Partial<ArtistFixture> = {}): ArtistFixture {
  const id = overrides.id ?? nextId('artist');
  return { id, name: overrides.name ?? `Artist ${id}`, genres: overrides.genres ?? [] };
}

/** A Spotify track item by the given artists (main artist first). */
export function track(
  overrides: Partial<PlaylistItemInput> & { artists?: readonly ArtistFixture[] } = {},
): PlaylistItemInput {
  const { artists, ...rest } = overrides;
  const id = nextId('track');
  return {
    uri: `spotify:track:${id}`,
    type: 'track',
    isLocal: false,
    artistIds: artists?.map((a) => a.id) ?? [],
    name: `Track ${id}`,
    artistName: artists?.[0]?.name,
    ...rest,
  };
}

/** A local file: Spotify lists it, but the API cannot add it to another playlist. */
export function localFile(overrides: Partial<PlaylistItemInput> = {}): PlaylistItemInput {
  const id = nextId('local');
  return {
    uri: `spotify:local:Someone:Album:${id}:215`,
    type: 'track',
    isLocal: true,
    artistIds: [],
    name: id,
    ...overrides,
  };
}

/** A podcast episode inside a playlist. */
export function episode(overrides: Partial<PlaylistItemInput> = {}): PlaylistItemInput {
  const id = nextId('episode');
  return { uri: `spotify:episode:${id}`, type: 'episode', isLocal: false, artistIds: [], name: id, ...overrides };
}

/** The artist-genre lookup the sorter receives, built from fixtures. */
export function genresOf(...artists: readonly ArtistFixture[]): Map<string, readonly string[]> {
  return new Map(artists.map((a) => [a.id, a.genres]));
}

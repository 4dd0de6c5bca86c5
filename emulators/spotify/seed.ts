import { SPOTIFY_GENRES } from './genres.js';
import { seededRandom } from './random.js';

export interface EArtist {
  id: string;
  name: string;
  genres: string[];
}
export interface EAlbum {
  id: string;
  name: string;
  releaseDate: string;
  artistIds: string[];
}
export interface ETrack {
  id: string;
  name: string;
  artistIds: string[];
  albumId: string;
  durationMs: number;
  isrc: string;
}
export interface EEpisode {
  id: string;
  name: string;
  durationMs: number;
  show: string;
}
/** An entry of a playlist: a track id, an episode id, or a local file (which has no id). */
export type EItem =
  | { kind: 'track'; id: string; addedAt: string; addedBy: string }
  | { kind: 'episode'; id: string; addedAt: string; addedBy: string }
  | { kind: 'local'; name: string; artist: string; durationMs: number; addedAt: string; addedBy: string };
export interface EPlaylist {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  public: boolean;
  collaborative: boolean;
  collaborators: string[];
  /** Users who follow (have it in /me/playlists) without owning it. */
  followers: string[];
  items: EItem[];
  snapshot: number;
  spotifyOwned?: boolean;
}
export interface EUser {
  id: string;
  displayName: string;
  topArtists: Record<string, string[]>;
  topTracks: Record<string, string[]>;
  followedArtists: string[];
  savedTracks: Array<{ id: string; addedAt: string }>;
}
export interface World {
  artists: Map<string, EArtist>;
  albums: Map<string, EAlbum>;
  tracks: Map<string, ETrack>;
  episodes: Map<string, EEpisode>;
  playlists: Map<string, EPlaylist>;
  users: Map<string, EUser>;
  artistList: EArtist[];
  trackList: ETrack[];
  /** Tracks and albums that exist only from a moment on (suggestWorld.ts's new releases): not played or listed earlier. */
  releasedAt?: Map<string, number>;
}

const FIRST = [
  'Velvet',
  'Neon',
  'Paper',
  'Silver',
  'Midnight',
  'Golden',
  'Hollow',
  'Crystal',
  'Wild',
  'Quiet',
  'Electric',
  'Lunar',
  'Broken',
  'Sugar',
  'Ocean',
  'Static',
  'Amber',
  'Violet',
  'Echo',
  'Solar',
];
const SECOND = [
  'Harbour',
  'Foxes',
  'Machines',
  'Gardens',
  'Riot',
  'Tides',
  'Sisters',
  'Parade',
  'Ghosts',
  'Satellites',
  'Comets',
  'Rivers',
  'Kids',
  'Orchestra',
  'Collective',
  'Club',
  'Wolves',
  'Lights',
  'Hearts',
  'Signals',
];
const WORDS = [
  'Love',
  'Night',
  'Drive',
  'Summer',
  'Fire',
  'Dream',
  'Heart',
  'Rain',
  'Stay',
  'Run',
  'Gold',
  'Home',
  'Lost',
  'Blue',
  'Light',
  'Dance',
  'Slow',
  'Forever',
  'Alone',
  'Wave',
  'Sky',
  'Road',
  'Time',
  'Falling',
];

export const ALLOWLISTED = ['alice', 'bob', 'carol', 'dave', 'erin'];
export const NOT_ALLOWLISTED = 'mallory';
const DISPLAY: Record<string, string> = {
  alice: 'Alice Liddell',
  bob: 'Bob Marley Fan',
  carol: 'Carol K',
  dave: 'Dave',
  erin: 'Erin ✨',
  mallory: 'Mallory',
};

/** Builds the emulator's whole world from a seed; about 40 ms for 3,000 artists and 20,000 tracks. */
export function seedWorld(seed = 42, base = Date.UTC(2026, 10, 1)): World {
  const r = seededRandom(seed);
  const artists = new Map<string, EArtist>();
  const artistList: EArtist[] = [];
  for (let i = 0; i < 3000; i++) {
    const genres = r.chance(0.15)
      ? []
      : Array.from(new Set(Array.from({ length: r.int(1, 4) }, () => r.pick(SPOTIFY_GENRES))));
    const a = { id: r.id(), name: `${r.pick(FIRST)} ${r.pick(SECOND)}${i >= 400 ? ` ${i}` : ''}`, genres };
    artists.set(a.id, a);
    artistList.push(a);
  }
  const albums = new Map<string, EAlbum>();
  const tracks = new Map<string, ETrack>();
  const trackList: ETrack[] = [];
  // Most artists have a handful of tracks; a long tail gives realistic artist counts per playlist.
  for (let t = 0; tracks.size < 20000; t++) {
    const artist = artistList[Math.floor(Math.pow(r.next(), 1.6) * artistList.length)]!;
    const year = r.int(1965, 2026);
    const album: EAlbum = {
      id: r.id(),
      name: `${r.pick(WORDS)} ${r.pick(WORDS)}`,
      releaseDate: r.chance(0.2)
        ? `${year}`
        : `${year}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
      artistIds: [artist.id],
    };
    albums.set(album.id, album);
    for (let k = r.int(1, 4); k > 0 && tracks.size < 20000; k--) {
      const featured = r.chance(0.2) ? [r.pick(artistList).id] : [];
      const track: ETrack = {
        id: r.id(),
        name: `${r.pick(WORDS)} ${r.pick(WORDS)}${r.chance(0.1) ? ' (Remastered)' : ''}`,
        artistIds: [artist.id, ...featured.filter((f) => f !== artist.id)],
        albumId: album.id,
        durationMs: r.int(95_000, 420_000),
        isrc: `US${String.fromCharCode(65 + r.int(0, 25))}${String.fromCharCode(65 + r.int(0, 25))}${r.int(10, 99)}${String(r.int(0, 99999)).padStart(5, '0')}`,
      };
      tracks.set(track.id, track);
      trackList.push(track);
    }
  }
  const episodes = new Map<string, EEpisode>();
  for (let i = 0; i < 30; i++) {
    const e = {
      id: r.id(),
      name: `Episode ${i + 1}: ${r.pick(WORDS)}`,
      durationMs: r.int(900_000, 5_400_000),
      show: 'The Encore Podcast',
    };
    episodes.set(e.id, e);
  }

  const playlists = new Map<string, EPlaylist>();
  const addedAt = (i: number) => new Date(base - (100_000 - i) * 60_000).toISOString();
  const trackItems = (n: number, owner: string, offset = 0): EItem[] =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'track',
      id: trackList[(offset + i * 7) % trackList.length]!.id,
      addedAt: addedAt(i),
      addedBy: owner,
    }));
  const playlist = (
    id: string,
    name: string,
    ownerId: string,
    items: EItem[],
    extra: Partial<EPlaylist> = {},
  ): EPlaylist => {
    const p: EPlaylist = {
      id,
      name,
      description: '',
      ownerId,
      public: false,
      collaborative: false,
      collaborators: [],
      followers: [],
      items,
      snapshot: 1,
      ...extra,
    };
    playlists.set(p.id, p);
    return p;
  };

  playlist('roadtrip1000', 'Road trip', 'alice', trackItems(1000, 'alice'));
  playlist('everything10k', 'Everything', 'alice', trackItems(10_000, 'alice', 3));
  const mixed = trackItems(120, 'alice', 11);
  mixed.splice(5, 0, {
    kind: 'local',
    name: 'Demo tape',
    artist: 'My Band',
    durationMs: 180_000,
    addedAt: addedAt(5),
    addedBy: 'alice',
  });
  mixed.splice(9, 0, {
    kind: 'local',
    name: 'Voice memo',
    artist: '',
    durationMs: 60_000,
    addedAt: addedAt(9),
    addedBy: 'alice',
  });
  const episodeIds = [...episodes.keys()];
  mixed.splice(20, 0, { kind: 'episode', id: episodeIds[0]!, addedAt: addedAt(20), addedBy: 'alice' });
  mixed.splice(40, 0, { kind: 'episode', id: episodeIds[1]!, addedAt: addedAt(40), addedBy: 'alice' });
  mixed.push({ ...(mixed[0] as EItem) }, { ...(mixed[1] as EItem) }, { ...(mixed[2] as EItem) }); // duplicates
  playlist('mixedbag', 'Mixed bag 🎧', 'alice', mixed);
  playlist('emptyone', 'Empty for now', 'alice', []);
  playlist('smallone', 'Tiny', 'alice', trackItems(30, 'alice', 500));
  playlist('friendsmix', 'Friends mix', 'bob', trackItems(200, 'bob', 77), {
    collaborative: true,
    collaborators: ['alice', 'carol'],
    followers: ['alice', 'carol'],
  });
  playlist('bobsecret', "Bob's favourites", 'bob', trackItems(150, 'bob', 900), { public: true, followers: ['alice'] });
  playlist('spotifyowned', 'Today’s Top Hits', 'spotify', trackItems(50, 'spotify', 4000), {
    public: true,
    followers: ['alice', 'bob'],
    spotifyOwned: true,
  });
  for (const [u, n] of [
    ['bob', 300],
    ['carol', 400],
    ['dave', 250],
    ['erin', 500],
    ['mallory', 50],
  ] as const) {
    playlist(`${u}main`, `${DISPLAY[u]}'s mix`, u, trackItems(n, u, n));
    for (let k = 0; k < 3; k++)
      playlist(`${u}list${k}`, `${r.pick(WORDS)} ${r.pick(WORDS)}`, u, trackItems(r.int(10, 80), u, r.int(0, 19000)));
  }
  for (let k = 0; k < 60; k++)
    playlist(
      `alicelist${k}`,
      `${r.pick(WORDS)} ${r.pick(WORDS)} ${k + 1}`,
      'alice',
      trackItems(r.int(5, 60), 'alice', r.int(0, 19000)),
    );

  const users = new Map<string, EUser>();
  for (const id of [...ALLOWLISTED, NOT_ALLOWLISTED]) {
    const ranges = ['short_term', 'medium_term', 'long_term'];
    const start = r.int(0, 2000);
    const topArtists = Object.fromEntries(
      ranges.map((range, k) => [
        range,
        Array.from({ length: 50 }, (_, i) => artistList[(start + k * 13 + i * 17) % 3000]!.id),
      ]),
    );
    const topTracks = Object.fromEntries(
      ranges.map((range, k) => [
        range,
        Array.from({ length: 50 }, (_, i) => trackList[(start + k * 31 + i * 29) % trackList.length]!.id),
      ]),
    );
    users.set(id, {
      id,
      displayName: DISPLAY[id]!,
      topArtists,
      topTracks,
      followedArtists: Array.from({ length: 120 }, (_, i) => artistList[(start + i * 11) % 3000]!.id),
      savedTracks: Array.from({ length: 200 }, (_, i) => ({
        id: trackList[(start + i * 3) % trackList.length]!.id,
        addedAt: addedAt(i),
      })),
      // Recently played is not seeded: users listen over the emulator's clock (listening.ts).
    });
  }
  return { artists, albums, tracks, episodes, playlists, users, artistList, trackList };
}

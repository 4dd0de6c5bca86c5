import type { EmulatedArtist, EmulatedRecording } from './server.js';

/** A few artists and recordings with the kind of tags MusicBrainz really has (votes and noise included). */
export const seedArtists: readonly EmulatedArtist[] = [
  {
    id: 'a74b1b7f-71a5-4011-9441-d0b5e4122711',
    name: 'Radiohead',
    genres: [
      { name: 'alternative rock', count: 30 },
      { name: 'art rock', count: 18 },
    ],
    tags: [
      { name: 'seen live', count: 40 },
      { name: 'british', count: 25 },
      { name: 'alternative rock', count: 30 },
      { name: 'electronic', count: 12 },
    ],
  },
  {
    id: 'f27ec8db-af05-4f36-916e-3d57f91ecf5e',
    name: 'Michael Jackson',
    genres: [
      { name: 'Pop', count: 25 },
      { name: 'R&B', count: 12 },
      { name: 'dance-pop', count: 8 },
    ],
  },
  {
    id: 'b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d',
    name: 'The Beatles',
    tags: [
      { name: 'Rock', count: 20 },
      { name: 'british invasion', count: 10 },
      { name: '60s', count: 9 },
    ],
  },
  { id: '0b0f3b3a-0000-4000-8000-00000000000a', name: 'Obscure Bedroom Act', tags: [{ name: 'seen live', count: 1 }] },
  {
    id: '0b0f3b3a-0000-4000-8000-00000000000b',
    name: 'Sigur Rós',
    tags: [
      { name: 'post-rock', count: 15 },
      { name: 'icelandic', count: 7 },
    ],
  },
];

export const seedRecordings: readonly EmulatedRecording[] = [
  {
    id: '0f0e2d3c-1111-4111-8111-000000000001',
    title: 'Paranoid Android',
    isrcs: ['GBAYE9700111'],
    artistIds: ['a74b1b7f-71a5-4011-9441-d0b5e4122711'],
    tags: [
      { name: 'alternative rock', count: 5 },
      { name: 'progressive rock', count: 3 },
      { name: 'favourite', count: 9 },
    ],
  },
  {
    id: '0f0e2d3c-1111-4111-8111-000000000002',
    title: 'Billie Jean',
    isrcs: ['USSM19902991'],
    artistIds: ['f27ec8db-af05-4f36-916e-3d57f91ecf5e'],
    tags: [],
  },
];

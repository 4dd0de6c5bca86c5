import { describe, expect, it } from 'vitest';
import { playsFromPage, type RecentlyPlayedPage } from '../../src/app/history/index.js';

const track = (id: string | null, extra: object = {}) => ({
  id,
  name: `Track ${id}`,
  duration_ms: 201_000,
  external_ids: { isrc: 'GBAAA2600001' },
  album: { id: 'album1', name: 'Album', release_date: '2026-03' },
  artists: [
    { id: 'main', name: 'Main' },
    { id: 'feat', name: 'Feat' },
  ],
  ...extra,
});

describe('plays from a recently-played page', () => {
  const page: RecentlyPlayedPage = {
    items: [
      { played_at: '2026-11-20T21:03:04.123Z', context: { uri: 'spotify:playlist:p1' }, track: track('t1') },
      {
        played_at: '2026-11-20T20:59:00.000Z',
        context: null,
        track: track(null, { is_local: true, artists: [{ id: null, name: 'My band' }] }),
      },
      { played_at: '2026-11-20T20:55:00.000Z', context: null, track: null },
      { played_at: 'not a date', context: null, track: track('t2') },
      {
        played_at: '2026-11-20T20:50:00.000Z',
        track: track('t3', { album: null, artists: [{ id: 'solo', name: 'Solo' }] }),
      },
    ],
  };
  const plays = playsFromPage(page, (t) => (t.artists[0]?.id === 'main' ? 'rock' : 'unclassified'));

  it('keeps Spotify tracks with their time to the millisecond, skipping local files and lost tracks', () => {
    expect(plays.map((p) => [p.track.id, p.playedAt])).toEqual([
      ['t1', Date.parse('2026-11-20T21:03:04.123Z')],
      ['t3', Date.parse('2026-11-20T20:50:00.000Z')],
    ]);
  });

  it('estimates ms played with the track length, says so, and keeps the context and the catalogue facts', () => {
    expect(plays[0]).toEqual({
      playedAt: Date.parse('2026-11-20T21:03:04.123Z'),
      track: {
        id: 't1',
        name: 'Track t1',
        durationMs: 201_000,
        isrc: 'GBAAA2600001',
        album: { id: 'album1', name: 'Album', releaseDate: '2026-03' },
        artists: [
          { id: 'main', name: 'Main' },
          { id: 'feat', name: 'Feat' },
        ],
      },
      msPlayed: 201_000,
      msEstimated: true,
      source: 'collected',
      contextUri: 'spotify:playlist:p1',
      genre: 'rock',
    });
    expect(plays[1]).toMatchObject({ track: { album: undefined }, contextUri: undefined, genre: 'unclassified' });
  });
});

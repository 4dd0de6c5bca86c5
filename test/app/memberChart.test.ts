import { describe, expect, it } from 'vitest';
import { memberChartData, type TopItemsSource } from '../../src/app/charts/memberChart.js';

function source(overrides: Partial<TopItemsSource> = {}): TopItemsSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async topArtists(range, limit) {
      calls.push(`artists:${range}:${limit}`);
      return [
        { id: 'a1', name: 'Little Simz', genres: ['uk hip hop'] },
        { id: 'a2', name: 'Nobody Knows', genres: [] },
        { id: 'a3', name: 'Bon Iver', genres: ['indie folk'] },
      ];
    },
    async topTracks(range, limit) {
      calls.push(`tracks:${range}:${limit}`);
      return [{ name: 'Gorilla', artists: [{ name: 'Little Simz' }, { name: 'Guest' }] }];
    },
    ...overrides,
  };
}

describe('memberChartData', () => {
  it('computes top genres from one top-artists request and says how many artists had no genre', async () => {
    const s = source();
    const data = await memberChartData('top-genres', 'short_term', s);
    expect(s.calls).toEqual(['artists:short_term:50']);
    expect(data).toMatchObject({
      kind: 'top-genres',
      title: 'Your top genres',
      subtitle: 'Last 4 weeks · from your top 3 artists · 1 without a known genre',
    });
    if (data.kind !== 'top-genres') return;
    expect(data.genres.map((g) => g.genre)).toEqual(['Hip hop', 'Folk / Singer-songwriter']);
  });

  it('asks the fallback resolver only about artists Spotify gave no genres', async () => {
    const asked: string[][] = [];
    const s = source({
      genresForArtists: async (artists) => (asked.push(artists.map((a) => a.id)), new Map([['a2', ['jazz']]])),
    });
    const data = await memberChartData('top-genres', 'long_term', s);
    expect(asked).toEqual([['a2']]);
    if (data.kind !== 'top-genres') throw new Error('wrong kind');
    expect(data.genres.map((g) => g.genre)).toContain('Jazz');
    expect(data.subtitle).toBe('Last 12 months · from your top 3 artists');
  });

  it('lists top tracks with all their artists', async () => {
    const data = await memberChartData('top-tracks', 'medium_term', source());
    expect(data).toEqual({
      kind: 'top-tracks',
      title: 'Your top tracks',
      subtitle: 'Last 6 months',
      tracks: [{ name: 'Gorilla', artist: 'Little Simz, Guest' }],
    });
  });

  it('returns empty history charts without calling Spotify', async () => {
    const s = source();
    const data = await memberChartData('listening-clock', 'short_term', s);
    expect(data).toMatchObject({ kind: 'listening-clock', cells: [] });
    expect(s.calls).toEqual([]);
  });
});

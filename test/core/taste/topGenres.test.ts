import { describe, expect, it } from 'vitest';
import { topGenresFromArtists } from '../../../src/core/taste/index.js';

const artist = (...genres: string[]) => ({ genres });

describe('topGenresFromArtists', () => {
  it('weighs higher-ranked artists more and maps micro-genres onto parent genres', () => {
    const top = topGenresFromArtists([artist('melodic drill'), artist('stomp and holler'), artist('indie folk')]);
    expect(top.genres.map((g) => g.genre)).toEqual(['Hip hop', 'Folk / Singer-songwriter']);
    expect(top.genres[0]!.share).toBeCloseTo(3 / 6);
    expect(top.genres[1]!.share).toBeCloseTo(3 / 6);
  });

  it('splits an artist spanning two parents so the shares still add up to one', () => {
    const top = topGenresFromArtists([artist('trap latino', 'k-pop'), artist('k-pop')]);
    const total = top.genres.reduce((s, g) => s + g.share, 0);
    expect(total).toBeCloseTo(1);
    expect(top.genres[0]!.genre).toBe('K-pop');
  });

  it('counts artists with no genre instead of inventing one', () => {
    const top = topGenresFromArtists([artist(), artist(''), artist('deep house')]);
    expect(top).toMatchObject({ unclassifiedArtists: 2, classifiedArtists: 1 });
    expect(top.genres).toEqual([{ genre: 'Electronic', share: 1 }]);
  });

  it('returns no genres for no artists', () => {
    expect(topGenresFromArtists([])).toEqual({ genres: [], unclassifiedArtists: 0, classifiedArtists: 0 });
  });
});

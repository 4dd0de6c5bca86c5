import { describe, expect, it } from 'vitest';
import { applyOrderPlan, planOrderChange, targetOrder } from '../../../src/core/sort/index.js';
import { artist, episode, genresOf, localFile, track } from '../factories.js';

describe('targetOrder', () => {
  it('orders by genre (family-tree order), then artist name, keeping playlist order among equals', () => {
    const zed = artist({ name: 'Zed', genres: ['hard rock'] });
    const abba = artist({ name: 'ABBA', genres: ['europop'] });
    const adele = artist({ name: 'adele', genres: ['british soul'] });
    const ac = artist({ name: 'AC/DC', genres: ['hard rock'] });
    const items = [
      track({ artists: [zed] }),
      track({ artists: [adele] }),
      track({ artists: [abba] }),
      track({ artists: [ac] }),
      track({ artists: [zed] }),
    ];
    const order = targetOrder(items, { by: 'genre-artist', artistGenres: genresOf(zed, abba, adele, ac) });
    // Pop (ABBA), Rock (AC/DC, Zed, Zed), R&B / Soul (adele).
    expect(order).toEqual([2, 3, 0, 4, 1]);
  });

  it('puts unclassified tracks after the genres, then local files and episodes, each in playlist order', () => {
    const rock = artist({ genres: ['rock'] });
    const items = [episode(), track({ artists: [artist()] }), localFile(), track({ artists: [rock] })];
    expect(targetOrder(items, { by: 'genre-artist', artistGenres: genresOf(rock) })).toEqual([3, 1, 0, 2]);
  });

  it('orders by release date, coarse dates first within their year, unknown dates last', () => {
    const items = ['2001-05-03', undefined, '1999', '2001', 'garbage', '2001-05', '1999'].map((releaseDate) =>
      track({ releaseDate }),
    );
    expect(targetOrder(items, { by: 'release-date' })).toEqual([2, 6, 3, 5, 0, 1, 4]);
    expect(targetOrder(items, { by: 'release-date', descending: true })).toEqual([0, 5, 3, 2, 6, 1, 4]);
  });

  it('orders by added date, whatever the timestamp format', () => {
    const items = ['2024-03-01T10:00:00Z', '2024-03-01T09:00:00.000+00:00', undefined, '2023-12-31T23:59:59Z'].map(
      (addedAt) => track({ addedAt }),
    );
    expect(targetOrder(items, { by: 'added-date' })).toEqual([3, 1, 0, 2]);
  });

  it('feeds the planner: applying the plan yields the ordered playlist', () => {
    const items = Array.from({ length: 30 }, (_, i) => track({ releaseDate: `${2000 + ((i * 7) % 13)}` }));
    const uris = items.map((i) => i.uri);
    const order = targetOrder(items, { by: 'release-date' });
    const sorted = applyOrderPlan(uris, planOrderChange(uris, order));
    expect(sorted.map((uri) => items.find((i) => i.uri === uri)!.releaseDate)).toEqual(
      items.map((i) => i.releaseDate!).sort(),
    );
  });
});

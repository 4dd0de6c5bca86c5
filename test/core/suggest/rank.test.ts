import { describe, expect, it } from 'vitest';
import {
  fineGenrePlays,
  radarSignal,
  rankSuggestions,
  recency,
  similarMembers,
  songKey,
  sourceWeightsFromLikes,
  type Candidate,
  type CandidateSource,
  type RankContext,
} from '../../../src/core/suggest/index.js';

let next = 0;
function candidate(overrides: Partial<Candidate> & { artist?: string } = {}): Candidate {
  const id = overrides.trackId ?? `t${++next}`;
  const artist = overrides.artist ?? `a${next}`;
  return {
    trackId: id,
    uri: `spotify:track:${id}`,
    name: overrides.name ?? `Song ${id}`,
    artists: overrides.artists ?? [{ id: artist, name: `Artist ${artist}` }],
    signal: overrides.signal ?? 0.5,
    reason: overrides.reason ?? { source: 'genre', genre: 'uk garage', genrePlays: 12 },
  };
}

function context(overrides: Partial<RankContext> = {}): RankContext {
  return {
    played: new Set(),
    saved: new Set(),
    dismissedArtists: new Set(),
    artistAffinity: new Map(),
    genreAffinity: new Map(),
    artistGenres: new Map(),
    sourceWeights: sourceWeightsFromLikes({}),
    ...overrides,
  };
}

describe('rankSuggestions', () => {
  it('never offers a played or saved track, nor one crediting a dismissed artist anywhere', () => {
    const played = candidate();
    const saved = candidate();
    const featuringDismissed = candidate({
      artists: [
        { id: 'ok', name: 'Fine' },
        { id: 'gone', name: 'Dismissed' },
      ],
    });
    const fine = candidate();
    const ranked = rankSuggestions(
      [played, saved, featuringDismissed, fine],
      context({
        played: new Set([played.trackId]),
        saved: new Set([saved.trackId]),
        dismissedArtists: new Set(['gone']),
      }),
      10,
    );
    expect(ranked.map((c) => c.trackId)).toEqual([fine.trackId]);
  });

  it('treats the same song under another id (a remaster, an import known by name) as played', () => {
    const remaster = candidate({ name: 'Night Drive (Remastered 2011)', artist: 'x' });
    const ranked = rankSuggestions(
      [remaster],
      context({ playedKeys: new Set([songKey('Night Drive', 'Artist x')]) }),
      10,
    );
    expect(ranked).toEqual([]);
  });

  it('gives an artist at most two places, even when its tracks score best', () => {
    const loved = Array.from({ length: 6 }, () => candidate({ artist: 'star' }));
    const others = Array.from({ length: 6 }, () => candidate());
    const ranked = rankSuggestions([...loved, ...others], context({ artistAffinity: new Map([['star', 1]]) }), 8);
    expect(ranked).toHaveLength(8);
    expect(ranked.filter((c) => c.artists[0]!.id === 'star')).toHaveLength(2);
    expect(ranked[0]!.artists[0]!.id).toBe('star');
  });

  it('counts a featured artist towards its two places too', () => {
    const a = candidate({
      artist: 'main1',
      artists: [
        { id: 'main1', name: 'M1' },
        { id: 'feat', name: 'F' },
      ],
    });
    const b = candidate({
      artist: 'main2',
      artists: [
        { id: 'main2', name: 'M2' },
        { id: 'feat', name: 'F' },
      ],
    });
    const c = candidate({ artist: 'feat', artists: [{ id: 'feat', name: 'F' }] });
    const ranked = rankSuggestions([a, b, c], context(), 3);
    expect(ranked.filter((x) => x.artists.some((y) => y.id === 'feat'))).toHaveLength(2);
  });

  it('offers a song once, from the source that vouches for it most', () => {
    const fromGenre = candidate({ trackId: 'same', signal: 0.1 });
    const fromServer = candidate({
      trackId: 'same',
      signal: 0.9,
      reason: { source: 'server', listeners: [{ memberId: 'bob', similarity: 80 }], plays: 20 },
    });
    const ranked = rankSuggestions([fromGenre, fromServer], context(), 10);
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.reason.source).toBe('server');
  });

  it('prefers artists and genres the member plays', () => {
    const unknown = candidate({ artist: 'stranger' });
    const genreMatch = candidate({ artist: 'garage' });
    const artistMatch = candidate({ artist: 'fav' });
    const ranked = rankSuggestions(
      [unknown, genreMatch, artistMatch],
      context({
        artistAffinity: new Map([['fav', 1]]),
        genreAffinity: new Map([['uk garage', 1]]),
        artistGenres: new Map([['garage', ['uk garage']]]),
      }),
      3,
    );
    expect(ranked.map((c) => c.artists[0]!.id)).toEqual(['fav', 'garage', 'stranger']);
  });

  it('lets 👍 on a source lift its suggestions above an equal one from another source', () => {
    const sources: CandidateSource[] = ['deepCut', 'genre'];
    const [deep, genre] = sources.map((source) =>
      candidate({
        reason:
          source === 'deepCut'
            ? { source, artistName: 'A', artistRank: 1, albumName: 'B' }
            : { source: 'genre', genre: 'g', genrePlays: 1 },
      }),
    );
    const plain = rankSuggestions([deep!, genre!], context(), 1)[0]!;
    const liked = plain.reason.source === 'genre' ? 'deepCut' : 'genre';
    const after = rankSuggestions(
      [deep!, genre!],
      context({ sourceWeights: sourceWeightsFromLikes({ [liked]: 3 }) }),
      1,
    );
    expect(after[0]!.reason.source).toBe(liked);
  });
});

describe('taste helpers', () => {
  it('weights sources with diminishing returns per like', () => {
    const w = sourceWeightsFromLikes({ genre: 1, server: 3, deepCut: 15 });
    expect(w.newRelease).toBe(1);
    expect(w.genre).toBeCloseTo(1.25);
    expect(w.server).toBeCloseTo(1.5);
    expect(w.deepCut).toBeCloseTo(2);
  });

  it('spreads an artist’s plays over its genres', () => {
    const genres = fineGenrePlays(
      [
        { id: 'a', plays: 30 },
        { id: 'b', plays: 10 },
      ],
      new Map([
        ['a', ['uk garage', 'house']],
        ['b', ['house']],
      ]),
    );
    expect(genres).toEqual([
      { genre: 'house', plays: 25 },
      { genre: 'uk garage', plays: 15 },
    ]);
  });

  it('keeps only peers above the similarity floor, most similar first', () => {
    const taste = (ids: string[]) => ({
      artists: ids.map((id) => ({ id, name: id, plays: 10 })),
      genres: [{ genre: 'electronic', plays: 10 }],
    });
    const peers = similarMembers(taste(['a', 'b', 'c']), [
      { memberId: 'twin', taste: taste(['a', 'b', 'c']) },
      { memberId: 'half', taste: taste(['a', 'x', 'y']) },
      {
        memberId: 'stranger',
        taste: { artists: [{ id: 'z', name: 'z', plays: 5 }], genres: [{ genre: 'jazz', plays: 5 }] },
      },
    ]);
    expect(peers.map((p) => p.memberId)).toEqual(['twin', 'half']);
    expect(peers[0]!.similarity).toBeGreaterThan(peers[1]!.similarity);
  });

  it('vouches more for tracks similar members play often', () => {
    expect(radarSignal([{ similarity: 80, plays: 30 }])).toBeGreaterThan(radarSignal([{ similarity: 80, plays: 2 }]));
    expect(radarSignal([{ similarity: 80, plays: 10 }])).toBeGreaterThan(radarSignal([{ similarity: 30, plays: 10 }]));
  });

  it('scores a release by how recent it is, whatever the date precision', () => {
    expect(recency('2026-11-29', '2026-11-30')).toBeGreaterThan(recency('2026-09-01', '2026-11-30'));
    expect(recency('1999', '2026-11-30')).toBe(0.3);
  });
});

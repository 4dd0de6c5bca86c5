import { describe, expect, it } from 'vitest';
import { analysePlaylist, OTHER_KEY, UNCLASSIFIED_KEY } from '../../../src/core/sort/index.js';
import { artist, episode, genresOf, localFile, track } from '../factories.js';

const rocker = artist({ name: 'The Rockers', genres: ['classic rock', 'hard rock'] });
const rapper = artist({ name: 'MC Test', genres: ['uk drill', 'grime'] });
const folkie = artist({ name: 'Folkie', genres: ['stomp and holler'] });
const mystery = artist({ name: 'Nobody Knows', genres: [] });
const lookup = genresOf(rocker, rapper, folkie, mystery);
const options = { playlistName: 'Road trip' };

describe('analysePlaylist', () => {
  it('counts tracks per genre and plans one playlist per genre, named after the source', () => {
    const items = [track({ artists: [rocker] }), track({ artists: [rapper] }), track({ artists: [rocker] })];
    const analysis = analysePlaylist(items, lookup, options);
    expect(analysis.genres).toEqual([
      { key: 'rock', name: 'Rock', count: 2 },
      { key: 'hip-hop', name: 'Hip hop', count: 1 },
    ]);
    expect(analysis.playlists.map((p) => [p.playlistName, p.trackUris])).toEqual([
      ['Road trip · Rock', [items[0]!.uri, items[2]!.uri]],
      ['Road trip · Hip hop', [items[1]!.uri]],
    ]);
  });

  it('skips and counts local files, episodes, duplicates and vanished items', () => {
    const first = track({ artists: [folkie] });
    const items = [
      localFile(),
      first,
      episode(),
      { ...first },
      localFile(),
      track({ uri: '', artists: [rocker] }),
      { ...first },
    ];
    const analysis = analysePlaylist(items, lookup, options);
    expect(analysis.counts).toEqual({
      items: 7,
      tracks: 1,
      localFiles: 2,
      episodes: 1,
      duplicates: 2,
      unavailable: 1,
      classified: 1,
      unclassified: 0,
    });
    expect(analysis.playlists).toEqual([
      {
        key: 'folk',
        genreName: 'Folk / Singer-songwriter',
        playlistName: 'Road trip · Folk / Singer-songwriter',
        trackUris: [first.uri],
        genreKeys: ['folk'],
      },
    ]);
  });

  it('keeps the first occurrence of a duplicated track, in its original place', () => {
    const a = track({ artists: [rocker] }),
      b = track({ artists: [rocker] });
    const analysis = analysePlaylist([b, a, { ...b }, a], lookup, options);
    expect(analysis.playlists[0]?.trackUris).toEqual([b.uri, a.uri]);
    expect(analysis.counts.duplicates).toBe(2);
  });

  it('puts tracks whose artists have no genres, or are unresolved, into "Unclassified"', () => {
    const noGenres = track({ artists: [mystery] });
    const unresolved = track({ artists: [artist()] });
    const noArtists = track({ artistIds: [] });
    const analysis = analysePlaylist([noGenres, track({ artists: [rocker] }), unresolved, noArtists], lookup, options);
    expect(analysis.counts.unclassified).toBe(3);
    expect(analysis.playlists.at(-1)).toMatchObject({
      key: UNCLASSIFIED_KEY,
      playlistName: 'Road trip · Unclassified',
      trackUris: [noGenres.uri, unresolved.uri, noArtists.uri],
    });
    expect(analysePlaylist([noGenres], lookup, { ...options, includeUnclassified: false }).playlists).toEqual([]);
  });

  it('falls back on a featured artist’s genres when the main artist has none', () => {
    const item = track({ artists: [mystery, rapper] });
    expect(analysePlaylist([item], lookup, options).playlists[0]?.key).toBe('hip-hop');
  });

  it('gathers genres with fewer than minTracksPerGenre tracks into "Other", in playlist order', () => {
    const items = [
      track({ artists: [folkie] }),
      track({ artists: [rocker] }),
      track({ artists: [rapper] }),
      track({ artists: [rocker] }),
      track({ artists: [rocker] }),
      track({ artists: [mystery] }),
    ];
    const analysis = analysePlaylist(items, lookup, { ...options, minTracksPerGenre: 2 });
    expect(analysis.playlists.map((p) => p.playlistName)).toEqual([
      'Road trip · Rock',
      'Road trip · Other',
      'Road trip · Unclassified',
    ]);
    const other = analysis.playlists.find((p) => p.key === OTHER_KEY)!;
    expect(other.trackUris).toEqual([items[0]!.uri, items[2]!.uri]);
    expect([...other.genreKeys].sort()).toEqual(['folk', 'hip-hop']);
    expect(analysis.genres.map((g) => g.count)).toEqual([3, 1, 1]);
  });

  it('groups by fine genre on request', () => {
    const analysis = analysePlaylist([track({ artists: [rapper] }), track({ artists: [rocker] })], lookup, {
      ...options,
      mode: 'fine',
    });
    expect(analysis.playlists.map((p) => p.playlistName).sort()).toEqual([
      'Road trip · Classic rock',
      'Road trip · UK drill',
    ]);
  });

  it('plans nothing for an empty playlist, which still costs one read', () => {
    const analysis = analysePlaylist([], lookup, options);
    expect(analysis.playlists).toEqual([]);
    expect(analysis.counts.items).toBe(0);
    expect(analysis.requests).toEqual({ itemPages: 1, artistLookups: 0, playlistCreates: 0, trackAdds: 0, total: 1 });
  });

  it('estimates requests from the cache: pages + uncached artists + creates + adds', () => {
    const items = [track({ artists: [rocker, rapper] }), track({ artists: [folkie] }), track({ artists: [rocker] })];
    const analysis = analysePlaylist(items, lookup, { ...options, cachedArtistIds: new Set([rocker.id]) });
    expect(analysis.distinctArtists).toBe(3);
    expect(analysis.uncachedArtists).toBe(2);
    expect(analysis.requests).toEqual({ itemPages: 1, artistLookups: 2, playlistCreates: 2, trackAdds: 2, total: 7 });
    expect(analysis.naiveRequests).toBe(1 + 3 + 2 + 2);
  });

  it('handles a 10,000-track playlist: right counts, original order kept in every group', () => {
    const pool = Array.from({ length: 400 }, (_, i) =>
      artist({ genres: i % 5 === 0 ? [] : [['indie rock', 'uk drill', 'k-pop', 'deep house'][i % 4]!] }),
    );
    const items = Array.from({ length: 10_000 }, (_, i) => {
      if (i % 97 === 0) return localFile();
      if (i % 101 === 0) return episode();
      return track({ artists: [pool[i % pool.length]!, pool[(i * 7) % pool.length]!] });
    });
    items.push({ ...items[1]! }, { ...items[2]! });
    const analysis = analysePlaylist(items, genresOf(...pool), { playlistName: 'Everything' });
    const { counts } = analysis;
    expect(counts.items).toBe(10_002);
    const indices = Array.from({ length: 10_000 }, (_, i) => i);
    expect(counts.localFiles).toBe(indices.filter((i) => i % 97 === 0).length);
    expect(counts.episodes).toBe(indices.filter((i) => i % 101 === 0 && i % 97 !== 0).length);
    expect(counts.duplicates).toBe(2);
    expect(counts.tracks + counts.localFiles + counts.episodes + counts.duplicates).toBe(10_002);
    expect(analysis.playlists.reduce((n, p) => n + p.trackUris.length, 0)).toBe(counts.tracks);
    const position = new Map(items.map((item, i) => [item.uri, i] as const).reverse());
    for (const playlist of analysis.playlists) {
      const positions = playlist.trackUris.map((uri) => position.get(uri)!);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    expect(analysis.requests.itemPages).toBe(201);
    expect(analysis.requests.trackAdds).toBe(
      analysis.playlists.reduce((n, p) => n + Math.ceil(p.trackUris.length / 100), 0),
    );
  });
});

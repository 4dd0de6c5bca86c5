import { describe, expect, it } from 'vitest';
import { ARTIST_GENRES_NAMESPACE, ArtistGenreCache, cachedArtistGenres } from '../../src/spotify/genreCache.js';
import { GatewayMetrics } from '../../src/spotify/metrics.js';
import { useTestStore } from '../support/database.js';

const testStore = useTestStore();

describe('the shared artist-genre cache', () => {
  it('keeps a page that lists an artist twice (Postgres refuses an upsert naming a key twice); the last answer wins', async () => {
    const namespace = testStore().namespace<string[]>(ARTIST_GENRES_NAMESPACE);
    const cache = new ArtistGenreCache(namespace, new GatewayMetrics());
    await cache.remember([
      { id: 'dup-artist-1', genres: ['indie rock'] },
      { id: 'other-artist-1', genres: [] },
      { id: 'dup-artist-1', genres: ['indie rock', 'shoegaze'] },
    ]);
    const known = await cachedArtistGenres(namespace, ['dup-artist-1', 'other-artist-1']);
    expect(Object.fromEntries(known)).toEqual({ 'dup-artist-1': ['indie rock', 'shoegaze'], 'other-artist-1': [] });
  });
});

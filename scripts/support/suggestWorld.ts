import type { SpotifyEmulator } from '../../emulators/spotify/index.js';
import type { NewPlay } from '../../src/app/history/ports.js';
import type { SuggestDeps } from '../../src/app/suggest/engine.js';
import { rollupGenre } from '../../src/core/history/rollup.js';
import { ARTIST_GENRES_NAMESPACE } from '../../src/spotify/genreCache.js';
import type { SpotifyGateway, TokenSet, UserTokens } from '../../src/spotify/index.js';
import { createSuggestSpotify } from '../../src/spotify/suggestSpotify.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import type { Store } from '../../src/store/index.js';
import { createSocialRepository } from '../../src/store/social/socialRepository.js';
import { createSuggestHistory, createSuggestionFeedbackRepository } from '../../src/store/suggest/suggestRepository.js';

/** No vitest in here: the suggestions bench builds its world with the same code. */

/**
 * Stores what the emulator's users played in (from, to] through the real history repository, as
 * the collector would (genres from the shared artist-genre cache, which the background resolver
 * fills: here straight from the emulator's artists). Returns how many plays were stored.
 */
export async function storeListening(
  store: Store,
  emulator: SpotifyEmulator,
  userIds: readonly string[],
  range: { from: number; to: number },
): Promise<number> {
  const history = createHistoryRepository(store.pool);
  const { world } = emulator;
  const genreCache = store.namespace<string[]>(ARTIST_GENRES_NAMESPACE);
  const seenArtists = new Set<string>();
  let stored = 0;
  for (const userId of userIds) {
    const plays: NewPlay[] = emulator.listening.playsBetween(userId, range.from, range.to).map((p) => {
      const t = world.tracks.get(p.trackId)!;
      const album = world.albums.get(t.albumId)!;
      const artists = t.artistIds.map((id) => world.artists.get(id)!);
      for (const a of artists) seenArtists.add(a.id);
      return {
        playedAt: p.playedAt,
        track: {
          id: t.id,
          name: t.name,
          durationMs: t.durationMs,
          isrc: t.isrc,
          album: { id: album.id, name: album.name, releaseDate: album.releaseDate },
          artists: artists.map((a) => ({ id: a.id, name: a.name })),
        },
        msPlayed: p.msPlayed,
        msEstimated: false,
        source: 'collected',
        contextUri: p.contextUri,
        genre: rollupGenre(artists.map((a) => a.genres)),
      };
    });
    for (let i = 0; i < plays.length; i += 2_000)
      stored += await history.insertPlays(userId, plays.slice(i, i + 2_000));
  }
  const artists = [...seenArtists].map((id) => world.artists.get(id)!);
  for (let i = 0; i < artists.length; i += 500)
    await genreCache.setMany(artists.slice(i, i + 500).map((a) => ({ key: a.id, value: a.genres })));
  return stored;
}

/** Opts these members in for a server (the SQL mirror of /privacy that the server radar reads). */
export async function optIn(store: Store, guildId: string, memberIds: readonly string[]): Promise<void> {
  const social = createSocialRepository(store.pool);
  for (const id of memberIds) await social.setVisible(id, guildId, true);
}

function memoryTokens(initial: TokenSet): UserTokens {
  let current = initial;
  return {
    load: async () => current,
    save: async (next) => void (current = next),
  };
}

/**
 * The engine's dependencies on a real store, gateway and emulator; members are the emulator's
 * user ids (each a linked member with tokens issued by the emulator).
 */
export function suggestDeps(store: Store, gateway: SpotifyGateway, emulator: SpotifyEmulator): SuggestDeps {
  const spotify = createSuggestSpotify(store, gateway, () => emulator.control.now());
  const social = createSocialRepository(store.pool);
  const clients = new Map<string, ReturnType<SpotifyGateway['forUser']>>();
  return {
    history: createSuggestHistory(store.pool),
    feedback: createSuggestionFeedbackRepository(store.pool),
    visibleMembers: (guildId) => social.visibleMembers(guildId),
    async spotifyFor(memberId) {
      let client = clients.get(memberId);
      if (!client) {
        client = gateway.forUser(memoryTokens(emulator.issueTokens(memberId, 'test-client')), { member: memberId });
        clients.set(memberId, client);
      }
      return spotify.forMember(memberId, client);
    },
  };
}

import type { SuggestService } from '../../app/suggest/ports.js';
import { createSuggestService } from '../../app/suggest/suggestService.js';
import { createSuggestSpotify } from '../../spotify/suggestSpotify.js';
import { createDigestReader } from '../../store/digest/digestStore.js';
import { createSuggestHistory, createSuggestionFeedbackRepository } from '../../store/suggest/suggestRepository.js';
import { accountsOf, type FeatureContext } from '../feature.js';

/** Members who let a server see their listening: the only ones whose plays may be used or named there. */
export function visibleMembersOf({ store, services }: FeatureContext): (guildId: string) => Promise<string[]> {
  const digestReader = createDigestReader(store);
  // Read when asked: the social feature (its SQL mirror of the privacy choices) may be built after this one.
  return (guildId) => (services.social ? services.social.repo.visibleMembers(guildId) : digestReader.optedIn(guildId));
}

/**
 * The suggestion engine wired to the history, the feedback store and Spotify. The weekly radar gets
 * its own engine whose Spotify calls wait behind members' own requests (background priority).
 */
export function createSuggestEngines(context: FeatureContext): {
  interactive: SuggestService;
  background: SuggestService;
} {
  const { store, gateway, services } = context;
  const accounts = accountsOf(context);
  const spotify = createSuggestSpotify(store, gateway, services.now ?? Date.now);
  const history = createSuggestHistory(store.pool);
  const feedback = createSuggestionFeedbackRepository(store.pool);
  // Only members who let that server see their listening are read or named.
  const visibleMembers = visibleMembersOf(context);
  const engine = (priority: 'interactive' | 'background') =>
    createSuggestService({
      history,
      feedback,
      visibleMembers,
      spotifyFor: async (memberId) => spotify.forMember(memberId, await accounts.spotifyFor(memberId, priority)),
    });
  return { interactive: engine('interactive'), background: engine('background') };
}

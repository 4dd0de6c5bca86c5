import { erased, type PersonalDataKind } from '../../app/accounts/personalData.js';
import type { AnswerDeps } from '../../app/suggest/answers.js';
import type { SuggestService } from '../../app/suggest/ports.js';
import type { RadarDeps } from '../../app/suggest/radar.js';
import type { ServerPlaylistDeps } from '../../app/suggest/serverPlaylist.js';
import type { Store } from '../../store/index.js';

/** What /unlink erases of suggestions: feedback, answers, the radar, the server playlists in the member's account. */
export function suggestPersonalData(parts: {
  store: Store;
  engine: SuggestService;
  answers: AnswerDeps;
  radar: RadarDeps;
  serverPlaylist: ServerPlaylistDeps;
}): PersonalDataKind[] {
  const { store, engine, answers, radar, serverPlaylist } = parts;
  return [
    {
      name: 'suggestion-feedback',
      erase: async (memberId) => erased('suggestion-feedback', await engine.feedback.deleteForUser(memberId)),
    },
    {
      name: 'suggestion-answers',
      erase: async (memberId) => erased('suggestion-answers', await answers.answers.deleteForUser(memberId)),
    },
    {
      name: 'encore-radar',
      async erase(memberId) {
        const n = await radar.radar.deleteForUser(memberId);
        // A refresh that crashed leaves its lease (named after the member) until it expires.
        await store.leases.forget('radar', `${memberId}:`);
        return erased('encore-radar', n);
      },
    },
    {
      name: 'server-playlists',
      erase: async (memberId) => erased('server-playlists', await serverPlaylist.repo.deleteForOwner(memberId)),
    },
  ];
}

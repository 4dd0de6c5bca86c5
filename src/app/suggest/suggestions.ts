import type { AnswerDeps } from './answers.js';
import type { RadarDeps } from './radar.js';
import type { ServerPlaylistDeps } from './serverPlaylist.js';

/** What /suggest, its buttons, /digest playlist and the playlist jobs are given (services.suggestions). */
export interface SuggestionsDeps {
  answers: AnswerDeps;
  radar: RadarDeps;
  serverPlaylist: ServerPlaylistDeps;
  /** Display names of members (never pings), for reasons that name who played a track. */
  memberNames(guildId: string | undefined, memberIds: readonly string[]): Promise<Map<string, string>>;
  /** The member's parent genres from their history, most played first (the genre option's autocomplete). */
  memberGenres(memberId: string, now: number): Promise<string[]>;
}

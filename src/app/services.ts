import type { Logger } from '../log.js';
import type { AccountsService } from './accounts/ports.js';
import type { PersonalDataRegistry } from './accounts/personalData.js';
import type { HistoryReader, MemberSettingsRepository } from './charts/ports.js';
import type { PrivacyRepository } from './privacy/privacy.js';
import type { InteractionReplyRef, SortService } from './sort/ports.js';

/**
 * A message as a member sees it, built by a message builder (src/discord/messages) and handed
 * through unopened: the app decides what to send, the Discord adapter knows how.
 */
export interface MessageModel {
  content?: string;
  embeds?: readonly object[];
  components?: readonly object[];
  files?: readonly object[];
}

/** Draws a chart built by the chart builders (src/charts) into a PNG. */
export interface ChartImages {
  render(chart: { readonly kind: string; readonly title: string }): Promise<Buffer>;
  /** Which renderer draws them (canvas, or the prebuilt one where canvas cannot install). */
  readonly backend: string;
}

/**
 * What commands and jobs may use, handed to them explicitly; each feature module adds its part
 * (src/features). A capability that isn't configured is absent, and a command that needs it
 * says so instead of failing.
 */
export interface Services {
  log: Logger;
  publicUrl: string;
  charts?: ChartImages;
  accounts?: AccountsService;
  sort?: SortService;
  privacy?: PrivacyRepository;
  /** The one genre resolver chain, for a member's request: cache → Spotify → MusicBrainz. */
  genres?: {
    forArtists(
      discordUserId: string,
      artists: Array<{ id: string; name: string }>,
    ): Promise<ReadonlyMap<string, readonly string[]>>;
  };
  /** Listening history; /unlink erases a member's through the personal-data registry. */
  history?: { deleteForUser(discordUserId: string): Promise<number> };
  /** Full-history import: /import's one-time upload links. */
  historyImport?: import('./history/importHistory.js').HistoryImportDeps;
  /** What the history charts read (plays, rollups, gaps). */
  historyReader?: HistoryReader;
  /** The member's own settings (/settings timezone). */
  settings?: MemberSettingsRepository;
  /** The time charts and periods are measured at: Date.now, or the sandbox's fast-forwarded clock. */
  now?: () => number;
  /** The weekly server digest: /digest's settings and preview. */
  digest?: import('./digest/ports.js').DigestDeps;
  /** Server social: leaderboards, /whoknows, crowns, /compat, server charts (opted-in members only). */
  social?: import('./social/social.js').SocialDeps;
  /** Suggestions (issue 16): /suggest and its buttons, the weekly Encore Radar, the monthly server playlist. */
  suggestions?: import('./suggest/suggestions.js').SuggestionsDeps;
  /** Every kind of personal data the features registered; /unlink erases them all. */
  personalData: PersonalDataRegistry;
  sendDm?(discordUserId: string, message: MessageModel): Promise<'sent' | 'closed'>;
  /** Edits an interaction's original reply from anywhere while its token lives; false after. */
  editOriginalReply?(ref: InteractionReplyRef, message: MessageModel): Promise<boolean>;
}

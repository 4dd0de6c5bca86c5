import type { Logger } from '../log.js';
import type { AccountsService } from './accounts/ports.js';
import type { PersonalDataRegistry } from './accounts/personalData.js';
import type { CoverGridService } from './charts/coverGrid.js';
import type { HistoryReader, MemberSettingsRepository } from './charts/ports.js';
import type { DigestDeps } from './digest/ports.js';
import type { HistoryImportDeps } from './history/ports.js';
import type { ChartImages, MessageModel } from './ports.js';
import type { NowPlayingService } from './nowPlaying/ports.js';
import type { PrivacyRepository } from './privacy/privacy.js';
import type { SourcesService } from './sources/ports.js';
import type { StreaksService } from './streaks/ports.js';
import type { ServerYearDeps } from './serverYear/ports.js';
import type { SocialDeps } from './social/ports.js';
import type { InteractionReplyRef, SortService } from './sort/ports.js';
import type { SuggestionsDeps } from './suggest/ports.js';

// Adapters name these through the container; use cases import them from the leaf './ports.js'.
export type { ChartImages, MessageModel } from './ports.js';

/**
 * What commands and jobs may use, handed to them explicitly; each feature module adds its part
 * (src/features). A capability that isn't configured is absent: a command declares the ones it
 * needs (`needs` in commands/*), and the router answers "not set up" instead of running it.
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
  historyImport?: HistoryImportDeps;
  /** What the history charts read (plays, rollups, gaps). */
  historyReader?: HistoryReader;
  /** /chart's cover-art grids: the history they read and the renderer with its cover cache. */
  coverGrids?: CoverGridService;
  /** The member's own settings (/settings timezone). */
  settings?: MemberSettingsRepository;
  /** The time charts and periods are measured at: Date.now, or the sandbox's fast-forwarded clock. */
  now?: () => number;
  /** The weekly server digest: /digest's settings and preview. */
  digest?: DigestDeps;
  /** Server social: leaderboards, /whoknows, crowns, /compat, server charts (opted-in members only). */
  social?: SocialDeps;
  /** Suggestions (issue 16): /suggest and its buttons, the weekly Encore Radar, the monthly server playlist. */
  suggestions?: SuggestionsDeps;
  /** Streaks and milestones (issue 25): /streak, and the milestones in the weekly wrapped DM. */
  streaks?: StreaksService;
  /** The server's year (issue 25): /wrapped scope:server period:year and the December post. */
  serverYear?: ServerYearDeps;
  /** Listening sources beyond Spotify (ListenBrainz, Last.fm): /link's other choices. */
  sources?: SourcesService;
  /** Now playing (issue 25): /np, from whichever source the member connected. */
  nowPlaying?: NowPlayingService;
  /** Every kind of personal data the features registered; /unlink erases them all. */
  personalData: PersonalDataRegistry;
  sendDm?(discordUserId: string, message: MessageModel): Promise<'sent' | 'closed'>;
  /** Edits an interaction's original reply from anywhere while its token lives; false after. */
  editOriginalReply?(ref: InteractionReplyRef, message: MessageModel): Promise<boolean>;
}

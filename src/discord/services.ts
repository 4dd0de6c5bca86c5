import type { InteractionEditReplyOptions, MessageCreateOptions } from 'discord.js';
import type { PersonalDataRegistry } from '../app/accounts/personalData.js';
import type { PrivacyRepository } from '../app/privacy/privacy.js';
import type { InteractionReplyRef, OrderJobRecord, OrderJobRepository, SortJobRecord, SortJobRepository, SortSpotify } from '../app/sort/ports.js';
import type { OrderRunOutcome } from '../app/sort/runOrder.js';
import type { RunOutcome, SplitProgress } from '../app/sort/runSplit.js';
import type { ChartRenderer } from '../charts/index.js';
import type { Logger } from '../log.js';
import type { Accounts } from '../wiring/accounts.js';

/** Sorting for one member, plus the job store shared by the runner and the resume job. */
export interface SortService {
  jobs: SortJobRepository;
  forMember(discordUserId: string, priority?: 'interactive' | 'background'): Promise<SortSpotify>;
  /** The member's own and collaborative playlists (cached for a few minutes). */
  playlistsFor(discordUserId: string): Promise<Array<{ id: string; name: string; total: number }>>;
  /** Runs a split job as its only runner (see runSplitJob); a shutdown stops it resumably. */
  run(job: SortJobRecord, accept: (job: SortJobRecord) => boolean, options: SortRunOptions): Promise<RunOutcome>;
  /** Reorder jobs that replace a playlist's items (the member chose to reset "date added"). */
  orderJobs: OrderJobRepository;
  runOrder(job: OrderJobRecord, accept: (job: OrderJobRecord) => boolean, options: SortRunOptions): Promise<OrderRunOutcome>;
  /** Stops every run at its next step and waits for them (shutdown). */
  stop(): Promise<void>;
}

export interface SortRunOptions {
  priority: 'interactive' | 'background';
  onProgress?: (progress: SplitProgress) => void;
  onOrderProgress?: (progress: { written: number; total: number }) => void;
  reply?: InteractionReplyRef;
  now?: () => number;
}

/**
 * What commands may use, handed to them explicitly. A capability that isn't configured is
 * absent, and a command that needs it says so instead of failing.
 */
export interface Services {
  log: Logger;
  publicUrl: string;
  charts?: ChartRenderer;
  accounts?: Accounts;
  sort?: SortService;
  privacy?: PrivacyRepository;
  sendDm?(discordUserId: string, message: MessageCreateOptions): Promise<'sent' | 'closed'>;
  /** Edits an interaction's original reply from anywhere while its token lives; false after. */
  editOriginalReply?(ref: InteractionReplyRef, message: Pick<InteractionEditReplyOptions, 'embeds' | 'components'>): Promise<boolean>;
  /** Listening history (src/wiring/history.ts); /unlink erases a member's. */
  history?: { deleteForUser(discordUserId: string): Promise<number> };
  // Added by linking: every kind of personal data features registered; /unlink erases them all.
  personalData?: PersonalDataRegistry;
}

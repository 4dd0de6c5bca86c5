import type { MessageCreateOptions } from 'discord.js';
import type { PersonalDataRegistry } from '../app/accounts/personalData.js';
import type { PrivacyRepository } from '../app/privacy/privacy.js';
import type { SortJobRepository, SortSpotify } from '../app/sort/ports.js';
import type { ChartRenderer } from '../charts/index.js';
import type { Logger } from '../log.js';
import type { Accounts } from '../wiring/accounts.js';

/** Sorting for one member, plus the job store shared by the runner and the resume job. */
export interface SortService {
  jobs: SortJobRepository;
  forMember(discordUserId: string, priority?: 'interactive' | 'background'): Promise<SortSpotify>;
  /** The member's own and collaborative playlists (cached for a few minutes). */
  playlistsFor(discordUserId: string): Promise<Array<{ id: string; name: string; total: number }>>;
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
  // Added by linking: every kind of personal data features registered; /unlink erases them all.
  personalData?: PersonalDataRegistry;
}

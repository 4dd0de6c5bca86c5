import type { Client } from 'discord.js';
import type { Router } from 'express';
import type { LinkingDeps } from '../app/accounts/linking.js';
import type { PersonalDataKind } from '../app/accounts/personalData.js';
import type { AccountsRepository, LinkRecord } from '../app/accounts/ports.js';
import type { InteractionReplyRef } from '../app/sort/ports.js';
import type { MessageModel, Services } from '../app/services.js';
import type { ChartRenderer } from '../charts/index.js';
import type { Config } from '../config.js';
import type { Job, Scheduler } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import type { MusicBrainzClient } from '../musicbrainz/index.js';
import type { SourceClients } from '../sourceClients.js';
import type { Priority, SpotifyGateway, SpotifyUserClient } from '../spotify/index.js';
import type { Store } from '../store/index.js';

/** Discord as features use it. Bound once the gateway is up; before that a DM reports 'closed'. */
export interface DiscordPort {
  sendDm(discordUserId: string, message: MessageModel): Promise<'sent' | 'closed'>;
  editOriginalReply(ref: InteractionReplyRef, message: MessageModel): Promise<boolean>;
  guildName(guildId: string): string | undefined;
  /** The server's name from the cache, else by REST: the server may be on another process's shard. */
  fetchGuildName(guildId: string): Promise<string | undefined>;
  /** The logged-in client, for a feature's own Discord adapter (src/discord); undefined until the gateway is up. */
  client(): Client | undefined;
  /** True when one of this process's shards owns the server: work for a server runs where its events arrive. */
  ownsGuild(guildId: string): boolean;
}

/** Linked accounts with their full Spotify clients: built by linking, met in the context by the features after it. */
export interface Accounts {
  repo: AccountsRepository;
  linking: LinkingDeps;
  /** A Spotify client for a linked member; NotLinkedError / RelinkNeededError otherwise. */
  spotifyFor(discordUserId: string, priority?: Priority): Promise<SpotifyUserClient>;
  profile(discordUserId: string): Promise<(LinkRecord & { renewBy: number }) | undefined>;
}

/** What every feature is built from: the platform, and what the features before it provide. */
export interface FeatureContext {
  config: Config;
  log: Logger;
  store: Store;
  gateway: SpotifyGateway;
  charts: ChartRenderer;
  musicbrainz: MusicBrainzClient;
  /** The listening sources' clients this operator set up (src/sourceClients.ts), one of each per process. */
  sources: SourceClients;
  discord: DiscordPort;
  /** The services so far: features are built in list order and may use what earlier ones added. */
  services: Services;
  /** Linked accounts with their full Spotify clients, from the linking feature (first in the list). */
  accounts?: Accounts;
  /** This process among the instances on one database: the owner of its leases and tick claims (src/instanceId.ts). */
  instanceId: string;
}

/**
 * One feature, read top to bottom in its own folder: the services it adds, its jobs (each closing over
 * only what it uses), its HTTP routes and the personal data /unlink erases. The composition root only loops.
 */
export interface Feature {
  name: string;
  services?: Partial<Omit<Services, 'log' | 'publicUrl' | 'personalData'>>;
  /** Only the linking feature: the accounts later features build on. */
  accounts?: Accounts;
  jobs?: ReadonlyArray<Job<unknown>>;
  routers?: readonly Router[];
  personalData?: readonly PersonalDataKind[];
  /** Erased after everything else (housekeeping records), so the member reads the main kinds first. */
  personalDataLast?: readonly PersonalDataKind[];
  /** Once Discord is ready and the jobs are scheduled: pick up work a restart interrupted. */
  started?(jobs: Scheduler): void;
  /** First at shutdown: work under way stops at a safe point. */
  stop?(): Promise<void>;
}

export type FeatureFactory = (context: FeatureContext) => Feature;
/** The linked accounts, for features that come after linking in the list. */
export function accountsOf(context: FeatureContext): Accounts {
  if (!context.accounts) throw new Error('the linking feature must come before features that use accounts');
  return context.accounts;
}

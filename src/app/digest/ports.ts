import type {
  ArtistWeek,
  ClockMinutes,
  GenreWeek,
  MemberWeek,
  MemberWrapped,
  QuietWeek,
  ServerDigest,
  TrackWeek,
  Weekday,
} from '../../core/digest/index.js';
import type { MessageModel } from '../ports.js';
import type { Milestone } from '../../core/streaks/index.js';

/** A server's digest settings. Not personal data, except `configuredBy`, which /unlink erases. */
export interface DigestSettings {
  guildId: string;
  enabled: boolean;
  channelId?: string;
  weekday: Weekday;
  hour: number;
  timeZone: string;
  /** When it was turned on or rescheduled (epoch ms): weeks whose post time came before are never due. */
  enabledAt: number;
  /** The admin who last configured it: told once if Encore loses its permissions in the channel. */
  configuredBy?: string;
  /** The channel whose lost permissions the admin was already told about (told once, not weekly). */
  warnedChannelId?: string;
  /** The one-off post of the server's year in December (/digest year), in the same channel. */
  serverYear?: boolean;
  /** The server's accent colour (0xRRGGBB) for its digest and year layouts (/digest accent); unset: Encore's. */
  accent?: number;
}

export const DEFAULT_SCHEDULE = { weekday: 1 as Weekday, hour: 9, timeZone: 'UTC' };

export interface DigestSettingsRepository {
  get(guildId: string): Promise<DigestSettings | undefined>;
  save(settings: DigestSettings): Promise<void>;
  list(): Promise<DigestSettings[]>;
  /** Removes `userId` as the configuring admin everywhere; how many servers named them. */
  forgetAdmin(userId: string): Promise<number>;
}

/** SQL over the history's rollups for a set of members (always the opted-in set of one server). */
export interface DigestReader {
  /** Members who let this server see their listening (privacy: opted in for the server). */
  optedIn(guildId: string): Promise<string[]>;
  memberWeeks(memberIds: readonly string[], fromDay: string, toDay: string): Promise<MemberWeek[]>;
  topArtists(memberIds: readonly string[], fromDay: string, toDay: string, limit: number): Promise<ArtistWeek[]>;
  topTracks(memberIds: readonly string[], from: number, to: number, limit: number): Promise<TrackWeek[]>;
  genres(memberIds: readonly string[], fromDay: string, toDay: string): Promise<GenreWeek[]>;
  /** Each member's listening time per genre over the days. */
  memberGenres(
    memberIds: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<Array<{ memberId: string; genre: string; ms: number }>>;
  /** Minutes per local weekday × hour over [from, to) in `timeZone` (a play counts where its middle falls). */
  clock(memberIds: readonly string[], from: number, to: number, timeZone: string): Promise<ClockMinutes[]>;
  /** Artists none of these members played before `fromDay`, played by them in the period. */
  discoveries(memberIds: readonly string[], fromDay: string, toDay: string, limit: number): Promise<ArtistWeek[]>;
}

/** Which weeks a server's digest was handled for (posted, noted, skipped), and who is posting one now. */
export interface DigestLedger {
  outcome(guildId: string, week: string): Promise<string | undefined>;
  /** Records the outcome once; false when another instance recorded one first. */
  record(guildId: string, week: string, outcome: string, now: number): Promise<boolean>;
  /** Exclusive right to post (guild, week) for `ttlMs`; an instance that crashed loses it when it expires. */
  lease(guildId: string, week: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  unlease(guildId: string, week: string, owner: string): Promise<void>;
}

export type ChannelAccess = { missing: string[] } | 'unknown-channel';
export type ChannelPost = { ok: true; messageId: string } | { ok: false; reason: 'missing-access' | 'unknown-channel' };

/** Discord as the digest uses it. */
export interface DigestDiscord {
  access(guildId: string, channelId: string): Promise<ChannelAccess>;
  /** Posts with Discord's enforce_nonce: a repeat with the same nonce within minutes returns the first message. */
  post(channelId: string, message: MessageModel, nonce: string): Promise<ChannelPost>;
  sendDm(userId: string, message: MessageModel): Promise<'sent' | 'closed'>;
  /** Posts in the first channel of the server Encore may post in; false when there is none. */
  postInServer(guildId: string, message: MessageModel): Promise<boolean>;
  /** Display names in the server; a member Discord no longer knows gets no entry. */
  memberNames(guildId: string, memberIds: readonly string[]): Promise<Map<string, string>>;
  guildName(guildId: string): string | undefined;
  /**
   * True when this instance's gateway shards hold the server. With several instances each posts
   * only its own servers' digests: another's cache lacks the channel, so it would think it gone.
   */
  ownsGuild(guildId: string): boolean;
}

export interface DigestNotes {
  late?: boolean;
  /** The previous week's digest was skipped (Encore was down more than a day past its time). */
  missedPrevious?: boolean;
  preview?: boolean;
}

/** The message builders (src/discord/messages/digestMessages.ts), handed in so the app builds no embed. */
export interface DigestMessages {
  digest(
    digest: ServerDigest | QuietWeek,
    context: {
      names: ReadonlyMap<string, string>;
      guildName: string;
      charts: readonly DigestChartImage[];
      accent?: number;
    },
    notes: DigestNotes,
  ): MessageModel;
  permissionLost(guildName: string, channelId: string, missing: readonly string[] | 'unknown-channel'): MessageModel;
  /** A member's own wrapped (the weekly DM, /wrapped). */
  wrapped(wrapped: MemberWrapped, card?: { png: Buffer; altText: string }): MessageModel;
}

export interface DigestCrownChange {
  artist: string;
  toId: string;
  fromId: string | null;
  plays: number;
}

export interface DigestChartImage {
  name: string;
  title: string;
  png: Buffer;
  altText: string;
}

export interface DigestDeps {
  settings: DigestSettingsRepository;
  reader: DigestReader;
  ledger: DigestLedger;
  discord: DigestDiscord;
  messages: DigestMessages;
  /** Renders the week's charts (top genres, listening clock); those with nothing to draw are left out. */
  charts(digest: ServerDigest): Promise<DigestChartImage[]>;
  /** The member's card (their top artists); undefined when there is nothing to draw. */
  wrappedCard(wrapped: MemberWrapped): Promise<{ png: Buffer; altText: string } | undefined>;
  /**
   * Server social, when it is on: the crown changes of [from, to) the digest may show, and the
   * membership check (members who left are withdrawn; returns who left).
   */
  social?: {
    crownChanges(guildId: string, from: number, to: number): Promise<DigestCrownChange[]>;
    withdrawGone(guildId: string, memberIds: readonly string[]): Promise<string[]>;
  };
  /** The milestones a member crossed in the digest week (streaks feature); the digest shows its leaderboard's. */
  milestones?(memberId: string, week: string): Promise<Milestone[]>;
  instanceId: string;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

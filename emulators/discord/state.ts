import { randomBytes } from 'node:crypto';

let counter = 0n;
/** Snowflake-shaped ids that increase, like Discord's. */
export const snowflake = () => String((BigInt(Date.now() - 1420070400000) << 22n) + (counter++ % 4096n));

export interface EUser {
  id: string;
  username: string;
  global_name: string | null;
  bot?: boolean;
  /** This member has closed DMs from server members: sending them a DM answers 50007. */
  dmsClosed?: boolean;
}
export interface EChannel {
  id: string;
  /** 0 a server text channel, 1 a DM with the bot, 3 a group DM (the bot is never in one). */
  type: 0 | 1 | 3;
  name?: string;
  guild_id?: string;
  recipientId?: string;
  /** A group DM's members. */
  recipientIds?: string[];
  /** The bot may not see (50001) or may not send in (50013) this channel. */
  botDenied?: 'view' | 'send';
  /** Discord's permission overwrites (role id = guild id for @everyone, or a member id), bits as strings. */
  overwrites?: Array<{ id: string; type: 0 | 1; allow: string; deny: string }>;
}
export interface EGuild {
  id: string;
  name: string;
  ownerId: string;
  channelIds: string[];
  memberIds: string[];
  /** Members may not use apps the server has not installed (USE_EXTERNAL_APPS denied): their answers are forced ephemeral. */
  externalAppsDenied?: boolean;
}

export interface RecordedFile {
  filename: string;
  description?: string;
  contentType?: string;
  bytes: Buffer;
}
export interface RecordedMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: Array<Record<string, unknown>>;
  components: Array<Record<string, unknown>>;
  files: RecordedFile[];
  flags: number;
  interactionId?: string;
  /** How it got here. */
  via: 'reply' | 'deferred' | 'edit' | 'followup' | 'update' | 'channel' | 'dm';
  at: number;
}
export interface RejectedCall {
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  interactionId?: string;
}
/** One text input of a modal, as the member sees it. */
export interface ModalTextInput {
  custom_id: string;
  label: string;
  /** 1 short (one line), 2 paragraph. */
  style: 1 | 2;
  required: boolean;
  min_length?: number;
  max_length?: number;
  /** Pre-filled text. */
  value?: string;
  placeholder?: string;
  /** The hint under the label (a Label component's description). */
  description?: string;
}
/** A modal the bot showed in answer to an interaction. */
export interface ShownModal {
  custom_id: string;
  title: string;
  fields: ModalTextInput[];
  /** The components as the bot sent them. */
  components: Array<Record<string, unknown>>;
  /** Still on the member's screen: not yet submitted, nor replaced by a newer modal. */
  open: boolean;
}
export interface EInteraction {
  id: string;
  token: string;
  type: number;
  userId: string;
  guildId?: string;
  channelId: string;
  createdAt: number;
  acknowledged: boolean;
  deferred: boolean;
  ephemeral: boolean;
  /** The message the interaction's response created or edited (the "original"). */
  original?: RecordedMessage;
  /** The original was deleted (e.g. a public "thinking…" withdrawn before a private refusal). */
  originalDeleted?: boolean;
  followUps: RecordedMessage[];
  /** Every state the member saw, in order: reply, defer, edits, updates. */
  history: RecordedMessage[];
  autocompleteChoices?: Array<{ name: string; value: string | number }>;
  /** For component interactions (and submits of a modal a component opened): the message the component was on. */
  sourceMessageId?: string;
  /** The modal this interaction was answered with (callback type 9). */
  modal?: ShownModal;
  /** The shard of each gateway session the interaction was dispatched to (one entry per session). */
  deliveredTo: number[];
  /** Where it was used: 0 a server, 1 the bot's DM, 2 a group DM or another DM. */
  context?: 0 | 1 | 2;
  /** Which installations authorised it: "0" → the server's id ("0" in the bot's DM), "1" → the member's id. */
  authorizingOwners?: Record<string, string>;
  /** Discord makes every answer ephemeral (a user-installed app in a server that denies external apps). */
  forcedEphemeral?: boolean;
}

export interface EmulatorState {
  bot: EUser;
  applicationId: string;
  token: string;
  users: Map<string, EUser>;
  guilds: Map<string, EGuild>;
  channels: Map<string, EChannel>;
  interactions: Map<string, EInteraction>;
  /** Every message the bot posted anywhere, by id (interaction responses included). */
  messages: Map<string, RecordedMessage>;
  channelMessages: RecordedMessage[];
  commands: {
    global: Array<Record<string, unknown>>;
    guild: Map<string, Array<Record<string, unknown>>>;
    registrations: number;
  };
  rejected: RejectedCall[];
  /** Member id → the interaction whose modal is open on their screen (Discord shows one at a time). */
  openModals: Map<string, string>;
  /** enforce_nonce: (channel, nonce) → the first message, for NONCE_WINDOW_MS. */
  nonces: Map<string, { messageId: string; at: number }>;
  /** Make the next `count` REST calls answer 429. */
  rateLimit: { count: number; retryAfterSec: number };
  /** The shard count /gateway/bot recommends; IDENTIFY with fewer is refused (4011). */
  shardCount: number;
  /** The privileged Server Members intent is switched on for the application; IDENTIFY asking for it otherwise is refused (4014). */
  membersIntent: boolean;
  now: () => number;
}

export function createState(now: () => number = Date.now, shardCount = 1, membersIntent = false): EmulatorState {
  const bot: EUser = { id: snowflake(), username: 'Encore', global_name: 'Encore', bot: true };
  return {
    bot,
    applicationId: bot.id,
    token: `${Buffer.from(bot.id).toString('base64')}.${randomBytes(4).toString('hex')}.${randomBytes(20).toString('base64url')}`,
    users: new Map([[bot.id, bot]]),
    guilds: new Map(),
    channels: new Map(),
    interactions: new Map(),
    messages: new Map(),
    channelMessages: [],
    commands: { global: [], guild: new Map(), registrations: 0 },
    rejected: [],
    openModals: new Map(),
    nonces: new Map(),
    rateLimit: { count: 0, retryAfterSec: 0.2 },
    shardCount,
    membersIntent,
    now,
  };
}

/** Permission bits the emulator enforces on channel posts (Discord's values). */
export const PERMISSION_BITS = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
} as const;
export type EmulatedPermission = keyof typeof PERMISSION_BITS;

/** Which of the enforced permissions the overwrites deny the bot in a channel (@everyone, then the bot's own). */
export function botDeniedIn(channel: EChannel, state: EmulatorState): Set<EmulatedPermission> {
  let allowed = Object.values(PERMISSION_BITS).reduce((a, b) => a | b, 0n);
  const everyone = channel.overwrites?.find((o) => o.type === 0 && o.id === channel.guild_id);
  const own = channel.overwrites?.find((o) => o.type === 1 && o.id === state.bot.id);
  for (const o of [everyone, own]) if (o) allowed = (allowed & ~BigInt(o.deny)) | BigInt(o.allow);
  return new Set(
    (Object.entries(PERMISSION_BITS) as Array<[EmulatedPermission, bigint]>)
      .filter(([, bit]) => !(allowed & bit))
      .map(([name]) => name),
  );
}

/** A server the bot is a member of (installed there); a member may still use a user-installed app elsewhere. */
export const botIsIn = (guild: EGuild, state: EmulatorState) => guild.memberIds.includes(state.bot.id);

export const userJson = (u: EUser) => ({
  id: u.id,
  username: u.username,
  global_name: u.global_name,
  discriminator: '0',
  avatar: null,
  bot: u.bot ?? false,
  public_flags: 0,
});
export const channelJson = (c: EChannel, state: EmulatorState) =>
  c.type === 1
    ? { id: c.id, type: 1, recipients: [userJson(state.users.get(c.recipientId!)!)], last_message_id: null }
    : c.type === 3
      ? {
          id: c.id,
          type: 3,
          name: null,
          recipients: (c.recipientIds ?? []).map((id) => userJson(state.users.get(id)!)),
          last_message_id: null,
        }
      : {
          id: c.id,
          type: 0,
          name: c.name,
          guild_id: c.guild_id,
          position: 0,
          permission_overwrites: c.overwrites ?? [],
          nsfw: false,
          parent_id: null,
          topic: null,
        };
export const messageJson = (m: RecordedMessage, state: EmulatorState) => ({
  id: m.id,
  channel_id: m.channel_id,
  type: m.interactionId ? 20 : 0,
  content: m.content,
  embeds: m.embeds,
  components: m.components,
  attachments: m.files.map((f, i) => ({
    id: `${m.id}${i}`,
    filename: f.filename,
    description: f.description,
    size: f.bytes.length,
    url: `https://cdn.invalid/${f.filename}`,
    proxy_url: `https://cdn.invalid/${f.filename}`,
    content_type: f.contentType,
  })),
  author: userJson(state.bot),
  timestamp: new Date(m.at).toISOString(),
  edited_timestamp: null,
  flags: m.flags,
  tts: false,
  mention_everyone: false,
  mentions: [],
  mention_roles: [],
  pinned: false,
  application_id: state.applicationId,
});

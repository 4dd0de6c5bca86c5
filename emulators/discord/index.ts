import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { GUILD_MEMBERS_INTENT, shardOf, startGateway } from './gateway.js';
import { createOAuth2State, oauth2ApiRouter, oauth2PageRouter, type OAuth2State } from './oauth2.js';
import { restRouter } from './rest.js';
import {
  PERMISSION_BITS,
  botIsIn,
  channelJson,
  createState,
  messageJson,
  snowflake,
  userJson,
  type EChannel,
  type EmulatedPermission,
  type EGuild,
  type EInteraction,
  type EmulatorState,
  type EUser,
  type ModalTextInput,
  type RecordedMessage,
  type ShownModal,
} from './state.js';

export type { EmulatedPermission } from './state.js';
export type {
  EInteraction,
  EmulatorState,
  EUser,
  ModalTextInput,
  RecordedMessage,
  RecordedFile,
  RejectedCall,
  ShownModal,
} from './state.js';

const ALL_PERMISSIONS = '2251799813685247';
/** What a user-installed app may do in a server it is not in: view, send, embed, attach, history, external emoji. */
const USER_APP_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 18n));

/**
 * Where a member uses a command. In `guild` (its first channel, or `channel`), in the bot's DM
 * without one, or in a group DM with `privateChannel`. `install: 'user'` uses the app through the
 * member's own install (authorizing_integration_owners {"1": member}); a group DM or a server the
 * bot is not in can only be reached that way.
 */
export interface Where {
  guild?: EGuild;
  channel?: EChannel;
  install?: 'guild' | 'user';
  privateChannel?: boolean;
}

export interface DiscordEmulator {
  readonly apiUrl: string;
  readonly port: number;
  readonly state: EmulatorState;
  readonly token: string;
  readonly applicationId: string;
  /** OAuth2 and Linked Roles: the client secret, the registered role-connection metadata, each user's role connection. */
  readonly oauth2: OAuth2State;
  /**
   * A server; `shard` picks an id that lands on that shard of the emulator's count. `bot: false`: the
   * app is not installed there (the gateway never announces it; members reach it by user install
   * only); `externalApps: false`: the server denies members external apps (answers forced ephemeral).
   */
  addGuild(
    name: string,
    channelNames?: string[],
    options?: { shard?: number; bot?: boolean; externalApps?: boolean },
  ): EGuild;
  /** The shard that receives a server's events (DMs: shard 0). */
  shardOf(guild?: EGuild): number;
  /** A new member joins (GUILD_MEMBER_ADD to sessions with the members intent). */
  addMember(guild: EGuild, username: string, options?: { dmsClosed?: boolean }): EUser;
  /**
   * The member leaves the server: REST then answers 10007 Unknown Member, and GUILD_MEMBER_REMOVE
   * goes to the sessions that asked for the privileged members intent (none without it).
   */
  removeMember(guild: EGuild, user: EUser): void;
  /** Someone who left joins again (GUILD_MEMBER_ADD to sessions with the members intent). */
  rejoin(guild: EGuild, user: EUser): void;
  channel(guild: EGuild, name: string): EChannel;
  /** Denies the bot permissions in a channel by a member overwrite (as a server admin would), and tells the gateway. */
  denyBot(channel: EChannel, permissions: EmulatedPermission[]): void;
  /** Adds a text channel to a guild (CHANNEL_CREATE on the gateway). */
  addChannelTo(guild: EGuild, name: string): EChannel;
  /** Deletes a channel (CHANNEL_DELETE on the gateway); posting there then answers 10003. */
  deleteChannel(channel: EChannel): void;
  /**
   * Sends a slash command as `user` (see `Where`). Throws where the Discord client would not offer
   * the command: its `contexts` leave out where it is used, or its `integration_types` the install
   * it is used through (a user install needs a global command that declares it).
   */
  chatInput(name: string, options: Record<string, unknown>, user: EUser, where?: Where): EInteraction;
  autocomplete(
    name: string,
    options: Record<string, unknown>,
    focused: string,
    user: EUser,
    where?: { guild?: EGuild },
  ): EInteraction;
  component(message: RecordedMessage, customId: string, user: EUser, values?: string[]): EInteraction;
  /** The modal on `user`'s screen (the last one the bot showed them, until they submit it), and the interaction it answered. */
  openModal(user: EUser): { modal: ShownModal; shownOn: EInteraction } | undefined;
  /**
   * `user` fills in and submits their open modal (a MODAL_SUBMIT interaction): fields left out keep
   * their pre-filled text. Throws where the Discord client would not let them submit (no modal open,
   * no such field, a required field empty, a length outside min/max).
   */
  modalSubmit(values: Record<string, string>, user: EUser): EInteraction;
  dmsOf(user: EUser): RecordedMessage[];
  messagesIn(channel: EChannel): RecordedMessage[];
  dropConnections(): void;
  connectedSessions(): number;
  /** The shard id of each logged-in session, ascending. */
  connectedShards(): number[];
  close(): Promise<void>;
}

/** Why the Discord client would keep the member from submitting this value, if it would. */
function clientRefusal(field: ModalTextInput, value: string): string | undefined {
  if (!value) return field.required ? `"${field.label}" is required` : undefined;
  if (value.length < (field.min_length ?? 0)) return `"${field.label}" needs at least ${field.min_length} characters`;
  if (value.length > (field.max_length ?? 4000))
    return `"${field.label}" takes at most ${field.max_length ?? 4000} characters`;
  if (field.style === 1 && value.includes('\n')) return `"${field.label}" is one line`;
  return undefined;
}

/** Starts a Discord REST + gateway emulator on 127.0.0.1 that the real discord.js logs into. */
export async function startDiscordEmulator(
  options: {
    port?: number;
    now?: () => number;
    /** Shards the bot must run (GET /gateway/bot). */
    shards?: number;
    /** The privileged Server Members intent is switched on for the bot (off, as on a new application). */
    membersIntent?: boolean;
  } = {},
): Promise<DiscordEmulator> {
  const state = createState(options.now, options.shards ?? 1, options.membersIntent ?? false);
  let wsUrl = '';
  const app = express();
  app.disable('x-powered-by');
  const oauth2 = createOAuth2State();
  app.use(oauth2PageRouter(state, oauth2));
  app.use('/api/v10', oauth2ApiRouter(state, oauth2));
  app.use(
    '/api/v10',
    restRouter(state, () => wsUrl),
  );
  const server = createServer(app);
  const gateway = startGateway(server, state, () => wsUrl);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  wsUrl = `ws://127.0.0.1:${port}/gateway`;

  const findCommand = (name: string, guildId?: string) =>
    (guildId ? state.commands.guild.get(guildId)?.find((c) => c.name === name) : undefined) ??
    state.commands.global.find((c) => c.name === name);

  /** Turns { name: value } into Discord's typed option list, using the registered definition. */
  const typedOptions = (
    definition: Record<string, unknown> | undefined,
    values: Record<string, unknown>,
    focused?: string,
  ) => {
    const defs = (definition?.options as Array<{ name: string; type: number; options?: unknown[] }> | undefined) ?? [];
    const sub = defs.find((d) => (d.type === 1 || d.type === 2) && values.subcommand === d.name);
    const leafDefs = (sub ? ((sub.options as typeof defs | undefined) ?? []) : defs).filter(
      (d) => d.type !== 1 && d.type !== 2,
    );
    const leaves = Object.entries(values)
      .filter(([k]) => k !== 'subcommand')
      .map(([name, value]) => {
        const def = leafDefs.find((d) => d.name === name);
        if (!def) throw new Error(`/${String(definition?.name)} has no option "${name}"`);
        return { name, type: def.type, value, ...(focused === name ? { focused: true } : {}) };
      });
    return sub ? [{ name: sub.name, type: sub.type, options: leaves }] : leaves;
  };

  /** Which installations authorise an interaction used here (Discord's authorizing_integration_owners). */
  const ownersOf = (user: EUser, where: Where): Record<string, string> => {
    const byUser = where.install === 'user' || where.privateChannel || (where.guild && !botIsIn(where.guild, state));
    const byGuild = where.guild ? botIsIn(where.guild, state) : !where.privateChannel && where.install !== 'user';
    return {
      ...(byGuild ? { '0': where.guild?.id ?? '0' } : {}),
      ...(byUser ? { '1': user.id } : {}),
    };
  };

  const context = (user: EUser, where: Where) => {
    if (where.guild) {
      const channel = where.channel ?? state.channels.get(where.guild.channelIds[0]!)!;
      const permissions = botIsIn(where.guild, state) ? ALL_PERMISSIONS : USER_APP_PERMISSIONS;
      return {
        channelId: channel.id,
        context: 0 as const,
        payload: {
          guild_id: where.guild.id,
          channel_id: channel.id,
          app_permissions: permissions,
          channel: { ...channelJson(channel, state), permissions },
          member: {
            user: userJson(user),
            roles: [],
            permissions: ALL_PERMISSIONS,
            joined_at: new Date(0).toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
            nick: null,
            avatar: null,
            pending: false,
          },
          context: 0,
          guild_locale: 'en-US',
        },
      };
    }
    if (where.privateChannel) {
      let group = [...state.channels.values()].find((c) => c.type === 3 && c.recipientIds?.[0] === user.id);
      if (!group) {
        group = { id: snowflake(), type: 3, recipientIds: [user.id] };
        state.channels.set(group.id, group);
      }
      return {
        channelId: group.id,
        context: 2 as const,
        payload: {
          channel_id: group.id,
          channel: channelJson(group, state),
          user: userJson(user),
          context: 2,
          app_permissions: USER_APP_PERMISSIONS,
        },
      };
    }
    let dm = [...state.channels.values()].find((c) => c.type === 1 && c.recipientId === user.id);
    if (!dm) {
      dm = { id: snowflake(), type: 1, recipientId: user.id };
      state.channels.set(dm.id, dm);
    }
    return {
      channelId: dm.id,
      context: 1 as const,
      payload: { channel_id: dm.id, channel: channelJson(dm, state), user: userJson(user), context: 1 },
    };
  };

  /** Why the Discord client would not offer this command here, if it would not. */
  const notOffered = (
    definition: Record<string, unknown> | undefined,
    global: boolean,
    where: 0 | 1 | 2,
    owners: Record<string, string>,
  ): string | undefined => {
    const byUserOnly = !('0' in owners);
    // Commands registered before user install (guild ones, or none at all) keep the old leniency.
    if (!byUserOnly && !definition) return undefined;
    if (byUserOnly && (!definition || !global)) return 'a user install offers global commands only';
    const contexts = definition!.contexts as number[] | null | undefined;
    if (contexts ? !contexts.includes(where) : where !== 0 && definition!.dm_permission === false)
      return `its contexts are [${(contexts ?? [0]).join(', ')}], not ${where}`;
    const types = (definition!.integration_types as number[] | null | undefined) ?? [0];
    if (byUserOnly && !types.includes(1)) return `its integration_types are [${types.join(', ')}]: no user install`;
    return undefined;
  };

  const send = (
    type: number,
    user: EUser,
    where: Where,
    data: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    sourceMessageId?: string,
  ) => {
    const ctx = context(user, where);
    const interaction: EInteraction = {
      id: snowflake(),
      token: `aW50ZXJhY3Rpb246${randomBytes(24).toString('base64url')}`,
      type,
      userId: user.id,
      guildId: where.guild?.id,
      channelId: ctx.channelId,
      createdAt: state.now(),
      acknowledged: false,
      deferred: false,
      ephemeral: false,
      followUps: [],
      history: [],
      sourceMessageId,
      deliveredTo: [],
      context: ctx.context,
      authorizingOwners: ownersOf(user, where),
      forcedEphemeral: !!where.guild && !botIsIn(where.guild, state) && !!where.guild.externalAppsDenied,
    };
    state.interactions.set(interaction.id, interaction);
    interaction.deliveredTo = gateway.dispatch(
      'INTERACTION_CREATE',
      {
        id: interaction.id,
        application_id: state.applicationId,
        type,
        token: interaction.token,
        version: 1,
        app_permissions: ALL_PERMISSIONS,
        locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: interaction.authorizingOwners,
        attachment_size_limit: 10 * 1024 * 1024,
        data,
        ...ctx.payload,
        ...extra,
      },
      where.guild?.id,
    );
    return interaction;
  };

  const openModal = (user: EUser) => {
    const shownOn = state.interactions.get(state.openModals.get(user.id) ?? '');
    return shownOn?.modal?.open ? { modal: shownOn.modal, shownOn } : undefined;
  };

  const joined = (guild: EGuild, user: EUser) => {
    if (guild.memberIds.includes(user.id)) return;
    guild.memberIds.push(user.id);
    if (!botIsIn(guild, state)) return;
    gateway.dispatch(
      'GUILD_MEMBER_ADD',
      {
        guild_id: guild.id,
        user: userJson(user),
        roles: [],
        joined_at: new Date(state.now()).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        nick: null,
        avatar: null,
        pending: false,
      },
      guild.id,
      GUILD_MEMBERS_INTENT,
    );
  };

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    port,
    state,
    token: state.token,
    applicationId: state.applicationId,
    oauth2,
    addGuild(name, channelNames = ['general'], guildOptions = {}) {
      let id = snowflake();
      if (guildOptions.shard !== undefined) {
        // The shard comes from the id's timestamp bits: move it forward (< count ms) onto the wanted shard.
        const count = BigInt(state.shardCount);
        const step = (BigInt(guildOptions.shard) - ((BigInt(id) >> 22n) % count) + count) % count;
        id = String(BigInt(id) + (step << 22n));
      }
      // Owned by someone else: an owner has every permission, and the bot's must come from roles and overwrites.
      const guild: EGuild = {
        id,
        name,
        ownerId: snowflake(),
        channelIds: [],
        memberIds: guildOptions.bot === false ? [] : [state.bot.id],
        ...(guildOptions.externalApps === false ? { externalAppsDenied: true } : {}),
      };
      for (const channelName of channelNames) {
        const channel: EChannel = { id: snowflake(), type: 0, name: channelName, guild_id: guild.id };
        state.channels.set(channel.id, channel);
        guild.channelIds.push(channel.id);
      }
      state.guilds.set(guild.id, guild);
      return guild;
    },
    addMember(guild, username, memberOptions = {}) {
      const user: EUser = { id: snowflake(), username, global_name: username, dmsClosed: memberOptions.dmsClosed };
      state.users.set(user.id, user);
      joined(guild, user);
      return user;
    },
    removeMember(guild, user) {
      if (!guild.memberIds.includes(user.id)) return;
      guild.memberIds = guild.memberIds.filter((id) => id !== user.id);
      if (!botIsIn(guild, state)) return;
      gateway.dispatch(
        'GUILD_MEMBER_REMOVE',
        { guild_id: guild.id, user: userJson(user) },
        guild.id,
        GUILD_MEMBERS_INTENT,
      );
    },
    rejoin: (guild, user) => joined(guild, user),
    denyBot(channel, permissions) {
      const deny = permissions.reduce((bits, p) => bits | PERMISSION_BITS[p], 0n);
      const others = (channel.overwrites ?? []).filter((o) => !(o.type === 1 && o.id === state.bot.id));
      channel.overwrites = deny ? [...others, { id: state.bot.id, type: 1, allow: '0', deny: String(deny) }] : others;
      gateway.dispatch('CHANNEL_UPDATE', channelJson(channel, state), channel.guild_id);
    },
    addChannelTo(guild, name) {
      const channel: EChannel = { id: snowflake(), type: 0, name, guild_id: guild.id };
      state.channels.set(channel.id, channel);
      guild.channelIds.push(channel.id);
      gateway.dispatch('CHANNEL_CREATE', channelJson(channel, state), guild.id);
      return channel;
    },
    deleteChannel(channel) {
      state.channels.delete(channel.id);
      const guild = channel.guild_id ? state.guilds.get(channel.guild_id) : undefined;
      if (guild) guild.channelIds = guild.channelIds.filter((id) => id !== channel.id);
      gateway.dispatch('CHANNEL_DELETE', channelJson(channel, state), channel.guild_id);
    },
    channel: (guild, name) => guild.channelIds.map((id) => state.channels.get(id)!).find((c) => c.name === name)!,
    chatInput(name, values, user, where = {}) {
      const definition = findCommand(name, where.guild?.id);
      const global = !!definition && state.commands.global.includes(definition);
      const used = where.guild ? 0 : where.privateChannel ? 2 : 1;
      const refusal = notOffered(definition, global, used, ownersOf(user, where));
      if (refusal) throw new Error(`Discord would not offer /${name} there: ${refusal}`);
      const options = typedOptions(definition, values);
      // Channel options come with the channel itself, as Discord sends them (discord.js reads `resolved`).
      type Leaf = { type: number; value?: unknown; options?: Leaf[] };
      const leaves = (options as Leaf[]).flatMap((o) => o.options ?? [o]);
      const channels = Object.fromEntries(
        leaves
          .filter((o) => o.type === 7 && state.channels.has(String(o.value)))
          .map((o) => [
            String(o.value),
            { ...channelJson(state.channels.get(String(o.value))!, state), permissions: ALL_PERMISSIONS },
          ]),
      );
      // User options too: discord.js's getUser reads the user from `resolved`.
      const users = Object.fromEntries(
        leaves
          .filter((o) => o.type === 6 && state.users.has(String(o.value)))
          .map((o) => [String(o.value), userJson(state.users.get(String(o.value))!)]),
      );
      const resolved = {
        ...(Object.keys(channels).length ? { channels } : {}),
        ...(Object.keys(users).length ? { users } : {}),
      };
      const data = {
        id: String(definition?.id ?? snowflake()),
        name,
        type: 1,
        options,
        ...(Object.keys(resolved).length ? { resolved } : {}),
        ...(where.guild ? { guild_id: where.guild.id } : {}),
      };
      return send(2, user, where, data);
    },
    autocomplete(name, values, focused, user, where = {}) {
      const definition = findCommand(name, where.guild?.id);
      return send(4, user, where, {
        id: String(definition?.id ?? snowflake()),
        name,
        type: 1,
        options: typedOptions(definition, values, focused),
      });
    },
    component(message, customId, user, values) {
      const channel = state.channels.get(message.channel_id);
      const guild = channel?.guild_id ? state.guilds.get(channel.guild_id) : undefined;
      const data = { custom_id: customId, component_type: values ? 3 : 2, ...(values ? { values } : {}) };
      return send(3, user, { guild, channel }, data, { message: messageJson(message, state) }, message.id);
    },
    openModal,
    modalSubmit(values, user) {
      const open = openModal(user);
      if (!open) throw new Error(`${user.username} has no modal open`);
      const { modal, shownOn } = open;
      const unknown = Object.keys(values).filter((k) => !modal.fields.some((f) => f.custom_id === k));
      if (unknown.length) throw new Error(`the modal "${modal.title}" has no field ${unknown.join(', ')}`);
      const valueOf = (field: ModalTextInput) => values[field.custom_id] ?? field.value ?? '';
      for (const field of modal.fields) {
        const refusal = clientRefusal(field, valueOf(field));
        if (refusal) throw new Error(`Discord would not let ${user.username} submit "${modal.title}": ${refusal}`);
      }
      modal.open = false;
      state.openModals.delete(user.id);
      // Discord numbers the components it shows (when the bot did not) and sends the numbers back.
      let next = 0;
      const idOf = (component: Record<string, unknown>) => ((next += 1), (component.id as number | undefined) ?? next);
      const answered = (input: Record<string, unknown>) => ({
        type: 4,
        id: idOf(input),
        custom_id: String(input.custom_id),
        value: valueOf(modal.fields.find((f) => f.custom_id === input.custom_id)!),
      });
      const components = modal.components.map((c) => {
        const id = idOf(c);
        if (c.type === 1)
          return { type: 1, id, components: [answered((c.components as Array<Record<string, unknown>>)[0]!)] };
        if (c.type === 18) return { type: 18, id, component: answered(c.component as Record<string, unknown>) };
        return { type: c.type, id };
      });
      const channel = state.channels.get(shownOn.channelId);
      const guild = shownOn.guildId ? state.guilds.get(shownOn.guildId) : undefined;
      // A modal a button opened comes back with that button's message, as component interactions do.
      const source =
        shownOn.type === 3 && shownOn.sourceMessageId ? state.messages.get(shownOn.sourceMessageId) : undefined;
      return send(
        5,
        user,
        guild ? { guild, channel } : {},
        { custom_id: modal.custom_id, components },
        source ? { message: messageJson(source, state) } : {},
        source?.id,
      );
    },
    dmsOf: (user) => state.channelMessages.filter((m) => state.channels.get(m.channel_id)?.recipientId === user.id),
    messagesIn: (channel) => state.channelMessages.filter((m) => m.channel_id === channel.id),
    shardOf: (guild) => shardOf(guild?.id, state.shardCount),
    dropConnections: () => gateway.dropConnections(),
    connectedSessions: () => gateway.connectedSessions(),
    connectedShards: () => gateway.connectedShards(),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

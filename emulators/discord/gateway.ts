import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { botIsIn, channelJson, userJson, type EmulatorState, type EGuild } from './state.js';

// Every permission but Administrator (bit 3), which would make channel overwrites moot.
const ALL_PERMISSIONS = String(2251799813685247n & ~8n);

export function guildJson(g: EGuild, state: EmulatorState) {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    owner_id: g.ownerId,
    unavailable: false,
    large: false,
    member_count: g.memberIds.length,
    joined_at: new Date(state.now()).toISOString(),
    roles: [
      {
        id: g.id,
        name: '@everyone',
        permissions: ALL_PERMISSIONS,
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    channels: g.channelIds.map((id) => channelJson(state.channels.get(id)!, state)),
    members: g.memberIds.map((id) => ({
      user: userJson(state.users.get(id)!),
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    })),
    voice_states: [],
    presences: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    premium_tier: 0,
    preferred_locale: 'en-US',
    system_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    application_id: null,
  };
}

interface Session {
  socket: WebSocket;
  id: string;
  seq: number;
  identified: boolean;
  /** [shard id, shard count] from IDENTIFY; [0, 1] when the client did not shard. */
  shard: [number, number];
  /** The intents from IDENTIFY. */
  intents: number;
}

/** GUILD_MEMBERS (1 << 1): privileged; GUILD_MEMBER_ADD/UPDATE/REMOVE go only to sessions that have it. */
export const GUILD_MEMBERS_INTENT = 1 << 1;

/** Discord's rule: a server's events go to shard (guild_id >> 22) % count; DMs to shard 0. */
export const shardOf = (guildId: string | undefined, count: number): number =>
  guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
const owns = (session: Session, guildId: string | undefined) => shardOf(guildId, session.shard[1]) === session.shard[0];

/** The gateway: what discord.js needs to log in, stay connected, resume, and receive dispatches. */
export function startGateway(server: Server, state: EmulatorState, url: () => string) {
  const wss = new WebSocketServer({ server, path: '/gateway' });
  const sessions = new Set<Session>();
  const resumable = new Map<string, Session>();

  const send = (session: Session, payload: Record<string, unknown>) =>
    session.socket.readyState === 1 && session.socket.send(JSON.stringify(payload));
  const dispatchTo = (session: Session, t: string, d: unknown) => send(session, { op: 0, t, s: ++session.seq, d });

  wss.on('connection', (socket) => {
    const session: Session = {
      socket,
      id: randomBytes(16).toString('hex'),
      seq: 0,
      identified: false,
      shard: [0, 1],
      intents: 0,
    };
    sessions.add(session);
    send(session, { op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
    socket.on('message', (raw) => {
      const { op, d } = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | number | null };
      if (op === 1) return send(session, { op: 11, d: null, s: null, t: null });
      if (op === 2) {
        if ((d as { token?: string }).token !== state.token) return socket.close(4004, 'Authentication failed.');
        const shard = (d as { shard?: unknown }).shard ?? [0, 1];
        if (
          !Array.isArray(shard) ||
          shard.length !== 2 ||
          !shard.every((n) => Number.isInteger(n)) ||
          !(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])
        )
          return socket.close(4010, 'Invalid shard.');
        // Discord refuses too few shards for the bot's servers; here, fewer than the emulator serves.
        if (shard[1] < state.shardCount) return socket.close(4011, 'Sharding required.');
        const intents = Number((d as { intents?: unknown }).intents ?? 0);
        // A privileged intent the application was not granted in the developer portal.
        if (intents & GUILD_MEMBERS_INTENT && !state.membersIntent) return socket.close(4014, 'Disallowed intent(s).');
        session.shard = [shard[0], shard[1]];
        session.intents = intents;
        session.identified = true;
        resumable.set(session.id, session);
        dispatchTo(session, 'READY', {
          v: 10,
          user: { ...userJson(state.bot), verified: true, mfa_enabled: false, flags: 0 },
          guilds: [...state.guilds.values()]
            .filter((g) => owns(session, g.id) && botIsIn(g, state))
            .map((g) => ({ id: g.id, unavailable: true })),
          session_id: session.id,
          resume_gateway_url: url(),
          shard: session.shard,
          application: { id: state.applicationId, flags: 0 },
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          user_settings: {},
        });
        for (const guild of state.guilds.values())
          if (owns(session, guild.id) && botIsIn(guild, state))
            dispatchTo(session, 'GUILD_CREATE', guildJson(guild, state));
        return;
      }
      if (op === 6) {
        const { session_id: id, seq } = d as { session_id: string; seq: number };
        const old = resumable.get(id);
        if (!old) return send(session, { op: 9, d: false, s: null, t: null });
        session.id = id;
        session.seq = seq;
        session.shard = old.shard;
        session.intents = old.intents;
        session.identified = true;
        resumable.set(id, session);
        return dispatchTo(session, 'RESUMED', {});
      }
    });
    socket.on('close', () => sessions.delete(session));
  });

  return {
    /**
     * Sends a dispatch to every identified session of the shard that owns `guildId` (shard 0 for
     * DMs); returns those shards' ids, one entry per session that got it.
     */
    dispatch(t: string, d: unknown, guildId?: string, intent?: number): number[] {
      const to = [...sessions].filter(
        (s) => s.identified && owns(s, guildId) && (intent === undefined || (s.intents & intent) !== 0),
      );
      for (const s of to) dispatchTo(s, t, d);
      return to.map((s) => s.shard[0]);
    },
    connectedSessions: () => [...sessions].filter((s) => s.identified).length,
    /** The shard id of each identified session, ascending (the same id twice: two processes on one shard). */
    connectedShards: () =>
      [...sessions]
        .filter((s) => s.identified)
        .map((s) => s.shard[0])
        .sort((a, b) => a - b),
    /** Drops every connection as a network blip would; discord.js should resume. */
    dropConnections() {
      for (const s of sessions) s.socket.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.socket.terminate();
        wss.close(() => resolve());
      }),
  };
}

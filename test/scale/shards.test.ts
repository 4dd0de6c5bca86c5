import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDiscordEmulator } from '../../emulators/discord/index.js';
import { parseConfig, shardPlan } from '../../src/config.js';
import { shardOfGuild } from '../../src/discord/client.js';
import { startDiscord } from '../../src/discord/start.js';
import { createPersonalDataRegistry } from '../../src/app/accounts/personalData.js';
import { captureLogger } from '../support/logger.js';

const validEnv = (): Record<string, string> => ({
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
  DISCORD_APP_ID: '123456789012345678',
  SPOTIFY_CLIENT_ID: '0123456789abcdef0123456789abcdef',
  SPOTIFY_CLIENT_SECRET: 'fedcba9876543210fedcba9876543210',
  PUBLIC_URL: 'https://encore.example.com',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
});

const DATABASE_URL = 'postgres://encore@db.internal:5432/encore';
const plan = (env: Record<string, string>) => {
  const result = parseConfig({ ...validEnv(), DATABASE_URL, ...env });
  return result.ok ? shardPlan(result.config) : result.problems;
};

describe('shard settings', () => {
  it('without them, one process runs the one shard, as before', () => {
    expect(plan({})).toEqual({ shards: [0], shardCount: 1 });
  });

  it('all the shards in one process may use the embedded store', () => {
    expect(plan({ DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: '0-1', DATABASE_URL: '' })).toEqual({
      shards: [0, 1],
      shardCount: 2,
    });
  });

  it.each([
    [
      { DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: '1' },
      { shards: [1], shardCount: 2 },
    ],
    [
      { DISCORD_SHARD_COUNT: '8', DISCORD_SHARDS: '0-3' },
      { shards: [0, 1, 2, 3], shardCount: 8 },
    ],
    [
      { DISCORD_SHARD_COUNT: '8', DISCORD_SHARDS: ' 6, 0-1 ,7' },
      { shards: [0, 1, 6, 7], shardCount: 8 },
    ],
    [{ DISCORD_SHARD_COUNT: '4' }, { shards: [0, 1, 2, 3], shardCount: 4 }],
    [{ DISCORD_SHARD_COUNT: 'auto' }, { shards: 'auto', shardCount: 1 }],
  ])('%o runs %o', (env, expected) => {
    expect(plan(env)).toEqual(expected);
  });

  it.each([
    [{ DISCORD_SHARD_COUNT: 'two' }, 'DISCORD_SHARD_COUNT must be a whole number ≥ 1 or "auto", e.g. 2'],
    [{ DISCORD_SHARD_COUNT: '0' }, 'DISCORD_SHARD_COUNT must be a whole number ≥ 1 or "auto", e.g. 2'],
    [{ DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: '1-0' }, 'DISCORD_SHARDS must list shard ids and ranges'],
    [{ DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: 'all' }, 'DISCORD_SHARDS must list shard ids and ranges'],
    [{ DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: '1-2' }, 'DISCORD_SHARDS has 2, but ids must be below'],
    [{ DISCORD_SHARDS: '0' }, 'DISCORD_SHARDS needs DISCORD_SHARD_COUNT too'],
    [
      { DISCORD_SHARD_COUNT: 'auto', DISCORD_SHARDS: '0' },
      'DISCORD_SHARDS cannot be set with DISCORD_SHARD_COUNT=auto',
    ],
    [
      { DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: '0', DATABASE_URL: '' },
      'DATABASE_URL must be set when DISCORD_SHARDS',
    ],
  ])('%o is refused, naming the variable', (env, problem) => {
    const problems = plan(env);
    expect(Array.isArray(problems) && problems.length === 1 && problems[0]!.startsWith(problem), String(problems)).toBe(
      true,
    );
  });

  it('a server belongs to shard (id >> 22) % count, as Discord routes it', () => {
    expect(shardOfGuild('81384788765712384', 1)).toBe(0);
    // Discord's documented example: 81384788765712384 >> 22 = 19403645698.
    expect([2, 4, 7].map((n) => shardOfGuild('81384788765712384', n))).toEqual([0, 2, 3]);
  });
});

describe('the Discord emulator serving shards', () => {
  /** IDENTIFY by hand; resolves with the close code, or the READY payload. */
  async function identify(apiPort: number, token: string, shard: unknown) {
    const socket = new WebSocket(`ws://127.0.0.1:${apiPort}/gateway`);
    return new Promise<{ closed?: number; ready?: { shard: number[]; guilds: Array<{ id: string }> } }>((resolve) => {
      socket.on('message', (raw) => {
        const { op, t, d } = JSON.parse(String(raw)) as { op: number; t?: string; d: unknown };
        if (op === 10) socket.send(JSON.stringify({ op: 2, d: { token, intents: 1, properties: {}, shard } }));
        if (t === 'READY') {
          resolve({ ready: d as { shard: number[]; guilds: Array<{ id: string }> } });
          socket.close();
        }
      });
      socket.on('close', (code) => resolve({ closed: code }));
    });
  }

  it('refuses an invalid shard (4010) and too few shards (4011); READY lists only the shard’s servers', async () => {
    const emulator = await startDiscordEmulator({ shards: 2 });
    try {
      const zero = emulator.addGuild('zero', ['general'], { shard: 0 });
      const one = emulator.addGuild('one', ['general'], { shard: 1 });
      expect(await identify(emulator.port, emulator.token, [2, 2])).toEqual({ closed: 4010 });
      expect(await identify(emulator.port, emulator.token, [0, 1])).toEqual({ closed: 4011 });
      const ready = await identify(emulator.port, emulator.token, [1, 2]);
      expect(ready.ready?.shard).toEqual([1, 2]);
      expect(ready.ready?.guilds.map((g) => g.id)).toEqual([one.id]);
      expect([zero, one].map((g) => shardOfGuild(g.id, 2))).toEqual([0, 1]);
      const gatewayBot = (await (
        await fetch(`${emulator.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${emulator.token}` } })
      ).json()) as { shards: number };
      expect(gatewayBot.shards).toBe(2);
    } finally {
      await emulator.close();
    }
  });

  it('one process may run several shards: both sessions up, each server on its own shard, interactions routed to the right one', async () => {
    const emulator = await startDiscordEmulator({ shards: 2 });
    const log = captureLogger('silent');
    const guilds = [0, 1].map((shard) => emulator.addGuild(`s${shard}`, ['general'], { shard }));
    const discord = await startDiscord({
      token: emulator.token,
      apiUrl: emulator.apiUrl,
      services: { log: log.log, publicUrl: 'http://127.0.0.1:3000', personalData: createPersonalDataRegistry() },
      log: log.log,
      shards: [0, 1],
      shardCount: 2,
    });
    try {
      expect(emulator.connectedShards()).toEqual([0, 1]);
      expect(discord.shards().map(({ id, status, guilds: n }) => ({ id, status, guilds: n }))).toEqual([
        { id: 0, status: 'ready', guilds: 1 },
        { id: 1, status: 'ready', guilds: 1 },
      ]);
      expect(guilds.map((g) => discord.ownsGuild(g.id))).toEqual([true, true]);
      const member = emulator.addMember(guilds[1]!, 'someone');
      const interaction = emulator.chatInput('help', {}, member, { guild: guilds[1]! });
      expect(interaction.deliveredTo).toEqual([1]);
    } finally {
      await discord.stop();
      await emulator.close();
    }
  }, 30_000);

  it('a process running shard 1 of 2 does not own shard 0’s server', async () => {
    const emulator = await startDiscordEmulator({ shards: 2 });
    const log = captureLogger('silent');
    const [zero, one] = [0, 1].map((shard) => emulator.addGuild(`s${shard}`, ['general'], { shard }));
    const discord = await startDiscord({
      token: emulator.token,
      apiUrl: emulator.apiUrl,
      services: { log: log.log, publicUrl: 'http://127.0.0.1:3000', personalData: createPersonalDataRegistry() },
      log: log.log,
      shards: [1],
      shardCount: 2,
    });
    try {
      expect([discord.ownsGuild(zero!.id), discord.ownsGuild(one!.id)]).toEqual([false, true]);
      expect(discord.client.guilds.cache.map((g) => g.id)).toEqual([one!.id]);
    } finally {
      await discord.stop();
      await emulator.close();
    }
  });
});

import { Events, type Client, type GuildMember, type PartialGuildMember } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../../emulators/discord/index.js';
import { createDiscordClient } from '../../src/discord/client.js';
import { guildPresence } from '../../src/discord/guildPresence.js';

/**
 * Discord's member events reach Encore only with the privileged Server Members intent, and
 * discord.js emits guildMemberRemove for a member it does not hold in its (bounded) cache only when
 * members may be partial. Without the intent nothing arrives, which is why the membership sweep
 * exists; the REST check it uses tells "left" from "Discord could not answer".
 */
let emulator: DiscordEmulator | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  await emulator?.close();
  client = emulator = undefined;
});

async function login(options: { membersIntent: boolean; memberEvents: boolean }) {
  emulator = await startDiscordEmulator({ membersIntent: options.membersIntent });
  const guild = emulator.addGuild('Members');
  const member = emulator.addMember(guild, 'member');
  client = createDiscordClient({ apiUrl: emulator.apiUrl, memberEvents: options.memberEvents });
  const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
  const removed: string[] = [];
  const added: string[] = [];
  client.on(Events.GuildMemberRemove, (m: GuildMember | PartialGuildMember) => removed.push(`${m.guild.id}:${m.id}`));
  client.on(Events.GuildMemberAdd, (m: GuildMember) => added.push(`${m.guild.id}:${m.id}`));
  await client.login(emulator.token);
  await ready;
  /** Resolves once the gateway delivered everything dispatched before it (one socket keeps order). */
  const drained = () => {
    const channel = emulator!.channel(guild, 'general');
    const updated = new Promise<void>((resolve) => client!.once(Events.ChannelUpdate, () => resolve()));
    emulator!.denyBot(channel, []);
    return updated;
  };
  return { emulator, client, guild, member, removed, added, drained };
}

describe('member events', () => {
  it('with the members intent, leaving and rejoining arrive for a member discord.js never cached', async () => {
    const {
      emulator: e,
      client: c,
      guild,
      member,
      removed,
      added,
      drained,
    } = await login({
      membersIntent: true,
      memberEvents: true,
    });
    // Out of the cache, as most members are in a large server (the cache keeps 200 per server).
    c.guilds.cache.get(guild.id)!.members.cache.delete(member.id);
    e.removeMember(guild, member);
    await drained();
    expect(removed).toEqual([`${guild.id}:${member.id}`]);
    e.rejoin(guild, member);
    await drained();
    expect(added).toEqual([`${guild.id}:${member.id}`]);
  });

  it('without the intent, nothing arrives: the sweep is what finds them', async () => {
    const {
      emulator: e,
      client: c,
      guild,
      member,
      removed,
      drained,
    } = await login({
      membersIntent: false,
      memberEvents: false,
    });
    e.removeMember(guild, member);
    await drained();
    expect(removed).toEqual([]);
    const presence = guildPresence(
      () => c,
      () => 0,
    );
    expect(await presence.check(guild.id, member.id)).toBe('gone');
    expect(await presence.check(guild.id, e.state.bot.id)).toBe('member');
  });

  it('Discord refuses a login asking for the intent the application was not granted (4014)', async () => {
    emulator = await startDiscordEmulator({ membersIntent: false });
    client = createDiscordClient({ apiUrl: emulator.apiUrl, memberEvents: true });
    await expect(client.login(emulator.token)).rejects.toThrow(/intent/i);
  });

  it('an outage is not a departure: Discord failing answers "unknown"', async () => {
    const { emulator: e, client: c, guild, member } = await login({ membersIntent: false, memberEvents: false });
    const presence = guildPresence(
      () => c,
      () => 0,
    );
    // Discord unreachable: the member is neither gone nor confirmed.
    await e.close();
    emulator = undefined;
    expect(await presence.check(guild.id, member.id)).toBe('unknown');
    expect(await presence.isMember(guild.id, member.id)).toBe(true);
  });
});

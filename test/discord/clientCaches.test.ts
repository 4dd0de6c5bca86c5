import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHED_MEMBERS_PER_GUILD } from '../../src/discord/client.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
}, 60_000);
afterAll(() => h?.close());

describe('what discord.js keeps in memory', () => {
  it('keeps at most CACHED_MEMBERS_PER_GUILD members of a server however many ran a command, the newest among them', async () => {
    const members = Array.from({ length: CACHED_MEMBERS_PER_GUILD + 20 }, (_, k) => h.member(`cache-member-${k}`));
    for (const member of members) expect((await h.invoke('/help', {}, member)).final).toBeDefined();
    const guild = h.discord.client.guilds.cache.get(h.guild.id)!;
    expect(guild.members.cache.size).toBeLessThanOrEqual(CACHED_MEMBERS_PER_GUILD);
    expect(guild.members.cache.has(members.at(-1)!.id)).toBe(true);
    expect(guild.members.cache.has(members[0]!.id)).toBe(false);
  }, 120_000);

  it('keeps none of the messages the bot sends', async () => {
    const channel = await h.discord.client.channels.fetch(h.guild.channelIds[0]!);
    if (!channel?.isSendable()) throw new Error('the emulator’s first channel is a text channel');
    for (let k = 0; k < 3; k++) await channel.send(`message ${k}`);
    expect(h.emulator.messagesIn(h.emulator.channel(h.guild, 'general')).length).toBeGreaterThanOrEqual(3);
    expect('messages' in channel ? channel.messages.cache.size : -1).toBe(0);
  });
});

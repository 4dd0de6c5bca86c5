import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../../emulators/discord/index.js';
import { createDiscordClient } from '../../src/discord/client.js';
import { guildPresence } from '../../src/discord/guildPresence.js';

const HOUR = 3_600_000;
let emulator: DiscordEmulator;
let client: ReturnType<typeof createDiscordClient>;
let now = 0;

beforeAll(async () => {
  emulator = await startDiscordEmulator();
  // REST only: membership is asked one member at a time, no gateway (and no members intent) needed.
  client = createDiscordClient({ apiUrl: emulator.apiUrl });
  client.rest.setToken(emulator.token);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

describe('membership through Discord REST', () => {
  it('a member who left is gone once the hour a "present" answer is remembered has passed', async () => {
    const guild = emulator.addGuild('Presence');
    const [stays, leaves] = [emulator.addMember(guild, 'stays'), emulator.addMember(guild, 'leaves')];
    const presence = guildPresence(
      () => client,
      () => now,
    );
    expect(await presence.isMember(guild.id, stays.id)).toBe(true);
    expect(await presence.isMember(guild.id, leaves.id)).toBe(true);
    emulator.removeMember(guild, leaves);
    now += HOUR - 1;
    expect(await presence.isMember(guild.id, leaves.id)).toBe(true);
    now += 1;
    expect(await presence.isMember(guild.id, leaves.id)).toBe(false);
    expect(await presence.isMember(guild.id, stays.id)).toBe(true);
    expect(await presence.isMember(guild.id, 'never-a-member')).toBe(false);
  });

  it('remembers at most `max` members, the oldest forgotten first; forget() drops one at once', async () => {
    const guild = emulator.addGuild('Bounded');
    const [a, b, c] = ['a', 'b', 'c'].map((name) => emulator.addMember(guild, name));
    const presence = guildPresence(
      () => client,
      () => now,
      { max: 2 },
    );
    for (const member of [a!, b!, c!]) await presence.isMember(guild.id, member.id);
    expect(presence.size()).toBe(2);
    for (const member of [a!, b!, c!]) emulator.removeMember(guild, member);
    expect(await presence.isMember(guild.id, a!.id)).toBe(false);
    expect(await presence.isMember(guild.id, c!.id)).toBe(true);
    presence.forget(guild.id, c!.id);
    expect(await presence.isMember(guild.id, c!.id)).toBe(false);
  });

  it('counts members as present before Discord is connected (only Discord saying “Unknown Member” makes one gone)', async () => {
    const presence = guildPresence(
      () => undefined,
      () => now,
    );
    expect(await presence.isMember('any-guild', 'anyone')).toBe(true);
  });
});

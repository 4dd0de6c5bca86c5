import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../../emulators/discord/index.js';

let emulator: DiscordEmulator;
let rest: REST;
/** Discord's clock in the shared emulator: tests move it forward instead of waiting. */
let discordNow = Date.now();
beforeAll(async () => {
  emulator = await startDiscordEmulator({ now: () => discordNow });
  rest = new REST({ api: emulator.apiUrl, retries: 0 }).setToken(emulator.token);
});
afterAll(() => emulator?.close());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: number }) => e.code,
  );

describe("the Discord emulator enforces Discord's rules", () => {
  it('rejects content over 2,000 characters and embeds over their limits with 50035', async () => {
    const guild = emulator.addGuild('Rules');
    const channel = emulator.channel(guild, 'general');
    expect(await codeOf(rest.post(`/channels/${channel.id}/messages`, { body: { content: 'x'.repeat(2001) } }))).toBe(
      50035,
    );
    expect(
      await codeOf(rest.post(`/channels/${channel.id}/messages`, { body: { embeds: [{ title: 't'.repeat(257) }] } })),
    ).toBe(50035);
    expect(
      await codeOf(
        rest.post(`/channels/${channel.id}/messages`, {
          body: { embeds: Array.from({ length: 2 }, () => ({ description: 'd'.repeat(3500) })) },
        }),
      ),
    ).toBe(50035);
    expect(await codeOf(rest.post(`/channels/${channel.id}/messages`, { body: { content: 'fine' } }))).toBe('ok');
    expect(emulator.messagesIn(channel).map((m) => m.content)).toEqual(['fine']);
  });

  it('answers 50001 and 50013 in channels the bot may not see or write in', async () => {
    const guild = emulator.addGuild('Locked', ['hidden', 'readonly']);
    emulator.channel(guild, 'hidden').botDenied = 'view';
    emulator.channel(guild, 'readonly').botDenied = 'send';
    expect(
      await codeOf(
        rest.post(`/channels/${emulator.channel(guild, 'hidden').id}/messages`, { body: { content: 'hi' } }),
      ),
    ).toBe(50001);
    expect(
      await codeOf(
        rest.post(`/channels/${emulator.channel(guild, 'readonly').id}/messages`, { body: { content: 'hi' } }),
      ),
    ).toBe(50013);
  });

  it('refuses more than 25 autocomplete choices', async () => {
    const guild = emulator.addGuild('Auto');
    const member = emulator.addMember(guild, 'zed');
    const interaction = emulator.autocomplete('anything', {}, 'x', member, { guild });
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` }));
    expect(
      await codeOf(
        rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 8, data: { choices } },
          auth: false,
        }),
      ),
    ).toBe(50035);
  });

  it('rejects edits after the 15-minute interaction token expired', async () => {
    let clock = Date.now();
    const timed = await startDiscordEmulator({ now: () => clock });
    const timedRest = new REST({ api: timed.apiUrl, retries: 0 }).setToken(timed.token);
    const guild = timed.addGuild('Timed');
    const interaction = timed.chatInput('x', {}, timed.addMember(guild, 'yan'), { guild });
    await timedRest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
      body: { type: 5 },
      auth: false,
    });
    clock += 16 * 60_000;
    expect(
      await codeOf(
        timedRest.patch(`/webhooks/${timed.applicationId}/${interaction.token}/messages/@original`, {
          body: { content: 'late' },
          auth: false,
        }),
      ),
    ).toBe(50027);
    await timed.close();
  });

  it('answers the first response after the 3-second deadline with "Unknown interaction" (10062), and one just in time normally', async () => {
    const guild = emulator.addGuild('Deadline');
    const member = emulator.addMember(guild, 'slowpoke');
    const respond = (interaction: { id: string; token: string }, content: string) =>
      codeOf(
        rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 4, data: { content } },
          auth: false,
        }),
      );

    const inTime = emulator.chatInput('x', {}, member, { guild });
    discordNow += 3_000;
    expect(await respond(inTime, 'just in time')).toBe('ok');
    expect(inTime.original?.content).toBe('just in time');

    const late = emulator.chatInput('x', {}, member, { guild });
    discordNow += 3_001;
    expect(await respond(late, 'too late')).toBe(10062);
    expect(late.original).toBeUndefined();
    expect(emulator.state.rejected).toContainEqual(
      expect.objectContaining({ status: 404, code: 10062, interactionId: late.id }),
    );
    expect(emulator.state.rejected.filter((r) => r.interactionId === inTime.id)).toEqual([]);
  });

  it('answers a second acknowledgement with 40060 and keeps the first answer', async () => {
    const guild = emulator.addGuild('Twice');
    const interaction = emulator.chatInput('x', {}, emulator.addMember(guild, 'double'), { guild });
    const callback = (content: string) =>
      codeOf(
        rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 4, data: { content } },
          auth: false,
        }),
      );
    expect(await callback('first')).toBe('ok');
    expect(await callback('second')).toBe(40060);
    expect(emulator.state.rejected).toContainEqual(
      expect.objectContaining({ status: 400, code: 40060, interactionId: interaction.id }),
    );
    expect(interaction.original?.content).toBe('first');
    expect(interaction.history.map((m) => m.content)).toEqual(['first']);
  });

  it('can answer 429 with rate-limit headers, which discord.js waits out', async () => {
    const guild = emulator.addGuild('Busy');
    const channel = emulator.channel(guild, 'general');
    emulator.state.rateLimit.count = 1;
    expect(await codeOf(rest.post(`/channels/${channel.id}/messages`, { body: { content: 'after a wait' } }))).toBe(
      'ok',
    );
    expect(emulator.messagesIn(channel).map((m) => m.content)).toEqual(['after a wait']);
  });
});

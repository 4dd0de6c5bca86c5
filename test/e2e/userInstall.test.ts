import { Routes } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordedMessage } from '../../emulators/discord/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';

const h = useEncoreHarness();
const text = (m: RecordedMessage | undefined) => JSON.stringify([m?.content, m?.embeds, m?.components]);

beforeAll(async () => {
  // A user install reaches global commands only: register them as `npm run deploy-commands` (no --guild) does.
  await h.discord.client.rest.put(Routes.applicationCommands(h.emulator.applicationId), {
    body: [...h.discord.commands.values()].map((c) => c.data.toJSON()),
  });
});

describe('commands that follow the member (user install)', () => {
  it('answers /profile and /wrapped in the bot’s DM through the member’s own install', async () => {
    const alice = h.member('alice-user-install');
    expect((await h.link(alice, 'alice')).status).toBe(200);

    const profile = await h.invoke('/profile', {}, alice, { dm: true, install: 'user' });
    expect(profile.interaction.context).toBe(1);
    expect(profile.interaction.authorizingOwners).toEqual({ '1': alice.id });
    expect(profile.rejected).toEqual([]);
    expect(text(profile.final)).toContain('Linked as');

    const wrapped = await h.invoke('/wrapped', { period: 'month' }, alice, { dm: true, install: 'user' });
    expect(wrapped.rejected).toEqual([]);
    expect(text(wrapped.final)).toContain('Encore has no plays of yours for the past 30 days');
  });

  it('answers in a group DM, where the bot is not', async () => {
    const seen = await h.invoke('/wrapped', { period: 'month' }, h.member('group-dm'), {
      privateChannel: true,
      install: 'user',
    });
    expect(seen.interaction.context).toBe(2);
    expect(seen.rejected).toEqual([]);
    expect(text(seen.final)).toContain('Encore has no plays of yours for the past 30 days');
  });

  it('does not offer server commands in DMs, nor through a user install', async () => {
    const member = h.member('dm-server-command');
    await expect(h.invoke('/leaderboard', {}, member, { dm: true, install: 'user' })).rejects.toThrow(
      /Discord would not offer \/leaderboard there: its contexts are \[0\]/,
    );
    await expect(h.invoke('/whoknows', { subcommand: 'artist', name: 'x' }, member, { dm: true })).rejects.toThrow(
      /its contexts are \[0\]/,
    );
    const elsewhere = h.emulator.addGuild('No Encore here', ['chat'], { bot: false });
    const visitor = h.emulator.addMember(elsewhere, 'visitor');
    await expect(h.invoke('/leaderboard', {}, visitor, { guild: elsewhere })).rejects.toThrow(/no user install/);
    await expect(h.invoke('/compat', { member: member.id }, visitor, { privateChannel: true })).rejects.toThrow(
      /its contexts are \[0\]/,
    );
  });

  it('answers privately in a server Encore is not installed in, where it is public in its own', async () => {
    const erin = h.member('erin-user-install');
    expect((await h.link(erin, 'erin')).status).toBe(200);
    const home = await h.invoke('/chart', { kind: 'top-artists', public: true }, erin);
    expect(home.ephemeral).toBe(false);

    const elsewhere = h.emulator.addGuild('Friends elsewhere', ['chat'], { bot: false });
    h.emulator.rejoin(elsewhere, erin);
    const away = await h.invoke('/chart', { kind: 'top-artists', public: true }, erin, { guild: elsewhere });
    expect(away.interaction.authorizingOwners).toEqual({ '1': erin.id });
    expect(away.ephemeral).toBe(true);
    expect(away.rejected).toEqual([]);
    expect(away.final!.files.map((f) => f.filename)).toEqual(['top-artists.png']);
    // Nothing reached the server's channels: the bot is not there to post.
    expect(h.emulator.messagesIn(h.emulator.channel(elsewhere, 'chat'))).toEqual([]);
  });
});

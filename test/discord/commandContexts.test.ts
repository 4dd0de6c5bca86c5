import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator, type EInteraction } from '../../emulators/discord/index.js';
import { COMMANDS_DIR, loadCommands } from '../../src/discord/command.js';
import { answersPrivately, installContextOf } from '../../src/discord/installContext.js';

const PERSONAL = { integration_types: [0, 1], contexts: [0, 1, 2] };
const SERVER = { integration_types: [0], contexts: [0] };

/** Where each command follows the member (docs/discord-user-install.md says why). */
const EXPECTED: Record<string, { integration_types: number[]; contexts: number[] }> = {
  chart: PERSONAL,
  compat: { integration_types: [0, 1], contexts: [0] },
  crowns: SERVER,
  digest: SERVER,
  help: PERSONAL,
  import: PERSONAL,
  leaderboard: SERVER,
  link: PERSONAL,
  np: PERSONAL,
  privacy: PERSONAL,
  profile: PERSONAL,
  settings: PERSONAL,
  sort: PERSONAL,
  streak: PERSONAL,
  suggest: PERSONAL,
  unlink: PERSONAL,
  whoknows: SERVER,
  wrapped: PERSONAL,
};

describe('where each command can be installed and used', async () => {
  const commands = await loadCommands(COMMANDS_DIR);
  const built = [...commands.values()].map((c) => c.data.toJSON());

  it('every command declares its installs and contexts, as the table says', () => {
    const declared = Object.fromEntries(
      built.map((c) => [c.name, { integration_types: c.integration_types, contexts: c.contexts }]),
    );
    expect(declared).toEqual(EXPECTED);
  });

  it('no command still uses the deprecated dm_permission beside its contexts', () => {
    expect(built.filter((c) => c.dm_permission !== undefined).map((c) => c.name)).toEqual([]);
  });
});

describe('the Discord emulator checks installs and contexts at registration', () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await startDiscordEmulator();
  });
  afterAll(() => emulator.close());

  const register = (body: unknown) =>
    fetch(`${emulator.apiUrl}/v10/applications/${emulator.applicationId}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('takes every command Encore registers', async () => {
    const commands = await loadCommands(COMMANDS_DIR);
    const response = await register([...commands.values()].map((c) => c.data.toJSON()));
    expect(response.status).toBe(200);
    expect(emulator.state.commands.global).toHaveLength(commands.size);
  });

  it('refuses unknown install types and contexts, and repeats, as Discord does', async () => {
    const before = emulator.state.commands.global;
    const response = await register([
      { name: 'a', description: 'a', integration_types: [0, 2] },
      { name: 'b', description: 'b', contexts: [0, 3] },
      { name: 'c', description: 'c', contexts: [1, 1] },
    ]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: number; message: string };
    expect(body.code).toBe(50035);
    expect(body.message).toContain('0.integration_types.1: Value must be one of {0, 1}.');
    expect(body.message).toContain('1.contexts.1: Value must be one of {0, 1, 2}.');
    expect(body.message).toContain('2.contexts: Must not contain duplicates.');
    expect(emulator.state.commands.global).toBe(before);
  });
});

describe('the Discord emulator plays a user install as Discord does', () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await startDiscordEmulator();
    await call('PUT', `/applications/${emulator.applicationId}/commands`, [
      { name: 'mine', description: 'personal', integration_types: [0, 1], contexts: [0, 1, 2] },
    ]);
  });
  afterAll(() => emulator.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.apiUrl}/v10${path}`, {
      method,
      headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const answer = (interaction: EInteraction, type: number, data: unknown) =>
    call('POST', `/interactions/${interaction.id}/${interaction.token}/callback`, { type, data });

  it('forces answers ephemeral where the server denies external apps', async () => {
    const strict = emulator.addGuild('Strict', ['chat'], { bot: false, externalApps: false });
    const interaction = emulator.chatInput('mine', {}, emulator.addMember(strict, 'm'), { guild: strict });
    expect(interaction.authorizingOwners).toEqual({ '1': interaction.userId });
    expect((await answer(interaction, 4, { content: 'for everyone?' })).status).toBe(204);
    expect(interaction.ephemeral).toBe(true);
    expect(interaction.original!.flags & 64).toBe(64);
  });

  it('keeps a public answer public where external apps are allowed', async () => {
    const open = emulator.addGuild('Open', ['chat'], { bot: false });
    const interaction = emulator.chatInput('mine', {}, emulator.addMember(open, 'o'), { guild: open });
    await answer(interaction, 4, { content: 'for everyone' });
    expect(interaction.ephemeral).toBe(false);
  });

  it('lets a user-installed app send 5 follow-ups, and refuses the 6th', async () => {
    const member = emulator.addMember(emulator.addGuild('Home'), 'f');
    const interaction = emulator.chatInput('mine', {}, member, { install: 'user' });
    await answer(interaction, 5, {});
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await call('POST', `/webhooks/${emulator.applicationId}/${interaction.token}`, { content: `${i}` })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 400]);
    expect(emulator.state.rejected.at(-1)).toMatchObject({ code: 40094, interactionId: interaction.id });
  });

  it('refuses the bot’s posts in a server it is not in, which its gateway never announced', async () => {
    const away = emulator.addGuild('Away', ['chat'], { bot: false });
    const response = await call('POST', `/channels/${emulator.channel(away, 'chat').id}/messages`, { content: 'hi' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: number }).code).toBe(50001);
  });

  it('does not offer a command where its contexts or installs leave it out', async () => {
    await call('PUT', `/applications/${emulator.applicationId}/commands`, [
      { name: 'server', description: 'server only', integration_types: [0], contexts: [0] },
    ]);
    const member = emulator.addMember(emulator.addGuild('Here'), 'n');
    expect(() => emulator.chatInput('server', {}, member)).toThrow(/its contexts are \[0\], not 1/);
    const away = emulator.addGuild('Away again', ['chat'], { bot: false });
    expect(() => emulator.chatInput('server', {}, member, { guild: away })).toThrow(/no user install/);
    expect(emulator.chatInput('server', {}, member, { guild: emulator.addGuild('Installed') }).context).toBe(0);
  });
});

describe('reading the install context of an interaction', () => {
  it('knows a server that installed Encore from one reached through a member’s own install', () => {
    const installed = { context: 0, authorizingIntegrationOwners: { 0: '42' }, guildId: '42' } as const;
    const elsewhere = { context: 0, authorizingIntegrationOwners: { 1: '7' }, guildId: '43' } as const;
    expect(installContextOf(installed)).toEqual({ where: 'server', installedInServer: true, userInstall: false });
    expect(installContextOf(elsewhere)).toEqual({ where: 'server', installedInServer: false, userInstall: true });
    expect(answersPrivately(installed)).toBe(false);
    expect(answersPrivately(elsewhere)).toBe(true);
  });

  it('answers in DMs as asked: the bot’s DM, or a group DM through the member’s install', () => {
    const botDm = { context: 1, authorizingIntegrationOwners: { 0: '0' }, guildId: null } as const;
    const group = { context: 2, authorizingIntegrationOwners: { 1: '7' }, guildId: null } as const;
    expect(installContextOf(botDm)).toMatchObject({ where: 'botDm', installedInServer: false });
    expect(installContextOf(group)).toMatchObject({ where: 'privateChannel', userInstall: true });
    expect(answersPrivately(botDm)).toBe(false);
    expect(answersPrivately(group)).toBe(false);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersonalDataRegistry } from '../../src/app/accounts/personalData.js';
import type { DigestDeps } from '../../src/app/digest/ports.js';
import { loadCommands } from '../../src/discord/command.js';
import { startBotHarness, type BotHarness, type Seen } from '../support/botHarness.js';

const notSetUp = (what: string) => `This bot isn’t set up for that yet (${what}). Ask the person who runs it.`;
const description = (seen: Seen) => (seen.final?.embeds[0] as { description?: string } | undefined)?.description;

/**
 * The real commands and router on a bot that runs without most features: each command declares the
 * services it needs, and the router refuses once, in the command's own words, before anything runs.
 */
describe('a command whose services are missing', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness({
      services: (log) => ({
        log,
        publicUrl: 'http://127.0.0.1:3000',
        personalData: createPersonalDataRegistry(),
        // The digest runs but suggestions don't: /digest playlist needs both. Never called here.
        digest: {} as DigestDeps,
      }),
    });
  });
  afterAll(() => bot?.close());

  it('answers the member, privately, that the bot is not set up for it', async () => {
    const seen = await bot.invoke('/crowns');
    expect(seen.ephemeral).toBe(true);
    expect(description(seen)).toBe(notSetUp('server social'));
  });

  it('refuses before a slow command shows "thinking…"', async () => {
    const seen = await bot.invoke('/profile');
    expect(description(seen)).toBe(notSetUp('Spotify linking'));
    expect(seen.deferred).toBe(false);
  });

  it('names the part that is missing where a scope or subcommand needs more', async () => {
    expect(description(await bot.invoke('/chart', { kind: 'top-artists', scope: 'server' }))).toBe(
      notSetUp('server charts'),
    );
    expect(description(await bot.invoke('/chart', { kind: 'top-artists' }))).toBe(notSetUp('charts'));
    expect(description(await bot.invoke('/digest', { subcommand: 'playlist', on: true }))).toBe(
      notSetUp('the server playlist'),
    );
  });

  it('offers no autocomplete choices for it', async () => {
    const seen = await bot.autocomplete('/sort', { playlist: '' }, 'playlist');
    expect(seen.choices).toEqual([]);
  });
});

describe('the command loader', () => {
  it('refuses a command whose needs are not a declaration, naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'encore-cmds-'));
    await writeFile(
      path.join(dir, 'needy.ts'),
      `import { SlashCommandBuilder } from 'discord.js';\nexport const data = new SlashCommandBuilder().setName('needy').setDescription('x');\nexport async function execute() {}\nexport const needs = ['social'];\n`,
    );
    await expect(loadCommands(dir)).rejects.toThrow('commands/needy.ts: "needs" must come from serviceNeeds(');
  });
});

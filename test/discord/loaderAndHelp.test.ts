import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../src/discord/command.js';
import { UserError } from '../../src/core/errors.js';
import * as errors from '../../src/core/errors.js';
import { KNOWN_ERROR_IDS } from '../../src/discord/userErrorMessages.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';

describe('the command loader', () => {
  it('refuses a command file without execute, naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'encore-cmds-'));
    await writeFile(
      path.join(dir, 'broken.ts'),
      `import { SlashCommandBuilder } from 'discord.js';\nexport const data = new SlashCommandBuilder().setName('broken').setDescription('x');\n`,
    );
    await expect(loadCommands(dir)).rejects.toThrow('commands/broken.ts must export an "execute" function');
  });

  it('refuses a command file without data', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'encore-cmds-'));
    await writeFile(path.join(dir, 'nodata.ts'), `export async function execute() {}\n`);
    await expect(loadCommands(dir)).rejects.toThrow('commands/nodata.ts must export "data"');
  });
});

describe('the error table', () => {
  it('has words for every typed error in src/core/errors.ts', () => {
    // Construct every exported UserError subclass with placeholder arguments to read its id.
    const ids = Object.values(errors as Record<string, unknown>)
      .filter((E) => typeof E === 'function' && (E as { prototype: unknown }).prototype instanceof UserError)
      .map((E) => new (E as new (...args: unknown[]) => UserError)(0, 0).id);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(KNOWN_ERROR_IDS, id).toContain(id);
  });
});

describe('/help', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness();
  });
  afterAll(() => bot?.close());

  it('lists every registered command with its description, only to the asker', async () => {
    const seen = await bot.invoke('/help');
    expect(seen.ephemeral).toBe(true);
    const fields = (seen.final!.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields;
    const registered = bot.emulator.state.commands.guild.get(bot.guild.id)!.map((c) => `/${String(c.name)}`);
    expect(fields.map((f) => f.name).sort()).toEqual(registered.sort());
    expect(fields.find((f) => f.name === '/help')?.value).toBe('What Encore can do, command by command');
  });
});

import path from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';

let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({ commandsDir: path.resolve('test/discord/fixtures/commands') });
});
afterAll(() => bot?.close());

describe('the real discord.js client against the emulator', () => {
  it('logs in over the gateway and answers a slash command', async () => {
    expect(bot.discord.client.isReady()).toBe(true);
    expect(bot.discord.client.guilds.cache.has(bot.guild.id)).toBe(true);
    const seen = await bot.invoke('/ping');
    expect(seen.final?.content).toBe('pong, alice');
    expect(seen.ephemeral).toBe(false);
  });

  it('defers, shows progress, and edits the reply with a PNG that carries alt text', async () => {
    const seen = await bot.invoke('/picture');
    expect(seen.deferred).toBe(true);
    expect(seen.ephemeral).toBe(true);
    expect(seen.history.map((m) => m.via)).toEqual(['deferred', 'edit', 'edit']);
    expect(JSON.stringify(seen.history[1]!.embeds)).toContain('Half way');
    const [file] = seen.final!.files;
    expect(file).toMatchObject({ filename: 'box.png', description: 'A black box, 64 by 32' });
    const image = await loadImage(file!.bytes);
    expect([image.width, image.height]).toEqual([64, 32]);
  });

  it('routes a button press back to the command that owns it', async () => {
    const first = await bot.invoke('/buttons');
    const button = (first.final!.components[0] as { components: Array<{ custom_id: string }> }).components[0]!;
    expect(button.custom_id).toBe('buttons:press:42');
    const bob = bot.member('bob');
    const pressed = await bot.click(first.final!, button.custom_id, bob);
    expect(pressed.final?.content).toBe('Pressed 42 by bob');
    expect(pressed.final?.components).toEqual([]);
  });

  it('answers autocomplete with at most 25 choices, filtered by what was typed', async () => {
    const all = await bot.autocomplete('/pick', { fruit: '' }, 'fruit');
    expect(all.choices).toHaveLength(25);
    const some = await bot.autocomplete('/pick', { fruit: '3' }, 'fruit');
    expect(some.choices?.map((c) => c.value)).toEqual([
      'fruit 3',
      'fruit 13',
      'fruit 23',
      'fruit 30',
      'fruit 31',
      'fruit 32',
      'fruit 33',
      'fruit 34',
      'fruit 35',
      'fruit 36',
      'fruit 37',
      'fruit 38',
      'fruit 39',
    ]);
  });

  it('tells the member their DMs are closed instead of failing', async () => {
    const open = bot.member('dora');
    expect((await bot.invoke('/dm', {}, open)).final?.content).toBe('Check your DMs');
    expect(bot.dmsOf(open).map((m) => m.content)).toEqual(['a private hello']);
    const closed = bot.member('carl', { dmsClosed: true });
    expect((await bot.invoke('/dm', {}, closed)).final?.content).toBe('Your DMs are closed');
    expect(bot.emulator.state.rejected.some((r) => r.code === 50007)).toBe(true);
  });
});

describe('the error boundary', () => {
  it('shows a reference id for a bug, logs it with the stack, and never shows the stack', async () => {
    const seen = await bot.invoke('/boom');
    const text = JSON.stringify(seen.final);
    const reference = /reference: `([0-9a-f]{8})`/.exec(text)?.[1];
    expect(reference).toBeDefined();
    expect(text).not.toContain('kaboom');
    expect(text).not.toMatch(/at .*\.ts/);
    expect(bot.log.lines().some((l) => l.reference === reference && JSON.stringify(l.err).includes('kaboom'))).toBe(
      true,
    );
  });

  it('renders a typed error from the one table, ephemerally, with a Discord timestamp', async () => {
    const seen = await bot.invoke('/quota');
    expect(seen.ephemeral).toBe(true);
    const description = (seen.final!.embeds[0] as { description: string }).description;
    expect(description).toContain('Spotify’s daily limit for this bot is used up');
    expect(description).toContain(`<t:${Date.UTC(2030, 0, 1) / 1000}:R>`);
  });
});

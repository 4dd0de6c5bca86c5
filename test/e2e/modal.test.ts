import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';

// The real discord.js client and router against the Discord emulator, with a test-only /connect
// that asks for a token in a modal (as /link will for ListenBrainz).
let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({ commandsDir: path.resolve('test/discord/fixtures/modalCommands') });
});
afterAll(() => bot?.close());

const buttonOf = (seen: Awaited<ReturnType<BotHarness['invoke']>>) =>
  (seen.final!.components[0] as { components: Array<{ custom_id: string }> }).components[0]!.custom_id;
const descriptionOf = (seen: Awaited<ReturnType<BotHarness['invoke']>>) =>
  (seen.final!.embeds[0] as { description: string }).description;

describe('a modal from a button, answered by the command that owns it', () => {
  it('shows the token prompt, and the submit updates the message the button was on', async () => {
    const member = bot.member('mia');
    const asked = await bot.invoke('/connect', {}, member);
    const shown = await bot.click(asked.final!, buttonOf(asked), member);
    expect(shown.modal).toMatchObject({
      custom_id: 'connect:token:button',
      title: 'Connect ListenBrainz',
      fields: [{ custom_id: 'token', label: 'User token', required: true, min_length: 8 }],
    });
    expect(bot.modalOf(member)).toBe(shown.modal);

    const submitted = await bot.submitModal({ token: 'abcd-1234-wxyz' }, member);
    expect(submitted.rejected).toEqual([]);
    expect(submitted.final?.id).toBe(asked.final!.id);
    expect(submitted.final?.content).toBe('Connected with the token ending wxyz');
    expect(submitted.final?.components).toEqual([]);
    expect(bot.modalOf(member)).toBeUndefined();
  });

  it('a token the source refuses gets the friendly words, privately, and the button stays', async () => {
    const member = bot.member('noor');
    const asked = await bot.invoke('/connect', {}, member);
    await bot.click(asked.final!, buttonOf(asked), member);
    const refused = await bot.submitModal({ token: 'not-a-token' }, member);
    expect(refused.ephemeral).toBe(true);
    expect(descriptionOf(refused)).toContain('ListenBrainz doesn’t recognise that user token');
    expect(descriptionOf(refused)).not.toContain('reference');
    expect(bot.emulator.state.messages.get(asked.final!.id)?.components).toHaveLength(1);
  });
});

describe('a modal straight from the command', () => {
  it('is answered with a private reply', async () => {
    const member = bot.member('otto');
    const shown = await bot.invoke('/connect', { now: true }, member);
    expect(shown.final).toBeUndefined();
    expect(shown.modal?.custom_id).toBe('connect:token:direct');
    const submitted = await bot.submitModal({ token: 'abcdefgh-5678' }, member);
    expect(submitted.rejected).toEqual([]);
    expect(submitted.ephemeral).toBe(true);
    expect(submitted.final?.content).toBe('Connected with the token ending 5678');
  });

  it('a bug in the handler shows a reference, never the error', async () => {
    const member = bot.member('pia');
    await bot.invoke('/connect', { now: true }, member);
    const failed = await bot.submitModal({ token: 'crashing' }, member);
    expect(failed.ephemeral).toBe(true);
    const reference = /reference: `([0-9a-f]{8})`/.exec(descriptionOf(failed))?.[1];
    expect(reference).toBeDefined();
    expect(JSON.stringify(failed.final)).not.toContain('kaboom');
    expect(bot.log.lines().some((l) => l.reference === reference && JSON.stringify(l.err).includes('kaboom'))).toBe(
      true,
    );
  });
});

describe('what the submit needs', () => {
  it('a service the bot runs without is refused with the “not set up” words before the handler runs', async () => {
    const member = bot.member('quinn');
    const shown = await bot.invoke('/offline', {}, member);
    expect(shown.modal?.title).toBe('Connect');
    const refused = await bot.submitModal({ token: 'anything' }, member);
    expect(refused.ephemeral).toBe(true);
    expect(descriptionOf(refused)).toContain('isn’t set up for that yet (account connections)');
    expect(JSON.stringify(refused.final)).not.toContain('saved');
  });
});

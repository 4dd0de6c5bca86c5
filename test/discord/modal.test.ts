import { REST } from 'discord.js';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator, type EInteraction } from '../../emulators/discord/index.js';
import { waitUntil } from '../support/waitUntil.js';

let emulator: DiscordEmulator;
let rest: REST;
/** A bare gateway session: the INTERACTION_CREATE payloads exactly as a bot receives them. */
let gateway: WebSocket;
const dispatched: Array<Record<string, unknown>> = [];
beforeAll(async () => {
  emulator = await startDiscordEmulator();
  rest = new REST({ api: emulator.apiUrl, retries: 0 }).setToken(emulator.token);
  gateway = new WebSocket(`ws://127.0.0.1:${emulator.port}/gateway`);
  gateway.on('message', (raw) => {
    const { t, d } = JSON.parse(String(raw)) as { t?: string; d: Record<string, unknown> };
    if (t === 'INTERACTION_CREATE') dispatched.push(d);
  });
  await new Promise((resolve) => gateway.once('open', resolve));
  gateway.send(JSON.stringify({ op: 2, d: { token: emulator.token, intents: 0 } }));
  await waitUntil(() => emulator.connectedSessions() === 1, 'the bare gateway session identified');
});
afterAll(async () => {
  gateway?.close();
  await emulator?.close();
});
const payloadOf = async (interaction: EInteraction) => {
  await waitUntil(() => dispatched.some((d) => d.id === interaction.id), `interaction ${interaction.id} dispatched`);
  return dispatched.find((d) => d.id === interaction.id)!;
};

/** What Discord answered: 'ok', or the error's code and message. */
const answer = (interaction: EInteraction, type: number, data?: Record<string, unknown>) =>
  rest
    .post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type, data }, auth: false })
    .then(
      () => ({ code: 'ok' as const, message: '' }),
      (e: { code: number; rawError?: { message?: string } }) => ({ code: e.code, message: e.rawError?.message ?? '' }),
    );

const tokenInput = (extra: Record<string, unknown> = {}) => ({
  type: 4,
  custom_id: 'token',
  label: 'User token',
  style: 1,
  ...extra,
});
const modal = (extra: Record<string, unknown> = {}) => ({
  custom_id: 'connect:token',
  title: 'Connect ListenBrainz',
  components: [{ type: 1, components: [tokenInput()] }],
  ...extra,
});

const guild = () => emulator.addGuild('Modals');
const command = () => {
  const g = guild();
  return emulator.chatInput('connect', {}, emulator.addMember(g, 'member'), { guild: g });
};
const userOf = (interaction: EInteraction) => emulator.state.users.get(interaction.userId)!;

describe('the emulator validates a modal as Discord does (400, 50035 Invalid Form Body)', () => {
  it.each([
    ['an empty title', modal({ title: '' }), 'data.title'],
    ['a title over 45 characters', modal({ title: 't'.repeat(46) }), 'data.title'],
    ['a custom id over 100 characters', modal({ custom_id: 'c'.repeat(101) }), 'data.custom_id'],
    ['no components', modal({ components: [] }), 'data.components'],
    [
      'six rows',
      modal({
        components: Array.from({ length: 6 }, (_, i) => ({
          type: 1,
          components: [tokenInput({ custom_id: `f${i}` })],
        })),
      }),
      'data.components',
    ],
    [
      'two inputs in one row',
      modal({ components: [{ type: 1, components: [tokenInput(), tokenInput({ custom_id: 'other' })] }] }),
      'data.components.0.components',
    ],
    [
      'a label over 45 characters',
      modal({ components: [{ type: 1, components: [tokenInput({ label: 'l'.repeat(46) })] }] }),
      'data.components.0.components.0.label',
    ],
    [
      'a text input without a custom id',
      modal({ components: [{ type: 1, components: [tokenInput({ custom_id: undefined })] }] }),
      'data.components.0.components.0.custom_id',
    ],
    [
      'a style other than short or paragraph',
      modal({ components: [{ type: 1, components: [tokenInput({ style: 3 })] }] }),
      'data.components.0.components.0.style',
    ],
    [
      'a max length over 4000',
      modal({ components: [{ type: 1, components: [tokenInput({ max_length: 4001 })] }] }),
      'data.components.0.components.0.max_length',
    ],
    [
      'a placeholder over 100 characters',
      modal({ components: [{ type: 1, components: [tokenInput({ placeholder: 'p'.repeat(101) })] }] }),
      'data.components.0.components.0.placeholder',
    ],
    [
      'a Label whose label is too long',
      modal({ components: [{ type: 18, label: 'l'.repeat(46), component: tokenInput({ label: undefined }) }] }),
      'data.components.0.label',
    ],
    [
      'two fields with one custom id',
      modal({
        components: [
          { type: 1, components: [tokenInput()] },
          { type: 1, components: [tokenInput()] },
        ],
      }),
      'custom id cannot be duplicated',
    ],
  ])('refuses %s', async (_name, data, where) => {
    const interaction = command();
    const refused = await answer(interaction, 9, data);
    expect(refused.code).toBe(50035);
    expect(refused.message).toContain('Invalid Form Body');
    expect(refused.message).toContain(where);
    expect(interaction.acknowledged).toBe(false);
    expect(interaction.modal).toBeUndefined();
    expect(emulator.openModal(userOf(interaction))).toBeUndefined();
    // Refused, so not acknowledged: the bot may still answer.
    expect((await answer(interaction, 4, { content: 'instead' })).code).toBe('ok');
  });

  it('shows a valid modal, in either shape, and records it open on the member’s screen', async () => {
    const legacy = command();
    expect((await answer(legacy, 9, modal())).code).toBe('ok');
    expect(legacy.acknowledged).toBe(true);
    expect(legacy.modal).toMatchObject({
      custom_id: 'connect:token',
      title: 'Connect ListenBrainz',
      open: true,
      fields: [{ custom_id: 'token', label: 'User token', style: 1, required: true }],
    });
    expect(emulator.openModal(userOf(legacy))?.shownOn).toBe(legacy);

    const labelled = command();
    const data = modal({
      components: [
        { type: 10, content: 'Find it on listenbrainz.org/settings' },
        {
          type: 18,
          label: 'User token',
          description: 'The “User token” box',
          component: tokenInput({ label: undefined, required: false, value: 'prefilled' }),
        },
      ],
    });
    expect((await answer(labelled, 9, data)).code).toBe('ok');
    expect(labelled.modal?.fields).toEqual([
      expect.objectContaining({ label: 'User token', description: 'The “User token” box', required: false }),
    ]);
  });
});

describe('when a modal may answer, and what may answer its submit', () => {
  it('a modal can answer a component, but not an autocomplete', async () => {
    const g = guild();
    const member = emulator.addMember(g, 'clicker');
    const asked = emulator.chatInput('connect', {}, member, { guild: g });
    await answer(asked, 4, { content: 'Connect', components: [{ type: 1, components: [] }] });
    expect((await answer(emulator.component(asked.original!, 'connect:open', member), 9, modal())).code).toBe('ok');

    const typing = emulator.autocomplete('connect', {}, 'x', member, { guild: g });
    expect(await answer(typing, 9, modal())).toEqual({
      code: 50035,
      message: 'Invalid Form Body: type: Value must be one of {8}.',
    });
  });

  it('not after the interaction was deferred or answered, nor twice (40060)', async () => {
    const deferred = command();
    await answer(deferred, 5);
    expect((await answer(deferred, 9, modal())).code).toBe(40060);
    expect(deferred.modal).toBeUndefined();

    const shown = command();
    await answer(shown, 9, modal());
    expect((await answer(shown, 9, modal({ title: 'Again' }))).code).toBe(40060);
    expect((await answer(shown, 4, { content: 'and a reply' })).code).toBe(40060);
    expect(shown.modal?.title).toBe('Connect ListenBrainz');
  });

  it('the submit carries the values as Discord sends them, and may be answered but never with a modal', async () => {
    const shown = command();
    await answer(shown, 9, modal());
    const submit = emulator.modalSubmit({ token: 'abc-123' }, userOf(shown));
    const payload = await payloadOf(submit);
    expect(payload).toMatchObject({
      type: 5,
      channel_id: shown.channelId,
      guild_id: shown.guildId,
      member: { user: { id: shown.userId } },
      data: {
        custom_id: 'connect:token',
        components: [{ type: 1, id: 1, components: [{ type: 4, id: 2, custom_id: 'token', value: 'abc-123' }] }],
      },
    });
    expect(payload).not.toHaveProperty('message');
    expect(emulator.openModal(userOf(shown))).toBeUndefined();
    expect(shown.modal?.open).toBe(false);

    expect(await answer(submit, 9, modal())).toEqual({
      code: 50035,
      message: 'Invalid Form Body: type: Value must be one of {4, 5, 6}.',
    });
    // Not from a message: there is no message to update.
    expect((await answer(submit, 7, { content: 'update' })).code).toBe(50035);
    expect((await answer(submit, 4, { content: 'Connected' })).code).toBe('ok');
    expect(submit.original?.content).toBe('Connected');
  });

  it('a submit of a modal a button opened comes with that message, and may update it', async () => {
    const g = guild();
    const member = emulator.addMember(g, 'updater');
    const asked = emulator.chatInput('connect', {}, member, { guild: g });
    await answer(asked, 4, { content: 'Connect ListenBrainz' });
    const clicked = emulator.component(asked.original!, 'connect:open', member);
    await answer(clicked, 9, modal());
    const submit = emulator.modalSubmit({ token: 'abc-123' }, member);
    expect(await payloadOf(submit)).toMatchObject({
      type: 5,
      message: { id: asked.original!.id, content: 'Connect ListenBrainz' },
    });
    expect((await answer(submit, 7, { content: 'Connected', components: [] })).code).toBe('ok');
    expect(emulator.state.messages.get(asked.original!.id)?.content).toBe('Connected');
  });
});

describe('the member submits only what the Discord client lets through', () => {
  const shownTo = async (input: Record<string, unknown>) => {
    const shown = command();
    await answer(shown, 9, modal({ components: [{ type: 1, components: [tokenInput(input)] }] }));
    return userOf(shown);
  };

  it('a required field left empty, a value outside its lengths, or an unknown field', async () => {
    const member = await shownTo({ min_length: 4, max_length: 8 });
    expect(() => emulator.modalSubmit({}, member)).toThrow('"User token" is required');
    expect(() => emulator.modalSubmit({ token: 'abc' }, member)).toThrow('at least 4');
    expect(() => emulator.modalSubmit({ token: 'abcdefghi' }, member)).toThrow('at most 8');
    expect(() => emulator.modalSubmit({ token: 'abcd', other: 'x' }, member)).toThrow('no field other');
    expect(emulator.openModal(member)).toBeDefined();
    emulator.modalSubmit({ token: 'abcd' }, member);
    expect(() => emulator.modalSubmit({ token: 'abcd' }, member)).toThrow('has no modal open');
  });

  it('an optional field may stay empty, and a pre-filled one keeps its text', async () => {
    const optional = await shownTo({ required: false });
    expect(await payloadOf(emulator.modalSubmit({}, optional))).toMatchObject({
      data: { components: [{ components: [{ value: '' }] }] },
    });
    const prefilled = await shownTo({ value: 'kept-token' });
    const submit = emulator.modalSubmit({}, prefilled);
    expect(await payloadOf(submit)).toMatchObject({
      data: { components: [{ components: [{ custom_id: 'token', value: 'kept-token' }] }] },
    });
  });

  it('a newer modal replaces the one the member had open', async () => {
    const g = guild();
    const member = emulator.addMember(g, 'twice');
    const first = emulator.chatInput('connect', {}, member, { guild: g });
    await answer(first, 9, modal({ title: 'First' }));
    const second = emulator.chatInput('connect', {}, member, { guild: g });
    await answer(second, 9, modal({ title: 'Second' }));
    expect(first.modal?.open).toBe(false);
    expect(emulator.openModal(member)?.modal.title).toBe('Second');
  });
});

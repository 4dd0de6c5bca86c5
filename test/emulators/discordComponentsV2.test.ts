import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../../emulators/discord/index.js';
import type { EChannel } from '../../emulators/discord/state.js';

/** Message flag IS_COMPONENTS_V2 (1 << 15). */
const LAYOUT = 1 << 15;
const EPHEMERAL = 64;

let emulator: DiscordEmulator;
let rest: REST;
let channel: EChannel;
beforeAll(async () => {
  emulator = await startDiscordEmulator();
  rest = new REST({ api: emulator.apiUrl, retries: 0 }).setToken(emulator.token);
  channel = emulator.channel(emulator.addGuild('Layouts'), 'general');
});
afterAll(() => emulator?.close());

/** 'ok', or Discord's error code and message. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: number; rawError?: { message?: string } }) => `${e.code}: ${e.rawError?.message ?? ''}`,
  );

const PNG = Buffer.from('89504e470d0a1a0a', 'hex');
const text = (content: string) => ({ type: 10, content });
const container = (...components: object[]) => ({ type: 17, accent_color: 0x5865f2, components });
const post = (body: Record<string, unknown>, files: Array<{ name: string; data: Buffer }> = []) =>
  outcome(rest.post(`/channels/${channel.id}/messages`, { body, files }));
const layout = (...components: object[]) => post({ flags: LAYOUT, components });

describe('Components V2 layouts in the Discord emulator: what Discord takes', () => {
  it('a container with every kind of block, each by its type number, and the charts it uploaded', async () => {
    const body = {
      flags: LAYOUT,
      components: [
        container(
          text('## The week in music'),
          {
            type: 9,
            components: [text('### Top artists'), text('1. Bicep')],
            accessory: { type: 11, media: { url: 'https://i.scdn.co/image/cover' }, description: 'Bicep' },
          },
          { type: 14, divider: true, spacing: 1 },
          {
            type: 12,
            items: [
              { media: { url: 'attachment://digest-genres.png' }, description: 'Top genres this week: Pop 40%' },
              { media: { url: 'attachment://digest-clock.png' }, description: 'When the server listened' },
            ],
          },
          { type: 13, file: { url: 'attachment://digest-clock.png' } },
          {
            type: 9,
            components: [text('Open it')],
            accessory: { type: 2, style: 5, label: 'Spotify', url: 'https://open.spotify.com' },
          },
        ),
        { type: 1, components: [{ type: 2, style: 2, custom_id: 'next', label: 'Next' }] },
      ],
    };
    const files = ['digest-genres.png', 'digest-clock.png'].map((name) => ({ name, data: PNG }));
    expect(await post(body, files)).toBe('ok');
    const posted = emulator.messagesIn(channel).at(-1)!;
    expect(posted.flags & LAYOUT).toBe(LAYOUT);
    expect(posted.components.map((c) => c.type)).toEqual([17, 1]);
  });

  it('exactly 40 components (nested ones counted) and exactly 4,000 characters of text', async () => {
    // The container, 39 text displays: 40; their text 4,000 characters in all.
    const displays = Array.from({ length: 39 }, (_, i) => text(i === 0 ? 'x'.repeat(4000 - 38) : 'y'));
    expect(await layout(container(...displays))).toBe('ok');
  });

  it('a deferred reply edited into a layout, then edited again without repeating the flag', async () => {
    const member = emulator.addMember(emulator.addGuild('Edits'), 'ana');
    const interaction = emulator.chatInput('wrapped', {}, member);
    await rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
      body: { type: 5, data: { flags: EPHEMERAL } },
      auth: false,
    });
    const edit = (body: Record<string, unknown>) =>
      outcome(
        rest.patch(`/webhooks/${emulator.applicationId}/${interaction.token}/messages/@original`, {
          body,
          auth: false,
        }),
      );
    expect(await edit({ flags: LAYOUT, components: [container(text('Your week'))] })).toBe('ok');
    expect(await edit({ components: [container(text('Your week, redrawn'))] })).toBe('ok');
    // Still the member's own: the layout bit joins the ephemeral one, it does not replace it.
    expect(interaction.original!.flags).toBe(LAYOUT | EPHEMERAL);
    expect(JSON.stringify(interaction.original!.components)).toContain('Your week, redrawn');
  });

  it('an embed message edited into a layout once its embeds are reset to []', async () => {
    const member = emulator.addMember(emulator.addGuild('Progress'), 'ben');
    const interaction = emulator.chatInput('suggest', {}, member);
    await rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
      body: { type: 4, data: { embeds: [{ title: 'Finding suggestions…' }] } },
      auth: false,
    });
    const edit = (body: Record<string, unknown>) =>
      outcome(
        rest.patch(`/webhooks/${emulator.applicationId}/${interaction.token}/messages/@original`, {
          body,
          auth: false,
        }),
      );
    const answer = { flags: LAYOUT, components: [container(text('10 suggestions for you'))] };
    expect(await edit(answer)).toMatch(/^50035: .*embeds/);
    expect(await edit({ ...answer, content: '', embeds: [] })).toBe('ok');
  });
});

describe('Components V2 layouts in the Discord emulator: what Discord refuses (400, 50035)', () => {
  it('content or embeds beside the flag', async () => {
    expect(await post({ flags: LAYOUT, content: 'hi', components: [container(text('x'))] })).toMatch(
      /^50035: .*content/,
    );
    expect(await post({ flags: LAYOUT, embeds: [{ title: 't' }], components: [container(text('x'))] })).toMatch(
      /^50035: .*embeds/,
    );
  });

  it('layout components without the flag', async () => {
    expect(await post({ components: [container(text('x'))] })).toMatch(
      /^50035: .*components\.0\.type: Value of field "type" must be one of \(1,\)/,
    );
  });

  it('41 components, counting the nested ones', async () => {
    const result = await layout(container(...Array.from({ length: 40 }, () => text('y'))));
    expect(result).toMatch(/^50035: .*at most 40 components.*41/);
  });

  it('more than 4,000 characters across the text displays', async () => {
    expect(await layout(container(text('x'.repeat(2000)), text('y'.repeat(2001))))).toMatch(
      /^50035: .*4000 characters/,
    );
  });

  it('a media gallery of no items, or of 11', async () => {
    const item = { media: { url: 'https://example.com/a.png' } };
    expect(await layout(container({ type: 12, items: [] }))).toMatch(/items: Must be between 1 and 10/);
    expect(await layout(container({ type: 12, items: Array.from({ length: 11 }, () => item) }))).toMatch(
      /items: Must be between 1 and 10/,
    );
  });

  it('a section without 1–3 text displays or without exactly one thumbnail or button beside them', async () => {
    const thumbnail = { type: 11, media: { url: 'https://example.com/a.png' } };
    expect(await layout({ type: 9, components: [], accessory: thumbnail })).toMatch(/Must be between 1 and 3/);
    expect(await layout({ type: 9, components: ['a', 'b', 'c', 'd'].map(text), accessory: thumbnail })).toMatch(
      /Must be between 1 and 3/,
    );
    expect(await layout({ type: 9, components: [text('a')] })).toMatch(/accessory: This field is required/);
    expect(await layout({ type: 9, components: [text('a')], accessory: [thumbnail, thumbnail] })).toMatch(
      /accessory: This field is required/,
    );
    expect(await layout({ type: 9, components: [text('a')], accessory: text('b') })).toMatch(
      /accessory\.type: Value must be one of \(11, 2\)/,
    );
  });

  it('a thumbnail or media URL that is neither https nor an uploaded attachment', async () => {
    const section = (url: string) => ({
      type: 9,
      components: [text('a')],
      accessory: { type: 11, media: { url } },
    });
    expect(await layout(section('http://example.com/a.png'))).toMatch(/Scheme must be https or attachment/);
    expect(await layout(section('attachment://missing.png'))).toMatch(/names no file uploaded/);
    expect(
      await post({ flags: LAYOUT, components: [section('attachment://cover.png')] }, [
        { name: 'cover.png', data: PNG },
      ]),
    ).toBe('ok');
  });

  it('a thumbnail standing alone, outside a section', async () => {
    expect(await layout({ type: 11, media: { url: 'https://example.com/a.png' } })).toMatch(
      /components\.0\.type: Value must be one of/,
    );
  });

  it('an edit that takes the flag off a layout', async () => {
    const member = emulator.addMember(emulator.addGuild('Unflag'), 'cat');
    const interaction = emulator.chatInput('leaderboard', {}, member);
    await rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
      body: { type: 4, data: { flags: LAYOUT, components: [container(text('Board'))] } },
      auth: false,
    });
    const edit = (body: Record<string, unknown>) =>
      outcome(
        rest.patch(`/webhooks/${emulator.applicationId}/${interaction.token}/messages/@original`, {
          body,
          auth: false,
        }),
      );
    expect(await edit({ flags: 0, components: [] })).toMatch(/^50035: .*IS_COMPONENTS_V2 flag cannot be removed/);
    expect(await edit({ content: 'now plain text' })).toMatch(/^50035: .*content/);
    expect(interaction.original!.flags & LAYOUT).toBe(LAYOUT);
    const rejected = emulator.state.rejected.filter((r) => r.interactionId === interaction.id);
    expect(rejected.map((r) => r.status)).toEqual([400, 400]);
  });
});

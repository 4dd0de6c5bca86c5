import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedMessage } from '../emulators/discord/index.js';
import { startEncoreHarness, type EncoreHarness } from '../support/encoreHarness.js';

let h: EncoreHarness;
beforeAll(async () => {
  h = await startEncoreHarness();
}, 60_000);
afterAll(() => h?.close());

const buttons = (m: RecordedMessage) => (m.components as Array<{ components: Array<{ custom_id?: string; label?: string }> }>).flatMap((r) => r.components);
const text = (m?: RecordedMessage) => JSON.stringify(m?.embeds ?? []);

describe('privacy', () => {
  it('starts hidden, asks in the "linked" DM, and changes only when the member presses a button', async () => {
    const member = h.member('private-alice');
    expect((await h.link(member, 'alice')).status).toBe(200);
    const linkedDm = h.dmsOf(member).at(-1)!;
    expect(text(linkedDm)).toContain('Encore test server** leaderboards, digests and /whoknows: 🚫 you don’t appear');
    expect(text(linkedDm)).toContain('Personal weekly wrapped by DM: 🚫 off');

    const show = buttons(linkedDm).find((b) => b.label === 'Show me in this server')!;
    const shown = await h.click(linkedDm, show.custom_id!, member);
    expect(text(shown.final)).toContain('✅ you appear');

    const settings = await h.invoke('/privacy', {}, member);
    expect(settings.ephemeral).toBe(true);
    expect(text(settings.final)).toContain('✅ you appear');
    const dmOn = buttons(settings.final!).find((b) => b.label === 'Send me a weekly DM')!;
    const on = await h.click(settings.final!, dmOn.custom_id!, member);
    expect(text(on.final)).toContain('Personal weekly wrapped by DM: ✅ on');
    const hide = buttons(on.final!).find((b) => b.label === 'Hide me in this server')!;
    const hidden = await h.click(on.final!, hide.custom_id!, member);
    expect(text(hidden.final)).toContain('🚫 you don’t appear');
    expect(text(hidden.final)).toContain('✅ on');
  });

  it('is deleted with everything else by /unlink', async () => {
    const member = h.member('private-bob');
    expect((await h.link(member, 'bob')).status).toBe(200);
    const dm = h.dmsOf(member).at(-1)!;
    await h.click(dm, buttons(dm).find((b) => b.label === 'Show me in this server')!.custom_id!, member);
    const ask = await h.invoke('/unlink', {}, member);
    const confirm = buttons(ask.final!).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await h.click(ask.final!, confirm.custom_id!, member);
    expect(text(done.final)).toContain('Deleted: your Spotify link, your Spotify access tokens, your privacy choices');
    expect(text((await h.invoke('/privacy', {}, member)).final)).toContain('🚫 you don’t appear');
  });
});

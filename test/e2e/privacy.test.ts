import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { encodeComponentId } from '../../src/discord/customId.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, contentAndEmbeds, text } from '../support/messages.js';

/** How far Discord's clock runs ahead of the real one: a slow database moves it (see slowDatabaseFor). */
let discordAhead = 0;
const h = useEncoreHarness({ discordNow: () => Date.now() + discordAhead });

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

describe('the "linked" DM', () => {
  it('keeps its "Linked as" line and renew-by date when a privacy button is pressed', async () => {
    const member = h.member('private-carol');
    expect((await h.link(member, 'carol')).status).toBe(200);
    const linkedDm = h.dmsOf(member).at(-1)!;
    const renewBy = /remind you to renew before <t:\d+:D>/.exec(text(linkedDm))?.[0];
    expect(renewBy).toBeDefined();
    const shown = await h.click(
      linkedDm,
      buttons(linkedDm).find((b) => b.label === 'Show me in this server')!.custom_id!,
      member,
    );
    for (const kept of ['Linked as Carol', renewBy!, '✅ you appear']) expect(text(shown.final)).toContain(kept);
    const weekly = await h.click(
      shown.final!,
      buttons(shown.final!).find((b) => b.label === 'Send me a weekly DM')!.custom_id!,
      member,
    );
    for (const kept of ['Linked as Carol', renewBy!, '✅ you appear', 'Personal weekly wrapped by DM: ✅ on'])
      expect(text(weekly.final)).toContain(kept);
  });
});

describe('a forged privacy button', () => {
  it('cannot make a member appear in a server they are not in, pressed in a server or in a DM', async () => {
    const member = h.member('private-erin');
    expect((await h.link(member, 'erin')).status).toBe(200);
    // A server with Encore in it that the member never joined.
    const elsewhere = h.emulator.addGuild('Somewhere else', ['general']);
    const forged = encodeComponentId('privacy', 'visible', elsewhere.id, 'on');
    const visibleIn = async () => (await h.encore.services.privacy!.get(member.id))?.visibleIn ?? [];

    const panel = await h.invoke('/privacy', {}, member);
    const inServer = await h.click(panel.final!, forged, member);
    expect(await visibleIn()).toEqual([]);
    const linkedDm = h.dmsOf(member).at(-1)!;
    const inDm = await h.click(linkedDm, forged, member);
    expect(await visibleIn()).toEqual([]);
    for (const seen of [inServer, inDm]) {
      const told = seen.followUps.map(contentAndEmbeds).join();
      expect(told).toContain('only choose to appear in a server you are a member of');
      expect(seen.rejected).toEqual([]);
      expect(contentAndEmbeds(seen.final)).not.toContain('Somewhere else');
    }

    // The same button for the server they are in still works from the DM.
    const show = buttons(linkedDm).find((b) => b.label === 'Show me in this server')!;
    expect(text((await h.click(linkedDm, show.custom_id!, member)).final)).toContain('✅ you appear');
    expect(await visibleIn()).toEqual([h.guild.id]);
  });
});

/**
 * Every query about the member takes 3.5 s on Discord's clock, as on a database that is struggling:
 * a command that reads before it acknowledges answers after Discord's 3-second deadline.
 */
function slowDatabaseFor(member: EUser): () => void {
  const pool = h.encore.store.pool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    if (JSON.stringify(args[1] ?? []).includes(member.id)) discordAhead += 3_500;
    return query(...args);
  };
  return () => void ((pool as { query: unknown }).query = query);
}

describe('with a slow database, Discord is acknowledged first', () => {
  /** Runs `act` while every query about the member takes 3.5 s; checks the database really was slow for it. */
  async function slowly<T>(member: EUser, act: () => Promise<T>): Promise<T> {
    const restore = slowDatabaseFor(member);
    try {
      const result = await act();
      expect(discordAhead).toBeGreaterThan(3_000);
      return result;
    } finally {
      restore();
      discordAhead = 0;
    }
  }
  let member: EUser;
  beforeAll(async () => {
    member = h.member('private-dave');
    expect((await h.link(member, 'dave')).status).toBe(200);
  });

  it('/privacy', async () => {
    const settings = await slowly(member, () => h.invoke('/privacy', {}, member));
    expect(settings.rejected).toEqual([]);
    expect(text(settings.final)).toContain('🚫 you don’t appear');
  });

  it('a /privacy button', async () => {
    const settings = await h.invoke('/privacy', {}, member);
    const show = buttons(settings.final!).find((b) => b.label === 'Show me in this server')!;
    const shown = await slowly(member, () => h.click(settings.final!, show.custom_id!, member));
    expect(shown.rejected).toEqual([]);
    expect(text(shown.final)).toContain('✅ you appear');
  });

  it('/profile', async () => {
    const profile = await slowly(member, () => h.invoke('/profile', {}, member));
    expect(profile.rejected).toEqual([]);
    expect(text(profile.final)).toContain('Linked as');
  });

  it('the /unlink button', async () => {
    const ask = await h.invoke('/unlink', {}, member);
    const confirm = buttons(ask.final!).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await slowly(member, () => h.click(ask.final!, confirm.custom_id!, member));
    expect(done.rejected).toEqual([]);
    expect(text(done.final)).toContain('Deleted: your Spotify link');
  });
});

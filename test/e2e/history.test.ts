import { describe, expect, it } from 'vitest';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, text } from '../support/messages.js';

const h = useEncoreHarness();

const rows = async (table: string, memberId: string) =>
  Number(
    (await h.encore.store.pool.query(`SELECT count(*) AS n FROM ${table} WHERE member_id = $1`, [memberId])).rows[0].n,
  );

describe('listening history through the bot', () => {
  it('the collector job startEncore schedules fills a linked member’s history, and /unlink deletes it', async () => {
    const member = h.member('history-member');
    expect((await h.link(member, 'dave')).status).toBe(200);
    await h.encore.jobs.runNow('collect-history');
    const played = h.spotify.listening.recent('dave', Date.now(), 50);
    expect(await rows('plays', member.id)).toBe(50);
    expect(await rows('member_daily', member.id)).toBeGreaterThan(0);
    const stored = (
      await h.encore.store.pool.query<{ played_at: Date }>(
        `SELECT played_at FROM plays WHERE member_id = $1 ORDER BY played_at DESC`,
        [member.id],
      )
    ).rows.map((r) => r.played_at.getTime());
    expect(stored).toEqual(played.map((p) => p.playedAt));

    const ask = await h.invoke('/unlink', {}, member);
    const confirm = buttons(ask.final!).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await h.click(ask.final!, confirm.custom_id!, member);
    expect(text(done.final)).toContain('your listening history (50 plays)');
    for (const table of [
      'plays',
      'member_daily',
      'member_daily_artists',
      'member_daily_genres',
      'collector_state',
      'history_gaps',
    ])
      expect(await rows(table, member.id)).toBe(0);
  });
});

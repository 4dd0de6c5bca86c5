import { describe, expect, it } from 'vitest';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, linkUrl } from '../support/messages.js';

const h = useEncoreHarness();

/** Every row of every table in the database, as text, that mentions `needle`. */
async function rowsMentioning(needle: string): Promise<string[]> {
  const pool = h.encore.store.pool;
  const tables = await pool.query<{ name: string }>(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const { rows } = await pool.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM ${name} t WHERE strpos(to_jsonb(t)::text, $1) > 0`,
      [needle],
    );
    found.push(...rows.map((r) => `${name}: ${r.row.slice(0, 160)}`));
  }
  return found;
}

describe('/unlink', () => {
  it('leaves no row in any table that mentions the member, whatever features they used', async () => {
    const member = h.member('everything');
    expect((await h.link(member, 'carol')).status).toBe(200);
    // Use what stores personal data: privacy, a time zone, a sort preview, a collected history.
    const privacy = (await h.invoke('/privacy', {}, member)).final!;
    const show = buttons(privacy).find((b) => b.custom_id?.startsWith('privacy:'))!;
    await h.click(privacy, show.custom_id!, member);
    const zone = await h.invoke('/settings', { subcommand: 'timezone', zone: 'Europe/Paris' }, member);
    expect(JSON.stringify(zone.final?.embeds)).toContain('Europe/Paris');
    const preview = await h.invoke('/sort', { playlist: 'carolmain', min_tracks: 1 }, member);
    await h.encore.jobs.runNow('collect-history', new Date(Date.now() + 3 * 3_600_000));
    expect(preview).toBeDefined();
    // A history import (its record stays), and an /import link left unused.
    await h.invoke('/import', {}, member);
    const now = Date.now();
    const zip = await h.spotify.exportExtendedHistory('carol', { from: now - 7 * 86_400_000, to: now });
    const upload = await fetch(linkUrl(h.dmsOf(member).at(-1)!), { method: 'POST', body: new Uint8Array(zip) });
    expect(await upload.text()).toContain('"done"');
    await h.invoke('/import', {}, member);
    const before = await rowsMentioning(member.id);
    expect(before.length).toBeGreaterThan(3);
    expect(before.some((row) => row.startsWith('public.member_settings:'))).toBe(true);
    expect(before.some((row) => row.startsWith('public.history_imports'))).toBe(true);
    expect(before.some((row) => row.includes('import-tokens:'))).toBe(true);

    const ask = (await h.invoke('/unlink', {}, member)).final!;
    const confirm = buttons(ask).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await h.click(ask, confirm.custom_id!, member);
    expect(JSON.stringify(done.final?.embeds ?? done.final?.content)).toContain('your settings (time zone)');
    expect(await rowsMentioning(member.id)).toEqual([]);
  });
});

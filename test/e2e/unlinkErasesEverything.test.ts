import { describe, expect, it } from 'vitest';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons } from '../support/messages.js';

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
    // Use what stores personal data: privacy, a sort preview, a collected history.
    const privacy = (await h.invoke('/privacy', {}, member)).final!;
    const show = buttons(privacy).find((b) => b.custom_id?.startsWith('privacy:'))!;
    await h.click(privacy, show.custom_id!, member);
    const preview = await h.invoke('/sort', { playlist: 'carolmain', min_tracks: 1 }, member);
    await h.encore.jobs.runNow('collect-history', new Date(Date.now() + 3 * 3_600_000));
    expect(preview).toBeDefined();
    const before = await rowsMentioning(member.id);
    expect(before.length).toBeGreaterThan(3);

    const ask = (await h.invoke('/unlink', {}, member)).final!;
    const confirm = buttons(ask).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    await h.click(ask, confirm.custom_id!, member);
    expect(await rowsMentioning(member.id)).toEqual([]);
  });
});

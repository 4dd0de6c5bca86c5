import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import type { NewPlay } from '../../src/app/history/index.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { contentAndEmbeds, text } from '../support/messages.js';

// The bot's clock stays where each step puts it; scheduled jobs run only when the test says.
let now = Date.parse('2027-10-01T12:00:00Z');
const ticks = manualTicks();
const h = useEncoreHarness({ clock: () => now, jobTicks: ticks.source });
const at = (iso: string) => Date.parse(iso);

let owl: EUser;
/** A night's play at 00:30 London time on `day` (BST until 31 October 2027 01:00 UTC, then GMT). */
const nightly = (day: string): NewPlay => ({
  playedAt: at(`${day}T00:30:00${day <= '2027-10-31' ? '+01:00' : 'Z'}`),
  track: {
    id: 'tr-midnight',
    name: 'Midnight Hymn',
    durationMs: 200_000,
    artists: [{ id: 'ar-owls', name: 'Night Owls' }],
  },
  msPlayed: 200_000,
  msEstimated: false,
  source: 'collected',
  genre: 'folk',
});
const listen = (plays: NewPlay[]) => createHistoryRepository(h.encore.store.pool).insertPlays(owl.id, plays);
const streak = async (options: Record<string, unknown> = {}, as = owl) => {
  const seen = await h.invoke('/streak', options, as);
  // Names come isolated (U+2068 … U+2069) so right-to-left text cannot reorder the numbers: read without.
  return { seen, embed: text(seen.final).replace(/[\u2068\u2069]/g, '') };
};

beforeAll(async () => {
  owl = h.member('night-owl');
  const saved = await h.invoke('/settings', { subcommand: 'timezone', zone: 'Europe/London' }, owl);
  expect(text(saved.final)).toContain('Europe/London');
  // 95 plays of the band one afternoon in early October: the 100th comes during the streaks below.
  await listen(
    Array.from({ length: 95 }, (_, i) => ({
      ...nightly('2027-10-02'),
      playedAt: at('2027-10-02T13:00:00Z') + i * 240_000,
    })),
  );
}, 60_000);

describe('/streak', () => {
  it('says there is nothing to count for a member without plays', async () => {
    const { seen, embed } = await streak({}, h.member('no-plays'));
    expect(seen.ephemeral).toBe(true);
    expect(embed).toContain('No plays yet');
  });

  it('keeps a nightly streak through its last night, breaks it after a missed night, and restarts it across the end of summer time', async () => {
    await listen(['2027-10-25', '2027-10-26', '2027-10-27', '2027-10-28'].map(nightly));
    now = at('2027-10-29T20:00:00Z'); // 21:00 in London on the 29th: not played yet tonight
    let seen = await streak();
    expect(seen.seen.ephemeral).toBe(true);
    expect(seen.embed).toContain('🔥 **4 days in a row** of listening, since 25 Oct 2027');
    expect(seen.embed).toContain('Days are counted in your time zone, Europe/London.');
    expect(seen.embed).toContain('Night Owls** · 🔥 **4 days**');

    now = at('2027-10-30T11:00:00Z'); // the 29th went by without a play
    seen = await streak();
    expect(seen.embed).toContain('No listening streak right now');
    expect(seen.embed).toContain('Longest: **4 days** (25 Oct 2027 – 28 Oct 2027)');
    // The weekly DM's first week is the one after Encore first saw the member's yes.
    await h.encore.services.privacy!.save(owl.id, { visibleIn: [], weeklyDm: true });
    await h.encore.jobs.runNow('weekly-wrapped', new Date(now));

    // Six nights from the 30th: London leaves summer time on the 31st, and its 00:30 plays fall on
    // UTC days 29, 30 October and then 1 November: the UTC calendar skips the 31st, London's does not.
    await listen(['2027-10-30', '2027-10-31', '2027-11-01'].map(nightly));
    const monday = at('2027-11-01T09:00:00Z'); // 09:00 GMT: the weekly wrapped of 25–31 October
    for (const t of [monday, monday + 2 * 60_000]) await h.encore.jobs.runNow('weekly-wrapped', new Date(t));
    const dms = h.dmsOf(owl);
    expect(dms).toHaveLength(1);
    const dm = contentAndEmbeds(dms[0]).replace(/[\u2068\u2069]/g, '');
    expect(dm).toContain('Milestones');
    expect(dm).toContain('🎉 Your 100th play of **Night Owls**');

    await listen(['2027-11-02', '2027-11-03', '2027-11-04'].map(nightly));
    now = at('2027-11-04T12:00:00Z');
    seen = await streak();
    expect(seen.embed).toContain('🔥 **6 days in a row** of listening, since 30 Oct 2027');
    expect(seen.embed).toContain('Longest: **6 days** (30 Oct 2027 – 4 Nov 2027)');
    expect(seen.embed).toContain('Night Owls** · 🔥 **6 days** · your longest yet');
    expect(seen.embed).toContain('Midnight Hymn — Night Owls** · 🔥 **6 days**');
    expect(seen.embed).toContain('Folk / Singer-songwriter** · 🔥 **6 days**');
  }, 60_000);

  it('finds one artist through autocomplete, and posts for everyone only when asked', async () => {
    const choices = (await h.autocomplete('/streak', { kind: 'artist', name: 'owl' }, 'name', owl)).choices!;
    expect(choices).toEqual([{ name: 'Night Owls', value: 'ar-owls' }]);
    const one = await streak({ kind: 'artist', name: choices[0]!.value });
    expect(one.embed).toContain('Your streak: Night Owls');
    expect(one.embed).not.toContain('Tracks');
    const unknown = await streak({ kind: 'track', name: 'Never Played' });
    expect(unknown.embed).toContain('You haven’t played any track called “Never Played”.');

    const shared = await streak({ public: true });
    expect(shared.seen.ephemeral).toBe(false);
    expect(shared.embed).toContain(`${owl.username} · Encore`);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import { IS_COMPONENTS_V2 } from '../../emulators/discord/limits.js';
import { listeningTime } from '../../src/core/time/listeningTime.js';
import { serverYearFeature } from '../../src/features/serverYear.js';
import type { FeatureContext } from '../../src/features/index.js';
import { startJobs } from '../../src/jobs/scheduler.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { galleryItems } from '../support/messages.js';
import { manualTicks } from '../support/manualTicks.js';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-12-07T12:00:00Z');
let discordNow = NOW;
const h = useEncoreHarness({ discordNow: () => discordNow, clock: () => NOW });
const MS = 240_000;

let channel: ReturnType<typeof h.emulator.channel>;
let admin: EUser;
let ana: EUser;
let bo: EUser;
let cy: EUser;
let zed: EUser;

/** `count` plays of one artist's track from `startIso`, four minutes apart. */
async function listen(member: EUser, startIso: string, count: number, artist: string, genre: string) {
  const id = artist.replace(/\W/g, '').toLowerCase();
  await createHistoryRepository(h.encore.store.pool).insertPlays(
    member.id,
    Array.from({ length: count }, (_, i) => ({
      playedAt: at(startIso) + i * 4 * 60_000,
      track: { id: `tr-${id}`, name: `${artist} song`, durationMs: MS, artists: [{ id: `ar-${id}`, name: artist }] },
      msPlayed: MS,
      msEstimated: false,
      source: 'collected' as const,
      genre,
    })),
  );
}

/** Everything a reader (or a screen reader) gets: content, embeds, components, file names and alt text. */
const payload = (m: RecordedMessage) =>
  JSON.stringify([m.content, m.embeds, m.components, m.files.map((f) => [f.filename, f.description])]);
const CY_ARTISTS = [
  ['Alpha Band', 'jazz'],
  ['Beta Crew', 'folk'],
  ['Gamma Trio', 'electronic'],
  ['Delta Duo', 'classical'],
] as const;

beforeAll(async () => {
  channel = h.emulator.addChannelTo(h.guild, 'server-year');
  admin = h.member('year-admin');
  ana = h.member('Ana Nightly');
  bo = h.member('Bo Morning');
  cy = h.member('Cy Wanderer');
  zed = h.member('Zed Secretson');
  const privacy = h.encore.services.privacy!;
  for (const m of [ana, bo, cy]) await privacy.save(m.id, { visibleIn: [h.guild.id], weeklyDm: false });
  await privacy.save(zed.id, { visibleIn: ['another-server'], weeklyDm: false });
  await h.encore.services.settings!.setTimeZone(ana.id, 'Asia/Tokyo');

  // Ana: Sade since mid-2025, and 30 plays at 01:00–03:00 Tokyo time (16:00 UTC).
  await listen(ana, '2025-06-01T12:00:00Z', 1, 'Sade', 'r&b');
  await listen(ana, '2026-03-10T16:00:00Z', 30, 'Sade', 'r&b');
  // Bo: 40 plays of Muse at 06:00–08:40 UTC.
  await listen(bo, '2026-07-04T06:00:00Z', 40, 'Muse', 'rock');
  // Cy: four new artists in four genres at noon.
  for (const [i, [artist, genre]] of CY_ARTISTS.entries())
    await listen(cy, `2026-05-0${i + 1}T12:00:00Z`, 5, artist, genre);
  // Zed (not sharing here) would win everything: nights and mornings, loyalty, firsts, variety.
  for (const [i, [artist, genre]] of [...CY_ARTISTS, ['Sade', 'r&b'], ['Muse', 'rock']].entries())
    await listen(zed, `2024-01-0${i + 1}T12:00:00Z`, 1, artist, genre);
  await listen(zed, '2026-02-02T00:30:00Z', 100, 'Secret Artist', 'metal');
  for (const [i, genre] of ['pop', 'latin', 'metal', 'folk', 'jazz', 'rock', 'r&b', 'punk'].entries())
    await listen(zed, `2026-08-1${i}T01:00:00Z`, 30, `Hidden ${genre}`, genre);
}, 60_000);

const opted = { plays: 30 + 40 + 20, ms: (30 + 40 + 20) * MS };

function expectOnlyOptedIn(text: string) {
  expect(text).not.toContain('Zed');
  expect(text).not.toContain('Secretson');
  expect(text).not.toContain(zed.id);
  expect(text).not.toContain('Secret Artist');
  expect(text).not.toContain('Hidden');
  // The totals are the opted-in members' sum.
  expect(text).toContain(`**${listeningTime(opted.ms)}** listened by 3 members · ${opted.plays} plays`);
}

const expectedAwards = [
  ['Night Owl', 'Ana Nightly'],
  ['Early Bird', 'Bo Morning'],
  ['Explorer', 'Cy Wanderer'],
  ['Loyalist', 'Bo Morning'],
  ['Genre Hopper', 'Cy Wanderer'],
  ['Trendsetter', 'Cy Wanderer'],
] as const;

describe('the server’s year', () => {
  it('/wrapped scope:server period:year answers with the year and its six awards, opted-in members only', async () => {
    const seen = await h.invoke('/wrapped', { scope: 'server', period: 'year' }, ana);
    const text = payload(seen.final!);
    expectOnlyOptedIn(text);
    for (const [award, winner] of expectedAwards) expect(text).toMatch(new RegExp(`${award}\\*\\* · \\\\?⁨?${winner}`));
    expect(text).toContain('Busiest month: **July 2026**');
    expect(text).toContain('Most plays of one artist: 40 plays of Muse.');
    expect(text).toContain('Night Owl');
    const card = seen.final!.files.find((f) => f.filename === 'server-year-awards.png')!;
    expect(card.bytes.subarray(1, 4).toString()).toBe('PNG');
    for (const [award, winner] of expectedAwards) expect(card.description).toContain(`${award}: ${winner}`);
    // A component layout, its card in a gallery with the same alt text.
    expect(seen.final!.flags & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(galleryItems(seen.final)).toEqual([
      expect.objectContaining({ url: 'attachment://server-year-awards.png', description: card.description }),
    ]);
  });

  it('in December, two instances post the year once in the digest channel; never again that year', async () => {
    await h.invoke('/digest', { subcommand: 'channel', channel: channel.id }, admin);
    const on = await h.invoke('/digest', { subcommand: 'year', on: true }, admin);
    expect(payload(on.final!)).toContain('**On.**');
    // The server's accent colours its year as it does its digest.
    await h.invoke('/digest', { subcommand: 'accent', colour: '#E91E63' }, admin);
    const context = {
      store: h.encore.store,
      log: h.log.log,
      charts: h.encore.services.charts,
      services: h.encore.services,
    } as unknown as FeatureContext;
    const ticks = manualTicks();
    const schedulers = ['a', 'b'].map((instanceId) =>
      startJobs([serverYearFeature({ ...context, instanceId }).jobs![0]!], undefined, {
        log: h.log.log,
        ticks: ticks.source,
      }),
    );
    // Not in November, nor before the digest's hour (09:00 UTC) on 1 December.
    for (const t of ['2026-11-30T10:00:00Z', '2026-12-01T08:58:00Z']) {
      discordNow = at(t);
      await ticks.tick('post-server-years', new Date(discordNow));
    }
    expect(h.emulator.messagesIn(channel)).toHaveLength(0);
    for (const t of ['2026-12-01T09:00:00Z', '2026-12-01T09:02:00Z', '2026-12-24T20:00:00Z']) {
      discordNow = at(t);
      expect(await ticks.tick('post-server-years', new Date(discordNow))).toBe(2);
    }
    await Promise.all(schedulers.map((s) => s.stop()));
    const posts = h.emulator.messagesIn(channel);
    expect(posts).toHaveLength(1);
    const text = payload(posts[0]!);
    expectOnlyOptedIn(text);
    for (const [award] of expectedAwards) expect(text).toContain(award);
    expect(text).toContain('1 January to 30 November');
    expect(posts[0]!.files.map((f) => f.filename)).toEqual(['server-year-awards.png']);
    expect(posts[0]!.flags & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect((posts[0]!.components?.[0] as { accent_color?: number } | undefined)?.accent_color).toBe(0xe91e63);
  });
});

describe('milestones in the weekly digest', () => {
  it('a leaderboard member’s milestone of the week is a highlight; an opted-out member’s is nowhere', async () => {
    // Ana had 31 plays of Sade: 100 more this week cross her 100th. Zed crosses one too, unseen.
    await listen(ana, '2026-12-05T10:00:00Z', 100, 'Sade', 'r&b');
    await listen(bo, '2026-12-05T10:00:00Z', 10, 'Muse', 'rock');
    await listen(zed, '2026-12-05T10:00:00Z', 150, 'Hidden Milestone', 'pop');
    const preview = await h.invoke('/digest', { subcommand: 'preview' }, admin);
    const text = payload(preview.final!);
    expect(text).toMatch(/🏅 \\?⁨?Ana Nightly\\?⁩?: their 100th play of \*\*\\?⁨?Sade/u);
    expect(text).not.toContain('Zed');
    expect(text).not.toContain(zed.id);
    expect(text).not.toContain('Hidden Milestone');
  });
});

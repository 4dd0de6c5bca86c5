import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import { IS_COMPONENTS_V2, layoutProblems } from '../../emulators/discord/limits.js';
import { messageMarkdown } from '../../scripts/sandbox/transcript.js';
import { BRAND_COLOUR } from '../../src/discord/replies.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { allComponents, galleryItems, layoutTexts } from '../support/messages.js';

/** Discord's clock follows the tick each scenario plays. */
let discordNow = Date.now();
const h = useEncoreHarness({ discordNow: () => discordNow });
const at = (iso: string) => Date.parse(iso);
const members: EUser[] = [];

async function listen(member: EUser, day: string, count: number, artist: string, genre: string) {
  await createHistoryRepository(h.encore.store.pool).insertPlays(
    member.id,
    Array.from({ length: count }, (_, i) => ({
      playedAt: at(`${day}T10:00:00Z`) + i * 5 * 60_000,
      track: {
        id: `tr-${artist.replace(/\W/g, '')}`,
        name: `${artist} Song`,
        durationMs: 240_000,
        artists: [{ id: `ar-${artist.replace(/\W/g, '')}`, name: artist }],
      },
      msPlayed: 240_000,
      msEstimated: false,
      source: 'collected' as const,
      genre,
    })),
  );
}

/** What the emulator took: a layout, in one container of Encore's colour, within Discord's limits. */
function expectLayout(m: RecordedMessage) {
  expect(m.flags & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
  expect(m.content).toBe('');
  expect(m.embeds).toEqual([]);
  const container = m.components[0] as { type: number; accent_color?: number };
  expect(container).toMatchObject({ type: 17, accent_color: BRAND_COLOUR });
  expect(allComponents(m).length).toBeLessThanOrEqual(40);
  // Checked again as stored: the message as it stands is one Discord would keep.
  expect(
    layoutProblems({
      flags: m.flags,
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      fileNames: m.files.map((f) => f.filename),
    }),
  ).toEqual([]);
}

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const m = h.member(`layout${i}`);
    members.push(m);
    await h.encore.services.privacy!.save(m.id, { visibleIn: [h.guild.id], weeklyDm: false });
  }
}, 60_000);

describe('Components V2 through the real client', () => {
  it('the weekly digest posts as a layout: its charts in a gallery with their alt text, its text readable', async () => {
    const channel = h.emulator.channel(h.guild, 'digest');
    await h.encore.services.digest!.settings.save({
      guildId: h.guild.id,
      enabled: true,
      channelId: channel.id,
      weekday: 1,
      hour: 9,
      timeZone: 'UTC',
      enabledAt: Date.now() + 24 * 3_600_000,
      configuredBy: members[0]!.id,
    });
    await listen(members[0]!, '2029-01-03', 12, 'Layout Band', 'pop');
    await listen(members[1]!, '2029-01-04', 6, 'Gallery Band', 'jazz');
    const post = at('2029-01-08T09:00:00Z');
    discordNow = post;
    const rejectedBefore = h.emulator.state.rejected.length;
    await h.encore.jobs.runNow('post-digests', new Date(post));

    const digest = h.emulator.messagesIn(channel).find((m) => m.at >= post);
    expect(digest).toBeDefined();
    expect(h.emulator.state.rejected.slice(rejectedBefore)).toEqual([]);
    expectLayout(digest!);
    const texts = layoutTexts(digest!).join('\n');
    expect(texts).toMatch(/^## .*’s week in music · 1 Jan – 7 Jan/);
    expect(texts).toContain('### Leaderboard (minutes)');
    expect(texts).toMatch(/\*\*1\.\*\* \u2068layout0\u2069 · 48 min/);
    expect(texts).toContain('Layout Band');
    expect(texts).toContain('-# Only members who share their listening here appear');
    // Each chart is a gallery item naming its upload, with the same alt text the file carries.
    const items = galleryItems(digest!);
    expect(items.map((i) => i.url)).toEqual(digest!.files.map((f) => `attachment://${f.filename}`));
    expect(items.map((i) => i.description)).toEqual(digest!.files.map((f) => f.description));
    expect(items[0]!.description).toMatch(/top genres this week: /i);
    // The sandbox transcript reads it as text: blocks in order, rules for separators, charts by their alt text.
    const markdown = messageMarkdown(digest!, mkdtempSync(path.join(tmpdir(), 'encore-layout-')));
    expect(markdown).toMatch(/^## .*’s week in music/);
    expect(markdown).toContain('\n\n---\n\n### Leaderboard (minutes)');
    expect(markdown).toContain(`![${digest!.files[0]!.description}](${digest!.id}-digest-genres.png)`);
    expect(markdown).not.toContain('"type"');
  });

  it('/wrapped answers as a layout, only to the member, its card in a gallery with its alt text', async () => {
    const me = members[2]!;
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    await listen(me, day(2), 5, 'Wrapped Band', 'rock');
    await listen(me, day(3), 3, 'Second Wrapped Band', 'pop');
    const week = await h.invoke('/wrapped', {}, me);
    expect(week.rejected).toEqual([]);
    expect(week.ephemeral).toBe(true);
    expectLayout(week.final!);
    const texts = layoutTexts(week.final).join('\n');
    expect(texts).toContain('## Your week in music');
    expect(texts).toContain('**32 min** · 8 plays');
    expect(texts).toMatch(/1\. \u2068Wrapped Band\u2069 · 20 min · 5 plays/);
    expect(texts).toContain('-# Only you see this · /wrapped');
    expect(galleryItems(week.final)).toEqual([
      { url: 'attachment://wrapped-week.png', description: week.final!.files[0]!.description },
    ]);
    expect(week.final!.files[0]!.description).toContain('Wrapped Band');
  });
});

import { describe, expect, it } from 'vitest';
import { layoutProblems, messageProblems } from '../../emulators/discord/limits.js';
import { buildServerDigest } from '../../src/core/digest/index.js';
import { digestMessage, safeName } from '../../src/discord/messages/digestMessages.js';
import { galleryItems } from '../support/messages.js';

const FAMILY = '👨‍👩‍👧‍👦';
const worstNames = [
  'x'.repeat(300),
  FAMILY.repeat(100),
  'مستمع الموسيقى العربية الطويل جدا '.repeat(10),
  '@everyone **bold** <@123> `code`',
];

describe('digest messages fit Discord’s limits for any names', () => {
  it('names are cut to whole graphemes, isolated for right-to-left text, and cannot mention anyone', () => {
    expect(safeName(FAMILY.repeat(40))).toMatch(/^\u2068(👨‍👩‍👧‍👦)+…\u2069$/u);
    expect(safeName('@everyone')).not.toContain('@everyone');
    expect(safeName('שלום')).toBe('\u2068שלום\u2069');
  });

  it('a full digest with the longest names stays within every embed limit', () => {
    const members = Array.from({ length: 12 }, (_, i) => `member${i}`);
    const digest = buildServerDigest({
      week: '2026-11-30',
      thisWeek: members.map((m, i) => ({ memberId: m, ms: (i + 1) * 3_600_000, plays: i + 1 })),
      lastWeek: members.map((m, i) => ({ memberId: m, ms: (12 - i) * 3_600_000, plays: 12 - i })),
      topArtists: worstNames.map((name, i) => ({ artistId: `a${i}`, name, plays: 10 - i, ms: 1 })),
      topTracks: worstNames.map((name, i) => ({ trackId: `t${i}`, name, artists: worstNames, plays: 10 - i })),
      genres: worstNames.map((genre, i) => ({ genre, ms: 10 - i, plays: 1 })),
      lastWeekGenres: [],
      discoveries: [{ artistId: 'a0', name: worstNames[1]!, plays: 3, ms: 1 }],
    });
    const names = new Map(members.map((m, i) => [m, worstNames[i % worstNames.length]!]));
    const message = digestMessage(
      digest,
      {
        names,
        guildName: worstNames[2]!,
        charts: ['digest-genres.png', 'digest-clock.png'].map((name) => ({
          name,
          title: 'x'.repeat(300),
          png: Buffer.from('png'),
          altText: worstNames.join(' ').repeat(5),
        })),
      },
      { late: true, missedPrevious: true },
    );
    const body = JSON.parse(JSON.stringify({ flags: message.flags, components: message.components })) as {
      flags: number;
      components: Array<Record<string, unknown>>;
    };
    expect(messageProblems(body)).toEqual([]);
    const fileNames = message.files.map((f) => f.name ?? '');
    expect(layoutProblems({ ...body, content: '', embeds: [], fileNames })).toEqual([]);
    // Both charts ride in the layout's gallery, each with its alt text.
    expect(galleryItems(body).map((i) => i.url)).toEqual([
      'attachment://digest-genres.png',
      'attachment://digest-clock.png',
    ]);
    const alts = [
      ...message.files.map((f) => f.description ?? ''),
      ...galleryItems(body).map((i) => i.description ?? ''),
    ];
    expect(alts).toHaveLength(4);
    for (const alt of alts) expect(alt.length).toBeLessThanOrEqual(1024);
    const text = JSON.stringify(body);
    expect(text).not.toContain('@everyone');
    expect(text).toContain('▲');
    expect(text).toContain('▼');
  });
});

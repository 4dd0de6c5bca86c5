import { escapeMarkdown } from 'discord.js';
import type { DigestChartImage, DigestNotes, DigestSettings } from '../../app/digest/ports.js';
import {
  WEEKDAY_NAMES,
  type MemberWrapped,
  type Movement,
  type QuietWeek,
  type ServerDigest,
} from '../../core/digest/index.js';
import { BRAND_COLOUR, brandEmbed, pngAttachment } from '../replies.js';
import type { Milestone } from '../../core/streaks/index.js';
import { genreDisplayName, isUnclassified } from '../../core/taste/index.js';
import { listeningTime } from '../../core/time/listeningTime.js';
import { timeZoneLabel } from '../../core/time/timeZoneLabel.js';
import { discordTime, plural } from './format.js';
import { coverOf, layoutMessage } from './layout.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const NAME_MAX = 32;
const TITLE_MAX = 60;

/**
 * A name as it may appear in a digest line: markdown and mentions neutralised, cut to whole
 * graphemes (emoji stay whole), and isolated (U+2068 … U+2069) so right-to-left text cannot
 * reorder the numbers around it.
 */
export function safeName(name: string, max = NAME_MAX): string {
  const clean = name
    .replace(/[\u2066-\u2069\u202a-\u202e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // At most `max` graphemes and 2×max UTF-16 units: a row of ZWJ emoji must not blow a field's 1024.
  const graphemes = Array.from(segmenter.segment(clean), (s) => s.segment);
  let cut = '';
  for (const [i, g] of graphemes.entries()) {
    if (i >= max - 1 && i < graphemes.length - 1) break;
    if (cut.length + g.length > 2 * max - 1) break;
    cut += g;
  }
  if (cut.length < clean.length) cut = `${cut.trimEnd()}…`;
  return `\u2068${escapeMarkdown(cut).replace(/@/g, '@\u200b')}\u2069`;
}

/** The titles of the charts the digest and the weekly-wrapped DM draw (read on the image and in its alt text). */
export const digestChartTitles = {
  wrappedArtists: (period: string | undefined) =>
    period && period !== 'week' ? 'Your top artists' : 'Your top artists this week',
  genres: 'Top genres this week',
  clock: 'When the server listened this week',
} as const;

/** Alt text within Discord's 1,024, counted in UTF-16 units and cut between graphemes. */
export function fitAltText(text: string, max = 1024): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}

// The one listening-time wording, re-exported for the builders that import it from here.
export { listeningTime };

export function movementMark(movement: Movement): string {
  switch (movement.kind) {
    case 'new':
      return 'NEW';
    case 'up':
      return `▲${movement.by}`;
    case 'down':
      return `▼${movement.by}`;
    case 'same':
      return '–';
  }
}

const weekLabel = (week: string) => {
  const to = new Date(Date.parse(`${week}T00:00:00Z`) - 86_400_000);
  const from = new Date(to.getTime() - 6 * 86_400_000);
  const f = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `${f(from)} – ${f(to)}`;
};

function noteLines(notes: DigestNotes): string[] {
  const lines: string[] = [];
  if (notes.preview) lines.push('*Preview: the last seven days, shown only to you.*');
  if (notes.late) lines.push('*This digest is late: Encore was offline when it was due.*');
  if (notes.missedPrevious)
    lines.push('*Last week’s digest was skipped: Encore was offline for more than a day after it was due.*');
  return lines;
}

/** The server's weekly digest (or the short note for a quiet week) as a layout, ready to post. */
export function digestMessage(
  digest: ServerDigest | QuietWeek,
  context: {
    names: ReadonlyMap<string, string>;
    guildName: string;
    charts: readonly DigestChartImage[];
    /** The server's accent (/digest accent); Encore's colour when unset. */
    accent?: number;
  },
  notes: DigestNotes,
) {
  const accent = context.accent;
  const title = `${safeName(context.guildName, TITLE_MAX)}’s week in music · ${weekLabel(digest.week)}`;
  if (digest.kind === 'quiet')
    return {
      files: [],
      ...layoutMessage({
        accent,
        blocks: [
          {
            kind: 'text',
            text: [
              `## ${title}`,
              ...noteLines(notes),
              'Not enough listening this week: a digest needs at least two members who share their listening here (**/privacy**) and played something.',
            ].join('\n'),
          },
        ],
      }),
    };
  const name = (id: string) => safeName(context.names.get(id) ?? 'a member');
  const leaderboard = digest.leaderboard
    .map((r) => `**${r.rank}.** ${name(r.memberId)} · ${listeningTime(r.ms)} \`${movementMark(r.movement)}\``)
    .join('\n');
  const artists = digest.topArtists
    .map((a, i) => `${i + 1}. ${safeName(a.name)} · ${plural(a.plays, 'play')}`)
    .join('\n');
  const tracks = digest.topTracks
    .map((t, i) => `${i + 1}. ${safeName(t.name)} — ${safeName(t.artists.join(', '), 24)} · ${plural(t.plays, 'play')}`)
    .join('\n');
  // The five largest genres, and then (always last, whatever its share) what is not classified yet.
  const genres = [
    ...digest.topGenres.filter((g) => !isUnclassified(g.genre)).slice(0, 5),
    ...digest.topGenres.filter((g) => isUnclassified(g.genre)),
  ]
    .map((g) => `${safeName(genreDisplayName(g.genre), 24)} ${Math.round(g.share * 100)}%`)
    .join(' · ');
  const highlights = digest.highlights.map((h) => {
    switch (h.kind) {
      case 'discovery':
        return `🔭 Discovered this week: ${safeName(h.artist)} (${plural(h.plays, 'play')}, new to everyone here)`;
      case 'climber':
        return `🚀 Biggest climber: ${name(h.memberId)}, up ${plural(h.by, 'place')}`;
      case 'diverse':
        return `🌈 Most diverse week: ${name(h.memberId)}, across ${plural(h.genres, 'genre')}`;
      case 'crown':
        return h.fromId
          ? `👑 ${name(h.toId)} took the crown for ${safeName(h.artist)} from ${name(h.fromId)} (${plural(h.plays, 'play')})`
          : `👑 ${name(h.toId)} claimed the crown for ${safeName(h.artist)} (${plural(h.plays, 'play')})`;
      case 'genreShift':
        return `${h.change > 0 ? '📈' : '📉'} ${safeName(genreDisplayName(h.genre), 24)} ${h.change > 0 ? 'rose' : 'fell'} ${Math.round(Math.abs(h.change) * 100)} points`;
      case 'milestone':
        return `🏅 ${name(h.memberId)}: ${milestoneWords(h.milestone)
          .replace(/^\S+\s/u, '')
          .replace(/^Your /, 'their ')}`;
    }
  });
  const cover = coverOf(digest.topArtists[0]);
  return {
    ...layoutMessage({
      accent,
      blocks: [
        {
          kind: 'text',
          text: [
            `## ${title}`,
            ...noteLines(notes),
            `**${listeningTime(digest.totalMs)}** listened by ${plural(digest.listeners, 'member')} · ${plural(digest.totalPlays, 'play')}`,
            genres && `Top genres: ${genres}`,
          ]
            .filter(Boolean)
            .join('\n'),
        },
        { kind: 'separator' },
        { kind: 'text', text: `### Leaderboard (minutes)\n${leaderboard || '—'}` },
        {
          kind: 'text',
          text: `### Top artists\n${artists || '—'}`,
          thumbnail: cover ? { url: cover, altText: digest.topArtists[0]!.name } : undefined,
        },
        { kind: 'text', text: `### Top tracks\n${tracks || '—'}` },
        highlights.length > 0 && { kind: 'text', text: `### Highlights\n${highlights.join('\n')}` },
        // The charts, each with its alt text, in one gallery (the embed needed an embed per image).
        { kind: 'gallery', items: context.charts.map((c) => ({ name: c.name, altText: fitAltText(c.altText) })) },
        { kind: 'separator' },
        { kind: 'text', text: '-# Only members who share their listening here appear · /privacy' },
      ],
    }),
    files: context.charts.map((chart) => pngAttachment(chart.png, chart.name, fitAltText(chart.altText))),
  };
}

/** To the admin who set the digest up: Encore can no longer post in its channel. */
export function digestPermissionLostMessage(
  guildName: string,
  channelId: string,
  missing: readonly string[] | 'unknown-channel',
) {
  const what =
    missing === 'unknown-channel'
      ? `the channel <#${channelId}> is gone or hidden from Encore`
      : missing.length
        ? `Encore is missing ${missing.join(', ')} in <#${channelId}>`
        : `Encore can no longer post in <#${channelId}>`;
  return {
    embeds: [
      brandEmbed({
        title: `The weekly digest for ${safeName(guildName, TITLE_MAX)} can’t be posted`,
        description: `${what}. Give Encore back those permissions, or pick another channel with **/digest channel**. I won’t repeat this message.`,
      }),
    ],
  };
}

/**
 * /digest's answer: the settings as they now are, and when the next digest posts (`nextPostAt`,
 * when it is on in a channel): a schedule whose hour already passed this week starts next week,
 * and the admin should not have to wait a week to find that out.
 */
export function digestSettingsMessage(settings: DigestSettings, note?: string, nextPostAt?: number) {
  const hour = `${String(settings.hour).padStart(2, '0')}:00`;
  const next =
    settings.enabled && settings.channelId && nextPostAt !== undefined
      ? `Next digest: ${discordTime(nextPostAt, 'f')} (${discordTime(nextPostAt, 'R')})`
      : undefined;
  return {
    embeds: [
      brandEmbed({
        title: 'Weekly digest',
        description: [
          note,
          `**${settings.enabled ? 'On' : 'Off'}** · ${settings.channelId ? `<#${settings.channelId}>` : 'no channel yet (**/digest channel**)'}`,
          `Every ${WEEKDAY_NAMES[settings.weekday]} at ${hour} (${timeZoneLabel(settings.timeZone)})`,
          settings.accent !== undefined && `Accent colour: **${accentHex(settings.accent)}**`,
          next,
        ]
          .filter(Boolean)
          .join('\n'),
      }),
    ],
  };
}

/** The colour as Discord's colour pickers write it: #RRGGBB. */
export const accentHex = (accent: number) => `#${accent.toString(16).padStart(6, '0').toUpperCase()}`;

/** /digest accent's answer: a card in the server's accent (or Encore's), so the admin sees it as members will. */
export function digestAccentMessage(settings: DigestSettings) {
  const colour =
    settings.accent === undefined
      ? `Encore’s own colour (**${accentHex(BRAND_COLOUR)}**)`
      : `**${accentHex(settings.accent)}**`;
  return layoutMessage({
    accent: settings.accent,
    blocks: [
      {
        kind: 'text',
        text: [
          '## Accent colour',
          `Saved. The weekly digest and the server’s year now wear ${colour}, like the edge of this card.`,
          '-# Back to Encore’s colour: **/digest accent colour:default**',
        ].join('\n'),
      },
    ],
  });
}

/** A milestone in one line (the weekly wrapped DM's "Milestones"). */
export function milestoneWords(m: Milestone): string {
  switch (m.kind) {
    case 'artistPlays': // every mark is a multiple of 100: always "th"
      return `🎉 Your ${m.plays.toLocaleString('en')}th play of **${safeName(m.artist)}**`;
    case 'yearMinutes':
      return `⏱️ ${m.minutes.toLocaleString('en')} minutes of listening in ${m.year}`;
    case 'streakDays':
      return `🔥 ${m.days.toLocaleString('en')} days in a row of listening`;
  }
}

/** The personal weekly wrapped DM and /wrapped: the member's period as a layout, their top-artists card in its gallery. */
export function weeklyWrappedMessage(
  wrapped: MemberWrapped,
  card?: { png: Buffer; altText: string },
  milestones: readonly Milestone[] = [],
) {
  const period = wrapped.period ?? 'week';
  const before = { week: 'the week before', month: 'the 30 days before', year: 'the year before', all: '' }[period];
  const title = {
    week: `Your week in music · ${weekLabel(wrapped.week)}`,
    month: 'Your last 30 days in music',
    year: 'Your year in music — your own wrapped',
    all: 'All your listening with Encore',
  }[period];
  const change =
    period === 'all'
      ? wrapped.fromDay
        ? `since your first play on ${wrapped.fromDay}`
        : 'since your first play'
      : wrapped.lastWeekMs
        ? (() => {
            const pct = Math.round(((wrapped.ms - wrapped.lastWeekMs) / wrapped.lastWeekMs) * 100);
            return pct === 0 ? `the same as ${before}` : `${pct > 0 ? '▲' : '▼'}${Math.abs(pct)}% on ${before}`;
          })()
        : `nothing counted for ${before}`;
  // Named by its period, so a saved card says which one it is.
  const image = card ? `wrapped-${period}.png` : undefined;
  const cover = coverOf(wrapped.topArtists[0]);
  return {
    ...layoutMessage({
      blocks: [
        {
          kind: 'text',
          text: [
            `## ${title}`,
            `**${listeningTime(wrapped.ms)}** · ${plural(wrapped.plays, 'play')} · ${change}`,
            wrapped.topGenre && `Top genre: **${safeName(genreDisplayName(wrapped.topGenre), 24)}**`,
            wrapped.discoveries ? `New to you: ${plural(wrapped.discoveries, 'artist')}` : undefined,
          ]
            .filter(Boolean)
            .join('\n'),
        },
        { kind: 'separator' },
        {
          kind: 'text',
          text: `### Top artists (by listening time)\n${
            wrapped.topArtists
              .map((a, i) => `${i + 1}. ${safeName(a.name)} · ${listeningTime(a.ms)} · ${plural(a.plays, 'play')}`)
              .join('\n') || '—'
          }`,
          thumbnail: cover ? { url: cover, altText: wrapped.topArtists[0]!.name } : undefined,
        },
        {
          kind: 'text',
          text: `### Top tracks\n${
            wrapped.topTracks
              .map((t, i) => `${i + 1}. ${safeName(t.name)} — ${safeName(t.artists.join(', '), 24)}`)
              .join('\n') || '—'
          }`,
        },
        milestones.length > 0 && { kind: 'text', text: `### Milestones\n${milestones.map(milestoneWords).join('\n')}` },
        card && image ? { kind: 'gallery', items: [{ name: image, altText: fitAltText(card.altText) }] } : undefined,
        { kind: 'separator' },
        {
          kind: 'text',
          text: `-# ${wrapped.period ? 'Only you see this · /wrapped' : 'Only you get this · turn it off in /privacy'}`,
        },
      ],
    }),
    files: card && image ? [pngAttachment(card.png, image, fitAltText(card.altText))] : [],
  };
}

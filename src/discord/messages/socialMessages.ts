import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { CatalogueItem, LeaderboardMetric, SocialPeriod, WhoKnowsKind } from '../../app/social/ports.js';
import type { CompatView, CrownsView, LeaderboardView, WhoKnowsView } from '../../app/social/social.js';
import { componentIdCodec } from '../customId.js';
import { brandEmbed } from '../replies.js';
import { discordTime, plural } from './format.js';
import { listeningTime } from '../../core/time/listeningTime.js';
import { fitAltText, safeName } from './digestMessages.js';
import { layoutMessage } from './layout.js';

/** Mentions show who is meant without pinging anyone. */
const NO_PINGS = { allowedMentions: { parse: [] as [] } };
const mention = (id: string) => `<@${id}>`;
const OPT_IN_HINT = 'Only members who share their listening in this server appear · /privacy';

export const METRIC_LABELS: Record<LeaderboardMetric, string> = {
  minutes: 'Minutes listened',
  plays: 'Plays',
  artists: 'Distinct artists',
  diversity: 'Genre diversity',
  discoveries: 'Discoveries (artists new to them)',
};
export const SOCIAL_PERIOD_LABELS: Record<SocialPeriod, string> = {
  week: 'past 7 days',
  month: 'past 30 days',
  year: 'past 12 months',
  all: 'all time',
};

export function metricValue(metric: LeaderboardMetric, value: number): string {
  switch (metric) {
    case 'minutes':
      return listeningTime(value);
    case 'plays':
      return plural(value, 'play');
    case 'artists':
      return plural(value, 'artist');
    case 'diversity':
      // Shannon entropy in bits: 2^bits is how many equally played genres it amounts to.
      return `${value.toFixed(2)} bits (≈${Math.max(1, Math.round(2 ** value))} genres evenly)`;
    case 'discoveries':
      return plural(value, 'new artist');
  }
}

/**
 * Why a member who shares their listening is not on a board. Diversity is a spread over classified
 * genres: plays all in one genre, or not classified yet, count for nothing there although they were
 * counted everywhere else.
 */
const UNRANKED_WHY: Record<LeaderboardMetric, string> = {
  minutes: 'not ranked yet — nothing counted for this period.',
  plays: 'not ranked yet — nothing counted for this period.',
  artists: 'not ranked yet — nothing counted for this period.',
  discoveries: 'not ranked yet — no artist new to you in this period.',
  diversity:
    'not ranked yet — diversity needs plays in at least two genres Encore has classified, and yours this period are all in one genre or not classified yet.',
};

const rankMark = (rank: number) => (rank === 1 ? '🥇' : rank === 2 ? '🥈' : rank === 3 ? '🥉' : `**${rank}.**`);

/** A leaderboard page button's id: the board, the page, and who may turn it. */
export const leaderboardComponentIds = componentIdCodec(
  'leaderboard',
  ['prev', 'next'],
  ['metric', 'period', 'page', 'ownerId'],
);

/** The component id of a leaderboard page button. */
export const leaderboardPageId = (
  metric: LeaderboardMetric,
  period: SocialPeriod,
  page: number,
  ownerId: string,
  which: 'prev' | 'next',
) => leaderboardComponentIds.encode({ action: which, metric, period, page: String(page), ownerId });

/** /leaderboard: ten members a page, the caller's own rank always, Previous/Next for the caller. */
export function leaderboardMessage(
  view: LeaderboardView,
  context: {
    guildName: string;
    callerId: string;
    /** The server's accent (/digest accent); unset: Encore's. */ accent?: number;
  },
) {
  const title = `${METRIC_LABELS[view.metric]} · ${SOCIAL_PERIOD_LABELS[view.period]} · ${safeName(context.guildName, 60)}`;
  if (view.total === 0)
    return {
      ...layoutMessage({
        accent: context.accent,
        blocks: [
          {
            kind: 'text',
            text: `## ${title}\nNobody is on this board yet. Members appear here once they link Spotify (**/link**) and choose to share their listening in this server (**/privacy**).`,
          },
        ],
      }),
      ...NO_PINGS,
    };
  const lines = view.rows.map(
    (r) =>
      `${rankMark(r.rank)} ${mention(r.memberId)} · ${metricValue(view.metric, r.value)}${r.memberId === context.callerId ? ' ← you' : ''}`,
  );
  const you =
    view.you.kind === 'ranked'
      ? view.you.onPage
        ? undefined
        : `You: **#${view.you.row.rank}** of ${view.total} · ${metricValue(view.metric, view.you.row.value)}`
      : view.you.kind === 'unranked'
        ? `You: ${UNRANKED_WHY[view.metric]}`
        : 'You are not on this board: share your listening here with **/privacy** to join.';
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(leaderboardPageId(view.metric, view.period, view.page - 1, context.callerId, 'prev'))
      .setLabel('Previous')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(view.page === 0),
    new ButtonBuilder()
      .setCustomId(leaderboardPageId(view.metric, view.period, view.page + 1, context.callerId, 'next'))
      .setLabel('Next')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(view.page >= view.pages - 1),
  );
  // The page's lines are one text display (ten sections would spend 30 of Discord's 40 components).
  return {
    ...layoutMessage({
      accent: context.accent,
      blocks: [
        { kind: 'text', text: `## ${title}` },
        { kind: 'text', text: [lines.join('\n'), you && `\n${you}`].filter(Boolean).join('\n') },
        { kind: 'separator' },
        {
          kind: 'text',
          text: `-# Page ${view.page + 1} of ${view.pages} · ${plural(view.total, 'member')} ranked · ${OPT_IN_HINT}`,
        },
      ],
      rows: view.pages > 1 ? [buttons.toJSON()] : [],
    }),
    ...NO_PINGS,
  };
}

/** Said only to the member who pressed a page button of someone else's board. */
export const notYourBoardMessage = (ownerId: string) => ({
  content: `These buttons belong to ${mention(ownerId)}’s /leaderboard. Run **/leaderboard** for your own.`,
  ...NO_PINGS,
});

const KIND_WORDS: Record<WhoKnowsKind, string> = { artist: 'artist', track: 'track', genre: 'genre' };

/** Discord shows an autocomplete choice's name in at most 100 characters. */
const CHOICE_NAME_MAX = 100;
const CHOICE_DETAIL_MAX = 40;

/**
 * A /whoknows autocomplete choice as listed (a track with its artist), cut between graphemes to
 * fit: the choice submits a short key, so however long the name, the pick still finds its item.
 */
export function whoKnowsChoiceName(item: CatalogueItem): string {
  const name = item.name.replace(/\s+/g, ' ').trim() || '?';
  if (!item.detail) return fitAltText(name, CHOICE_NAME_MAX);
  const detail = fitAltText(item.detail.replace(/\s+/g, ' ').trim(), CHOICE_DETAIL_MAX);
  return `${fitAltText(name, CHOICE_NAME_MAX - detail.length - 3)} — ${detail}`;
}

export function whoKnowsMessage(view: WhoKnowsView, context: { guildName: string; callerId: string }) {
  const itemName = view.item.detail
    ? `${safeName(view.item.name, 60)} — ${safeName(view.item.detail, 40)}`
    : safeName(view.item.name, 60);
  const title = `Who knows ${itemName} in ${safeName(context.guildName, 40)}`;
  // The crown is said once: on its holder's row when they are listed (with since when), else in a line below.
  const crownHolder = view.crown?.holderId;
  const holderListed = view.listeners.some((l) => l.memberId === crownHolder);
  const lines = view.listeners.map(
    (l) =>
      `${l.memberId === crownHolder ? '👑' : rankMark(l.rank)} ${mention(l.memberId)} · ${plural(l.plays, 'play')}${
        l.memberId === crownHolder && !view.change && view.crown
          ? ` · crown since ${discordTime(view.crown.since, 'D')}`
          : ''
      }${l.memberId === context.callerId ? ' ← you' : ''}`,
  );
  const crownLines: string[] = [];
  if (view.change)
    crownLines.push(
      view.change.fromId
        ? `👑 **The crown changed hands:** ${mention(view.change.toId)} took it from ${mention(view.change.fromId)} with ${plural(view.change.plays, 'play')}!`
        : `👑 **New crown:** ${mention(view.change.toId)} claims ${safeName(view.item.name, 60)} with ${plural(view.change.plays, 'play')}!`,
    );
  else if (view.crown && !holderListed)
    crownLines.push(
      `👑 Crown: ${mention(view.crown.holderId)} · ${plural(view.crown.plays, 'play')} · since ${discordTime(view.crown.since, 'D')}`,
    );
  else if (!view.crown && view.item.kind === 'artist' && view.threshold)
    crownLines.push(`No crown yet: it takes ${plural(view.threshold, 'play')} to claim it.`);
  return {
    embeds: [
      brandEmbed({
        title,
        description: lines.length
          ? [...lines, ...(crownLines.length ? ['', ...crownLines] : [])].join('\n')
          : `Nobody who shares their listening here has played this ${KIND_WORDS[view.item.kind]} yet.`,
        footer: `All-time plays · ${OPT_IN_HINT}`,
      }),
    ],
    ...NO_PINGS,
  };
}

export function crownsMessage(view: CrownsView, context: { guildName: string; callerId: string }) {
  const whose = view.memberId === context.callerId ? 'Your crowns' : 'Crowns';
  const shown = view.crowns.slice(0, 20);
  const lines = shown.map(
    (c, i) =>
      `${i + 1}. ${safeName(c.artistName, 48)} · ${plural(c.plays, 'play')} · since ${discordTime(c.since, 'D')}`,
  );
  return {
    embeds: [
      brandEmbed({
        title: `👑 ${whose} in ${safeName(context.guildName, 60)}`,
        description: [
          `${mention(view.memberId)} holds ${plural(view.crowns.length, 'crown')}.`,
          ...(lines.length ? ['', ...lines] : []),
          ...(view.crowns.length > shown.length ? [`…and ${view.crowns.length - shown.length} more.`] : []),
          ...(view.crowns.length === 0
            ? [
                `A crown goes to whoever here played an artist most, with at least ${plural(view.threshold, 'play')}. **/whoknows artist** shows who holds one.`,
              ]
            : []),
        ].join('\n'),
        footer: `Crown threshold: ${plural(view.threshold, 'play')} · ${OPT_IN_HINT}`,
      }),
    ],
    ...NO_PINGS,
  };
}

export const crownThresholdMessage = (threshold: number) => ({
  embeds: [
    brandEmbed({
      title: 'Crown threshold',
      description: `An artist’s crown now takes at least **${plural(threshold, 'play')}**. Crowns were checked against it just now.`,
    }),
  ],
});

function scoreBar(score: number): string {
  const filled = Math.round(score / 10);
  return `${'█'.repeat(filled)}${'░'.repeat(10 - filled)}`;
}

export function compatMessage(view: CompatView) {
  const shared = view.sharedArtists
    .slice(0, 5)
    .map((a) => `${safeName(a.name, 40)} (${plural(a.aPlays, 'play')} · ${plural(a.bPlays, 'play')})`);
  const verdict =
    view.score >= 80
      ? 'Musical twins.'
      : view.score >= 60
        ? 'Very compatible.'
        : view.score >= 40
          ? 'Plenty in common.'
          : view.score >= 20
            ? 'Some common ground.'
            : 'Different worlds — all the more to discover.';
  const tries = [
    view.tryForA && `${mention(view.callerId)} should try **${safeName(view.tryForA.name, 40)}**`,
    view.tryForB && `${mention(view.otherId)} should try **${safeName(view.tryForB.name, 40)}**`,
  ].filter(Boolean);
  return {
    embeds: [
      brandEmbed({
        title: `Taste compatibility: ${view.score}/100`,
        description: `${mention(view.callerId)} × ${mention(view.otherId)}\n\`${scoreBar(view.score)}\` ${verdict}`,
        fields: [
          { name: 'Artists you both love', value: shared.length ? shared.join('\n') : 'None in common yet.' },
          ...(tries.length ? [{ name: 'One to try each', value: tries.join('\n') }] : []),
        ],
        footer: 'All-time listening, artists and genres · only members who share their listening here',
      }),
    ],
    ...NO_PINGS,
  };
}

/** Ephemeral, beside a public board: the caller is not on it, and how to join. */
export const optInHintMessage = () => ({
  content:
    'You are not on this board: you don’t share your listening in this server. Turn it on with **/privacy** (for this server only).',
});

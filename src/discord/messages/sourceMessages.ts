import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type { SourceKind, SourceLink } from '../../app/sources/ports.js';
import { componentIdCodec } from '../customId.js';
import { brandEmbed } from '../replies.js';
import { discordTime } from './format.js';

/** /link's buttons and modal for the sources beyond Spotify. */
export const linkIds = componentIdCodec('link', ['listenbrainz', 'lastfm', 'lb-token'], []);
/** The modal's text input holding the ListenBrainz user token. */
export const LB_TOKEN_FIELD = 'token';

export const SOURCE_NAMES: Record<SourceKind | 'spotify', string> = {
  spotify: 'Spotify',
  listenbrainz: 'ListenBrainz',
  lastfm: 'Last.fm',
};

const sourceButtons = (available: { listenbrainz: boolean; lastfm: boolean }) => {
  const row = new ActionRowBuilder<ButtonBuilder>();
  if (available.listenbrainz)
    row.addComponents(
      new ButtonBuilder()
        .setCustomId(linkIds.encode({ action: 'listenbrainz' }))
        .setStyle(ButtonStyle.Primary)
        .setLabel('Connect ListenBrainz'),
    );
  if (available.lastfm)
    row.addComponents(
      new ButtonBuilder()
        .setCustomId(linkIds.encode({ action: 'lastfm' }))
        .setStyle(ButtonStyle.Primary)
        .setLabel('Connect Last.fm'),
    );
  return row.components.length ? [row] : [];
};

/**
 * /link when Spotify's places are all taken: a Spotify app in development mode links at most a
 * handful of members, but every member can take part through ListenBrainz or Last.fm.
 */
export function spotifyFullMessage(cap: number, available: { listenbrainz: boolean; lastfm: boolean }) {
  const others =
    available.listenbrainz || available.lastfm
      ? `You can still take part — leaderboards, /whoknows, charts and the weekly digest — by connecting ${[
          available.listenbrainz ? 'ListenBrainz' : '',
          available.lastfm ? 'Last.fm' : '',
        ]
          .filter(Boolean)
          .join(' or ')}, which have no such limit.`
      : 'Ask the server admin to set up ListenBrainz or Last.fm in Encore: they have no such limit.';
  return {
    embeds: [
      brandEmbed({
        title: 'Spotify’s places are all taken',
        description: `Spotify lets this bot link only ${cap} members, and all ${cap} places are in use. ${others}`,
      }),
    ],
    components: sourceButtons(available),
  };
}

/** /link source:ListenBrainz: why a token is asked for, and the button that opens the modal. */
export function listenBrainzPromptMessage() {
  return {
    embeds: [
      brandEmbed({
        title: 'Connect ListenBrainz',
        description:
          'Copy your **user token** from <https://listenbrainz.org/settings/> and paste it in the box the button opens. ' +
          'It proves the account is yours: I check it once with ListenBrainz and then forget it — only your user name is kept. ' +
          'Your public listens then come in, your whole history first.',
      }),
    ],
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(linkIds.encode({ action: 'lb-token' }))
          .setStyle(ButtonStyle.Primary)
          .setLabel('Enter my token'),
      ),
    ],
  };
}

/** The modal the ListenBrainz button opens. */
export function listenBrainzTokenModal() {
  return new ModalBuilder()
    .setCustomId(linkIds.encode({ action: 'lb-token' }))
    .setTitle('Connect ListenBrainz')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder()
          .setCustomId(LB_TOKEN_FIELD)
          .setLabel('Your ListenBrainz user token')
          .setPlaceholder('From listenbrainz.org/settings')
          .setStyle(TextInputStyle.Short)
          .setMinLength(32)
          .setMaxLength(64)
          .setRequired(true),
      ),
    );
}

/** /link source:Last.fm: the one-time approval link (private: it is bound to this member). */
export function lastfmConnectMessage(url: string, expiresAt: number) {
  return {
    embeds: [
      brandEmbed({
        title: 'Connect Last.fm',
        description: `Last.fm will ask you to allow Encore; then your scrobbles come in, your whole history first. This link is just for you, works once and expires ${discordTime(expiresAt)}.`,
      }),
    ],
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Open Last.fm'),
      ),
    ],
  };
}

/** After connecting (the modal's answer, or the DM after Last.fm's callback). */
export function sourceConnectedMessage(source: SourceKind, userName: string) {
  return {
    embeds: [
      brandEmbed({
        title: `Connected ${SOURCE_NAMES[source]} as ${userName}`,
        description:
          'Your listening history is coming in now, oldest last; I’ll DM you how it goes. ' +
          'To show up on this server’s leaderboards and /whoknows, turn it on in **/privacy**.',
      }),
    ],
    components: [],
  };
}

/** The backfill's progress DM: "34,000 of about 120,000 plays in; about 6 minutes left". */
export function backfillProgressMessage(
  source: SourceKind,
  progress: { read: number; total?: number; etaMs?: number; done?: boolean },
) {
  const n = (x: number) => x.toLocaleString('en-US');
  const minutes = progress.etaMs === undefined ? undefined : Math.max(1, Math.round(progress.etaMs / 60_000));
  const description = progress.done
    ? `All ${n(progress.read)} plays from ${SOURCE_NAMES[source]} are in. From now on I pick up new ones as you listen.`
    : `${n(progress.read)}${progress.total ? ` of about ${n(progress.total)}` : ''} plays in` +
      (minutes === undefined ? '.' : `; about ${minutes} minute${minutes === 1 ? '' : 's'} left.`);
  return {
    embeds: [
      brandEmbed({
        title: progress.done ? 'Your history is in' : `Bringing in your ${SOURCE_NAMES[source]} history`,
        description,
      }),
    ],
    components: [],
  };
}

/** A source stopped syncing until the member acts. */
export function sourceStoppedMessage(source: SourceKind, userName: string, status: 'private' | 'not-found') {
  const why =
    status === 'private'
      ? `${SOURCE_NAMES[source]} says **${userName}**’s listening history is private, so I can’t read new plays. Make it public there, then run **/link** to connect again.`
      : `${SOURCE_NAMES[source]} no longer knows the user **${userName}** (renamed or deleted?). Run **/link** to connect your account again.`;
  return {
    embeds: [
      brandEmbed({ title: `${SOURCE_NAMES[source]} sync paused`, description: `${why} What I already have is kept.` }),
    ],
    components: [],
  };
}

/** /profile's part for the sources beyond Spotify (nothing when none is connected). */
export function sourcesProfileMessage(links: readonly SourceLink[]) {
  if (!links.length) return { embeds: [] };
  return {
    embeds: [
      brandEmbed({
        title: 'Listening sources',
        fields: links.map((l) => ({
          name: SOURCE_NAMES[l.source],
          value: `${l.userName} · connected ${discordTime(l.linkedAt, 'D')}`,
          inline: true,
        })),
      }),
    ],
  };
}

import {
  ChannelType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
} from 'discord.js';
import { changeDigest, nextDigestAt, previewDigest, settingsOf, type DigestChange } from '../src/app/digest/digest.js';
import type { Services } from '../src/app/services.js';
import { timeZoneChoices, WEEKDAY_NAMES, type Weekday } from '../src/core/digest/index.js';
import { UserError } from '../src/core/errors.js';
import { timeZoneLabel } from '../src/core/time/timeZoneLabel.js';
import {
  requireServices,
  serviceNeeds,
  type CommandContext,
  type CommandInteraction,
  type ServicesWith,
} from '../src/discord/command.js';
import { digestAccentMessage, digestSettingsMessage } from '../src/discord/messages/digestMessages.js';
import { serverYearSettingMessage } from '../src/discord/messages/serverYearMessages.js';
import { setServerYearPost } from '../src/app/serverYear/serverYear.js';
import { serverPlaylistOffMessage, serverPlaylistOnMessage } from '../src/discord/messages/suggestMessage.js';
import { turnServerPlaylistOff, turnServerPlaylistOn } from '../src/app/suggest/serverPlaylist.js';
import { IN_SERVERS, SERVER_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('digest')
  .setDescription('The weekly listening digest this server gets (admins)')
  .setIntegrationTypes(SERVER_INSTALL)
  .setContexts(IN_SERVERS)
  // Hidden from members without Manage Server; owners can re-assign it in Integrations.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((s) =>
    s
      .setName('channel')
      .setDescription('Where the digest is posted')
      .addChannelOption((o) =>
        o.setName('channel').setDescription('A text channel').setRequired(true).addChannelTypes(ChannelType.GuildText),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('weekday')
      .setDescription('Which day it is posted')
      .addIntegerOption((o) =>
        o
          .setName('day')
          .setDescription('Day of the week')
          .setRequired(true)
          .addChoices(...Object.entries(WEEKDAY_NAMES).map(([value, name]) => ({ name, value: Number(value) }))),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('hour')
      .setDescription('At what hour (local time)')
      .addIntegerOption((o) =>
        o.setName('hour').setDescription('0–23').setRequired(true).setMinValue(0).setMaxValue(23),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('timezone')
      .setDescription('The time zone the day and hour are in')
      .addStringOption((o) =>
        o
          .setName('zone')
          .setDescription('A city, like Europe/Berlin')
          .setRequired(true)
          .setAutocomplete(true)
          .setMaxLength(64),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('enabled')
      .setDescription('Turn the weekly digest on or off')
      .addBooleanOption((o) => o.setName('on').setDescription('On or off').setRequired(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('playlist')
      .setDescription('"Sounds of <server>": a monthly playlist of what members here play, in your Spotify')
      .addBooleanOption((o) => o.setName('on').setDescription('On or off').setRequired(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('year')
      .setDescription('In December, post the server’s year (top music and awards) once in the digest channel')
      .addBooleanOption((o) => o.setName('on').setDescription('On or off').setRequired(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('accent')
      .setDescription('The colour of the digest and the server’s year (the edge of their cards)')
      .addStringOption((o) =>
        o
          .setName('colour')
          .setDescription('A hex colour like #1DB954, or "default" for Encore’s')
          .setRequired(true)
          .setMaxLength(16),
      ),
  )
  .addSubcommand((s) => s.setName('show').setDescription('The current digest settings'))
  .addSubcommand((s) => s.setName('preview').setDescription('The digest for the last 7 days, only to you, now'));

/** Admin settings and a preview: answered only to the admin. */
export const defer = 'ephemeral';

const digestNeeds = serviceNeeds('the weekly digest', 'digest');
const playlistNeeds = serviceNeeds('the server playlist', 'suggestions');
const yearNeeds = serviceNeeds('the server’s year', 'serverYear');
const isSub = (interaction: CommandInteraction, name: string) =>
  interaction.isChatInputCommand() && interaction.options.getSubcommand(false) === name;
const isPlaylist = (interaction: CommandInteraction) =>
  interaction.isChatInputCommand() && interaction.options.getSubcommand(false) === 'playlist';
/** The server playlist lives beside the digest, so /digest playlist needs both. */
export const needs = (interaction: CommandInteraction) =>
  isPlaylist(interaction)
    ? [digestNeeds, playlistNeeds]
    : isSub(interaction, 'year')
      ? [digestNeeds, yearNeeds]
      : [digestNeeds];
const clock = (services: Services) => services.now?.() ?? Date.now();

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'digest'>,
): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) throw new UserError('digest.serverOnly');
  const d = services.digest;
  const now = clock(services);
  const sub = interaction.options.getSubcommand(true);
  if (sub === 'preview') {
    // Message models come from the builders in src/discord/messages, which make discord.js objects.
    await interaction.editReply((await previewDigest(d, guildId, now)) as InteractionEditReplyOptions);
    return;
  }
  // The server playlist lives beside the digest: the same admins, announced in the same channel.
  if (sub === 'playlist')
    return void (await serverPlaylist(interaction, requireServices(services, playlistNeeds), guildId, now));
  if (sub === 'year') {
    const deps = requireServices(services, yearNeeds).serverYear;
    const on = interaction.options.getBoolean('on', true);
    const settings = await setServerYearPost(deps, guildId, interaction.user.id, on, now);
    return void (await interaction.editReply(serverYearSettingMessage(settings) as InteractionEditReplyOptions));
  }
  if (sub === 'accent') {
    const colour = interaction.options.getString('colour', true);
    const settings = await changeDigest(d, guildId, interaction.user.id, { what: 'accent', colour }, now);
    return void (await interaction.editReply(digestAccentMessage(settings) as InteractionEditReplyOptions));
  }
  if (sub === 'show') {
    const settings = await settingsOf(d, guildId, now);
    await interaction.editReply(digestSettingsMessage(settings, undefined, await nextDigestAt(d, settings, now)));
    return;
  }
  const change: DigestChange =
    sub === 'channel'
      ? { what: 'channel', channelId: interaction.options.getChannel('channel', true).id }
      : sub === 'weekday'
        ? { what: 'weekday', weekday: interaction.options.getInteger('day', true) as Weekday }
        : sub === 'hour'
          ? { what: 'hour', hour: interaction.options.getInteger('hour', true) }
          : sub === 'timezone'
            ? { what: 'timezone', timeZone: interaction.options.getString('zone', true) }
            : { what: 'enabled', enabled: interaction.options.getBoolean('on', true) };
  const settings = await changeDigest(d, guildId, interaction.user.id, change, now);
  await interaction.editReply(digestSettingsMessage(settings, 'Saved.', await nextDigestAt(d, settings, now)));
}

async function serverPlaylist(
  interaction: ChatInputCommandInteraction,
  services: ServicesWith<'suggestions'>,
  guildId: string,
  now: number,
): Promise<void> {
  const deps = services.suggestions.serverPlaylist;
  if (!interaction.options.getBoolean('on', true)) {
    const { wasOn } = await turnServerPlaylistOff(deps, guildId);
    return void (await interaction.editReply(serverPlaylistOffMessage(wasOn) as InteractionEditReplyOptions));
  }
  const filled = await turnServerPlaylistOn(deps, guildId, interaction.user.id, now);
  await interaction.editReply(serverPlaylistOnMessage(filled) as InteractionEditReplyOptions);
}

export async function autocomplete(interaction: AutocompleteInteraction) {
  return timeZoneChoices(String(interaction.options.getFocused())).map((zone) => ({
    name: timeZoneLabel(zone),
    value: zone,
  }));
}

import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { DEFAULT_TIME_ZONE } from '../src/app/charts/historyChart.js';
import { setMemberTimeZone, timeZoneChoices } from '../src/app/settings/timeZone.js';
import { timeZoneLabel } from '../src/core/time/timeZoneLabel.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { timeZoneSavedMessage, timeZoneShownMessage } from '../src/discord/messages/settingsMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('settings')
  .setDescription('Your own settings')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE)
  .addSubcommand((s) =>
    s
      .setName('timezone')
      .setDescription('The time zone your listening clock counts hours in')
      .addStringOption((o) =>
        o
          .setName('zone')
          .setDescription('An IANA time zone, e.g. Europe/Paris (start typing a city)')
          .setAutocomplete(true)
          .setMaxLength(64),
      ),
  );
export const defer = 'ephemeral';

export const needs = serviceNeeds('settings', 'settings');

export async function autocomplete(interaction: AutocompleteInteraction) {
  return timeZoneChoices(interaction.options.getFocused()).map(({ value }) => ({ name: timeZoneLabel(value), value }));
}

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'settings'>,
): Promise<void> {
  const settings = services.settings;
  const typed = interaction.options.getString('zone');
  if (typed === null) {
    await interaction.editReply(
      timeZoneShownMessage(await settings.timeZoneOf(interaction.user.id), DEFAULT_TIME_ZONE),
    );
    return;
  }
  const zone = await setMemberTimeZone(settings, interaction.user.id, typed);
  await interaction.editReply(timeZoneSavedMessage(zone, services.now?.() ?? Date.now()));
}

import {
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { WhoKnowsKind } from '../src/app/social/ports.js';
import { resolveItem, whoKnows, whoKnowsChoices } from '../src/app/social/social.js';
import { UserError } from '../src/core/errors.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { whoKnowsChoiceName, whoKnowsMessage } from '../src/discord/messages/socialMessages.js';
import { IN_SERVERS, SERVER_INSTALL } from '../src/discord/installContext.js';

const KINDS: WhoKnowsKind[] = ['artist', 'track', 'genre'];

const subcommand = (kind: WhoKnowsKind, description: string) => (s: SlashCommandSubcommandBuilder) =>
  s
    .setName(kind)
    .setDescription(description)
    .addStringOption((o) =>
      o
        .setName('name')
        .setDescription(`The ${kind}: pick from what this server listens to`)
        .setRequired(true)
        .setAutocomplete(true)
        .setMaxLength(200),
    );

export const data = new SlashCommandBuilder()
  .setName('whoknows')
  .setDescription('Who in this server listens to an artist, track or genre most')
  .setIntegrationTypes(SERVER_INSTALL)
  .setContexts(IN_SERVERS)
  .addSubcommand(subcommand('artist', 'Who listens to this artist most, and who holds its crown'))
  .addSubcommand(subcommand('track', 'Who listens to this track most'))
  .addSubcommand(subcommand('genre', 'Who listens to this genre most'));

export const needs = serviceNeeds('server social', 'social');

const kindOf = (interaction: ChatInputCommandInteraction | AutocompleteInteraction): WhoKnowsKind => {
  const kind = interaction.options.getSubcommand() as WhoKnowsKind;
  return KINDS.includes(kind) ? kind : 'artist';
};

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'social'>,
): Promise<void> {
  if (!interaction.inGuild()) throw new UserError('social.serverOnly');
  const deps = services.social;
  const kind = kindOf(interaction);
  const typed = interaction.options.getString('name', true);
  // Resolved before anything is posted, among what this server's visible members played only: a
  // name nobody visible here played is told to the asker alone, in the same words as one nobody played.
  const item = await resolveItem(deps, interaction.guildId, kind, typed);
  await interaction.deferReply();
  const view = await whoKnows(deps, {
    guildId: interaction.guildId,
    callerId: interaction.user.id,
    kind,
    item,
    typed,
  });
  await interaction.editReply(
    whoKnowsMessage(view, { guildName: interaction.guild?.name ?? 'this server', callerId: interaction.user.id }),
  );
}

/**
 * From the server's own history, most played first; the router answers within Discord's 3 s. Each
 * choice submits a short key of its item (values are cut at 100 characters), resolved on submit.
 */
export async function autocomplete(interaction: AutocompleteInteraction, { services }: CommandContext<'social'>) {
  if (!interaction.inGuild()) return [];
  const choices = await whoKnowsChoices(
    services.social,
    interaction.guildId,
    kindOf(interaction),
    interaction.options.getFocused(),
  );
  return choices.map(({ item, value }) => ({ name: whoKnowsChoiceName(item), value }));
}

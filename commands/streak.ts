import {
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { STREAK_KINDS, streakChoices, streakReport, type StreakKind } from '../src/app/streaks/streaks.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { streakMessage } from '../src/discord/messages/streakMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('streak')
  .setDescription('Days in a row you listened: any music, an artist, a track, a genre')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE)
  .addStringOption((o) =>
    o
      .setName('kind')
      .setDescription('Only artists, tracks or genres (default: a bit of each)')
      .addChoices(
        { name: 'Artists', value: 'artist' },
        { name: 'Tracks', value: 'track' },
        { name: 'Genres', value: 'genre' },
      ),
  )
  .addStringOption((o) =>
    o
      .setName('name')
      .setDescription('One artist, track or genre you played (pick a kind first)')
      .setAutocomplete(true)
      .setMaxLength(200),
  )
  .addBooleanOption((o) =>
    o.setName('public').setDescription('Post it for everyone in the channel (default: only you)'),
  );

export const needs = serviceNeeds('streaks', 'streaks');

const kindOf = (interaction: ChatInputCommandInteraction | AutocompleteInteraction): StreakKind | undefined => {
  const kind = interaction.options.getString('kind') as StreakKind | null;
  return kind && STREAK_KINDS.includes(kind) ? kind : undefined;
};

/** Personal data: only the member sees it unless they ask to post it (as /chart decides). */
export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'streaks'>,
): Promise<void> {
  const visible = interaction.options.getBoolean('public') ?? false;
  await interaction.deferReply(visible ? {} : { flags: MessageFlags.Ephemeral });
  const name = interaction.options.getString('name') ?? undefined;
  // A name without a kind is looked up as an artist, the kind members name most.
  const kind = kindOf(interaction) ?? (name ? 'artist' : undefined);
  const report = await streakReport(services.streaks, interaction.user.id, services.now?.() ?? Date.now(), {
    kind,
    query: name,
  });
  await interaction.editReply(streakMessage(report, visible ? interaction.user.username : undefined));
}

/** What the member played of the chosen kind (artists when none is chosen yet), most played first. */
export async function autocomplete(interaction: AutocompleteInteraction, { services }: CommandContext<'streaks'>) {
  return streakChoices(
    services.streaks,
    interaction.user.id,
    kindOf(interaction) ?? 'artist',
    interaction.options.getFocused(),
  );
}

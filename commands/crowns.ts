import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { assertShown, crownsOf, MAX_CROWN_THRESHOLD, setCrownThreshold } from '../src/app/social/social.js';
import { UserError } from '../src/core/errors.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { crownThresholdMessage, crownsMessage } from '../src/discord/messages/socialMessages.js';
import { IN_SERVERS, SERVER_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('crowns')
  .setDescription('The artists a member holds the crown for in this server (the most plays here)')
  .setIntegrationTypes(SERVER_INSTALL)
  .setContexts(IN_SERVERS)
  .addUserOption((o) => o.setName('member').setDescription('Whose crowns (default: yours)'))
  .addIntegerOption((o) =>
    o
      .setName('set_threshold')
      .setDescription('Admins (Manage Server): plays an artist’s crown needs in this server (default 30)')
      .setMinValue(1)
      .setMaxValue(MAX_CROWN_THRESHOLD),
  );

export const needs = serviceNeeds('server social', 'social');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'social'>,
): Promise<void> {
  if (!interaction.inGuild()) throw new UserError('social.serverOnly');
  const deps = services.social;
  const threshold = interaction.options.getInteger('set_threshold');
  if (threshold !== null) {
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
      throw new UserError('social.thresholdAdminsOnly');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply(crownThresholdMessage(await setCrownThreshold(deps, interaction.guildId, threshold)));
    return;
  }
  const query = {
    guildId: interaction.guildId,
    callerId: interaction.user.id,
    memberId: interaction.options.getUser('member')?.id ?? interaction.user.id,
  };
  // Acknowledged first (a slow database must not miss Discord's 3 s); a refusal then withdraws the
  // public "thinking…" and tells the asker alone (the router's error boundary).
  await interaction.deferReply();
  await assertShown(deps, query);
  await interaction.editReply(
    crownsMessage(await crownsOf(deps, query), {
      guildName: interaction.guild?.name ?? 'this server',
      callerId: interaction.user.id,
    }),
  );
}

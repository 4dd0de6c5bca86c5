import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/command.js';
import { helpMessage } from '../src/discord/messages/generalMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('What Encore can do, command by command')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE);

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const commands = [...ctx.commands.values()].map((c) => c.data.toJSON());
  await interaction.reply({ ...helpMessage(commands), flags: MessageFlags.Ephemeral });
}

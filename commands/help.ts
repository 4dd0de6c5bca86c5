import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/command.js';
import { brandEmbed } from '../src/discord/replies.js';

export const data = new SlashCommandBuilder().setName('help').setDescription('What Encore can do, command by command');

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const fields = [...ctx.commands.values()]
    .map((c) => c.data.toJSON())
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ name: `/${c.name}`, value: c.description }));
  await interaction.reply({
    embeds: [
      brandEmbed({
        title: 'Encore',
        description: 'Your Spotify listening, in Discord. Personal answers are only visible to you.',
        fields,
        footer: 'Link your account first with /link',
      }),
    ],
    flags: MessageFlags.Ephemeral,
  });
}

import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import { encodeComponentId } from './customId.js';
import { progressEdits } from './progress.js';

export const BRAND_COLOUR = 0x5865f2;
export const ERROR_COLOUR = 0xed4245;

/** Cuts text to Discord's limit without splitting a character, ending with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Encore's one embed style, clipped to Discord's limits. */
export function brandEmbed(options: {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: string;
  image?: string;
  colour?: number;
}): EmbedBuilder {
  const embed = new EmbedBuilder().setColor(options.colour ?? BRAND_COLOUR);
  if (options.title) embed.setTitle(clip(options.title, 256));
  if (options.description) embed.setDescription(clip(options.description, 4096));
  if (options.fields?.length)
    embed.addFields(
      options.fields
        .slice(0, 25)
        .map((f) => ({ name: clip(f.name, 256), value: clip(f.value || '—', 1024), inline: f.inline })),
    );
  if (options.footer) embed.setFooter({ text: clip(options.footer, 2048) });
  if (options.image) embed.setImage(`attachment://${options.image}`);
  return embed;
}

/** A PNG attachment with its alt text (Discord's attachment description, ≤ 1024 chars). */
export function pngAttachment(png: Buffer, name: string, altText: string): AttachmentBuilder {
  return new AttachmentBuilder(png, {
    name: name.endsWith('.png') ? name : `${name}.png`,
    description: clip(altText, 1024),
  });
}

export function progressBar(done: number, total: number, width = 12): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${Math.round(ratio * 100)}%`;
}

/** A deferred reply's "title / detail / bar" progress, through the one throttle (progressEdits). */
export function progressReporter(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
  title: string,
  intervalMs = 1_500,
) {
  const edits = progressEdits(
    (description: string) => interaction.editReply({ embeds: [brandEmbed({ title, description })], components: [] }),
    { intervalMs },
  );
  let latest = '';
  return {
    update(done: number, total: number, detail: string): void {
      latest = `${detail}\n${progressBar(done, total)}`;
      edits.update(latest);
    },
    flush: edits.flush,
    get lastText() {
      return latest;
    },
  };
}

/** Splits lines into embed pages of at most `perPage` lines, within the description limit. */
export function pageLines(lines: string[], perPage = 15): string[] {
  const pages: string[] = [];
  for (let i = 0; i < lines.length; i += perPage) pages.push(clip(lines.slice(i, i + perPage).join('\n'), 4000));
  return pages.length ? pages : [''];
}

/** ◀ ▶ buttons for a paginated reply; the owning command routes `<command>:page:<n>`. */
export function pageButtons(command: string, page: number, pages: number, key = ''): ActionRowBuilder<ButtonBuilder>[] {
  if (pages <= 1) return [];
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(encodeComponentId(command, 'page', String(page - 1), key))
        .setLabel('◀')
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(page <= 0),
      new ButtonBuilder()
        .setCustomId(encodeComponentId(command, 'noop', String(page)))
        .setLabel(`${page + 1} / ${pages}`)
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(true),
      new ButtonBuilder()
        .setCustomId(encodeComponentId(command, 'page', String(page + 1), key))
        .setLabel('▶')
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(page >= pages - 1),
    ),
  ];
}

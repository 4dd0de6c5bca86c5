import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { brandEmbed, ERROR_COLOUR, progressBar } from '../replies.js';
import { discordTime, plural } from './format.js';
import { sortButtonId, type SortMessage } from './sortComponents.js';

/** Replacing is cheapest but resets every "date added": the member chooses before anything is written. */
export function orderChoiceMessage(
  choice: { name: string; items: number; jobId: string; replaceCalls: number; moveCalls: number },
  ownerId: string,
): SortMessage {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(sortButtonId('order-replace', choice.jobId, ownerId))
      .setLabel(`Reorder now (${plural(choice.replaceCalls, 'write')})`)
      .setStyle(ButtonStyle.Danger),
    new ButtonBuilder()
      .setCustomId(sortButtonId('order-keep', choice.jobId, ownerId))
      .setLabel(`Keep dates (${plural(choice.moveCalls, 'move')})`)
      .setStyle(ButtonStyle.Primary),
    new ButtonBuilder()
      .setCustomId(sortButtonId('order-cancel', choice.jobId, ownerId))
      .setLabel('Cancel')
      .setStyle(ButtonStyle.Secondary),
  );
  return {
    embeds: [
      brandEmbed({
        title: `Reorder “${choice.name}”?`,
        description:
          `The quickest way is to rewrite the playlist’s ${plural(choice.items, 'item')} in the new order (${plural(choice.replaceCalls, 'Spotify write')}). ` +
          `**Every track’s “date added” then becomes today**, and Spotify’s “recently added” order is lost.\n\n` +
          `Or keep the dates: I move tracks into place instead, which takes ${plural(choice.moveCalls, 'Spotify write')}.`,
        footer: 'Nothing is written until you choose. If I’m interrupted, I finish the job without losing a track.',
      }),
    ],
    components: [row],
  };
}

export function orderOutcomeMessage(outcome: {
  kind: string;
  job: { sourceName: string; state: { targetUris: readonly string[] } };
  resumeAt?: number;
}): SortMessage {
  const name = outcome.job.sourceName;
  const items = outcome.job.state.targetUris.length;
  const description =
    outcome.kind === 'done'
      ? `Reordered **${name}** (${plural(items, 'item')}).`
      : outcome.kind === 'waiting'
        ? `Spotify’s limits stopped me part-way. I’ll finish reordering **${name}** ${discordTime(outcome.resumeAt ?? Date.now())} — every track will be there.`
        : outcome.kind === 'failed'
          ? `Something went wrong while reordering **${name}**. Run **/sort** again to finish it.`
          : `I was interrupted while reordering **${name}**; I’ll finish by myself shortly — every track will be there.`;
  return {
    embeds: [
      brandEmbed({
        title: outcome.kind === 'done' ? 'Done' : 'Not finished yet',
        description,
        colour: outcome.kind === 'failed' ? ERROR_COLOUR : undefined,
      }),
    ],
    components: [],
  };
}

/** A chosen reorder under way; `keptDates` while moves (which report no count) keep every "date added". */
export function orderProgressMessage(progress: { written: number; total: number; keptDates?: boolean }): SortMessage {
  const description = progress.keptDates
    ? 'Moving tracks into place; every “date added” stays.'
    : `${progress.written} / ${progress.total} in place\n${progressBar(progress.written, progress.total)}`;
  return { embeds: [brandEmbed({ title: 'Reordering…', description })], components: [] };
}

/** A reorder that needed no choice (or kept the dates): done, or already in that order. */
export function reorderedMessage(
  result: { plan: string; name: string; items: number; writeCalls?: number },
  options: { keptDates?: boolean } = {},
): SortMessage {
  const how = options.keptDates
    ? ', keeping every “date added”'
    : result.writeCalls !== undefined
      ? ` in ${plural(result.writeCalls, 'Spotify write')}`
      : '';
  const description =
    result.plan === 'already-sorted'
      ? `**${result.name}** is already in that order.`
      : `Reordered **${result.name}** (${result.items} items)${how}.`;
  return { embeds: [brandEmbed({ title: 'Done', description })], components: [] };
}

import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type EmbedBuilder } from 'discord.js';
import type {
  ChooseOrderOutcome,
  NotStartable,
  PreviewProgress,
  RunOutcome,
  SplitPreview,
  SplitProgress,
  WrittenPlaylist,
} from '../../app/sort/index.js';
import { brandEmbed, ERROR_COLOUR, pngAttachment, progressBar } from '../replies.js';
import { discordTime, plural } from './format.js';
import { sortButtonId, type SortMessage } from './sortComponents.js';
import { orderOutcomeMessage, reorderedMessage } from './sortOrderMessages.js';

export { genreSourceOf, orderChoiceOf, sortComponentIds, type SortAction, type SortMessage } from './sortComponents.js';
export {
  orderChoiceMessage,
  orderOutcomeMessage,
  orderProgressMessage,
  reorderedMessage,
} from './sortOrderMessages.js';

const writtenList = (written: readonly WrittenPlaylist[]) =>
  written.length ? written.map((p) => `• **${p.name}** — ${plural(p.tracks, 'track')}`).join('\n') : 'Nothing yet.';

/** The member's playlists that match what they typed, as autocomplete choices. */
export const playlistChoices = (playlists: ReadonlyArray<{ id: string; name: string; total: number }>, typed: string) =>
  playlists
    .filter((p) => p.name.toLowerCase().includes(typed.toLowerCase()))
    .map((p) => ({ name: `${p.name} (${p.total} tracks)`, value: p.id }));

/** The line under a preview's progress bar: reading the playlist, then finding its artists' genres. */
export const previewProgressLine = (p: PreviewProgress) =>
  p.phase === 'reading' ? `Reading tracks: ${p.done} / ${p.total}` : `Finding genres: ${p.done} / ${p.total} artists`;

/** Progress of a running split, with a Stop button. */
export function splitProgressMessage(progress: SplitProgress, jobId: string, ownerId: string): SortMessage {
  const stop = new ButtonBuilder()
    .setCustomId(sortButtonId('stop', jobId, ownerId))
    .setLabel('Stop')
    .setStyle(ButtonStyle.Secondary);
  return {
    embeds: [
      brandEmbed({
        title: 'Creating your playlists…',
        description: `Playlists: ${progress.playlistsCreated} / ${progress.playlists} · tracks added: ${progress.tracksAdded} / ${progress.tracks}\n${progressBar(progress.tracksAdded, progress.tracks)}`,
      }),
    ],
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(stop)],
  };
}

/** Where a split ended, in the member's words; `background` when it finished without them watching. */
export function splitOutcomeMessage(
  outcome: Exclude<RunOutcome, { kind: 'busy' | 'not-runnable' | 'missing' }>,
  options: { background?: boolean } = {},
): SortMessage {
  const source = outcome.job.sourceName;
  const dmNote = options.background ? '\n\nI also sent you this by DM.' : '';
  const one = (embed: EmbedBuilder): SortMessage => ({ embeds: [embed], components: [] });
  switch (outcome.kind) {
    case 'done':
      return one(
        brandEmbed({
          title: `Done: ${plural(outcome.playlists.length, 'playlist')} created`,
          description: `${writtenList(outcome.playlists)}${dmNote}`,
        }),
      );
    case 'waiting':
      return one(
        brandEmbed({
          title: 'Paused',
          description: `Spotify’s limits stopped me for now. I’ll carry on ${discordTime(outcome.resumeAt)} and DM you when it’s finished.\n\nAlready in your library:\n${writtenList(outcome.written)}`,
        }),
      );
    case 'cancelled':
      return one(
        brandEmbed({
          title: 'Stopped',
          description: `I stopped sorting “${source}”. Already in your library (delete them in Spotify if you don’t want them):\n${writtenList(outcome.written)}`,
        }),
      );
    case 'interrupted':
      return one(
        brandEmbed({
          title: outcome.reason === 'shutdown' ? 'Paused for a restart' : 'Interrupted — I’ll carry on by myself',
          description: `${outcome.reason === 'store' ? 'I lost touch with my database for a moment. ' : ''}Your sort of “${source}” is safe and will finish on its own; I’ll DM you when it’s done. Nothing will be added twice.\n\nAlready in your library:\n${writtenList(outcome.written)}`,
        }),
      );
    case 'failed':
      return one(
        brandEmbed({
          title: 'The sort could not finish',
          description: `Something went wrong while sorting “${source}”. Already in your library:\n${writtenList(outcome.written)}\n\nRun **/sort** on the same playlist again: I’ll reuse these playlists and only add what is missing.`,
          colour: ERROR_COLOUR,
        }),
      );
  }
}

/** The DM for a sort that finished (or stopped) while the member wasn't watching. */
export function splitFinishedDm(outcome: Exclude<RunOutcome, { kind: 'busy' | 'not-runnable' | 'missing' }>): {
  content: string;
} {
  const source = outcome.job.sourceName;
  const list = (written: readonly WrittenPlaylist[]) =>
    written.map((p) => `• ${p.name} — ${plural(p.tracks, 'track')}`).join('\n');
  const content =
    outcome.kind === 'done'
      ? `✅ Your sort of **${source}** is finished:\n${list(outcome.playlists)}`
      : outcome.kind === 'cancelled'
        ? `⏹️ Your sort of **${source}** was stopped. Already in your library:\n${list(outcome.written)}`
        : outcome.kind === 'failed'
          ? `⚠️ Your sort of **${source}** could not finish. Already in your library:\n${list(outcome.written)}\nRun /sort on it again: I’ll reuse these playlists and only add what is missing.`
          : `⏸️ Your sort of **${source}** is paused; I’ll carry on by myself.`;
  return { content: content.slice(0, 2000) };
}

/** Someone pressed a button of another member's sort. */
export const notYourButtonMessage = (ownerId: string) => ({
  content: `These buttons belong to <@${ownerId}>’s sort. Run **/sort** to sort your own playlists.`,
});

/** What Stop/Cancel says, depending on where the job was. */
export function cancelAnswerMessage(answer: CancelAnswerKind, written: readonly WrittenPlaylist[] = []): SortMessage {
  const one = (title: string, description?: string): SortMessage => ({
    embeds: [brandEmbed({ title, description })],
    components: [],
  });
  switch (answer) {
    case 'cancelled-preview':
      return one('Cancelled — nothing was written.');
    case 'stopped':
      return one(
        'Stopped',
        `Already in your library (delete them in Spotify if you don’t want them):\n${writtenList(written)}`,
      );
    case 'stopping':
      return one(
        'Stopping…',
        'I’ll stop after the write under way and tell you exactly what is already in your library.',
      );
    case 'already-done':
      return one('That sort had already finished', `Nothing changed. In your library:\n${writtenList(written)}`);
    case 'already-cancelled':
      return one('That sort was already cancelled', 'Nothing changed.');
  }
}

export type CancelAnswerKind = 'cancelled-preview' | 'stopped' | 'stopping' | 'already-done' | 'already-cancelled';

/** Confirm pressed on a job that is not a preview any more. */
export function notStartableMessage(status: string): { content: string } {
  return {
    content:
      status === 'running' || status === 'waiting'
        ? 'That sort is already running — I’ll tell you when it’s done.'
        : status === 'done'
          ? 'That sort has already finished.'
          : status === 'cancelled'
            ? 'That sort was cancelled. Run **/sort** again to start over.'
            : 'That preview can’t be started any more. Run **/sort** again.',
  };
}

/** The words on a split preview's chart of tracks per planned playlist (src/discord/sortPreview.ts draws it). */
export function splitPreviewChartTitles(preview: SplitPreview): { title: string; subtitle: string } {
  const { analysis, playlist } = preview;
  return {
    title: `${playlist.name} → ${analysis.playlists.length} playlists`,
    subtitle: `${analysis.counts.tracks} tracks${analysis.playlists.length > 12 ? ' · the 12 largest shown' : ''}`,
  };
}

/** A split preview: the planned playlists, what is skipped, the Spotify cost, and Confirm / Cancel. */
export function splitPreviewMessage(preview: SplitPreview, ownerId: string, chart?: { png: Buffer; altText: string }) {
  const { analysis, playlist } = preview;
  const c = analysis.counts;
  const files = chart ? [pngAttachment(chart.png, 'sort-preview.png', chart.altText)] : [];
  const skipped = [
    c.localFiles && `${c.localFiles} local files`,
    c.episodes && `${c.episodes} episodes`,
    c.duplicates && `${c.duplicates} duplicates`,
    c.unavailable && `${c.unavailable} unavailable`,
  ]
    .filter(Boolean)
    .join(', ');
  const fits = preview.writeRequests <= preview.remainingBudget;
  const embed = brandEmbed({
    title: `Split “${playlist.name}” by genre?`,
    description: analysis.playlists.map((p) => `• **${p.playlistName}** — ${p.trackUris.length} tracks`).join('\n'),
    fields: [
      {
        name: 'Tracks',
        value: `${c.tracks}${c.unclassified ? ` (${c.unclassified} without a known genre)` : ''}`,
        inline: true,
      },
      { name: 'Skipped', value: skipped || 'nothing', inline: true },
      {
        name: 'Spotify requests',
        value: `${preview.spentRequests} to read · ${preview.writeRequests} to write`,
        inline: true,
      },
      ...(fits
        ? []
        : [
            {
              name: 'Today’s budget',
              value: `Only ${preview.remainingBudget} requests are left today. Confirm anyway and I’ll finish in the background as the budget allows, and DM you when it’s done.`,
            },
          ]),
    ],
    footer: 'New playlists are private. Nothing is written until you confirm.',
    image: files.length ? 'sort-preview.png' : undefined,
  });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(sortButtonId('confirm', preview.jobId, ownerId))
      .setLabel(`Create ${analysis.playlists.length} playlists`)
      .setStyle(ButtonStyle.Success),
    new ButtonBuilder()
      .setCustomId(sortButtonId('cancel', preview.jobId, ownerId))
      .setLabel('Cancel')
      .setStyle(ButtonStyle.Secondary),
  );
  return { embeds: [embed], files, components: [row] };
}

/** Where the member's answer to "reorder now or keep the dates?" ended. */
export function orderChoiceOutcomeMessage(outcome: Exclude<ChooseOrderOutcome, NotStartable>): SortMessage {
  if (outcome.kind === 'cancelled') return cancelAnswerMessage('cancelled-preview');
  if (outcome.kind === 'kept') return reorderedMessage(outcome.result, { keptDates: true });
  return orderOutcomeMessage(outcome);
}

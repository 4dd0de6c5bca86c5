import type { ChartImages, MessageModel } from '../app/services.js';
import type { InteractionReplyRef, SplitGenreChoice, SplitPreview } from '../app/sort/index.js';
import { isEmptyChart, sortPreviewChart } from '../charts/index.js';
import { thriftyPreviewDmContent } from './messages/sortGenreMessages.js';
import { splitPreviewChartTitles, splitPreviewMessage } from './messages/sortMessages.js';

/**
 * A split preview as its owner sees it, with its chart drawn (none when there is nothing to draw or
 * no renderer). `undrawable` decides what a failed drawing does: thrown by default (the command's
 * error boundary), or the preview goes without its chart (a background run nobody would hear from).
 */
export async function drawnSplitPreview(
  preview: SplitPreview,
  ownerId: string,
  charts: Pick<ChartImages, 'render'> | undefined,
  undrawable: (error: unknown) => Buffer | undefined = (error) => {
    throw error;
  },
) {
  const chart = sortPreviewChart(
    preview.analysis.playlists.map((p) => ({ genre: p.genreName, count: p.trackUris.length })),
    splitPreviewChartTitles(preview),
  );
  const png = !isEmptyChart(chart) && charts ? await charts.render(chart).catch(undrawable) : undefined;
  return splitPreviewMessage(preview, ownerId, png && { png, altText: chart.altText });
}

/**
 * A preview found in the background (thrifty) reaches its owner: by editing the message they were
 * waiting on while its token lives, else by DM. An edit through the webhook keeps no attachment, so
 * the edited message goes without the chart; the DM carries it.
 */
export async function deliverBackgroundPreview(
  discord: {
    editOriginalReply(ref: InteractionReplyRef, message: MessageModel): Promise<boolean>;
    sendDm(discordUserId: string, message: MessageModel): Promise<unknown>;
  },
  choice: Pick<SplitGenreChoice, 'reply' | 'discordUserId' | 'source'>,
  message: MessageModel & { files: readonly object[] },
): Promise<void> {
  const { files: _files, ...withoutChart } = message;
  const edited = choice.reply
    ? await discord
        .editOriginalReply(choice.reply, { ...withoutChart, embeds: stripImages(withoutChart.embeds) })
        .catch(() => false)
    : false;
  if (!edited)
    await discord.sendDm(choice.discordUserId, {
      ...message,
      content: thriftyPreviewDmContent(choice.source.playlist.name),
    });
}

/** Embeds without their attachment:// image (an edit cannot carry the chart). */
function stripImages(embeds: readonly object[] | undefined): object[] {
  return (embeds ?? []).map((embed) => {
    const json = 'toJSON' in embed && typeof embed.toJSON === 'function' ? (embed.toJSON as () => object)() : embed;
    const { image: _image, ...rest } = json as { image?: unknown };
    return rest;
  });
}

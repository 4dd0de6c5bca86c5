import { brandEmbed, pngAttachment } from '../replies.js';

/** A chart as a reply: the image with its alt text, and who asked when it is posted for everyone. */
export function chartMessage(
  chart: { title: string; altText: string; message?: string },
  png: Buffer,
  fileName: string,
  sharedBy?: string,
) {
  const name = fileName.endsWith('.png') ? fileName : `${fileName}.png`;
  return {
    embeds: [
      brandEmbed({
        title: chart.title,
        description: chart.message,
        image: name,
        footer: sharedBy ? `${sharedBy} · Encore` : undefined,
      }),
    ],
    files: [pngAttachment(png, name, chart.altText)],
  };
}

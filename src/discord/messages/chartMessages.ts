import { timeZoneLabel } from '../../core/time/timeZoneLabel.js';
import type { HistoryNote } from '../../app/charts/historyChart.js';
import { RANGE_LABELS, type TimeRange } from '../../app/charts/memberChart.js';
import { PERIOD_LABELS, type HistoryPeriod } from '../../core/history/index.js';
import { brandEmbed, pngAttachment } from '../replies.js';
import { discordTime, plural } from './format.js';

const spanLabel = (span: HistoryPeriod | TimeRange) =>
  span in PERIOD_LABELS ? PERIOD_LABELS[span as HistoryPeriod] : RANGE_LABELS[span as TimeRange];

/** The sentences a history chart's notes stand for, in the order the member should read them. */
export function historyNoteLines(notes: readonly HistoryNote[]): string[] {
  const lines: string[] = [];
  for (const note of notes)
    switch (note.kind) {
      case 'thin': {
        const span = spanLabel(note.period).toLowerCase();
        lines.push(
          note.fallback
            ? `Encore has collected only ${plural(note.plays, 'play')} of yours for ${span} — too few to count, so this shows Spotify’s top items (${RANGE_LABELS[note.fallback].toLowerCase()}), without play counts.`
            : `Encore has collected only ${plural(note.plays, 'play')} of yours for ${span} so far — this fills in as you listen.`,
        );
        break;
      }
      case 'unclassified':
        lines.push(
          `${Math.round(note.share * 100)}% of this listening is by artists Encore hasn’t placed in a genre yet: their genres are looked up in the background, and this chart fills in as they arrive.`,
        );
        break;
      case 'fromHistory':
        lines.push(
          `Counted from your listening history in Encore (${RANGE_LABELS[note.range].toLowerCase()}), with play counts.`,
        );
        break;
      case 'fromSpotify':
        lines.push(
          `Spotify’s top items (${RANGE_LABELS[note.range].toLowerCase()}), without play counts: your listening history in Encore doesn’t cover that span yet.`,
        );
        break;
      case 'since':
        lines.push(
          `Your history in Encore starts ${discordTime(note.firstPlayAt, 'D')}: the period before it is empty.`,
        );
        break;
      case 'gaps': {
        const shown = note.gaps.slice(-3);
        for (const gap of shown)
          lines.push(
            `Some plays between ${discordTime(gap.from, 'f')} and ${discordTime(gap.to, 'f')} could not be collected.`,
          );
        if (note.gaps.length > shown.length)
          lines.push(`(${plural(note.gaps.length - shown.length, 'earlier gap')} too.)`);
        break;
      }
      case 'timeZone':
        lines.push(
          note.isDefault
            ? `Hours are in ${timeZoneLabel(note.timeZone)}. Set yours with **/settings timezone**.`
            : `Hours are in your time zone, ${timeZoneLabel(note.timeZone)}.`,
        );
        break;
    }
  return lines;
}

/**
 * A chart as a reply: the image with its alt text, what the member should know about it (an empty
 * chart's reason, history notes), and who asked when it is posted for everyone.
 */
export function chartMessage(
  chart: { title: string; altText: string; message?: string },
  png: Buffer,
  fileName: string,
  sharedBy?: string,
  notes: readonly HistoryNote[] = [],
) {
  const name = fileName.endsWith('.png') ? fileName : `${fileName}.png`;
  const description = [chart.message, ...historyNoteLines(notes)].filter(Boolean).join('\n');
  return {
    embeds: [
      brandEmbed({
        title: chart.title,
        description: description || undefined,
        image: name,
        footer: sharedBy ? `${sharedBy} · Encore` : undefined,
      }),
    ],
    files: [pngAttachment(png, name, chart.altText)],
  };
}

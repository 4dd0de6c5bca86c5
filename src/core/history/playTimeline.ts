/**
 * No member listens to two things at once: the plays of one upload are laid on one timeline,
 * and a play may only claim time no earlier play of the upload already claimed. Pure.
 *
 * An export says when each stream ended (`ts` to the second, Account data's `endTime` to the
 * minute) and how long it played. Each play is placed as early as it can go: it starts at
 * `end − ms`, or where the previous play stopped if that is later, and it may end at most one
 * precision step after its stated end (the stream really ended somewhere in that step). Whatever
 * does not fit is cut from its duration; a play left under 30 s is dropped. An honest export
 * never loses a millisecond (its real intervals fit, and this placement is never later than the
 * real one), while a crafted one can claim at most the wall-clock time it spans: the sum of the
 * durations kept is at most `last end + precision − first start`.
 */
import { MIN_PLAY_MS, type ExportFileKind } from './exportRecords.js';

/** How precisely each format says when a stream ended. */
export const END_PRECISION_MS: Record<ExportFileKind, number> = { extended: 1_000, account: 60_000 };

/**
 * The durations to keep, index for index (0: dropped, it overlaps plays that claimed its time).
 * Plays of different formats are laid on separate timelines: Account data repeats the Extended
 * history's listens at minute precision, and the store keeps one of each such pair.
 */
export function fitPlaysToTimeline(
  ends: ArrayLike<number>,
  durations: ArrayLike<number>,
  formats: ArrayLike<number>,
  count: number,
  precisionOf: (format: number) => number,
): Int32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  // Sorted by end time, then by their order in the files (stable).
  order.sort((a, b) => ends[a]! - ends[b]! || a - b);
  const kept = new Int32Array(count);
  const cursor = new Map<number, number>();
  for (const i of order) {
    const end = ends[i]!;
    const ms = durations[i]!;
    const format = formats[i]!;
    const free = cursor.get(format) ?? -Infinity;
    const start = Math.max(end - ms, free);
    const stop = Math.min(start + ms, end + precisionOf(format));
    const fits = stop - start;
    if (fits < MIN_PLAY_MS) continue;
    kept[i] = fits;
    cursor.set(format, stop);
  }
  return kept;
}

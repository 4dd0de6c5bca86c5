import { URIS_PER_WRITE } from './requestEstimate.js';

/** One Spotify reorder call (PUT /playlists/{id}/items with a range), in Spotify's own field names. */
export interface ReorderOperation {
  /** First index of the run to move, in the playlist as it is before this call. */
  readonly range_start: number;
  readonly range_length: number;
  /** Index, before this call, of the item the run should end up in front of; the length to move to the end. */
  readonly insert_before: number;
}

/**
 * How to turn the current order into the target order. `reorder`: the operations in sequence.
 * `replace`: PUT the first batch (replacing everything), then POST each further batch at the end.
 */
export type OrderPlan =
  | { readonly kind: 'reorder'; readonly operations: readonly ReorderOperation[]; readonly calls: number }
  | { readonly kind: 'replace'; readonly batches: readonly (readonly string[])[]; readonly calls: number };

export interface OrderPlanOptions {
  /** Replacing resets every item's added date and "added by"; off means reorder only. Default true. */
  readonly allowReplace?: boolean;
}

function assertPermutation(target: readonly number[], length: number): void {
  if (target.length !== length) throw new RangeError(`target has ${target.length} positions for ${length} items`);
  const seen = new Uint8Array(length);
  for (const index of target) {
    if (!Number.isInteger(index) || index < 0 || index >= length || seen[index])
      throw new RangeError(`target is not a permutation (at ${index})`);
    seen[index] = 1;
  }
}

interface Unit {
  readonly firstRank: number;
  readonly length: number;
}

/** Maximal runs of the current order that are already consecutive in the target: each moves as one. */
function runsOf(ranks: readonly number[]): Unit[] {
  const units: Unit[] = [];
  let start = 0;
  for (let i = 1; i <= ranks.length; i++) {
    if (i === ranks.length || ranks[i] !== ranks[i - 1]! + 1) {
      units.push({ firstRank: ranks[start]!, length: i - start });
      start = i;
    }
  }
  return units;
}

/**
 * Indices (into `values`) of a longest strictly increasing subsequence; among the longest, one with
 * the greatest total weight. O(n log n) with a Fenwick tree of (length, weight) maxima over value ranks.
 */
export function longestIncreasingSubsequence(values: readonly number[], weights?: readonly number[]): number[] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const rankOf = new Map(sorted.map((v, i) => [v, i + 1]));
  const treeLength = new Int32Array(sorted.length + 1);
  const treeWeight = new Float64Array(sorted.length + 1);
  const treeIndex = new Int32Array(sorted.length + 1).fill(-1);
  const previous = new Int32Array(values.length).fill(-1);
  const better = (length: number, weight: number, k: number) =>
    length > treeLength[k]! || (length === treeLength[k]! && weight > treeWeight[k]!);
  let bestEnd = -1,
    bestLength = 0,
    bestWeight = 0;
  values.forEach((value, i) => {
    const rank = rankOf.get(value)!;
    let length = 0,
      weight = 0,
      from = -1;
    for (let k = rank - 1; k > 0; k -= k & -k) {
      if (treeLength[k]! > length || (treeLength[k] === length && treeWeight[k]! > weight)) {
        length = treeLength[k]!;
        weight = treeWeight[k]!;
        from = treeIndex[k]!;
      }
    }
    previous[i] = from;
    length += 1;
    weight += weights?.[i] ?? 1;
    for (let k = rank; k <= sorted.length; k += k & -k) {
      if (better(length, weight, k)) {
        treeLength[k] = length;
        treeWeight[k] = weight;
        treeIndex[k] = i;
      }
    }
    if (length > bestLength || (length === bestLength && weight > bestWeight)) {
      bestLength = length;
      bestWeight = weight;
      bestEnd = i;
    }
  });
  const result: number[] = [];
  for (let i = bestEnd; i !== -1; i = previous[i]!) result.push(i);
  return result.reverse();
}

/**
 * Reorder operations: runs on a longest increasing subsequence stay put; every other run moves once,
 * highest target rank first, to just before the run that follows it in the target (which by then
 * is in place), so no move ever has to be undone. Moves that find themselves already in place are skipped.
 */
function reorderOperations(ranks: readonly number[]): ReorderOperation[] {
  const units = runsOf(ranks);
  // Keep as many runs as possible in place and, among such choices, the most items: fewer bytes move.
  const kept = longestIncreasingSubsequence(
    units.map((u) => u.firstRank),
    units.map((u) => u.length),
  );
  const staying = new Set(kept.map((i) => units[i]!.firstRank));
  const moving = units.filter((u) => !staying.has(u.firstRank)).sort((a, b) => b.firstRank - a.firstRank);
  // The playlist as target ranks, moved in place with memmove-speed typed-array copies.
  const order = Int32Array.from(ranks);
  const operations: ReorderOperation[] = [];
  for (const unit of moving) {
    const from = order.indexOf(unit.firstRank);
    const successor = unit.firstRank + unit.length;
    const before = successor === order.length ? order.length : order.indexOf(successor);
    if (before === from + unit.length) continue;
    operations.push({ range_start: from, range_length: unit.length, insert_before: before });
    moveRun(order, from, unit.length, before);
  }
  return operations;
}

function moveRun(order: Int32Array, from: number, length: number, before: number): void {
  const run = order.slice(from, from + length);
  if (before > from) {
    order.copyWithin(from, from + length, before);
    order.set(run, before - length);
  } else {
    order.copyWithin(before + length, before, from);
    order.set(run, before);
  }
}

/** Whether a replace plan can rebuild the playlist: local files and vanished items cannot be re-added. */
function replaceable(uris: readonly string[]): boolean {
  return uris.every((uri) => uri !== '' && !uri.startsWith('spotify:local:'));
}

/**
 * The cheaper of a reorder plan and a replace plan (reorder on a tie: it keeps added dates).
 * `target[k]` is the current index of the item that belongs at position k.
 */
export function planOrderChange(
  currentUris: readonly string[],
  target: readonly number[],
  options: OrderPlanOptions = {},
): OrderPlan {
  assertPermutation(target, currentUris.length);
  const ranks = new Array<number>(currentUris.length);
  target.forEach((currentIndex, position) => (ranks[currentIndex] = position));
  const operations = reorderOperations(ranks);
  const reorder: OrderPlan = { kind: 'reorder', operations, calls: operations.length };
  if (operations.length === 0 || options.allowReplace === false || !replaceable(currentUris)) return reorder;
  const replaceCalls = Math.ceil(currentUris.length / URIS_PER_WRITE);
  if (replaceCalls >= operations.length) return reorder;
  const targetUris = target.map((i) => currentUris[i]!);
  const batches: string[][] = [];
  for (let i = 0; i < targetUris.length; i += URIS_PER_WRITE) batches.push(targetUris.slice(i, i + URIS_PER_WRITE));
  return { kind: 'replace', batches, calls: batches.length };
}

/** Applies one reorder call the way Spotify does. Throws on a range Spotify would reject. */
export function applyReorder<T>(items: readonly T[], operation: ReorderOperation): T[] {
  const { range_start: start, range_length: length, insert_before: before } = operation;
  if (!(start >= 0 && length >= 1 && start + length <= items.length && before >= 0 && before <= items.length))
    throw new RangeError(`reorder out of range: ${JSON.stringify(operation)} on ${items.length} items`);
  if (before > start && before < start + length)
    throw new RangeError(`cannot insert a run inside itself: ${JSON.stringify(operation)}`);
  const block = items.slice(start, start + length);
  const rest = items.slice(0, start).concat(items.slice(start + length));
  const at = before > start ? before - length : before;
  return rest.slice(0, at).concat(block, rest.slice(at));
}

/** The playlist's URIs after carrying out a plan, for tests and for checking a plan before running it. */
export function applyOrderPlan(currentUris: readonly string[], plan: OrderPlan): string[] {
  if (plan.kind === 'replace') return plan.batches.flat();
  return plan.operations.reduce<string[]>((items, op) => applyReorder(items, op), [...currentUris]);
}

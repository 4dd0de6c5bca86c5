/**
 * Competition ranking ("1224"): equal values share a rank and the next rank skips, best (highest)
 * first. Entries with equal values keep a stable order by key so pages never shuffle between
 * requests.
 */
export function rankDescending<T>(
  items: readonly T[],
  valueOf: (item: T) => number,
  keyOf: (item: T) => string,
): Array<T & { rank: number }> {
  const sorted = [...items].sort((a, b) => {
    const byValue = valueOf(b) - valueOf(a);
    if (byValue !== 0) return byValue;
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  let rank = 0;
  let previous: number | undefined;
  return sorted.map((item, index) => {
    const value = valueOf(item);
    if (previous === undefined || value !== previous) rank = index + 1;
    previous = value;
    return { ...item, rank };
  });
}

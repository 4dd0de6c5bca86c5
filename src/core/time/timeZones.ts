/**
 * IANA time zones, as members and admins type them: validation, the canonical spelling and
 * autocomplete. One module for /settings timezone, /digest timezone and every chart and digest
 * that works in a local time.
 */

/** Whether `name` is an IANA time zone this runtime knows (Intl decides, case-insensitively). */
export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a time zone name ("europe/paris" → "Europe/Paris"), or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  if (!isTimeZone(name.trim())) return undefined;
  return new Intl.DateTimeFormat('en-US', { timeZone: name.trim() }).resolvedOptions().timeZone;
}

let zoneList: string[] | undefined;
/** Every IANA zone the runtime lists, and UTC. */
export function timeZoneNames(): readonly string[] {
  zoneList ??= [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];
  return zoneList;
}

/**
 * Zones whose name matches what was typed (case- and separator-insensitive), names that start
 * with it first, then cities that do: at most `limit` (Discord shows 25 autocomplete choices).
 */
export function matchTimeZones(query: string, limit = 25): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, ' ');
  const q = norm(query.trim());
  const all = timeZoneNames();
  // Nothing typed yet: UTC and the zones most servers are in, rather than the alphabet's Africa.
  if (!q) return all.filter((z) => z === 'UTC' || z.startsWith('Europe/') || z.startsWith('America/')).slice(0, limit);
  const scored: Array<[number, string]> = [];
  for (const zone of all) {
    const z = norm(zone);
    const city = z.slice(z.lastIndexOf('/') + 1);
    const score = z.startsWith(q) ? 0 : city.startsWith(q) ? 1 : z.includes(q) ? 2 : -1;
    if (score >= 0) scored.push([score, zone]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .slice(0, limit)
    .map(([, z]) => z);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock fields of an instant in a zone (one cached formatter per zone). */
export function localParts(instant: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

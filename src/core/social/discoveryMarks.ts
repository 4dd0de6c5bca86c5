/** A UTC day, YYYY-MM-DD (these strings sort as the days do). */
type Day = string;

/** What fresh plays add to one artist's all-time total, and the days of its first and last play among them. */
export interface ArtistSpan {
  id: string;
  plays: number;
  ms: number;
  first: Day;
  last: Day;
}

/** How many artists were first / last played on a day (member_artist_days). */
export interface DayMarks {
  day: Day;
  firsts: number;
  lasts: number;
}

/** How many artists were last played in a month (member_artist_months; `month` is its first day). */
export interface MonthMarks {
  month: Day;
  lasts: number;
}

export interface MarksDelta {
  /** Artists never played before these plays (they add to the member's distinct-artist count). */
  newArtists: number;
  /** Changes to the per-day marks, sorted by day, days that end up unchanged left out. */
  days: DayMarks[];
  /** Changes to the per-month last-play counts, sorted by month, unchanged months left out. */
  months: MonthMarks[];
}

const byKey = <T>(map: Map<string, T>): T[] =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

/**
 * Per-artist sums of a rollup delta's (day, artist) rows, sorted by artist id so that writers
 * upsert totals in one order and cannot deadlock.
 */
export function artistSpans(rows: Iterable<{ day: Day; artistId: string; plays: number; ms: number }>): ArtistSpan[] {
  const artists = new Map<string, ArtistSpan>();
  for (const r of rows) {
    const span = artists.get(r.artistId);
    if (!span) artists.set(r.artistId, { id: r.artistId, plays: r.plays, ms: r.ms, first: r.day, last: r.day });
    else {
      span.plays += r.plays;
      span.ms += r.ms;
      if (r.day < span.first) span.first = r.day;
      if (r.day > span.last) span.last = r.day;
    }
  }
  return byKey(artists);
}

/**
 * How fresh plays move the discovery marks. Each artist counts once in firsts (on the day of its
 * first play) and once in lasts (on the day of its last play). A new artist adds both marks; a
 * known one moves its first mark only when the plays are older than its first play (an import)
 * and its last mark only when they are newer than its last play (nearly every poll).
 *
 * `before` holds the first and last days already stored for the artists of `spans` (those never
 * played before are absent).
 */
export function discoveryMarks(
  spans: readonly ArtistSpan[],
  before: ReadonlyMap<string, { first: Day; last: Day }>,
): MarksDelta {
  const marks = new Map<string, DayMarks>();
  const mark = (day: Day, firsts: number, lasts: number) => {
    const row = marks.get(day) ?? { day, firsts: 0, lasts: 0 };
    row.firsts += firsts;
    row.lasts += lasts;
    marks.set(day, row);
  };
  let newArtists = 0;
  for (const a of spans) {
    const old = before.get(a.id);
    if (!old) {
      newArtists++;
      mark(a.first, 1, 0);
      mark(a.last, 0, 1);
      continue;
    }
    if (a.first < old.first) {
      mark(old.first, -1, 0);
      mark(a.first, 1, 0);
    }
    if (a.last > old.last) {
      mark(old.last, 0, -1);
      mark(a.last, 0, 1);
    }
  }
  const months = new Map<string, MonthMarks>();
  for (const m of marks.values()) {
    const month = `${m.day.slice(0, 7)}-01`;
    const row = months.get(month) ?? { month, lasts: 0 };
    row.lasts += m.lasts;
    months.set(month, row);
  }
  return {
    newArtists,
    days: byKey(marks).filter((m) => m.firsts !== 0 || m.lasts !== 0),
    months: byKey(months).filter((m) => m.lasts !== 0),
  };
}

/** Plays and ms summed per key, sorted by key (the upsert order every writer shares). */
export function totalsByKey<R>(
  rows: Iterable<R>,
  key: (row: R) => string,
  plays: (row: R) => number,
  ms: (row: R) => number,
): Array<{ key: string; plays: number; ms: number }> {
  const totals = new Map<string, { key: string; plays: number; ms: number }>();
  for (const r of rows) {
    const k = key(r);
    const row = totals.get(k) ?? { key: k, plays: 0, ms: 0 };
    row.plays += plays(r);
    row.ms += ms(r);
    totals.set(k, row);
  }
  return byKey(totals);
}

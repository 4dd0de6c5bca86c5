import { describe, expect, it } from 'vitest';
import { historyChartData, type HistoryChartDeps } from '../../src/app/charts/historyChart.js';
import type { HistoryReader } from '../../src/app/charts/ports.js';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12);

function deps(
  overrides: Partial<HistoryReader> = {},
  timeZone?: string,
): HistoryChartDeps & { spotifyAsked: number; asked: string[] } {
  const asked: string[] = [];
  const out = {
    asked,
    spotifyAsked: 0,
    history: {
      playTimes: async (_m: string, from: number, to: number) => (
        asked.push(`playTimes ${new Date(from).toISOString()} ${new Date(to).toISOString()}`),
        // Monday 30 November 08:00–09:00 UTC: 09:xx in Paris.
        Array.from({ length: 20 }, (_, i) => ({ playedAt: Date.UTC(2026, 10, 30, 8, 2 + i * 3), ms: 3 * MIN }))
      ),
      topArtists: async () => [
        { artistId: 'a', name: 'Ana', plays: 30, ms: 90 * MIN },
        { artistId: 'b', name: 'Bo', plays: 12, ms: 40 * MIN },
      ],
      topTracks: async () => [],
      genreDays: async (_m: string, fromDay: string, toDay: string, per?: string) => (
        asked.push(`genreDays ${fromDay} ${toDay} ${per}`),
        []
      ),
      summary: async () => ({ plays: 42, ms: 130 * MIN, firstPlayAt: NOW - 400 * DAY }),
      gaps: async () => [
        { from: NOW - 40 * DAY, to: NOW - 39 * DAY },
        { from: NOW - 2 * DAY, to: NOW - 2 * DAY + 3 * 3_600_000 },
      ],
      ...overrides,
    },
    timeZoneOf: async () => timeZone,
    async spotify() {
      out.spotifyAsked++;
      return {
        topArtists: async () => [
          { id: '1', name: 'Top One', genres: [] },
          { id: '2', name: 'Top Two', genres: [] },
        ],
        topTracks: async () => [],
      };
    },
  };
  return out;
}

describe('historyChartData', () => {
  it('counts plays and minutes from the history and notes only the gaps inside the period', async () => {
    const d = deps();
    const chart = await historyChartData('top-artists', 'week', 'm', NOW, d);
    expect(chart.fromHistory).toBe(true);
    expect(d.spotifyAsked).toBe(0);
    expect(chart.data).toMatchObject({
      subtitle: 'Past 7 days · 42 plays · 2 h 10 min',
      artists: [
        { name: 'Ana', value: 30, valueLabel: '30 plays · 1 h 30 min' },
        { name: 'Bo', value: 12, valueLabel: '12 plays · 40 min' },
      ],
    });
    expect(chart.notes).toEqual([{ kind: 'gaps', gaps: [{ from: NOW - 2 * DAY, to: NOW - 2 * DAY + 3 * 3_600_000 }] }]);
  });

  it('falls back to Spotify’s top items for the nearest range when the period holds too few plays, and says so', async () => {
    const d = deps({ summary: async () => ({ plays: 3, ms: 9 * MIN, firstPlayAt: NOW - 2 * DAY }) });
    const chart = await historyChartData('top-artists', 'year', 'm', NOW, d);
    expect(chart.fromHistory).toBe(false);
    expect(d.spotifyAsked).toBe(1);
    expect(chart.notes).toEqual([{ kind: 'thin', plays: 3, period: 'year', fallback: 'long_term' }]);
    expect(chart.data).toMatchObject({
      subtitle: 'Last 12 months · Spotify’s top items: too little history yet',
      artists: [{ name: 'Top One' }, { name: 'Top Two' }],
    });
  });

  it('draws the clock in the member’s zone (or UTC, saying it is the default) and notes a short history', async () => {
    const d = deps({ summary: async () => ({ plays: 20, ms: 60 * MIN, firstPlayAt: NOW - 5 * DAY }) }, 'Europe/Paris');
    const paris = await historyChartData('listening-clock', 'month', 'm', NOW, d);
    expect(paris.notes).toEqual([
      { kind: 'since', firstPlayAt: NOW - 5 * DAY },
      { kind: 'timeZone', timeZone: 'Europe/Paris', isDefault: false },
      // The gap 40 days ago is outside the past 30 days.
      { kind: 'gaps', gaps: [{ from: NOW - 2 * DAY, to: NOW - 2 * DAY + 3 * 3_600_000 }] },
    ]);
    // The past 30 days are whole UTC days: 1 November 00:00 to now, as the rollups count them.
    expect(d.asked).toEqual([`playTimes 2026-11-01T00:00:00.000Z ${new Date(NOW).toISOString()}`]);
    if (paris.data.kind !== 'listening-clock') throw new Error('wrong kind');
    expect(paris.data.subtitle).toBe('Past 30 days · 20 plays · 1 h 0 min · Europe/Paris time');
    expect(paris.data.cells).toEqual([{ weekday: 0, hour: 9, minutes: 60 }]);

    const utc = await historyChartData('listening-clock', 'month', 'm', NOW, deps());
    expect(utc.notes).toContainEqual({ kind: 'timeZone', timeZone: 'UTC', isDefault: true });
    if (utc.data.kind !== 'listening-clock') throw new Error('wrong kind');
    expect(utc.data.cells).toEqual([{ weekday: 0, hour: 8, minutes: 60 }]);
  });

  it('looks back 12 weeks for the genre mix unless a year or all time is asked for, summed per week', async () => {
    const d = deps();
    await historyChartData('genre-mix', 'week', 'm', NOW, d);
    await historyChartData('genre-mix', 'year', 'm', NOW, d);
    expect(d.asked).toEqual(['genreDays 2026-09-08 2026-11-30 week', 'genreDays 2025-12-01 2026-11-30 week']);
  });
});

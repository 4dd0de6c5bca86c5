import { describe, expect, it } from 'vitest';
import { chartForMember, type MemberChartDeps } from '../../../src/app/charts/chartForMember.js';
import type { HistoryReader } from '../../../src/app/charts/ports.js';
import { NotLinkedError } from '../../../src/core/errors.js';
import { UNCLASSIFIED } from '../../../src/core/history/index.js';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12);
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** A member's stored plays, one a day at noon from `firstDay` days ago to `lastDay` days ago, through a HistoryReader over them. */
function historyOf(firstDay: number, lastDay = 0): HistoryReader & { reads: string[] } {
  const plays = Array.from({ length: firstDay - lastDay + 1 }, (_, i) => ({
    at: Math.floor(NOW / DAY) * DAY - (firstDay - i) * DAY + 12 * 3_600_000 - 1,
    artist: i % 3 === 0 ? 'Bo' : 'Ana',
    genre: i % 3 === 0 ? UNCLASSIFIED : 'rock',
  }));
  const within = (fromDay: string, toDay: string) => plays.filter((p) => day(p.at) >= fromDay && day(p.at) <= toDay);
  const reads: string[] = [];
  return {
    reads,
    summary: async (_m, fromDay, toDay) => {
      reads.push('summary');
      const inside = within(fromDay, toDay);
      return {
        plays: inside.length,
        ms: inside.length * 3 * MIN,
        firstPlayAt: plays[0]?.at,
        lastPlayAt: plays.at(-1)?.at,
      };
    },
    gaps: async () => [],
    topArtists: async (_m, fromDay, toDay) => {
      reads.push('topArtists');
      const counts = new Map<string, number>();
      for (const p of within(fromDay, toDay)) counts.set(p.artist, (counts.get(p.artist) ?? 0) + 1);
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => ({ artistId: name, name, plays: n, ms: n * 3 * MIN }));
    },
    topTracks: async () => [],
    genreDays: async (_m, fromDay, toDay) => {
      reads.push('genreDays');
      const counts = new Map<string, number>();
      for (const p of within(fromDay, toDay)) counts.set(p.genre, (counts.get(p.genre) ?? 0) + 1);
      return [...counts].map(([genre, n]) => ({ day: fromDay, genre, plays: n, ms: n * 3 * MIN }));
    },
    playTimes: async () => [],
  };
}

function deps(history: HistoryReader | undefined, linked: boolean): MemberChartDeps & { spotifyAsked: number } {
  const out = {
    spotifyAsked: 0,
    history,
    timeZoneOf: async () => undefined,
    spotifyLinked: async () => linked,
    async spotify() {
      out.spotifyAsked++;
      if (!linked) throw new NotLinkedError({ spotifyPlacesLeft: 2 });
      return {
        topArtists: async () => [
          { id: '1', name: 'Spotify One', genres: ['indie rock'] },
          { id: '2', name: 'Spotify Two', genres: ['jazz'] },
        ],
        topTracks: async () => [],
      };
    },
  };
  return out;
}

const ask = (kind: 'top-artists' | 'top-genres' | 'genre-mix', extra: object = {}) => ({
  kind,
  memberId: 'm',
  now: NOW,
  ...extra,
});

describe('chartForMember', () => {
  it('counts a top list from the history that covers Spotify’s range, without asking Spotify', async () => {
    const d = deps(historyOf(60), true);
    const chart = await chartForMember(ask('top-artists'), d);
    expect(d.spotifyAsked).toBe(0);
    expect(chart.fromHistory).toBe(true);
    expect(chart.notes).toEqual([{ kind: 'fromHistory', range: 'short_term' }]);
    expect(chart.data).toMatchObject({
      kind: 'top-artists',
      subtitle: expect.stringMatching(/^Last 4 weeks · 28 plays · .* · from your history$/),
      artists: [
        { name: 'Ana', value: 18 },
        { name: 'Bo', value: 10 },
      ],
    });
  });

  it('reads the range asked for: six months of history do not cover the last 12 months', async () => {
    const d = deps(historyOf(190), true);
    expect((await chartForMember(ask('top-artists', { range: 'medium_term' }), d)).fromHistory).toBe(true);
    expect(d.spotifyAsked).toBe(0);
    const year = await chartForMember(ask('top-artists', { range: 'long_term' }), d);
    expect(year.fromHistory).toBe(false);
    expect(d.spotifyAsked).toBe(1);
    expect(year.notes).toEqual([{ kind: 'fromSpotify', range: 'long_term' }]);
    expect(year.data).toMatchObject({ subtitle: 'Last 12 months · Spotify’s top items' });
  });

  it('asks Spotify where the history is thin (a member linked ten days ago)', async () => {
    const d = deps(historyOf(10), true);
    const chart = await chartForMember(ask('top-artists'), d);
    expect(d.spotifyAsked).toBe(1);
    expect(chart.data).toMatchObject({ artists: [{ name: 'Spotify One' }, { name: 'Spotify Two' }] });
  });

  it('draws top genres from the rollups, what is not classified yet under its own name', async () => {
    const d = deps(historyOf(60), true);
    const chart = await chartForMember(ask('top-genres'), d);
    expect(d.spotifyAsked).toBe(0);
    expect(chart.data.kind === 'top-genres' && chart.data.genres.map((g) => g.genre).sort()).toEqual([
      'Not yet classified',
      'Rock',
    ]);
  });

  it('gives a member without Spotify their history, even where it is short, and never says "link Spotify"', async () => {
    const covered = deps(historyOf(60), false);
    expect((await chartForMember(ask('top-artists'), covered)).fromHistory).toBe(true);
    const short = deps(historyOf(10), false);
    const chart = await chartForMember(ask('top-artists'), short);
    expect(chart.fromHistory).toBe(true);
    expect(chart.notes.map((n) => n.kind)).toEqual(['since', 'thin', 'fromHistory']);
    expect(chart.notes[1]).toEqual({ kind: 'thin', plays: 11, period: 'short_term' });
    const period = await chartForMember(ask('top-artists', { period: 'week' }), short);
    expect(period.fromHistory).toBe(true);
    expect(covered.spotifyAsked + short.spotifyAsked).toBe(0);
  });

  it('tells a member with neither Spotify nor history to link', async () => {
    const empty = historyOf(0);
    const none: HistoryReader = { ...empty, summary: async () => ({ plays: 0, ms: 0 }) };
    await expect(chartForMember(ask('top-artists'), deps(none, false))).rejects.toBeInstanceOf(NotLinkedError);
    await expect(chartForMember(ask('genre-mix'), deps(none, false))).rejects.toBeInstanceOf(NotLinkedError);
  });

  it('uses Spotify’s top lists alone where this process keeps no history', async () => {
    const d = deps(undefined, true);
    const chart = await chartForMember(ask('top-artists'), d);
    expect(d.spotifyAsked).toBe(1);
    expect(chart).toMatchObject({ fromHistory: false, notes: [], data: { subtitle: 'Last 4 weeks' } });
  });
});

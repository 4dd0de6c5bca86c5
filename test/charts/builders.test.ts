import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  CHART_KINDS,
  genreMixChart,
  isEmptyChart,
  leaderboardChart,
  listeningClockChart,
  sortPreviewChart,
  topArtistsChart,
  topGenresChart,
  topTracksChart,
  truncateLabel,
  type ChartRequest,
  type RankedRow,
} from '../../src/charts/index.js';
import { specs } from '../../src/charts/specs.js';
import { artists, clockCells, members, mixPoints, sortGroups, tracks } from './factories.js';

// The schema ships in the package but is not in its "exports": find it beside the package root.
const require = createRequire(import.meta.url);
const vegaLiteRoot = path.join(path.dirname(require.resolve('vega-lite')).split('/vega-lite/')[0]!, 'vega-lite');
const schema = JSON.parse(readFileSync(path.join(vegaLiteRoot, 'build', 'vega-lite-schema.json'), 'utf8'));

describe('chart specs', () => {
  const ajv = new Ajv({ strict: false, allErrors: false, allowUnionTypes: true });
  // ajv-formats is CommonJS: its plugin is the default export's default under NodeNext.
  const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ?? formatsPlugin) as (
    ajv: Ajv,
  ) => Ajv;
  addFormats(ajv);
  ajv.addFormat('color-hex', /^#(?:[0-9a-fA-F]{3}){1,2}$/);
  const validate = ajv.compile(schema);

  it.each(CHART_KINDS)("the %s spec validates against vega-lite's JSON schema", (kind) => {
    const valid = validate(specs[kind]);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a broken spec, so the schema check above can fail', () => {
    expect(validate({ ...specs['top-genres'], mark: 'not-a-mark', layer: undefined })).toBe(false);
  });
});

const ranked = (result: ReturnType<typeof topGenresChart>) => {
  if (isEmptyChart(result)) throw new Error(`expected a chart, got: ${result.message}`);
  return result as ChartRequest & { rows: RankedRow[] };
};

describe('ranked bar builders', () => {
  it('orders genres by share, labels them as percentages and describes them in the alt text', () => {
    const chart = ranked(
      topGenresChart(
        [
          { genre: 'Jazz', share: 0.05 },
          { genre: 'Indie rock', share: 0.34 },
          { genre: 'Pop', share: 0.2 },
        ],
        { title: 'Your top genres' },
      ),
    );
    expect(chart.kind).toBe('top-genres');
    expect(chart.rows.map((r) => [r.rank, r.label, r.valueLabel])).toEqual([
      [1, 'Indie rock', '34%'],
      [2, 'Pop', '20%'],
      [3, 'Jazz', '5.0%'],
    ]);
    expect(chart.altText).toBe('Bar chart of your top genres: Indie rock 34%, Pop 20%, Jazz 5.0%.');
  });

  it('shows at most 12 bars', () => {
    expect(ranked(topArtistsChart(artists(40), { title: 'Top artists' })).rows).toHaveLength(12);
  });

  it('never prints a number for Spotify top lists, which have ranks but no play counts', () => {
    const chart = ranked(topArtistsChart(artists(3), { title: 'Your top artists' }));
    expect(chart.rows.map((r) => r.valueLabel)).toEqual(['', '', '']);
    expect(chart.rows.map((r) => r.value)).toEqual([3, 2, 1]);
    expect(chart.altText).toBe('Ranked bar chart of your top artists: 1. Artist 1, 2. Artist 2, 3. Artist 3.');
  });

  it('truncates long track labels on the chart but keeps them whole in the alt text', () => {
    const long = 'An Extraordinarily Long Song Title That Keeps Going (Live at the Apollo, 1962)';
    const chart = ranked(
      topTracksChart([{ name: long, artist: 'Somebody' }, ...tracks(2)], { title: 'Your top tracks' }),
    );
    expect(chart.rows[0]!.label.endsWith('…')).toBe(true);
    expect([...chart.rows[0]!.label].length).toBeLessThanOrEqual(34);
    expect(chart.altText).toContain(`${long} — Somebody`);
  });

  it('ranks leaderboard members by value and sorts a split preview by track count', () => {
    const board = ranked(leaderboardChart([...members(3)].reverse(), { title: 'Minutes this week' }));
    expect(board.rows.map((r) => r.label)).toEqual(['member1', 'member2', 'member3']);
    const preview = ranked(sortPreviewChart([{ genre: 'Other', count: 4 }, ...sortGroups()], { title: 'Preview' }));
    expect(preview.rows.map((r) => `${r.label}:${r.valueLabel}`)).toEqual([
      'Rock:312',
      'Hip hop:96',
      'Other:43',
      'Other:4',
    ]);
  });

  it("keeps the alt text within Discord's 1024-character attachment description", () => {
    const chart = topTracksChart(
      Array.from({ length: 12 }, (_, i) => ({ name: `${'Very long title '.repeat(8)}${i}`, artist: 'X'.repeat(60) })),
      { title: 'Long' },
    );
    expect(chart.altText.length).toBeLessThanOrEqual(1024);
  });
});

describe('empty and tiny data', () => {
  it.each([
    ['top genres', () => topGenresChart([], { title: 'Your top genres' })],
    ['one genre', () => topGenresChart([{ genre: 'Rock', share: 1 }], { title: 'Your top genres' })],
    ['top artists', () => topArtistsChart([], { title: 'Your top artists' })],
    ['top tracks', () => topTracksChart(tracks(1), { title: 'Your top tracks' })],
    ['leaderboard', () => leaderboardChart([], { title: 'Leaderboard' })],
    ['sort preview', () => sortPreviewChart([{ genre: 'Rock', count: 0 }], { title: 'Preview' })],
    [
      'listening clock',
      () => listeningClockChart([{ weekday: 0, hour: 9, minutes: 3 }], { title: 'Your listening clock' }),
    ],
    ['genre mix', () => genreMixChart(mixPoints(1), { title: 'Your genre mix' })],
  ])('%s gives a "not enough data" result instead of a broken chart', (_name, build) => {
    const result = build();
    expect(isEmptyChart(result)).toBe(true);
    if (!isEmptyChart(result)) return;
    expect(result.message).toMatch(/not enough|needs at least/i);
    expect(result.altText).toContain(result.message);
  });
});

describe('listening clock and genre mix', () => {
  it('fills every weekday × hour cell and names the busiest day and peak hour', () => {
    const cells = clockCells(5);
    cells.find((c) => c.weekday === 5 && c.hour === 14)!.minutes = 50;
    const chart = listeningClockChart(
      cells.filter((c) => c.minutes > 0),
      { title: 'Your listening clock' },
    );
    if (isEmptyChart(chart)) throw new Error('expected a chart');
    expect(chart.rows).toHaveLength(168);
    expect(chart.altText).toContain('Busiest day: Saturday');
    expect(chart.altText).toContain('Peak hour: Saturday 14:00–15:00 (50 minutes)');
  });

  it('keeps the seven largest genres and folds the rest into Other', () => {
    const genres = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'];
    const chart = genreMixChart(mixPoints(3, genres), { title: 'Mix' });
    if (isEmptyChart(chart)) throw new Error('expected a chart');
    const drawn = new Set((chart.rows as Array<{ genre: string }>).map((r) => r.genre));
    expect(drawn.size).toBe(8);
    expect(drawn.has('Other')).toBe(true);
    expect(chart.altText).toMatch(/^Stacked area chart of your genre mix over 3 weeks/);
  });
});

describe('truncateLabel', () => {
  it('never cuts an emoji or accented letter in half', () => {
    expect(truncateLabel('👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 3)).toBe('👩‍👩‍👧‍👦👩‍👩‍👧‍👦…');
    expect([...new Intl.Segmenter().segment(truncateLabel('Ме́сяц Ме́сяц', 4))].length).toBe(4);
  });

  it('leaves short labels alone and collapses whitespace', () => {
    expect(truncateLabel('  Indie \n rock ', 20)).toBe('Indie rock');
  });
});

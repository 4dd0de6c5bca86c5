import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_PLAY_MS } from '../../../src/core/history/exportRecords.js';
import { fitPlaysToTimeline } from '../../../src/core/history/playTimeline.js';

const precision = (format: number) => (format === 0 ? 1_000 : 60_000);
const fit = (plays: Array<{ end: number; ms: number; format?: number }>) =>
  Array.from(
    fitPlaysToTimeline(
      plays.map((p) => p.end),
      plays.map((p) => p.ms),
      plays.map((p) => p.format ?? 0),
      plays.length,
      precision,
    ),
  );

describe('plays laid on one timeline', () => {
  it('an honest history keeps every millisecond, though its end times are cut to the second or the minute', () => {
    // Real listening: one play after another (pauses of 0 to 10 s), end times then truncated.
    const history = fc.tuple(
      fc.array(fc.tuple(fc.integer({ min: MIN_PLAY_MS, max: 900_000 }), fc.integer({ min: 0, max: 10_000 })), {
        minLength: 1,
        maxLength: 200,
      }),
      fc.constantFrom(0, 1),
    );
    fc.assert(
      fc.property(history, ([plays, format]) => {
        let at = Date.UTC(2020, 0, 1);
        const step = precision(format);
        const exported = plays.map(([ms, pause]) => {
          at += pause + ms;
          return { end: Math.floor(at / step) * step, ms, format };
        });
        // Even two plays that ended in the same minute (Account data says the same time) both fit.
        expect(fit(exported)).toEqual(exported.map((p) => p.ms));
      }),
      { numRuns: 500 },
    );
  });

  it('a crafted history claims at most the wall-clock time it spans', () => {
    const crafted = fc.array(
      fc.record({
        end: fc.integer({ min: 0, max: 30 * 86_400_000 }),
        ms: fc.integer({ min: 0, max: 2_147_483_647 }),
      }),
      { minLength: 1, maxLength: 300 },
    );
    fc.assert(
      fc.property(crafted, (plays) => {
        const kept = fit(plays);
        const total = kept.reduce((sum, ms) => sum + ms, 0);
        const firstStart = Math.min(...plays.map((p, i) => (kept[i] ? p.end - p.ms : Infinity)));
        const lastEnd = Math.max(...plays.map((p) => p.end)) + precision(0);
        if (total > 0) expect(total).toBeLessThanOrEqual(lastEnd - firstStart);
        for (const ms of kept) expect(ms === 0 || ms >= MIN_PLAY_MS).toBe(true);
        kept.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(plays[i]!.ms));
      }),
      { numRuns: 1000 },
    );
  });

  it('one member playing a track a minute, each claiming a day, is left with a minute each', () => {
    const end = Date.UTC(2024, 0, 1);
    const kept = fit(Array.from({ length: 10 }, (_, i) => ({ end: end + i * 60_000, ms: 86_400_000 })));
    expect(kept).toEqual([86_400_000, 61_000, ...Array(8).fill(60_000)]);
  });
});

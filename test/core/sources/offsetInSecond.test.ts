import { describe, expect, it } from 'vitest';
import { offsetInSecond } from '../../../src/core/sources/index.js';
import { matchKey } from '../../../src/core/history/exportRecords.js';

describe('offsetInSecond', () => {
  it('places a track at the same millisecond of its second every time, within the second', () => {
    const key = matchKey('Radiohead', 'Reckoner');
    expect(offsetInSecond(key)).toBe(offsetInSecond(matchKey('radiohead', ' Reckoner ')));
    const offsets = Array.from({ length: 2000 }, (_, i) => offsetInSecond(matchKey(`Band ${i}`, `Song ${i}`)));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(1000);
    // Spread over the second: two different tracks rarely share an instant.
    expect(new Set(offsets).size).toBeGreaterThan(800);
  });
});

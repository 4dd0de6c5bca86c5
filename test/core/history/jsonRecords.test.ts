import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorLocation } from '../../../src/core/history/exportRecords.js';
import { JsonArraySplitter, JsonRecordsError } from '../../../src/core/history/jsonRecords.js';

/** The splitter over `text`, cut into chunks of `size` bytes. */
function split(text: string | Uint8Array, size: number, maxRecordBytes?: number) {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const splitter = new JsonArraySplitter(maxRecordBytes);
  const records: unknown[] = [];
  try {
    for (let at = 0; at < bytes.length; at += size) records.push(...splitter.push(bytes.subarray(at, at + size)));
    records.push(...splitter.end());
    return { records };
  } catch (error) {
    if (!(error instanceof JsonRecordsError)) throw error;
    return { where: error.where, notAList: error.notAList };
  }
}
const chunkSize = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(64 * 1024));

describe('the elements of a JSON array, read as its bytes arrive', () => {
  it('are exactly what JSON.parse of the whole file gives, however the bytes are cut', () => {
    const file = fc
      .tuple(fc.array(fc.jsonValue(), { maxLength: 6 }), fc.constantFrom('', ' ', '\n  ', '\t'), fc.boolean())
      .map(
        ([values, space, bom]) =>
          `${bom ? '\uFEFF' : ''}${space}[${values.map((v) => JSON.stringify(v, null, space.length ? 2 : 0)).join(`,${space}`)}${space}]${space}`,
      );
    fc.assert(
      fc.property(file, chunkSize, (text, size) => {
        expect(split(text, size)).toEqual({ records: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown[] });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuse a damaged file where JSON.parse of the whole file says it is damaged', () => {
    const damaged = fc
      .tuple(
        fc.array(fc.json(), { maxLength: 5 }),
        fc.nat(),
        fc.constantFrom('', '"', '}', ']', ',', ':', 'x', '{', '\n', '\\', '\\u12', '1.', '-', 'é'),
      )
      .map(([parts, cut, insert]) => {
        const text = `[${parts.join(',\n')}]`;
        const at = cut % (text.length + 1);
        return text.slice(0, at) + insert + text.slice(at + (insert ? 0 : 1));
      });
    let located = 0;
    fc.assert(
      fc.property(damaged, chunkSize, (text, size) => {
        let message: string;
        try {
          JSON.parse(text);
          return;
        } catch (error) {
          message = (error as Error).message;
        }
        const got = split(text, size);
        expect(got.records).toBeUndefined();
        const expected = jsonErrorLocation(text, message);
        // V8 names no position for some errors ("Unexpected token 'x', "…" is not valid JSON").
        if (!expected) return;
        located++;
        expect(got.where).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    expect(located).toBeGreaterThan(1000);
  });

  it('say a file that is valid JSON but not a list is not a list', () => {
    for (const text of ['{"not":"a list"}', '"text"', ' 12 ', 'null'])
      expect(split(text, 3)).toEqual({ where: undefined, notAList: true });
  });

  it('refuse a record far larger than any Spotify record, or nesting that never ends, holding at most that much', () => {
    const giant = `[{"a":1},\n {"name":"${'x'.repeat(70_000)}"}]`;
    expect(split(giant, 64 * 1024)).toMatchObject({ where: { line: 2, column: 2 } });
    expect(split(giant, 7)).toMatchObject({ where: { line: 2, column: 2 } });
    expect(split('['.repeat(200_000), 64 * 1024)).toMatchObject({ where: { line: 1, column: 2 } });
    expect(split(`[${'"x",'.repeat(1000)}"x"]`, 10, 100)).toMatchObject({ records: expect.any(Array) });
    expect(split(`["${'x'.repeat(200)}"]`, 1000, 100)).toMatchObject({ where: { line: 1, column: 2 } });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortComponentIds, type SortAction } from '../../src/discord/messages/sortMessages.js';

const ACTIONS: SortAction[] = [
  'confirm',
  'cancel',
  'stop',
  'order-replace',
  'order-keep',
  'order-cancel',
  'genres-now',
  'genres-thrifty',
  'genres-cancel',
];
const jobId = '6f1c2e0a-4b7d-4c8e-9a55-0d3e2f1b7c9a';
const ownerId = '112233445566778899';

describe('the /sort component-id codec', () => {
  it('gives back the action, job and owner it encoded, in the format buttons already posted in Discord carry', () => {
    for (const action of ACTIONS) {
      const id = sortComponentIds.encode({ action, jobId, ownerId });
      // Buttons on messages sent before this codec keep working: the wire format did not change.
      expect(id).toBe(`sort:${action}:${jobId}:${ownerId}`);
      expect(sortComponentIds.decode(id)).toEqual({ action, jobId, ownerId });
    }
  });

  it('round-trips any job and owner ids Discord and the stores can hand it', () => {
    const part = fc.stringMatching(/^[\w-]{1,36}$/);
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), part, part, (action, job, owner) => {
        expect(sortComponentIds.decode(sortComponentIds.encode({ action, jobId: job, ownerId: owner }))).toEqual({
          action,
          jobId: job,
          ownerId: owner,
        });
      }),
    );
  });

  it('decodes a forged or malformed id to nothing', () => {
    for (const forged of [
      '',
      'sort',
      'sort:confirm',
      `sort:confirm:${jobId}`,
      `sort:confirm:${jobId}:${ownerId}:extra`,
      `sort:confirm::${ownerId}`,
      `sort:confirm:${jobId}:`,
      `sort:delete-everything:${jobId}:${ownerId}`,
      `sort:page:1:${ownerId}`,
      `suggest:save:${jobId}:${ownerId}`,
      `sort:confirm:${jobId}:${ownerId} `,
      `sort:confirm:../${jobId}:${ownerId}`,
      `sort:confirm:${'j'.repeat(80)}:${ownerId}`,
    ])
      expect(sortComponentIds.decode(forged), forged).toBeUndefined();
  });

  it('never throws on an arbitrary string, and whatever it accepts re-encodes to that same id', () => {
    const id = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc
        .tuple(
          fc.constantFrom('sort', 'suggest', ''),
          fc.constantFrom(...ACTIONS, 'x'),
          fc.array(fc.string(), { maxLength: 3 }),
        )
        .map(([c, a, rest]) => [c, a, ...rest].join(':')),
    );
    fc.assert(
      fc.property(id, (customId) => {
        const decoded = sortComponentIds.decode(customId);
        if (decoded) expect(sortComponentIds.encode(decoded)).toBe(customId);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses to encode an empty job or owner, which could never decode', () => {
    expect(() => sortComponentIds.encode({ action: 'confirm', jobId: '', ownerId })).toThrow(RangeError);
    expect(() => sortComponentIds.encode({ action: 'stop', jobId, ownerId: '' })).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeComponentId, encodeComponentId } from '../../src/discord/customId.js';

// A component id comes back from Discord as any string a client sends: a member's client can be modified.
const part = fc.stringMatching(/^[\w-]{0,30}$/);
const command = fc.stringMatching(/^[\w-]{1,20}$/);

describe('component ids (property-based)', () => {
  it('decode(encode(command, action, …fields)) gives back exactly the parts, whenever encode accepts them', () => {
    fc.assert(
      fc.property(command, part, fc.array(part, { maxLength: 6 }), (cmd, action, fields) => {
        let id: string;
        try {
          id = encodeComponentId(cmd, action, ...fields);
        } catch (error) {
          // The only reason to refuse valid parts is Discord's 100-character cap.
          expect(error).toBeInstanceOf(RangeError);
          expect([cmd, action, ...fields].join(':').length).toBeGreaterThan(100);
          return;
        }
        expect(id.length).toBeLessThanOrEqual(100);
        expect(decodeComponentId(id)).toEqual({ command: cmd, action, fields });
      }),
      { numRuns: 2000 },
    );
  });

  it('encode refuses a part with a character outside [\\w-] (a ":" would shift every field after it)', () => {
    fc.assert(
      fc.property(
        command,
        fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter((s) => !/^[\w-]*$/.test(s)),
        (cmd, bad) => {
          expect(() => encodeComponentId(cmd, bad)).toThrow(RangeError);
          expect(() => encodeComponentId(cmd, 'go', 'ok', bad)).toThrow(RangeError);
        },
      ),
    );
  });

  it('decode never throws on an arbitrary string, and what it accepts re-encodes to the same id of at most 100 characters', () => {
    const arbitraryId = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 150 }),
      fc.array(fc.oneof(part, fc.string({ maxLength: 5 })), { maxLength: 8 }).map((ps) => ps.join(':')),
      fc.string({ unit: fc.constantFrom('a', ':', '-', '_', '9', ' ', '\u0000'), maxLength: 120 }),
    );
    fc.assert(
      fc.property(arbitraryId, (id) => {
        const decoded = decodeComponentId(id);
        if (!decoded) return;
        expect(id.length).toBeLessThanOrEqual(100);
        expect(decoded.command.length).toBeGreaterThan(0);
        expect(encodeComponentId(decoded.command, decoded.action, ...decoded.fields)).toBe(id);
      }),
      { numRuns: 5000 },
    );
  });
});

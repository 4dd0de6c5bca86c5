import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeDigest, type DigestChange } from '../../src/app/digest/digest.js';
import type { DigestDeps, DigestSettings } from '../../src/app/digest/ports.js';
import { setMemberTimeZone, timeZoneChoices } from '../../src/app/settings/timeZone.js';
import { UserError } from '../../src/core/errors.js';
import { canonicalTimeZone, isTimeZone, matchTimeZones, timeZoneNames } from '../../src/core/time/timeZones.js';

const zones = timeZoneNames();
const zone = fc.constantFrom(...zones);
/** How a person may type a zone: any letter case, spaces around it. */
const typedZone = fc
  .tuple(zone, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), fc.stringMatching(/^ {0,2}$/))
  .map(([z, upper, pad]) => ({
    zone: z,
    typed: `${pad}${[...z].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('')}${pad}`,
  }));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('A', 'e', '/', '_', '-', '+', '0', '1', ':', ' ', 'T', 'C'), maxLength: 20 }),
);

describe('time-zone names members type (property-based)', () => {
  it('every zone the runtime lists is recognised in any letter case and comes back in one canonical spelling', () => {
    fc.assert(
      fc.property(typedZone, ({ zone: z, typed }) => {
        const canonical = canonicalTimeZone(typed);
        expect(canonical).toBeDefined();
        expect(canonical).toBe(canonicalTimeZone(z));
        // Canonical is a fixed point: saving it and reading it back changes nothing.
        expect(canonicalTimeZone(canonical!)).toBe(canonical);
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary text never throws: it is a zone (canonical, valid) or it is refused', () => {
    fc.assert(
      fc.property(anyText, (typed) => {
        const canonical = canonicalTimeZone(typed);
        if (canonical === undefined) return;
        expect(isTimeZone(canonical)).toBe(true);
        expect(canonicalTimeZone(canonical)).toBe(canonical);
      }),
      { numRuns: 3000 },
    );
  });

  it('autocomplete never throws, offers at most 25 real zones, and each contains what was typed', () => {
    const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, ' ');
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          zone.map((z) => z.slice(0, 5)),
        ),
        (typed) => {
          const choices = timeZoneChoices(typed);
          expect(choices.length).toBeLessThanOrEqual(25);
          for (const c of choices) {
            expect(zones).toContain(c.value);
            expect(c.name.length).toBeLessThanOrEqual(100);
            if (norm(typed.trim())) expect(norm(c.value)).toContain(norm(typed.trim()));
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a zone’s own name is among its first suggestions', () => {
    fc.assert(
      fc.property(zone, (z) => {
        expect(matchTimeZones(z, 25)).toContain(z);
      }),
      { numRuns: 500 },
    );
  });

  it('/settings timezone stores a canonical zone or refuses with a UserError, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyText,
          typedZone.map((t) => t.typed),
        ),
        async (typed) => {
          const saved: string[] = [];
          const repo = {
            setTimeZone: async (_id: string, z: string) => void saved.push(z),
          } as unknown as Parameters<typeof setMemberTimeZone>[0];
          const outcome = await setMemberTimeZone(repo, 'member', typed).then(
            (z) => ({ z }),
            (e: unknown) => ({ e }),
          );
          if ('e' in outcome) {
            expect(outcome.e).toBeInstanceOf(UserError);
            expect(saved).toEqual([]);
          } else {
            expect(saved).toEqual([outcome.z]);
            expect(canonicalTimeZone(outcome.z)).toBe(outcome.z);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** The digest's settings held in memory: the property is about what changeDigest accepts, not storage. */
function digestDeps(channels: Record<string, 'ok' | 'unknown' | string[]>) {
  const saved: DigestSettings[] = [];
  const deps = {
    settings: {
      get: async () => saved.at(-1),
      save: async (s: DigestSettings) => void saved.push(s),
    },
    discord: {
      access: async (_g: string, channelId: string) => {
        const c = channels[channelId] ?? 'unknown';
        return c === 'unknown' ? 'unknown-channel' : { missing: c === 'ok' ? [] : c };
      },
    },
  } as unknown as Pick<DigestDeps, 'settings' | 'discord'>;
  return { deps, saved };
}

describe('/digest option values (property-based)', () => {
  const change: fc.Arbitrary<DigestChange> = fc.oneof(
    fc.record({ what: fc.constant('hour' as const), hour: fc.oneof(fc.integer({ min: -50, max: 80 }), fc.double()) }),
    fc.record({
      what: fc.constant('timezone' as const),
      timeZone: fc.oneof(
        anyText,
        typedZone.map((t) => t.typed),
      ),
    }),
    fc.record({ what: fc.constant('enabled' as const), enabled: fc.boolean() }),
    fc.record({ what: fc.constant('channel' as const), channelId: fc.constantFrom('good', 'noembed', 'gone') }),
  );

  it('any sequence of changes leaves settings that are all valid: a refused change is a UserError and saves nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
        const { deps, saved } = digestDeps({ good: 'ok', noembed: ['EmbedLinks'] });
        for (const c of changes) {
          const before = saved.length;
          const result = await changeDigest(deps, 'guild', 'admin', c, 1_800_000_000_000).then(
            (s) => ({ s }),
            (e: unknown) => ({ e }),
          );
          if ('e' in result) {
            expect(result.e).toBeInstanceOf(UserError);
            expect(saved.length).toBe(before);
            continue;
          }
          const s = result.s;
          expect(Number.isInteger(s.hour) && s.hour >= 0 && s.hour <= 23).toBe(true);
          expect(canonicalTimeZone(s.timeZone)).toBe(s.timeZone);
          if (s.enabled) expect(s.channelId).toBe('good');
          if (s.channelId !== undefined) expect(s.channelId).toBe('good');
        }
      }),
      { numRuns: 500 },
    );
  });
});

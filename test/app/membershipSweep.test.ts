import { beforeAll, describe, expect, it } from 'vitest';
import { sweepMembership, type GuildPresence } from '../../src/app/social/membership.js';
import { mirroredPrivacy } from '../../src/app/social/privacySync.js';
import { createPrivacyRepository } from '../../src/store/accounts/privacyRepository.js';
import { createDepartureRepository } from '../../src/store/social/membershipRepository.js';
import { createSocialRepository } from '../../src/store/social/socialRepository.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const MINUTE = 60_000;
let now = Date.parse('2031-05-06T18:00:00Z');

/** Discord as the sweep asks it: `gone` have left, `down` cannot be answered for; every question recorded. */
function discord() {
  const gone = new Set<string>();
  const down = new Set<string>();
  const asked: string[] = [];
  const presence: GuildPresence = {
    isMember: async (_g, m) => !gone.has(m),
    async check(guildId, memberId) {
      asked.push(`${guildId}/${memberId}`);
      return down.has(memberId) ? 'unknown' : gone.has(memberId) ? 'gone' : 'member';
    },
  };
  return { presence, gone, down, asked };
}

let deps: Parameters<typeof sweepMembership>[0];
let fake: ReturnType<typeof discord>;
const repo = () => createSocialRepository(store().pool);

beforeAll(async () => {
  fake = discord();
  deps = {
    presence: fake.presence,
    privacy: mirroredPrivacy(createPrivacyRepository(store()), repo()),
    departures: createDepartureRepository(store().pool),
    now: () => now,
  };
  for (const m of ['a', 'b', 'c', 'd', 'e']) await deps.privacy.save(m, { visibleIn: ['g1'], weeklyDm: false });
  for (const m of ['x', 'y']) await deps.privacy.save(m, { visibleIn: ['g2'], weeklyDm: false });
});

describe('the membership sweep', () => {
  it('asks about at most maxChecks members a run, least recently checked first, and carries on where it stopped', async () => {
    const run = async () => {
      fake.asked.length = 0;
      now += MINUTE;
      await sweepMembership(deps, ['g1'], { maxChecks: 2 });
      return [...fake.asked];
    };
    expect(await run()).toEqual(['g1/a', 'g1/b']);
    expect(await run()).toEqual(['g1/c', 'g1/d']);
    expect(await run()).toEqual(['g1/e', 'g1/a']);
    expect(await run()).toEqual(['g1/b', 'g1/c']);
  });

  it('takes a member Discord says left off the server, gives the opt-in back when they return; an outage changes nothing', async () => {
    fake.gone.add('d');
    fake.down.add('e');
    now += MINUTE;
    const first = await sweepMembership(deps, ['g1'], { maxChecks: 10 });
    expect(first).toEqual({ checked: 5, left: 1, rejoined: 0, unknown: 1 });
    expect(await repo().visibleMembers('g1')).toEqual(['a', 'b', 'c', 'e']);
    expect((await deps.privacy.get('d'))?.visibleIn).toEqual([]);

    fake.gone.delete('d');
    fake.down.delete('e');
    now += MINUTE;
    // The one Discord could not answer for comes first: it was not counted as checked.
    fake.asked.length = 0;
    const second = await sweepMembership(deps, ['g1'], { maxChecks: 10 });
    expect(fake.asked[0]).toBe('g1/e');
    expect(second).toMatchObject({ left: 0, rejoined: 1, unknown: 0 });
    expect(await repo().visibleMembers('g1')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await deps.privacy.get('d'))?.visibleIn).toEqual(['g1']);
  });

  it('shares a run between servers, so a large one does not starve the others', async () => {
    fake.asked.length = 0;
    now += MINUTE;
    await sweepMembership(deps, ['g1', 'g2'], { maxChecks: 4 });
    expect(fake.asked.filter((a) => a.startsWith('g1/'))).toHaveLength(2);
    expect(fake.asked.filter((a) => a.startsWith('g2/'))).toEqual(['g2/x', 'g2/y']);
  });

  it('a member who opted out is no longer asked about', async () => {
    await deps.privacy.save('a', { visibleIn: [], weeklyDm: false });
    fake.asked.length = 0;
    now += MINUTE;
    await sweepMembership(deps, ['g1'], { maxChecks: 10 });
    expect(fake.asked).not.toContain('g1/a');
    const { rows } = await store().pool.query(`SELECT 1 FROM guild_member_checks WHERE member_id = 'a'`);
    expect(rows).toEqual([]);
  });
});

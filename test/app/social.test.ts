import { beforeAll, describe, expect, it } from 'vitest';
import type { UserError } from '../../src/core/errors.js';
import type { GuildPresence } from '../../src/app/social/membership.js';
import { backfillVisibility, mirroredPrivacy } from '../../src/app/social/privacySync.js';
import {
  assertComparable,
  crownChangesForDigest,
  leaderboardPage,
  setCrownThreshold,
  whoKnows,
  type SocialDeps,
} from '../../src/app/social/social.js';
import { createPrivacyRepository } from '../../src/store/accounts/privacyRepository.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createSocialRepository } from '../../src/store/social/socialRepository.js';
import { createSocialSettingsRepository, privacyEntries } from '../../src/store/socialSettings.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const GUILD = 'guild-1';
const DAY = '2031-05-06';
let now = Date.parse(`${DAY}T18:00:00Z`);

/** Discord as the use cases ask it: who is still in the server (everyone but `gone`), and how often it was asked. */
function presence(gone: Set<string>): GuildPresence & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    isMember: async (_guildId, memberId) => (asked.push(memberId), !gone.has(memberId)),
  };
}

const gone = new Set<string>();
let deps: SocialDeps & { presence: ReturnType<typeof presence> };

async function listen(memberId: string, count: number, artist = 'Shared Artist', hour = 8) {
  const artistId = `ar-${artist.replace(/\W/g, '').toLowerCase()}`;
  await createHistoryRepository(store().pool).insertPlays(
    memberId,
    Array.from({ length: count }, (_, i) => ({
      playedAt: Date.parse(`${DAY}T${String(hour).padStart(2, '0')}:00:00Z`) + i * 60_000,
      track: { id: `tr-${artistId}`, name: 'Song', durationMs: 60_000, artists: [{ id: artistId, name: artist }] },
      msPlayed: 60_000,
      msEstimated: false,
      source: 'collected' as const,
      genre: 'rock',
    })),
  );
}
const show = (memberId: string, guilds = [GUILD]) =>
  deps.privacy.save(memberId, { visibleIn: guilds, weeklyDm: false });
const members = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  const repo = createSocialRepository(store().pool);
  deps = {
    repo,
    privacy: mirroredPrivacy(createPrivacyRepository(store()), repo),
    presence: presence(gone),
    settings: createSocialSettingsRepository(store()),
    now: () => now,
  };
  // m00 listens most (40 plays) down to m11 (18), all of one artist, all shown here.
  for (const [i, id] of members.entries()) {
    await show(id);
    await listen(id, 40 - 2 * i);
  }
});

describe('leaderboard pages', () => {
  it('ten a page; the caller off the page still sees their rank; only the shown members are asked about', async () => {
    deps.presence.asked.length = 0;
    const view = await leaderboardPage(deps, {
      guildId: GUILD,
      callerId: 'm11',
      metric: 'plays',
      period: 'week',
      page: 0,
    });
    expect(view.rows.map((r) => r.memberId)).toEqual(members.slice(0, 10));
    expect(view.you).toEqual({ kind: 'ranked', row: { memberId: 'm11', value: 18, rank: 12 }, onPage: false });
    expect(view.pages).toBe(2);
    expect(deps.presence.asked.sort()).toEqual(members.slice(0, 10));
  });

  it('a page past the end shows the last; a caller who is not shown here is told apart from one without plays', async () => {
    const last = await leaderboardPage(deps, {
      guildId: GUILD,
      callerId: 'x',
      metric: 'plays',
      period: 'week',
      page: 9,
    });
    expect(last.page).toBe(1);
    expect(last.you).toEqual({ kind: 'hidden' });
    await show('quiet-one');
    const quiet = await leaderboardPage(deps, {
      guildId: GUILD,
      callerId: 'quiet-one',
      metric: 'plays',
      period: 'week',
      page: 0,
    });
    expect(quiet.you).toEqual({ kind: 'unranked' });
  });

  it('a member who left is withdrawn here (privacy store and mirror) and the ranks are computed without them', async () => {
    gone.add('m01');
    const view = await leaderboardPage(deps, {
      guildId: GUILD,
      callerId: 'm00',
      metric: 'plays',
      period: 'week',
      page: 0,
    });
    expect(view.rows.map((r) => r.memberId)).not.toContain('m01');
    expect(view.rows[1]).toEqual({ memberId: 'm02', value: 36, rank: 2 });
    expect(view.total).toBe(11);
    expect((await deps.privacy.get('m01'))?.visibleIn).toEqual([]);
    expect(await deps.repo.visibleMembers(GUILD)).not.toContain('m01');
    gone.delete('m01');
    await show('m01');
  });
});

describe('the visibility mirror', () => {
  it('follows every privacy change at once, and is rebuilt from the privacy store at start-up', async () => {
    await show('m05', ['elsewhere']);
    expect(await deps.repo.visibleMembers(GUILD)).not.toContain('m05');
    expect(await deps.repo.visibleMembers('elsewhere')).toEqual(['m05']);
    await deps.privacy.delete('m05');
    expect(await deps.repo.visibleMembers('elsewhere')).toEqual([]);
    // Written to the privacy store behind the mirror's back (as before social existed): the rebuild catches up.
    await createPrivacyRepository(store()).save('m05', { visibleIn: [GUILD], weeklyDm: false });
    expect(await deps.repo.visibleMembers(GUILD)).not.toContain('m05');
    expect(await backfillVisibility(privacyEntries(store()), deps.repo)).toBeGreaterThanOrEqual(12);
    expect(await deps.repo.visibleMembers(GUILD)).toContain('m05');
  });

  it('the rebuild also hides a member only the mirror still shows (an /unlink cut short)', async () => {
    await deps.repo.setVisible('unlinked-half-way', GUILD, true);
    expect(await deps.repo.visibleMembers(GUILD)).toContain('unlinked-half-way');
    await backfillVisibility(privacyEntries(store()), deps.repo, [GUILD]);
    expect(await deps.repo.visibleMembers(GUILD)).not.toContain('unlinked-half-way');
    expect(await deps.repo.visibleMembers(GUILD)).toContain('m00');
  });
});

describe('crowns', () => {
  it('whoknows checks the artist’s crown at once and reports it changing hands; a hidden former holder is not named', async () => {
    const first = await whoKnows(deps, { guildId: GUILD, callerId: 'm00', kind: 'artist', item: 'Shared Artist' });
    expect(first.crown?.holderId).toBe('m00');
    await listen('m03', 20, 'Shared Artist', 12); // m03: 34 + 20 = 54 plays, more than m00's 40
    now += 60_000;
    const taken = await whoKnows(deps, { guildId: GUILD, callerId: 'm00', kind: 'artist', item: 'ar-sharedartist' });
    expect(taken.change).toMatchObject({ fromId: 'm00', toId: 'm03', plays: 54 });
    expect(taken.listeners[0]).toMatchObject({ memberId: 'm03', plays: 54, rank: 1 });

    await show('m03', []);
    now += 60_000;
    const back = await whoKnows(deps, { guildId: GUILD, callerId: 'm00', kind: 'artist', item: 'Shared Artist' });
    expect(back.change).toMatchObject({ fromId: null, toId: 'm00' });
    const digest = await crownChangesForDigest(deps, GUILD, now - 10 * 60_000, now + 1);
    expect(digest.map((c) => [c.fromId, c.toId])).toEqual([
      [null, 'm00'],
      [null, 'm00'],
    ]);
    await show('m03');
  });

  it('a threshold above every count takes the crowns away; one within reach hands them out', async () => {
    await setCrownThreshold(deps, GUILD, 1_000);
    expect(await deps.repo.crownOf(GUILD, 'ar-sharedartist')).toBeUndefined();
    await setCrownThreshold(deps, GUILD, 30);
    expect((await deps.repo.crownOf(GUILD, 'ar-sharedartist'))?.holderId).toBe('m03');
    await expect(setCrownThreshold(deps, GUILD, 0)).rejects.toMatchObject({ id: 'social.badThreshold' });
  });
});

describe('/compat refusals', () => {
  const refusal = (otherId: string) =>
    assertComparable(deps, { guildId: GUILD, callerId: 'm00', otherId }).then(
      () => 'allowed',
      (error: UserError) => [error.id, JSON.stringify(error.context)].join(' '),
    );

  it('the same for someone hidden here, someone who left and someone Encore never heard of', async () => {
    await show('hidden-here', ['elsewhere']);
    gone.add('m09');
    const answers = [await refusal('hidden-here'), await refusal('m09'), await refusal('never-seen')];
    gone.delete('m09');
    await show('m09');
    expect(new Set(answers)).toEqual(new Set(['social.notOptedIn {}']));
    expect(await refusal('m02')).toBe('allowed');
    expect(await refusal('m00')).toBe('social.compatSelf {}');
    await show('shown-but-silent');
    expect(await refusal('shown-but-silent')).toBe('social.compatNoHistory {"whose":"theirs"}');
  });
});

import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewPlay } from '../../src/app/history/ports.js';
import type { WhoKnowsKind } from '../../src/app/social/ports.js';
import { mirroredPrivacy } from '../../src/app/social/privacySync.js';
import { resolveItem, whoKnows, whoKnowsChoices, type SocialDeps } from '../../src/app/social/social.js';
import { UserError } from '../../src/core/errors.js';
import { nameArtistId, nameTrackId } from '../../src/core/history/exportRecords.js';
import { userErrorMessage } from '../../src/discord/userErrorMessages.js';
import { createPrivacyRepository } from '../../src/store/accounts/privacyRepository.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createSocialRepository } from '../../src/store/social/socialRepository.js';
import { createSocialSettingsRepository } from '../../src/store/socialSettings.js';
import { useTestStore } from '../support/database.js';

/**
 * /whoknows must not be an oracle (issue 21, items 7 and 13): a name, id or autocomplete key is
 * looked up only among what this server's visible members played, so something only a hidden
 * member or a member of another server played is answered exactly like a name nobody played.
 */
const store = useTestStore();
const HERE = 'guild-here';
const THERE = 'guild-there';
const DAY = '2031-05-06';

const gone = new Set<string>();
let deps: SocialDeps;

interface Listen {
  artistId: string;
  artist: string;
  trackId: string;
  track: string;
  genre: string;
}
const listening = (artist: string, track: string, genre: string): Listen => ({
  artistId: `ar-${artist.replace(/\W/g, '').toLowerCase()}`,
  artist,
  trackId: `tr-${track.replace(/\W/g, '').toLowerCase()}`,
  track,
  genre,
});

let sessions = 0;
async function listen(memberId: string, count: number, l: Listen) {
  // Each call its own two hours: a member's plays never share a start time.
  const start = Date.parse(`${DAY}T00:00:00Z`) - ++sessions * 2 * 3_600_000;
  const plays: NewPlay[] = Array.from({ length: count }, (_, i) => ({
    playedAt: start + i * 60_000,
    track: { id: l.trackId, name: l.track, durationMs: 60_000, artists: [{ id: l.artistId, name: l.artist }] },
    msPlayed: 60_000,
    msEstimated: false,
    source: 'collected' as const,
    genre: l.genre,
  }));
  await createHistoryRepository(store().pool).insertPlays(memberId, plays);
}

// amy shares her listening here; ola is in this server but hides hers; tom shares his in another server only.
const SHARED = listening('Shared Band', 'Everyone Song', 'rock');
const OLA_ONLY = listening('Ola Secret Band', 'Quiet Title', 'metal');
const TOM_ONLY = listening('Tom Elsewhere Band', 'Distant Title', 'reggae');
const md5 = (id: string) => createHash('md5').update(id, 'utf8').digest('hex');

type Answer = { public: true; title: string; listeners: string[] } | { public: false; words: string };

/** What /whoknows answers for what a member typed or picked, as commands/whoknows.ts runs it. */
async function answer(kind: WhoKnowsKind, typed: string, callerId = 'amy'): Promise<Answer> {
  try {
    const item = await resolveItem(deps, HERE, kind, typed);
    const view = await whoKnows(deps, { guildId: HERE, callerId, kind, item, typed });
    return {
      public: true,
      title: view.item.detail ? `${view.item.name} — ${view.item.detail}` : view.item.name,
      listeners: view.listeners.map((l) => l.memberId),
    };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { public: false, words: userErrorMessage(error) };
  }
}

/** The answer with the typed text itself taken out, so two answers to different names can be compared. */
const withoutTyped = (a: Answer, typed: string) =>
  a.public ? a : { public: false, words: a.words.split(typed.trim()).join('<typed>') };

async function expectSameAsNobody(kind: WhoKnowsKind, typed: string, nobody: string) {
  const seen = await answer(kind, typed);
  expect(seen.public).toBe(false);
  expect(withoutTyped(seen, typed)).toEqual(withoutTyped(await answer(kind, nobody), nobody));
  return seen;
}

beforeAll(async () => {
  const repo = createSocialRepository(store().pool);
  deps = {
    repo,
    privacy: mirroredPrivacy(createPrivacyRepository(store()), repo),
    presence: { isMember: async (_guildId, memberId) => !gone.has(memberId) },
    settings: createSocialSettingsRepository(store()),
    now: () => Date.parse(`${DAY}T18:00:00Z`),
  };
  await deps.privacy.save('amy', { visibleIn: [HERE], weeklyDm: false });
  // Ola opted in here once, then hid again.
  await deps.privacy.save('ola', { visibleIn: [HERE], weeklyDm: false });
  await deps.privacy.save('ola', { visibleIn: [], weeklyDm: false });
  await deps.privacy.save('tom', { visibleIn: [THERE], weeklyDm: false });
  await listen('amy', 3, SHARED);
  await listen('ola', 50, OLA_ONLY);
  await listen('ola', 5, SHARED);
  await listen('tom', 70, TOM_ONLY);
});

describe('/whoknows resolves only within what this server’s visible members played', () => {
  it('a visible member’s artist, track and genre get the public answer, by name, id or picked key', async () => {
    for (const typed of ['Shared Band', 'shared band', 'ar-sharedband', '~ar-sharedband'])
      expect(await answer('artist', typed)).toEqual({ public: true, title: 'Shared Band', listeners: ['amy'] });
    expect(await answer('track', 'Everyone Song')).toEqual({
      public: true,
      title: 'Everyone Song — Shared Band',
      listeners: ['amy'],
    });
    expect(await answer('genre', 'Rock')).toMatchObject({ public: true, title: 'Rock', listeners: ['amy'] });
  });

  it('an artist only a hidden member played: the same private words as one nobody played, by name, id or key', async () => {
    const byName = await expectSameAsNobody('artist', 'Ola Secret Band', 'Nobody Played Band');
    expect(byName).toEqual({
      public: false,
      words:
        'Nobody here has played an artist called **Ola Secret Band** that I know of. Pick one from the list as you type.',
    });
    await expectSameAsNobody('artist', 'ola secret band', 'nobody played band');
    await expectSameAsNobody('artist', OLA_ONLY.artistId, 'ar-nobodyplayedband');
    // A forged pick (the key of something only she played) reads exactly like a pick of nothing.
    expect(await answer('artist', `~${OLA_ONLY.artistId}`)).toEqual(await answer('artist', '~ar-nobodyplayedband'));
    expect(await answer('artist', `#${md5(OLA_ONLY.artistId)}`)).toEqual(
      await answer('artist', `#${md5('ar-nobodyplayedband')}`),
    );
    // Her plays of what others share here count for nothing either.
    expect(await answer('artist', 'Shared Band')).toMatchObject({ listeners: ['amy'] });
  });

  it('an artist only a member of another server played: the same private words as one nobody played', async () => {
    await expectSameAsNobody('artist', 'Tom Elsewhere Band', 'Nobody Elsewhere Band');
    await expectSameAsNobody('artist', TOM_ONLY.artistId, 'ar-nobodyelsewhereband');
    expect(await answer('artist', `~${TOM_ONLY.artistId}`)).toEqual(await answer('artist', '~ar-nobody'));
  });

  it('a track typed by title whose only listener is hidden does not give away its artist', async () => {
    const seen = await expectSameAsNobody('track', 'Quiet Title', 'Unheard Title');
    expect(JSON.stringify(seen)).not.toContain('Ola Secret Band');
    await expectSameAsNobody('track', 'distant title', 'unheard title');
    await expectSameAsNobody('track', TOM_ONLY.trackId, 'tr-unheardtitle');
  });

  it('a genre only hidden members played is answered like a genre nobody played', async () => {
    await expectSameAsNobody('genre', 'Metal', 'Polka');
    await expectSameAsNobody('genre', 'metal', 'polka');
    await expectSameAsNobody('genre', 'Reggae / Dancehall', 'Polka / Oompah');
    expect(await answer('genre', '~metal')).toEqual(await answer('genre', '~polka'));
  });

  it('of two artists with one name, the one played here, however much the other is played elsewhere', async () => {
    const here = { ...listening('Twin Name', 'Twin Song Here', 'rock'), artistId: 'ar-twin-here' };
    const elsewhere = { ...listening('Twin Name', 'Twin Song There', 'rock'), artistId: 'ar-twin-there' };
    await listen('amy', 1, here);
    await listen('tom', 90, elsewhere);
    await listen('ola', 90, elsewhere);
    const item = await resolveItem(deps, HERE, 'artist', 'twin name');
    expect(item).toEqual({ kind: 'artist', id: 'ar-twin-here', name: 'Twin Name' });
  });

  it('a thing whose only listeners here turn out to have left is answered like a name nobody played', async () => {
    const leaver = listening('Leaver Band', 'Leaver Song', 'rock');
    await deps.privacy.save('lee', { visibleIn: [HERE], weeklyDm: false });
    await listen('lee', 4, leaver);
    gone.add('lee'); // Discord says so; the mirror does not know yet.
    const seen = await answer('artist', 'Leaver Band');
    expect(withoutTyped(seen, 'Leaver Band')).toEqual(
      withoutTyped(await answer('artist', 'Nobody Band'), 'Nobody Band'),
    );
    expect(await deps.repo.visibleMembers(HERE)).not.toContain('lee');
  });
});

describe('/whoknows autocomplete keys', () => {
  // A name-only track from an import: its id holds the whole artist and title (far past 100 characters).
  const composer = 'Ludwig van Beethoven; Wiener Philharmoniker; Christian Thielemann';
  const title =
    'Symphony No. 9 in D minor, Op. 125 "Choral": IV. Presto – Allegro assai – Presto ("O Freunde, nicht diese Töne!") – Allegro assai vivace (alla marcia) – Andante maestoso';
  const long: Listen = {
    artistId: nameArtistId(composer),
    artist: composer,
    trackId: nameTrackId(composer, title),
    track: title,
    genre: 'classical',
  };

  it('a 150-character title picked from autocomplete is found on submit, its key within 100 characters', async () => {
    expect(title.length).toBeGreaterThan(150);
    expect(long.trackId.length).toBeGreaterThan(200);
    await listen('amy', 3, long);
    const choices = await whoKnowsChoices(deps, HERE, 'track', 'symphony no. 9');
    expect(choices.map((c) => c.item.name)).toEqual([title]);
    const picked = choices[0]!.value;
    expect(picked.length).toBeLessThanOrEqual(100);
    expect(picked).not.toContain(composer.toLowerCase().slice(0, 20));
    expect(await answer('track', picked)).toEqual({
      public: true,
      title: `${title} — ${composer}`,
      listeners: ['amy'],
    });
    // Typed in full, it is found too.
    expect(await answer('track', title)).toMatchObject({ public: true, listeners: ['amy'] });
    const artistPick = (await whoKnowsChoices(deps, HERE, 'artist', 'beethoven'))[0]!;
    expect(await answer('artist', artistPick.value)).toMatchObject({ public: true, title: composer });
  });

  it('a picked key that finds nothing here gets the friendly private answer, never the key itself', async () => {
    const [choice] = await whoKnowsChoices(deps, HERE, 'track', 'symphony no. 9');
    await deps.privacy.save('amy', { visibleIn: [], weeklyDm: false });
    try {
      const seen = await answer('track', choice!.value);
      expect(seen).toEqual({
        public: false,
        words: 'Nobody here has played that track that I know of. Pick one from the list as you type.',
      });
      expect(await answer('track', `~${SHARED.trackId}`)).toEqual(seen);
      expect(await answer('track', `#${md5('nothing at all')}`)).toEqual(seen);
    } finally {
      await deps.privacy.save('amy', { visibleIn: [HERE], weeklyDm: false });
    }
  });

  it('a short id that is not plain ASCII (a name-only artist with an accent or a space) is keyed and found too', async () => {
    for (const artist of ['Björk', 'Sigur Rós']) {
      const l: Listen = { ...listening(artist, `${artist} Song`, 'rock'), artistId: nameArtistId(artist) };
      await listen('amy', 1, l);
      const [choice] = await whoKnowsChoices(deps, HERE, 'artist', artist);
      expect(choice!.value).toMatch(/^#[0-9a-f]{32}$/);
      expect(await answer('artist', choice!.value)).toMatchObject({ public: true, title: artist });
    }
  });

  it('what this server played lately is offered before anything is typed, whatever is dated later elsewhere', async () => {
    await listen('tom', 1, listening('Tom Later Band', 'Later Song', 'rock'));
    await createHistoryRepository(store().pool).insertPlays('tom', [
      {
        playedAt: Date.parse('2031-07-01T12:00:00Z'),
        track: { id: 'tr-later', name: 'Later', durationMs: 60_000, artists: [{ id: 'ar-later', name: 'Later' }] },
        msPlayed: 60_000,
        msEstimated: false,
        source: 'collected',
        genre: 'rock',
      },
    ]);
    const offered = await whoKnowsChoices(deps, HERE, 'artist', '');
    expect(offered.map((c) => c.item.name)).toContain('Shared Band');
    expect(offered.map((c) => c.item.name)).not.toContain('Later');
  });

  it('a name that merely looks like a key still works when typed', async () => {
    const tilde = listening('~Tilde Band', 'Tilde Song', 'rock');
    await listen('amy', 2, tilde);
    expect(await answer('artist', '~Tilde Band')).toMatchObject({ public: true, title: '~Tilde Band' });
  });
});

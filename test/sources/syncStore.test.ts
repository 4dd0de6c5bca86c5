import { describe, expect, it } from 'vitest';
import { createSourceLinksRepository } from '../../src/store/sources/sourceLinksRepository.js';
import { createSourceSyncRepository } from '../../src/store/sources/sourceSyncRepository.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const T0 = Date.UTC(2026, 11, 7, 12);

describe('source links', () => {
  it('give one account to one member: another member asking for it, in any case, gets "taken" and nothing is stored', async () => {
    const links = createSourceLinksRepository(store().pool);
    expect(await links.link('m-1', 'lastfm', 'Frankie', T0)).toBe('linked');
    expect(await links.link('m-2', 'lastfm', 'frankie', T0 + 1)).toBe('taken');
    expect(await links.linksOf('m-2')).toEqual([]);
    expect(await createSourceSyncRepository(store().pool).get('m-2', 'lastfm')).toBeUndefined();
    // The same name on the other source is another account.
    expect(await links.link('m-2', 'listenbrainz', 'frankie', T0 + 2)).toBe('linked');
    expect(await links.linksOf('m-1')).toEqual([
      { memberId: 'm-1', source: 'lastfm', userName: 'Frankie', linkedAt: T0 },
    ]);
  });

  it('start a sync due at once with the link, and forget it with the link', async () => {
    const links = createSourceLinksRepository(store().pool);
    const sync = createSourceSyncRepository(store().pool);
    await links.link('m-3', 'listenbrainz', 'rob', T0);
    expect(await sync.get('m-3', 'listenbrainz')).toMatchObject({
      userName: 'rob',
      backfillDone: false,
      read: 0,
      nextPollAt: T0,
      status: 'ok',
      failures: 0,
    });
    expect((await sync.due(['listenbrainz'], T0)).map((s) => s.memberId)).toContain('m-3');
    expect((await sync.due(['lastfm'], T0)).map((s) => s.memberId)).not.toContain('m-3');
    expect(await links.unlink('m-3')).toBe(1);
    expect(await sync.get('m-3', 'listenbrainz')).toBeUndefined();
  });

  it('connecting the same account again resumes where it stood; another account starts over', async () => {
    const links = createSourceLinksRepository(store().pool);
    const sync = createSourceSyncRepository(store().pool);
    await links.link('m-4', 'lastfm', 'gwen', T0);
    const state = (await sync.get('m-4', 'lastfm'))!;
    expect(
      await sync.save({ ...state, backfillBefore: T0 - 5000, read: 400, pages: 2, status: 'private', failures: 3 }),
    ).toBe(true);
    expect(await sync.due(['lastfm'], T0 + 10)).not.toContainEqual(expect.objectContaining({ memberId: 'm-4' }));

    await links.link('m-4', 'lastfm', 'GWEN', T0 + 60_000);
    expect(await sync.get('m-4', 'lastfm')).toMatchObject({
      backfillBefore: T0 - 5000,
      read: 400,
      status: 'ok',
      failures: 0,
      nextPollAt: T0 + 60_000,
    });

    await links.link('m-4', 'lastfm', 'hugo', T0 + 120_000);
    const fresh = (await sync.get('m-4', 'lastfm'))!;
    expect(fresh).toMatchObject({ userName: 'hugo', read: 0, pages: 0, backfillDone: false, status: 'ok' });
    expect(fresh.backfillBefore).toBeUndefined();
    // A step that read gwen's state and finishes now must not write gwen's progress over hugo's.
    expect(await sync.save({ ...state, read: 999 })).toBe(false);
    expect((await sync.get('m-4', 'lastfm'))!.read).toBe(0);
  });

  it('hold every syncing link of a source when the source says wait, and no other source', async () => {
    const links = createSourceLinksRepository(store().pool);
    const sync = createSourceSyncRepository(store().pool);
    await links.link('m-5', 'listenbrainz', 'ana', T0);
    await links.link('m-6', 'listenbrainz', 'quiet', T0);
    await links.link('m-6', 'lastfm', 'june', T0);
    await sync.deferSource('listenbrainz', T0 + 10_000, 'rate-limited');
    const due = await sync.due(['listenbrainz', 'lastfm'], T0 + 9_999);
    expect(due.filter((s) => ['m-5', 'm-6'].includes(s.memberId)).map((s) => `${s.memberId}:${s.source}`)).toEqual([
      'm-6:lastfm',
    ]);
    expect(await sync.get('m-5', 'listenbrainz')).toMatchObject({
      nextPollAt: T0 + 10_000,
      lastFailure: 'rate-limited',
    });
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewPlay } from '../../src/app/history/ports.js';
import type { SocialPeriod } from '../../src/app/social/ports.js';
import type { SourceKind, SourceListen } from '../../src/app/sources/ports.js';
import { matchKey } from '../../src/core/history/exportRecords.js';
import { offsetInSecond, TYPICAL_TRACK_MS } from '../../src/core/sources/index.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createImportRepository } from '../../src/store/history/importRepository.js';
import { createSocialRepository } from '../../src/store/social/socialRepository.js';
import { createSourceLinksRepository } from '../../src/store/sources/sourceLinksRepository.js';
import { createSourcePlays } from '../../src/store/sources/sourcePlays.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';
import { pollUntil } from '../support/waitUntil.js';

const store = useTestStore();
const history = () => createHistoryRepository(store().pool);
const social = () => createSocialRepository(store().pool);
const sources = () => createSourcePlays(store().pool);
const links = () => createSourceLinksRepository(store().pool);
const q = async <R>(sql: string, params: unknown[] = []) => (await store().pool.query(sql, params)).rows as R[];

const T = Date.UTC(2026, 10, 28, 18);
const TODAY = '2026-11-30';
const SECOND = 1000;
const CREEP_MS = 238_640;
let seq = 0;
/** Names no other test uses: the catalogue is shared by every test of the file. */
const aBand = () => `Radiohead ${++seq}${randomBytes(2).toString('hex')}`;
const aSpotifyId = () =>
  randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 22);
const aGuildId = () => `7${String(Date.now()).slice(-9)}${String(++seq).padStart(6, '0')}`;

interface Band {
  name: string;
  artistId: string;
  trackId: string;
}
const aSpotifyBand = (): Band => ({ name: aBand(), artistId: aSpotifyId(), trackId: aSpotifyId() });

/** A play the Spotify collector stores (recently-played: the track's length stands in for ms). */
const collected = (band: Band, playedAt: number, title = 'Creep'): NewPlay => ({
  playedAt,
  track: {
    id: band.trackId,
    name: title,
    durationMs: CREEP_MS,
    artists: [{ id: band.artistId, name: band.name }],
  },
  msPlayed: CREEP_MS,
  msEstimated: true,
  source: 'collected',
  genre: 'rock',
});

/** A listen as ListenBrainz or Last.fm report it: dated by its START. */
const listen = (artist: string, startedAt: number, extra: Partial<SourceListen['track']> = {}): SourceListen => ({
  listenedAt: startedAt,
  track: { name: 'Creep', ...extra },
  artists: [{ name: artist }],
});

/** Where in its second the store places a listen of this track (both sources date listens to the second). */
const offset = (artist: string, title = 'Creep') => offsetInSecond(matchKey(artist, title));

/** A member with a ListenBrainz and a Last.fm account: the store keeps a source's listens only while it is linked. */
async function aListener(): Promise<string> {
  const member = aMemberId();
  for (const source of ['listenbrainz', 'lastfm'] as const)
    expect(await links().link(member, source, `${source}-${member}`, T)).toBe('linked');
  return member;
}

/** Genres by artist id, as the shared cache answers; records which ids it was asked about. */
function genres(known: Record<string, string>) {
  const asked: string[][] = [];
  const genreOf = async (ids: readonly string[]) => {
    asked.push([...ids]);
    return (credits: readonly string[]) => credits.map((id) => known[id]).find(Boolean) ?? 'unclassified';
  };
  return { asked, genreOf };
}
const store_ = (member: string, source: SourceKind, listens: SourceListen[], genreOf = genres({}).genreOf) =>
  sources().storeListens(member, source, listens, genreOf);

async function visible(guild: string, ...members: string[]) {
  for (const m of members) await social().setVisible(m, guild, true);
}
/** What the leaderboards show, every metric and period, for these members. */
async function boards(guild: string) {
  const out: Record<string, unknown> = {};
  for (const metric of ['minutes', 'plays'] as const)
    for (const period of ['week', 'all'] as SocialPeriod[])
      out[`${metric}/${period}`] = await social().leaderboard(guild, metric, period, TODAY);
  return out;
}
const totals = (member: string) =>
  q<{ plays: string; ms: string; artists: number }>(
    `SELECT plays, ms, artists FROM member_totals WHERE member_id = $1`,
    [member],
  );
const artistTotals = (member: string) =>
  q<{ artist_id: string; plays: number; ms: string }>(
    `SELECT artist_id, plays, ms FROM member_artist_totals WHERE member_id = $1 ORDER BY artist_id`,
    [member],
  );

/** Whether a statement of this test's database starting with `sql` is waiting for a lock another holds. */
const waitingForALock = async (sql: string) =>
  (
    await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND starts_with(query, $1)`,
      [sql],
    )
  )[0]!.n > 0;
/** Polls (bounded) for what another Postgres connection will do: no clock of ours moves it. */
async function untilPostgres(condition: () => Promise<boolean>, what: string) {
  if (!(await pollUntil(condition))) throw new Error(`gave up waiting for ${what}`);
}

describe('one artist, one track, whatever the source', () => {
  it('counts a Last.fm member and a Spotify member who both play an artist for the one Spotify artist', async () => {
    const band = aSpotifyBand();
    const [spotify, lastfm] = [aMemberId(), await aListener()];
    const guild = aGuildId();
    await visible(guild, spotify, lastfm);
    await history().insertPlays(spotify, [collected(band, T), collected(band, T + 10 * 60 * SECOND)]);
    // Last.fm names the artist in its own case and gives no length.
    const cache = genres({ [band.artistId]: 'rock' });
    const stored = await store_(lastfm, 'lastfm', [listen(band.name.toUpperCase(), T + 3_600 * SECOND)], cache.genreOf);

    expect(stored).toEqual({ inserted: 1 });
    expect(cache.asked).toEqual([[band.artistId]]);
    expect(await artistTotals(lastfm)).toEqual([{ artist_id: band.artistId, plays: 1, ms: String(CREEP_MS) }]);
    expect(await social().whoKnows(guild, 'artist', band.artistId, 10)).toEqual([
      { memberId: spotify, plays: 2, ms: 2 * CREEP_MS, rank: 1 },
      { memberId: lastfm, plays: 1, ms: CREEP_MS, rank: 2 },
    ]);
    expect(await social().whoKnows(guild, 'track', band.trackId, 10)).toHaveLength(2);
    expect(await social().whoKnows(guild, 'genre', 'rock', 10)).toHaveLength(2);
    // The listen took the catalogue's length (an estimate, as the collector's) and ends after it.
    expect(await history().plays(lastfm)).toEqual([
      expect.objectContaining({
        playedAt: T + 3_600 * SECOND + offset(band.name.toUpperCase()) + CREEP_MS,
        trackId: band.trackId,
        msPlayed: CREEP_MS,
        msEstimated: true,
        source: 'lastfm',
      }),
    ]);
    expect(await q(`SELECT id FROM artists WHERE name_key = lower($1)`, [band.name])).toEqual([{ id: band.artistId }]);
  });

  it('counts a listen with no length anywhere as a typical song, estimated (a Last.fm member’s minutes are not 0)', async () => {
    const name = aBand();
    const member = await aListener();
    await store_(member, 'lastfm', [listen(name, T)]);
    expect(await history().plays(member)).toEqual([
      expect.objectContaining({
        playedAt: T + offset(name) + TYPICAL_TRACK_MS,
        msPlayed: TYPICAL_TRACK_MS,
        msEstimated: true,
        source: 'lastfm',
      }),
    ]);
    expect(await artistTotals(member)).toEqual([
      { artist_id: `name:${name.toLowerCase()}`, plays: 1, ms: String(TYPICAL_TRACK_MS) },
    ]);
  });

  it('merges a name: identity into the Spotify one learned later, every leaderboard total unchanged', async () => {
    const band = aSpotifyBand();
    const [spotify, lastfm, listenbrainz] = [aMemberId(), await aListener(), await aListener()];
    const guild = aGuildId();
    await visible(guild, spotify, lastfm, listenbrainz);
    const nameArtist = `name:${band.name.toLowerCase()}`;
    const nameTrack = `${nameArtist}\u001fcreep`;
    // Before Spotify knows the band: Last.fm and ListenBrainz listens, by name only.
    await store_(lastfm, 'lastfm', [listen(band.name, T - 86_400_000), listen(band.name, T)]);
    await store_(listenbrainz, 'listenbrainz', [listen(band.name, T, { durationMs: 200_000 })]);
    expect(await q(`SELECT track_id FROM plays WHERE member_id = $1`, [lastfm])).toEqual([
      { track_id: nameTrack },
      { track_id: nameTrack },
    ]);
    await social().refreshCrowns(guild, 1, T, nameArtist);
    expect(await social().crownOf(guild, nameArtist)).toMatchObject({ holderId: lastfm });
    const before = { boards: await boards(guild), lastfm: await totals(lastfm), lb: await totals(listenbrainz) };

    // The collector stores the band's Spotify artist and track: the mapping is learned.
    await history().insertPlays(spotify, [collected(band, T + 7_200 * SECOND)]);

    expect(await q(`SELECT id FROM artists WHERE id = $1`, [nameArtist])).toEqual([]);
    expect(await q(`SELECT id FROM tracks WHERE id = $1`, [nameTrack])).toEqual([]);
    expect(await q(`SELECT artist_id FROM artist_aliases WHERE alias_id = $1`, [nameArtist])).toEqual([
      { artist_id: band.artistId },
    ]);
    expect(await q(`SELECT track_id FROM track_aliases WHERE alias_id = $1`, [nameTrack])).toEqual([
      { track_id: band.trackId },
    ]);
    expect(await artistTotals(lastfm)).toEqual([
      { artist_id: band.artistId, plays: 2, ms: String(2 * TYPICAL_TRACK_MS) },
    ]);
    expect(await social().whoKnows(guild, 'artist', band.artistId, 10)).toEqual([
      { memberId: lastfm, plays: 2, ms: 2 * TYPICAL_TRACK_MS, rank: 1 },
      { memberId: spotify, plays: 1, ms: CREEP_MS, rank: 2 },
      { memberId: listenbrainz, plays: 1, ms: 200_000, rank: 2 },
    ]);
    expect(await social().whoKnows(guild, 'track', band.trackId, 10)).toHaveLength(3);
    // The merged-away crown is gone (the refresh job recounts crowns); nothing else moved.
    expect(await social().crownOf(guild, nameArtist)).toBeUndefined();
    expect(await q(`SELECT artist_id FROM crown_events WHERE guild_id = $1`, [guild])).toEqual([
      { artist_id: band.artistId },
    ]);
    expect(await totals(lastfm)).toEqual(before.lastfm);
    expect(await totals(listenbrainz)).toEqual(before.lb);
    const after = await boards(guild);
    const without = (b: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(b).map(([k, v]) => [
          k,
          (v as Array<{ memberId: string; value: number }>)
            .filter((r) => r.memberId !== spotify)
            .map((r) => ({ memberId: r.memberId, value: r.value })),
        ]),
      );
    expect(without(after)).toEqual(without(before.boards));
    // No play is counted twice or lost: the rollups and totals still add up to the plays.
    const [recount] = await q<{ plays: number; artist_plays: number; track_plays: number }>(
      `SELECT (SELECT count(*)::int FROM plays WHERE member_id = $1) AS plays,
         (SELECT sum(plays)::int FROM member_daily_artists WHERE member_id = $1) AS artist_plays,
         (SELECT sum(plays)::int FROM member_track_totals WHERE member_id = $1) AS track_plays`,
      [lastfm],
    );
    expect(recount).toEqual({ plays: 2, artist_plays: 2, track_plays: 2 });

    // A later listen under the old name lands on the survivor.
    await store_(lastfm, 'lastfm', [listen(band.name, T + 86_400_000)]);
    expect(await artistTotals(lastfm)).toEqual([
      { artist_id: band.artistId, plays: 3, ms: String(2 * TYPICAL_TRACK_MS + CREEP_MS) },
    ]);
    expect(await q(`SELECT count(*)::int AS n FROM artists WHERE id = $1`, [nameArtist])).toEqual([{ n: 0 }]);
  });

  it('merges by MBID when the names differ, once a listen of a Spotify track teaches the MBID', async () => {
    const band = aSpotifyBand();
    const member = await aListener();
    const mbid = '0b3e4c0c-7d3e-4a2b-9a77-3e1b2c4d5e6f';
    const spelled = `name:${band.name.toLowerCase()}!`;
    await store_(member, 'listenbrainz', [
      { listenedAt: T, track: { name: 'Creep', durationMs: CREEP_MS }, artists: [{ name: `${band.name}!`, mbid }] },
    ]);
    await history().insertPlays(aMemberId(), [collected(band, T + 3_600 * SECOND)]);
    expect(await artistTotals(member)).toEqual([{ artist_id: spelled, plays: 1, ms: String(CREEP_MS) }]);

    await store_(member, 'listenbrainz', [
      {
        listenedAt: T + 7_200 * SECOND,
        track: { name: 'Creep', spotifyId: band.trackId },
        artists: [{ name: band.name, mbid }],
      },
    ]);
    expect(await q(`SELECT mbid FROM artists WHERE id = $1`, [band.artistId])).toEqual([{ mbid }]);
    expect(await q(`SELECT artist_id FROM artist_aliases WHERE alias_id = $1`, [spelled])).toEqual([
      { artist_id: band.artistId },
    ]);
    expect(await artistTotals(member)).toEqual([{ artist_id: band.artistId, plays: 2, ms: String(2 * CREEP_MS) }]);
    expect(await totals(member)).toEqual([{ plays: '2', ms: String(2 * CREEP_MS), artists: 1 }]);
  });

  it('does not take a Spotify artist for a same-named one whose MBID differs', async () => {
    const band = aSpotifyBand();
    const member = await aListener();
    const [ours, theirs] = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    await history().insertPlays(aMemberId(), [collected(band, T)]);
    await store_(member, 'listenbrainz', [
      { listenedAt: T, track: { name: 'Creep', spotifyId: band.trackId }, artists: [{ name: band.name, mbid: ours }] },
    ]);
    await store_(member, 'listenbrainz', [
      { listenedAt: T + 600 * SECOND, track: { name: 'Other' }, artists: [{ name: band.name, mbid: theirs }] },
    ]);
    expect(await artistTotals(member)).toEqual(
      [
        { artist_id: band.artistId, plays: 1, ms: String(CREEP_MS) },
        { artist_id: `name:${band.name.toLowerCase()}`, plays: 1, ms: String(TYPICAL_TRACK_MS) },
      ].sort((a, b) => (a.artist_id < b.artist_id ? -1 : 1)),
    );
  });
});

describe('a merge meets a busy member', () => {
  it('is put off, not waited for, while a member it touches is being written, and happens on the next play', async () => {
    const band = aSpotifyBand();
    const [lastfm, spotify] = [await aListener(), aMemberId()];
    const nameArtist = `name:${band.name.toLowerCase()}`;
    await store_(lastfm, 'lastfm', [listen(band.name, T)]);
    // Another writer of the Last.fm member's plays holds their lock (an import committing, say).
    const other = await store().pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtext('encore:history'), hashtext($1))`, [lastfm]);
      expect(await history().insertPlays(spotify, [collected(band, T + 3_600 * SECOND)])).toBe(1);
      expect(await artistTotals(lastfm)).toEqual([{ artist_id: nameArtist, plays: 1, ms: String(TYPICAL_TRACK_MS) }]);
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
    await history().insertPlays(spotify, [collected(band, T + 7_200 * SECOND)]);
    expect(await artistTotals(lastfm)).toEqual([{ artist_id: band.artistId, plays: 1, ms: String(TYPICAL_TRACK_MS) }]);
    expect(await q(`SELECT id FROM artists WHERE id = $1`, [nameArtist])).toEqual([]);
  });
});

describe('a listen counts once', () => {
  it('keeps one play for a Spotify play and a ListenBrainz listen of the same track 4 s apart, either order', async () => {
    for (const order of ['spotify first', 'listenbrainz first']) {
      const band = aSpotifyBand();
      const member = await aListener();
      const end = T + 5 * 60 * SECOND;
      // ListenBrainz's own Spotify reader: the listen's start and the track's length, 4 s off.
      const lb = listen(band.name, end - CREEP_MS + 4 * SECOND, { spotifyId: band.trackId, durationMs: CREEP_MS });
      const steps = [
        () => history().insertPlays(member, [collected(band, end)]),
        async () => (await store_(member, 'listenbrainz', [lb])).inserted,
      ];
      if (order === 'listenbrainz first') steps.reverse();
      expect([await steps[0]!(), await steps[1]!()], order).toEqual([1, 0]);
      expect(await history().plays(member), order).toHaveLength(1);
      expect(await totals(member), order).toEqual([{ plays: '1', ms: String(CREEP_MS), artists: 1 }]);
    }
  });

  it('knows the same listen by main artist and title when the source gives no Spotify id or length', async () => {
    const band = aSpotifyBand();
    const member = await aListener();
    const end = T + 5 * 60 * SECOND;
    await history().insertPlays(member, [collected(band, end)]);
    // Last.fm dates a scrobble by its start, with no length: the catalogue's stands in.
    expect(await store_(member, 'lastfm', [listen(band.name.toLowerCase(), end - CREEP_MS - 6 * SECOND)])).toEqual({
      inserted: 0,
    });
    // 11 s off is another listen.
    expect(await store_(member, 'lastfm', [listen(band.name, end - CREEP_MS - 11 * SECOND)])).toEqual({ inserted: 1 });
  });

  it('keeps one of two sightings of a listen in one page, and both plays of a track played twice', async () => {
    const name = aBand();
    const member = await aListener();
    const page = [
      listen(name, T, { durationMs: 200_000 }),
      listen(name, T + 2 * SECOND, { durationMs: 200_000 }), // a second scrobbler
      listen(name, T + 200 * SECOND, { durationMs: 200_000 }), // played again
    ];
    expect(await store_(member, 'lastfm', page)).toEqual({ inserted: 2 });
  });

  it('changes nothing when the same page is stored again', async () => {
    const band = aSpotifyBand();
    const member = await aListener();
    await history().insertPlays(aMemberId(), [collected(band, T - 86_400_000)]);
    const page = [
      listen(band.name, T, { durationMs: 180_000 }),
      listen(aBand(), T + 400 * SECOND),
      listen(band.name, T + 800 * SECOND, { spotifyId: band.trackId }),
    ];
    expect(await store_(member, 'listenbrainz', page)).toEqual({ inserted: 3 });
    const rows = await history().countRows(member);
    const sums = () =>
      q(
        `SELECT (SELECT sum(plays)::int FROM member_daily_artists WHERE member_id = $1) AS a,
           (SELECT row_to_json(t) FROM member_totals t WHERE member_id = $1) AS t`,
        [member],
      );
    const before = await sums();
    expect(await store_(member, 'listenbrainz', page)).toEqual({ inserted: 0 });
    expect(await history().countRows(member)).toEqual(rows);
    expect(await sums()).toEqual(before);
  });
  it('keeps two different tracks scrobbled in the same second as two plays, and stores that page once', async () => {
    const name = aBand();
    const member = await aListener();
    // Two tracks share their place in a second one time in a thousand: this test's pair does not.
    let other = 'Karma Police';
    for (let n = 2; offset(name, other) === offset(name); n++) other = `Karma Police ${n}`;
    // An offline cache sends several scrobbles dated the same second; Last.fm gives no lengths.
    const page = [listen(name, T), listen(name, T, { name: other }), listen(name, T)];
    expect(await store_(member, 'lastfm', page)).toEqual({ inserted: 2 });
    expect((await history().plays(member)).map((p) => p.playedAt).sort()).toEqual(
      [T + offset(name) + TYPICAL_TRACK_MS, T + offset(name, other) + TYPICAL_TRACK_MS].sort(),
    );
    expect(await totals(member)).toEqual([{ plays: '2', ms: String(2 * TYPICAL_TRACK_MS), artists: 1 }]);

    const rows = await history().countRows(member);
    expect(await store_(member, 'lastfm', page)).toEqual({ inserted: 0 });
    expect(await history().countRows(member)).toEqual(rows);
    expect(await totals(member)).toEqual([{ plays: '2', ms: String(2 * TYPICAL_TRACK_MS), artists: 1 }]);
  });
});

describe('a source’s listens are kept only while it is linked', () => {
  it('stores nothing for a member whose link to that source is gone, and still stores their other source’s', async () => {
    const name = aBand();
    const member = await aListener();
    expect(await store_(member, 'lastfm', [listen(name, T)])).toEqual({ inserted: 1 });
    expect(await links().unlink(member, 'lastfm')).toBe(1);
    const rows = await history().countRows(member);

    expect(await store_(member, 'lastfm', [listen(name, T + 600 * SECOND)])).toEqual({ inserted: 0 });
    expect(await history().countRows(member)).toEqual(rows);
    expect(await store_(member, 'listenbrainz', [listen(name, T + 1_200 * SECOND)])).toEqual({ inserted: 1 });
    expect(await history().plays(member)).toHaveLength(2);
  });

  it('makes /unlink wait for a page being stored, so the history erased after it keeps nothing', async () => {
    const name = aBand();
    const member = await aListener();
    let inside!: () => void;
    const reached = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The store asks for genres inside its transaction, after it found the link: a sync step mid-page.
    const storing = store_(member, 'lastfm', [listen(name, T)], async () => {
      inside();
      await gate;
      return () => 'unclassified';
    });
    await reached;
    // /unlink's erasers in their order: the sources' (the links) before the history's.
    let erased = false;
    const erasing = (async () => {
      await links().unlink(member);
      await history().deleteForUser(member);
      erased = true;
    })();
    // The page is let go once the unlink waits for it (were it not to wait, once the erasing is over).
    await untilPostgres(
      async () => erased || (await waitingForALock('DELETE FROM source_links')),
      'the unlink to wait',
    );
    release();
    expect(await storing).toEqual({ inserted: 1 });
    await erasing;

    const nothing = Object.fromEntries(Object.keys(await history().countRows(member)).map((table) => [table, 0]));
    expect(await history().countRows(member)).toEqual(nothing);
    expect(await links().linksOf(member)).toEqual([]);
    // The sync step's retry of the page stores nothing either.
    expect(await store_(member, 'lastfm', [listen(name, T)])).toEqual({ inserted: 0 });
    expect(await history().countRows(member)).toEqual(nothing);
  });
});

describe('imports', () => {
  it('land a Spotify export on the Spotify artist the collector knows', async () => {
    const band = aSpotifyBand();
    const [collector, importer] = [aMemberId(), aMemberId()];
    const guild = aGuildId();
    await visible(guild, collector, importer);
    await history().insertPlays(collector, [collected(band, T)]);
    const otherTrack = aSpotifyId();
    const session = await createImportRepository(store().pool).begin(importer, T);
    await session.add([
      {
        playedAt: T - 86_400_000,
        trackId: otherTrack,
        trackName: 'Karma Police',
        artistName: band.name,
        albumName: 'OK Computer',
        msPlayed: 200_000,
        format: 'extended',
      },
      {
        playedAt: T - 2 * 86_400_000,
        trackId: `name:${band.name.toLowerCase()}\u001fno surprises`,
        trackName: 'No Surprises',
        artistName: band.name,
        albumName: null,
        msPlayed: 100_000,
        format: 'account',
      },
    ]);
    await session.commit({ podcasts: 0, short: 0, unusable: 0, files: 1 }, genres({}).genreOf);

    expect(await artistTotals(importer)).toEqual([{ artist_id: band.artistId, plays: 2, ms: '300000' }]);
    expect(await q(`SELECT artist_id FROM track_artists WHERE track_id = $1`, [otherTrack])).toEqual([
      { artist_id: band.artistId },
    ]);
    expect(await q(`SELECT id FROM artists WHERE id LIKE 'name:%' AND name_key = lower($1)`, [band.name])).toEqual([]);
    expect((await social().whoKnows(guild, 'artist', band.artistId, 10)).map((l) => l.memberId)).toEqual([
      importer,
      collector,
    ]);
    expect(await totals(importer)).toEqual([{ plays: '2', ms: '300000', artists: 1 }]);
  });
});

describe('catalogue keys', () => {
  it('normalise names in SQL as the import and the ids do in code', async () => {
    const { norm } = await import('../../src/core/history/exportRecords.js');
    // Not every string: JavaScript lower-cases "İ" to "i̇" where Postgres gives "i". Both sides of any
    // comparison are keyed by the same one, so such names still match themselves.
    const names = ['  Sigur   Rós ', 'ＡＢＣ', 'Beyonce\u0301', 'MØ\tx', 'ﬁve', 'ÆON  Flux'];
    const rows = await q<{ k: string }>(
      `SELECT catalogue_norm(n) AS k FROM unnest($1::text[]) WITH ORDINALITY AS u (n, i) ORDER BY i`,
      [names],
    );
    // A database created without a locale (the embedded store's initdb --no-locale) lower-cases ASCII
    // only; every comparison runs catalogue_norm on both sides, so keys still agree within it.
    const [ctype] = await q<{ folds: boolean }>(`SELECT lower('Ø') = 'ø' AS folds`, []);
    const asciiLower = (n: string) =>
      n
        .normalize('NFKC')
        .trim()
        .replace(/\s+/g, ' ')
        .replace(/[A-Z]/g, (c) => c.toLowerCase());
    expect(rows.map((r) => r.k)).toEqual(names.map(ctype!.folds ? norm : asciiLower));
  });
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { NewPlay } from '../../src/app/history/ports.js';
import type { LeaderboardMetric, SocialPeriod } from '../../src/app/social/ports.js';
import { utcDay } from '../../src/core/history/index.js';
import { genreDiversity, periodStart, rankDescending } from '../../src/core/social/index.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createImportRepository } from '../../src/store/history/importRepository.js';
import { MIGRATIONS_DIR } from '../../src/store/migrate.js';
import { createSocialRepository } from '../../src/store/social/socialRepository.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const history = () => createHistoryRepository(store().pool);
const social = () => createSocialRepository(store().pool);

const DAY = 86_400_000;
const TODAY = '2026-11-30';
const NOON_TODAY = Date.parse(`${TODAY}T12:00:00Z`);
let guildSeq = 0;
const aGuildId = () => `8${String(Date.now()).slice(-9)}${String(++guildSeq).padStart(6, '0')}`;

interface Spec {
  /** Days before today (0 = today). */
  daysAgo: number;
  artists: string[];
  track?: string;
  genre?: string;
  ms?: number | null;
}
/** Plays from short specs; ids are prefixed per test so tests never share catalogue rows. */
function playsOf(prefix: string, specs: Spec[], offsetMs = 0, noon = NOON_TODAY): NewPlay[] {
  return specs.map((s, i) => ({
    playedAt: noon - s.daysAgo * DAY + i * 1000 + offsetMs,
    track: {
      id: `${prefix}${s.track ?? `t-${s.artists.join('+')}`}`,
      name: `Song ${s.track ?? s.artists.join(' & ')}`,
      durationMs: 200_000,
      artists: s.artists.map((a) => ({ id: `${prefix}${a}`, name: `Artist ${a}` })),
    },
    msPlayed: s.ms === undefined ? 180_000 : s.ms,
    msEstimated: false,
    source: 'collected',
    genre: s.genre ?? 'rock',
  }));
}
const times = (n: number, spec: Spec): Spec[] => Array.from({ length: n }, () => spec);

async function visibleIn(guildId: string, ...members: string[]) {
  for (const m of members) await social().setVisible(m, guildId, true);
}

describe('leaderboards', () => {
  it('ranks visible members for every metric, ties sharing a rank, an opted-out member nowhere', async () => {
    const p = `lb${guildSeq}-`;
    const guild = aGuildId();
    const [amy, ben, cat, dan] = [aMemberId(), aMemberId(), aMemberId(), aMemberId()];
    await history().insertPlays(
      amy,
      playsOf(p, [...times(4, { daysAgo: 0, artists: ['x'] }), { daysAgo: 1, artists: ['y'], genre: 'pop' }]),
    );
    await history().insertPlays(
      ben,
      playsOf(p, [
        ...times(3, { daysAgo: 2, artists: ['x'] }),
        { daysAgo: 3, artists: ['z'], genre: 'jazz' },
        { daysAgo: 4, artists: ['z'], genre: 'jazz' },
      ]),
    );
    await history().insertPlays(cat, playsOf(p, times(2, { daysAgo: 40, artists: ['w'] })));
    // Dan listens more than anyone, but only to himself: he opted in and then out again.
    await history().insertPlays(dan, playsOf(p, times(50, { daysAgo: 0, artists: ['d'], genre: 'pop' })));
    await visibleIn(guild, amy, ben, cat, dan);
    await social().setVisible(dan, guild, false);

    expect(await social().leaderboard(guild, 'plays', 'week', TODAY)).toEqual([
      { memberId: amy, value: 5, rank: 1 },
      { memberId: ben, value: 5, rank: 1 },
    ]);
    expect(await social().leaderboard(guild, 'minutes', 'month', TODAY)).toEqual([
      { memberId: amy, value: 15 * 60_000, rank: 1 },
      { memberId: ben, value: 15 * 60_000, rank: 1 },
    ]);
    expect(await social().leaderboard(guild, 'plays', 'all', TODAY)).toEqual([
      { memberId: amy, value: 5, rank: 1 },
      { memberId: ben, value: 5, rank: 1 },
      { memberId: cat, value: 2, rank: 3 },
    ]);
    expect(await social().leaderboard(guild, 'artists', 'week', TODAY)).toEqual([
      { memberId: amy, value: 2, rank: 1 },
      { memberId: ben, value: 2, rank: 1 },
    ]);
    expect(await social().leaderboard(guild, 'discoveries', 'year', TODAY)).toEqual([
      { memberId: amy, value: 2, rank: 1 },
      { memberId: ben, value: 2, rank: 1 },
      { memberId: cat, value: 1, rank: 3 },
    ]);
    // Amy: 4 rock, 1 pop; Ben: 3 rock, 2 jazz (more even, so more diverse); Cat: rock only (0 bits, left out).
    expect(await social().leaderboard(guild, 'diversity', 'all', TODAY)).toEqual([
      {
        memberId: ben,
        value: genreDiversity([
          ['rock', 3],
          ['jazz', 2],
        ]),
        rank: 1,
      },
      {
        memberId: amy,
        value: genreDiversity([
          ['rock', 4],
          ['pop', 1],
        ]),
        rank: 2,
      },
    ]);
    const everything = await Promise.all(
      (['minutes', 'plays', 'artists', 'diversity', 'discoveries'] as const).flatMap((metric) =>
        (['week', 'month', 'year', 'all'] as const).map((period) => social().leaderboard(guild, metric, period, TODAY)),
      ),
    );
    expect(JSON.stringify(everything)).not.toContain(dan);
    expect(await social().visibleMembers(guild)).toEqual([amy, ben, cat].sort());
  });

  it('agrees with a recount from the plays for every metric and period', async () => {
    // A day whose windows start mid-month (a year back from 20 November opens on 21 November).
    const TODAY = '2026-11-20';
    const p = `lbx${guildSeq}-`;
    const guild = aGuildId();
    const members = Array.from({ length: 6 }, () => aMemberId());
    const genres = ['rock', 'pop', 'jazz', 'unclassified', 'hip-hop'];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const all = new Map<string, NewPlay[]>();
    for (const member of members) {
      const specs: Spec[] = Array.from({ length: 60 + Math.floor(random() * 60) }, () => {
        const artist = `a${Math.floor(random() * 12)}`;
        const feat = random() < 0.2 ? [`a${Math.floor(random() * 12)}`] : [];
        return {
          daysAgo: Math.floor(random() ** 2 * 500),
          artists: [artist, ...feat.filter((f) => f !== artist)],
          genre: genres[Math.floor(random() * genres.length)]!,
          ms: random() < 0.1 ? null : 30_000 + Math.floor(random() * 200_000),
        };
      });
      const plays = playsOf(p, specs, 0, Date.parse(`${TODAY}T12:00:00Z`));
      all.set(member, plays);
      // In two overlapping batches, the second also carrying plays older than the first (an import).
      await history().insertPlays(member, plays.slice(Math.floor(plays.length / 3)));
      await history().insertPlays(member, plays.slice(0, Math.floor((plays.length * 2) / 3)));
    }
    await visibleIn(guild, ...members);

    const expected = (metric: LeaderboardMetric, period: SocialPeriod) => {
      const from = periodStart(period, TODAY) ?? '0000-00-00';
      const values = members.map((memberId) => {
        const plays = all.get(memberId)!;
        const firstDay = new Map<string, string>();
        for (const play of [...plays].sort((a, b) => a.playedAt - b.playedAt))
          for (const artist of play.track.artists)
            if (!firstDay.has(artist.id)) firstDay.set(artist.id, utcDay(play.playedAt));
        const inWindow = plays.filter((play) => utcDay(play.playedAt) >= from && utcDay(play.playedAt) <= TODAY);
        const ms = inWindow.reduce((sum, play) => sum + (play.msPlayed ?? 0), 0);
        const byGenre = new Map<string, number>();
        for (const play of inWindow) byGenre.set(play.genre, (byGenre.get(play.genre) ?? 0) + (play.msPlayed ?? 0));
        const value = {
          minutes: ms,
          plays: inWindow.length,
          artists: new Set(inWindow.flatMap((play) => play.track.artists.map((a) => a.id))).size,
          diversity: genreDiversity(byGenre),
          discoveries: [...firstDay.values()].filter((day) => day >= from && day <= TODAY).length,
        }[metric];
        return { memberId, value };
      });
      return rankDescending(
        values.filter((v) => v.value > 0),
        (v) => v.value,
        (v) => v.memberId,
      );
    };
    for (const metric of ['minutes', 'plays', 'artists', 'diversity', 'discoveries'] as const)
      for (const period of ['week', 'month', 'year', 'all'] as const)
        expect(await social().leaderboard(guild, metric, period, TODAY), `${metric} ${period}`).toEqual(
          expected(metric, period),
        );
  });
});

describe('/whoknows and its autocomplete', () => {
  it('lists who played an artist, a track or a genre most, all time, with shared ranks and a limit', async () => {
    const p = `wk${guildSeq}-`;
    const guild = aGuildId();
    const [amy, ben, cat, dan] = [aMemberId(), aMemberId(), aMemberId(), aMemberId()];
    await history().insertPlays(
      amy,
      playsOf(p, [
        ...times(5, { daysAgo: 100, artists: ['x'], track: 'hit' }),
        ...times(2, { daysAgo: 1, artists: ['x', 'y'], track: 'duet', genre: 'pop' }),
      ]),
    );
    await history().insertPlays(ben, playsOf(p, times(7, { daysAgo: 3, artists: ['x'], track: 'hit' })));
    await history().insertPlays(cat, playsOf(p, times(1, { daysAgo: 3, artists: ['y'], track: 'solo', genre: 'pop' })));
    await history().insertPlays(dan, playsOf(p, times(90, { daysAgo: 0, artists: ['x'], track: 'hit' })));
    await visibleIn(guild, amy, ben, cat);

    expect(await social().whoKnows(guild, 'artist', `${p}x`, 10)).toEqual([
      { memberId: amy, plays: 7, ms: 7 * 180_000, rank: 1 },
      { memberId: ben, plays: 7, ms: 7 * 180_000, rank: 1 },
    ]);
    expect(await social().whoKnows(guild, 'artist', `${p}y`, 10)).toEqual([
      { memberId: amy, plays: 2, ms: 360_000, rank: 1 },
      { memberId: cat, plays: 1, ms: 180_000, rank: 2 },
    ]);
    expect(await social().whoKnows(guild, 'track', `${p}hit`, 10)).toEqual([
      { memberId: ben, plays: 7, ms: 7 * 180_000, rank: 1 },
      { memberId: amy, plays: 5, ms: 5 * 180_000, rank: 2 },
    ]);
    expect(await social().whoKnows(guild, 'genre', 'rock', 1)).toEqual([
      { memberId: ben, plays: 7, ms: 7 * 180_000, rank: 1 },
    ]);
    expect((await social().whoKnows(guild, 'genre', 'pop', 10)).map((l) => [l.memberId, l.rank])).toEqual([
      [amy, 1],
      [cat, 2],
    ]);
    expect(await social().whoKnows(guild, 'artist', `${p}nobody`, 10)).toEqual([]);
  });

  it('suggests what the server’s visible members played, by name, most played first', async () => {
    const p = `fi${guildSeq}-`;
    const guild = aGuildId();
    const [amy, ben, dan] = [aMemberId(), aMemberId(), aMemberId()];
    await history().insertPlays(
      amy,
      playsOf(p, [
        ...times(2, { daysAgo: 1, artists: ['Moon'], track: 'Tide' }),
        ...times(1, { daysAgo: 1, artists: ['Mooncake'], track: 'Moon River', genre: 'jazz' }),
      ]),
    );
    await history().insertPlays(
      ben,
      playsOf(p, times(4, { daysAgo: 1, artists: ['Honeymoon'], track: 'Sun', genre: 'pop' })),
    );
    await history().insertPlays(
      dan,
      playsOf(p, times(9, { daysAgo: 1, artists: ['Moonlight'], track: 'Moonshine', genre: 'k-pop' })),
    );
    await visibleIn(guild, amy, ben);

    expect(await social().findInServer(guild, 'artist', 'moon', 25)).toEqual([
      { kind: 'artist', id: `${p}Honeymoon`, name: 'Artist Honeymoon' },
      { kind: 'artist', id: `${p}Moon`, name: 'Artist Moon' },
      { kind: 'artist', id: `${p}Mooncake`, name: 'Artist Mooncake' },
    ]);
    expect(await social().findInServer(guild, 'artist', 'MOON', 1)).toHaveLength(1);
    expect(await social().findInServer(guild, 'track', 'moon', 25)).toEqual([
      { kind: 'track', id: `${p}Moon River`, name: 'Song Moon River', detail: 'Artist Mooncake' },
    ]);
    expect(await social().findInServer(guild, 'genre', '', 25)).toEqual([
      { kind: 'genre', id: 'pop', name: 'Pop' },
      { kind: 'genre', id: 'rock', name: 'Rock' },
      { kind: 'genre', id: 'jazz', name: 'Jazz' },
    ]);
    expect(await social().findInServer(guild, 'genre', 'ja', 25)).toEqual([
      { kind: 'genre', id: 'jazz', name: 'Jazz' },
    ]);
    // Wildcards are letters like any other.
    expect(await social().findInServer(guild, 'artist', '%', 25)).toEqual([]);
    // Before anything is typed: what the server played lately.
    expect(await social().findInServer(guild, 'artist', '', 25)).toEqual([
      { kind: 'artist', id: `${p}Honeymoon`, name: 'Artist Honeymoon' },
      { kind: 'artist', id: `${p}Moon`, name: 'Artist Moon' },
      { kind: 'artist', id: `${p}Mooncake`, name: 'Artist Mooncake' },
    ]);
    expect((await social().findInServer(guild, 'track', '', 25)).map((t) => t.name)).toEqual([
      'Song Sun',
      'Song Tide',
      'Song Moon River',
    ]);

    expect(await social().resolveInServer(guild, 'artist', { id: `${p}Moon` })).toEqual({
      kind: 'artist',
      id: `${p}Moon`,
      name: 'Artist Moon',
    });
    expect(await social().resolveInServer(guild, 'artist', { name: 'artist mooncake' })).toEqual({
      kind: 'artist',
      id: `${p}Mooncake`,
      name: 'Artist Mooncake',
    });
    expect(await social().resolveInServer(guild, 'track', { id: `${p}Tide` })).toEqual({
      kind: 'track',
      id: `${p}Tide`,
      name: 'Song Tide',
      detail: 'Artist Moon',
    });
    expect(await social().resolveInServer(guild, 'genre', { name: 'Jazz' })).toEqual({
      kind: 'genre',
      id: 'jazz',
      name: 'Jazz',
    });
    expect(await social().resolveInServer(guild, 'artist', { name: 'nobody at all' })).toBeUndefined();
    // Only what visible members here played: Dan's artist is unknown here, by name or by id.
    expect(await social().resolveInServer(guild, 'artist', { name: 'Artist Moonlight' })).toBeUndefined();
    expect(await social().resolveInServer(guild, 'artist', { id: `${p}Moonlight` })).toBeUndefined();
  });
});

describe('crowns', () => {
  it('go to the most plays at or above the threshold, stay with the holder on a tie, and change hands on more', async () => {
    const p = `cr${guildSeq}-`;
    const guild = aGuildId();
    const [amy, ben] = [aMemberId(), aMemberId()];
    await visibleIn(guild, amy, ben);
    const T0 = Date.UTC(2026, 10, 1);
    const x = `${p}x`;

    await history().insertPlays(amy, playsOf(p, times(29, { daysAgo: 10, artists: ['x'] })));
    expect(await social().refreshCrowns(guild, 30, T0)).toEqual([]);
    expect(await social().crownOf(guild, x)).toBeUndefined();

    await history().insertPlays(amy, playsOf(p, times(1, { daysAgo: 9, artists: ['x'] })));
    expect(await social().refreshCrowns(guild, 30, T0 + 1)).toEqual([
      { guildId: guild, artistId: x, artistName: 'Artist x', fromId: null, toId: amy, plays: 30, at: T0 + 1 },
    ]);

    await history().insertPlays(ben, playsOf(p, times(30, { daysAgo: 5, artists: ['x'] })));
    expect(await social().refreshCrowns(guild, 30, T0 + 2, x)).toEqual([]);
    expect(await social().crownOf(guild, x)).toMatchObject({ holderId: amy, plays: 30, since: T0 + 1 });

    await history().insertPlays(ben, playsOf(p, times(1, { daysAgo: 4, artists: ['x'] })));
    expect(await social().refreshCrowns(guild, 30, T0 + 3)).toEqual([
      { guildId: guild, artistId: x, artistName: 'Artist x', fromId: amy, toId: ben, plays: 31, at: T0 + 3 },
    ]);
    expect(await social().crownsOf(guild, ben)).toEqual([
      { guildId: guild, artistId: x, artistName: 'Artist x', holderId: ben, plays: 31, since: T0 + 3 },
    ]);
    expect(await social().crownsOf(guild, amy)).toEqual([]);

    // The holder's count follows their plays without the crown moving or a change being recorded.
    await history().insertPlays(ben, playsOf(p, times(2, { daysAgo: 3, artists: ['x'] })));
    expect(await social().refreshCrowns(guild, 30, T0 + 4)).toEqual([]);
    expect(await social().crownOf(guild, x)).toMatchObject({ holderId: ben, plays: 33, since: T0 + 3 });

    expect((await social().crownChanges(guild, T0, T0 + 10)).map((c) => [c.fromId, c.toId])).toEqual([
      [null, amy],
      [amy, ben],
    ]);
    expect(await social().crownChanges(guild, T0 + 2, T0 + 10)).toHaveLength(1);

    // A higher threshold than anyone's plays leaves the crown unclaimed.
    expect(await social().refreshCrowns(guild, 100, T0 + 5)).toEqual([]);
    expect(await social().crownOf(guild, x)).toBeUndefined();
  });

  it('are hidden at once when the holder opts out, and pass to the next member at the next refresh', async () => {
    const p = `co${guildSeq}-`;
    const guild = aGuildId();
    const other = aGuildId();
    const [amy, ben] = [aMemberId(), aMemberId()];
    await visibleIn(guild, amy, ben);
    await visibleIn(other, amy);
    await history().insertPlays(amy, playsOf(p, times(40, { daysAgo: 10, artists: ['x'] })));
    await history().insertPlays(ben, playsOf(p, times(35, { daysAgo: 10, artists: ['x'] })));
    await social().refreshCrowns(guild, 30, 1000);
    await social().refreshCrowns(other, 30, 1000);

    await social().syncVisibility(amy, [other]);
    expect(await social().crownOf(guild, `${p}x`)).toBeUndefined();
    expect(await social().crownsOf(guild, amy)).toEqual([]);
    expect(await social().crownChanges(guild, 0, 5000)).toEqual([]);
    expect(await social().crownOf(other, `${p}x`)).toMatchObject({ holderId: amy, plays: 40 });

    expect(await social().refreshCrowns(guild, 30, 2000)).toMatchObject([{ fromId: amy, toId: ben, plays: 35 }]);
    // The digest never names someone who opted out: the change reads as a first claim.
    expect(await social().crownChanges(guild, 0, 5000)).toMatchObject([{ fromId: null, toId: ben }]);

    expect(await social().deleteForUser(amy)).toBeGreaterThanOrEqual(3);
    expect(await social().crownOf(other, `${p}x`)).toBeUndefined();
    expect(await social().crownChanges(guild, 0, 5000)).toEqual([]);
    expect(await social().visibleMembers(other)).toEqual([]);
  });
});

describe('totals kept with the plays', () => {
  /** Every social total recounted from the plays (and, for genres, the rollups that carry them). */
  async function recount(memberId: string) {
    const q = async (sql: string) => (await store().pool.query(sql, [memberId])).rows;
    return {
      totals: await q(
        `SELECT count(*)::int AS plays, coalesce(sum(ms_played), 0)::text AS ms,
           (SELECT count(DISTINCT ta.artist_id)::int FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id WHERE p.member_id = $1) AS artists
         FROM plays WHERE member_id = $1 HAVING count(*) > 0`,
      ),
      artists: await q(
        `SELECT artist_id, count(*)::int AS plays, coalesce(sum(ms), 0)::text AS ms, to_char(min(day), 'YYYY-MM-DD') AS first_day, to_char(max(day), 'YYYY-MM-DD') AS last_day
         FROM (SELECT DISTINCT p.played_at, p.ms_played AS ms, (p.played_at AT TIME ZONE 'UTC')::date AS day, ta.artist_id
               FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id WHERE p.member_id = $1) x
         GROUP BY artist_id ORDER BY artist_id`,
      ),
      days: await q(
        `SELECT day, sum(firsts)::int AS firsts, sum(lasts)::int AS lasts FROM (
           SELECT to_char(min(day), 'YYYY-MM-DD') AS day, 1 AS firsts, 0 AS lasts FROM (SELECT (p.played_at AT TIME ZONE 'UTC')::date AS day, ta.artist_id FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id WHERE p.member_id = $1) x GROUP BY artist_id
           UNION ALL
           SELECT to_char(max(day), 'YYYY-MM-DD'), 0, 1 FROM (SELECT (p.played_at AT TIME ZONE 'UTC')::date AS day, ta.artist_id FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id WHERE p.member_id = $1) y GROUP BY artist_id
         ) m GROUP BY day ORDER BY day`,
      ),
      months: await q(
        `SELECT to_char(date_trunc('month', last_day), 'YYYY-MM-DD') AS month, count(*)::int AS lasts FROM (
           SELECT max((p.played_at AT TIME ZONE 'UTC')::date) AS last_day FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id
           WHERE p.member_id = $1 GROUP BY ta.artist_id) x GROUP BY 1 ORDER BY 1`,
      ),
      tracks: await q(
        `SELECT track_id, count(*)::int AS plays, coalesce(sum(ms_played), 0)::text AS ms FROM plays WHERE member_id = $1 GROUP BY track_id ORDER BY track_id`,
      ),
      genres: await q(
        `SELECT genre, sum(plays)::int AS plays, sum(ms)::text AS ms FROM member_daily_genres WHERE member_id = $1 GROUP BY genre ORDER BY genre`,
      ),
      cumulative: await (async () => {
        // Running sums on every day with plays, added up here from the plays and the genre rollups.
        const perDay = await q(
          `SELECT to_char((played_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS plays, coalesce(sum(ms_played), 0)::int AS ms
           FROM plays WHERE member_id = $1 GROUP BY 1 ORDER BY 1`,
        );
        const firstDays = await q(
          `SELECT to_char(min((p.played_at AT TIME ZONE 'UTC')::date), 'YYYY-MM-DD') AS day FROM plays p
           JOIN track_artists ta ON ta.track_id = p.track_id WHERE p.member_id = $1 GROUP BY ta.artist_id`,
        );
        const genreDays = await q(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, genre, ms::int FROM member_daily_genres WHERE member_id = $1`,
        );
        let plays = 0;
        let ms = 0;
        let firsts = 0;
        const genres: Record<string, number> = {};
        return perDay.map((d: { day: string; plays: number; ms: number }) => {
          plays += d.plays;
          ms += d.ms;
          firsts += firstDays.filter((f: { day: string }) => f.day === d.day).length;
          for (const g of genreDays.filter((x: { day: string }) => x.day === d.day) as Array<{
            genre: string;
            ms: number;
          }>)
            if (g.ms > 0) genres[g.genre] = (genres[g.genre] ?? 0) + g.ms;
          return { day: d.day, plays: String(plays), ms: String(ms), firsts, genre_ms: { ...genres } };
        });
      })(),
    };
  }
  async function stored(memberId: string) {
    const q = async (sql: string) => (await store().pool.query(sql, [memberId])).rows;
    return {
      totals: await q(`SELECT plays::int, ms::text, artists FROM member_totals WHERE member_id = $1`),
      artists: await q(
        `SELECT artist_id, plays, ms::text, to_char(first_day, 'YYYY-MM-DD') AS first_day, to_char(last_day, 'YYYY-MM-DD') AS last_day
         FROM member_artist_totals WHERE member_id = $1 ORDER BY artist_id`,
      ),
      days: await q(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, firsts, lasts FROM member_artist_days WHERE member_id = $1 ORDER BY day`,
      ),
      months: await q(
        `SELECT to_char(month, 'YYYY-MM-DD') AS month, lasts FROM member_artist_months WHERE member_id = $1 ORDER BY month`,
      ),
      tracks: await q(
        `SELECT track_id, plays, ms::text FROM member_track_totals WHERE member_id = $1 ORDER BY track_id`,
      ),
      genres: await q(`SELECT genre, plays, ms::text FROM member_genre_totals WHERE member_id = $1 ORDER BY genre`),
      cumulative: await q(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, plays::text, ms::text, firsts, genre_ms FROM member_cumulative WHERE member_id = $1 ORDER BY day`,
      ),
    };
  }
  const mixed = (p: string) =>
    playsOf(p, [
      ...times(3, { daysAgo: 0, artists: ['x', 'feat'], track: 'a' }),
      ...times(2, { daysAgo: 1, artists: ['y'], genre: 'pop', ms: null }),
      ...times(4, { daysAgo: 30, artists: ['x'], track: 'b', genre: 'unclassified' }),
      ...times(2, { daysAgo: 400, artists: ['z', 'x'], genre: 'jazz' }),
    ]);

  it('equal a recount after overlapping writers, an import of older plays and a genre rebuild', async () => {
    const p = `tt${guildSeq}-`;
    const member = aMemberId();
    const plays = mixed(p);
    await Promise.all([
      history().insertPlays(member, plays.slice(0, 4)),
      history().insertPlays(member, plays.slice(0, 6)),
      history().insertPlays(member, plays.slice(2, 7)),
    ]);
    expect(await stored(member)).toEqual(await recount(member));
    // The import brings older plays: first plays move back, last plays stay.
    await history().insertPlays(member, plays);
    await history().insertPlays(member, plays.slice(5));
    const after = await stored(member);
    expect(after).toEqual(await recount(member));
    expect(after.totals).toEqual([{ plays: plays.length, ms: String(9 * 180_000), artists: 4 }]);
    expect(after.artists.find((a) => a.artist_id === `${p}x`)).toMatchObject({
      plays: 9,
      first_day: utcDay(NOON_TODAY - 400 * DAY),
      last_day: TODAY,
    });

    // A later poll adds to sums that started long before it.
    await history().insertPlays(member, playsOf(p, [{ daysAgo: 0, artists: ['y'], genre: 'jazz' }], 3_600_000));
    expect(await stored(member)).toEqual(await recount(member));

    // Reclassified: every play is jazz now.
    await history().rebuildGenreRollups(member, async () => () => 'jazz');
    const rebuilt = await stored(member);
    expect(rebuilt).toEqual(await recount(member));
    expect(rebuilt.genres).toEqual([{ genre: 'jazz', plays: plays.length + 1, ms: String(10 * 180_000) }]);
  });

  it('equal a recount after an upload of the Spotify export (written set-based, not play by play)', async () => {
    const p = `ti${guildSeq}-`;
    const member = aMemberId();
    await history().insertPlays(member, mixed(p));
    const session = await createImportRepository(store().pool).begin(member, NOON_TODAY);
    await session.add(
      Array.from({ length: 12 }, (_, i) => ({
        playedAt: NOON_TODAY - (600 - i * 40) * DAY,
        trackId: `${p}imported-${i % 3}`,
        trackName: `Old song ${i % 3}`,
        artistName: `Old artist ${i % 2}`,
        albumName: null,
        msPlayed: 200_000,
        format: 'extended' as const,
      })),
    );
    expect(
      (await session.commit({ podcasts: 0, short: 0, unusable: 0, files: 1 }, async () => () => 'folk')).inserted,
    ).toBe(12);
    const after = await stored(member);
    expect(after).toEqual(await recount(member));
    expect(after.totals).toEqual([{ plays: 11 + 12, ms: String(9 * 180_000 + 12 * 200_000), artists: 4 + 2 }]);
  });

  it('are erased with the history, and nobody else’s', async () => {
    const p = `td${guildSeq}-`;
    const [member, other] = [aMemberId(), aMemberId()];
    await history().insertPlays(member, mixed(p));
    await history().insertPlays(other, mixed(p));
    await history().deleteForUser(member);
    const gone = await stored(member);
    expect(Object.values(gone).every((rows) => rows.length === 0)).toBe(true);
    expect(await stored(other)).toEqual(await recount(other));
    expect((await stored(other)).totals).toHaveLength(1);
  });

  it('are what the migration backfills from the history stored before it', async () => {
    const p = `tb${guildSeq}-`;
    const [member, other] = [aMemberId(), aMemberId()];
    await history().insertPlays(member, mixed(p));
    await history().insertPlays(other, mixed(p).slice(3));
    const before = [await stored(member), await stored(other)];
    const sql = await readFile(`${MIGRATIONS_DIR}/0004_social.sql`, 'utf8');
    const backfill = sql.slice(sql.indexOf('-- Backfill begin'), sql.indexOf('-- Backfill end'));
    expect(backfill).toContain('INSERT INTO member_cumulative');
    // A database of its own would be cleaner, but the other tests' members are in this one: the
    // backfill runs over every member, so all their totals are cleared and rebuilt together.
    const client = await store().pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `TRUNCATE member_totals, member_artist_totals, member_artist_days, member_artist_months, member_track_totals, member_genre_totals, member_cumulative`,
      );
      await client.query(backfill);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    expect([await stored(member), await stored(other)]).toEqual(before);
    expect(before[0]!.totals).toHaveLength(1);
  });
});

describe('taste profiles and server charts', () => {
  it('profiles a member’s most played artists and genres, unclassified left out', async () => {
    const p = `tp${guildSeq}-`;
    const member = aMemberId();
    await history().insertPlays(
      member,
      playsOf(p, [
        ...times(5, { daysAgo: 3, artists: ['b'], genre: 'pop' }),
        ...times(7, { daysAgo: 2, artists: ['a'], genre: 'rock' }),
        ...times(9, { daysAgo: 1, artists: ['c'], genre: 'unclassified' }),
      ]),
    );
    expect(await social().tasteProfile(member, 2)).toEqual({
      memberId: member,
      artists: [
        { id: `${p}c`, name: 'Artist c', plays: 9 },
        { id: `${p}a`, name: 'Artist a', plays: 7 },
      ],
      genres: [
        { genre: 'rock', plays: 7 },
        { genre: 'pop', plays: 5 },
      ],
    });
    expect(await social().tasteProfile(aMemberId(), 10)).toMatchObject({ artists: [], genres: [] });
  });

  it('charts the visible members’ top artists, genres and listening clock for the days asked', async () => {
    const p = `sc${guildSeq}-`;
    const guild = aGuildId();
    const [amy, ben, dan] = [aMemberId(), aMemberId(), aMemberId()];
    await history().insertPlays(
      amy,
      playsOf(p, [
        ...times(3, { daysAgo: 0, artists: ['x'] }),
        ...times(5, { daysAgo: 10, artists: ['y'], genre: 'pop' }),
      ]),
    );
    await history().insertPlays(
      ben,
      playsOf(p, times(2, { daysAgo: 1, artists: ['z'], genre: 'jazz' }), 3 * 3_600_000),
    );
    await history().insertPlays(dan, playsOf(p, times(20, { daysAgo: 0, artists: ['d'], genre: 'k-pop' })));
    await visibleIn(guild, amy, ben);
    const weekAgo = periodStart('week', TODAY)!;

    expect(await social().serverTopArtists(guild, weekAgo, TODAY, 10)).toEqual([
      { id: `${p}x`, name: 'Artist x', plays: 3, ms: 540_000 },
      { id: `${p}z`, name: 'Artist z', plays: 2, ms: 360_000 },
    ]);
    expect(await social().serverTopArtists(guild, '2026-01-01', TODAY, 1)).toEqual([
      { id: `${p}y`, name: 'Artist y', plays: 5, ms: 900_000 },
    ]);
    expect(await social().serverTopGenres(guild, weekAgo, TODAY, 10)).toEqual([
      { genre: 'rock', plays: 3, ms: 540_000 },
      { genre: 'jazz', plays: 2, ms: 360_000 },
    ]);
    // Today is a Monday: Amy at 12:00, Ben yesterday (Sunday) at 15:00.
    expect(await social().serverClock(guild, NOON_TODAY - 7 * DAY, NOON_TODAY + DAY)).toEqual([
      { weekday: 0, hour: 12, plays: 3 },
      { weekday: 6, hour: 15, plays: 2 },
    ]);
    expect(await social().serverClock(guild, NOON_TODAY - 7 * DAY, NOON_TODAY)).toEqual([
      { weekday: 6, hour: 15, plays: 2 },
    ]);
  });
});

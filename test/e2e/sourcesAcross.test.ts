import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { buttons, layoutTexts, text } from '../support/messages.js';
import { useSourcesWorld } from '../support/sourcesWorld.js';

/**
 * Issue 23's "Must show": a server with 2 Spotify, 3 ListenBrainz and 3 Last.fm members counts each
 * artist once across sources, and a member whose ListenBrainz reads the same Spotify is counted once.
 */
const DAY = 86_400;

const { h, lb, playsOf } = useSourcesWorld(() => {
  const until = Math.floor(Date.now() / 1000) - DAY;
  return {
    listenbrainz: {
      users: [
        { name: 'lb1', years: 0.05, perDay: 25, seed: 21 },
        { name: 'lb2', years: 0.05, perDay: 25, seed: 22 },
        { name: 'lb3', years: 0.05, perDay: 25, seed: 23 },
        { name: 'mirror', years: 0.2, perDay: 0, seed: 24 },
      ],
    },
    lastfm: {
      users: [1, 2, 3].map((i) => ({
        name: `fm${i}`,
        history: { count: 400, since: until - 20 * DAY, until, seed: 30 + i },
      })),
    },
  };
});

const query = async <T extends object>(sql: string, ...params: unknown[]) =>
  (await h.encore.store.pool.query<T & pg.QueryResultRow>(sql, params)).rows;

async function connectListenBrainz(member: EUser, user: string) {
  const prompt = await h.invoke('/link', { source: 'listenbrainz' }, member);
  await h.click(prompt.final!, buttons(prompt.final!).find((b) => b.custom_id === 'link:lb-token')!.custom_id!, member);
  const done = await h.submitModal({ token: lb.user(user).token }, member);
  expect(text(done.final)).toContain(`Connected ListenBrainz as ${user}`);
}

async function connectLastfm(member: EUser, user: string) {
  const seen = await h.invoke('/link', { source: 'lastfm' }, member);
  const approval = await fetch(`${buttons(seen.final!).find((b) => b.url)!.url!}&as=${user}`, { redirect: 'manual' });
  expect((await fetch(approval.headers.get('location')!)).status).toBe(200);
}

async function syncAll() {
  for (let i = 0; i < 30; i++) {
    await h.encore.jobs.runNow('sync-sources');
    const [left] = await query<{ n: string }>(
      `SELECT count(*) AS n FROM source_sync WHERE status = 'ok' AND NOT backfill_done`,
    );
    if (Number(left!.n) === 0) return;
  }
  throw new Error('the backfills did not finish');
}

const optIn = (member: EUser) =>
  h.encore.services.privacy!.save(member.id, { visibleIn: [h.guild.id], weeklyDm: false });

describe('members of every source on one server', () => {
  it('count each artist once in the social totals, /whoknows, crowns and /compat', async () => {
    const [dave, erin] = [h.member('sp-dave'), h.member('sp-erin')];
    const brainz = [1, 2, 3].map((i) => h.member(`lb-${i}`));
    const fm = [1, 2, 3].map((i) => h.member(`fm-${i}`));
    expect((await h.link(dave!, 'dave')).status).toBe(200);
    expect((await h.link(erin!, 'erin')).status).toBe(200);
    await h.encore.jobs.runNow('collect-history');
    // lb1 is a fan of one of dave's Spotify artists: 40 listens of it two days ago, enough for its crown.
    const daveArtists = await query<{ artist_id: string; name: string; plays: number }>(
      `SELECT t.artist_id, a.name, t.plays FROM member_artist_totals t JOIN artists a ON a.id = t.artist_id
       WHERE t.member_id = $1 AND a.id NOT LIKE 'name:%' ORDER BY t.plays DESC, a.id`,
      dave!.id,
    );
    const favourite = daveArtists.find((a) => lb.catalogue.some((t) => t.artists[0]?.spotifyId === a.artist_id))!;
    expect(favourite).toBeDefined();
    const favouriteTracks = lb.catalogue.flatMap((t, i) =>
      t.artists[0]?.spotifyId === favourite.artist_id ? [i] : [],
    );
    const twoDaysAgo = Date.now() - 2 * DAY * 1000;
    for (let i = 0; i < 40; i++)
      lb.user('lb1').addListen(twoDaysAgo + i * 600_000, favouriteTracks[i % favouriteTracks.length]!);
    for (const [i, member] of brainz.entries()) await connectListenBrainz(member, `lb${i + 1}`);
    for (const [i, member] of fm.entries()) await connectLastfm(member, `fm${i + 1}`);
    await syncAll();
    const everyone = [dave!, erin!, ...brainz, ...fm];
    const counts = await Promise.all(everyone.map(async (m) => [m.username, await playsOf(m.id)] as const));
    expect(counts.filter(([, n]) => n === 0)).toEqual([]);
    for (const member of everyone) await optIn(member);

    // No artist is counted under two identities: a name-only artist never stands beside a Spotify one
    // of that name unless MusicBrainz says they are two artists (the catalogue has same-named bands).
    const doubles = await query<{ name: string }>(
      `SELECT DISTINCT a.name FROM member_artist_totals t JOIN artists a ON a.id = t.artist_id
       WHERE a.id LIKE 'name:%' AND EXISTS (SELECT 1 FROM artists s WHERE s.name_key = a.name_key AND s.id NOT LIKE 'name:%'
         AND (s.mbid IS NULL OR a.mbid IS NULL OR s.mbid = a.mbid))`,
    );
    expect(doubles).toEqual([]);

    // An artist both a Spotify member and a member of another source played: /whoknows lists both.
    const spotifyIds = [dave!.id, erin!.id];
    const others = everyone.filter((m) => !spotifyIds.includes(m.id)).map((m) => m.id);
    const [shared] = await query<{ name: string; spotify_member: string; other_member: string }>(
      `SELECT a.name, s.member_id AS spotify_member, o.member_id AS other_member
       FROM member_artist_totals s JOIN member_artist_totals o ON o.artist_id = s.artist_id
       JOIN artists a ON a.id = s.artist_id
       WHERE s.member_id = ANY($1) AND o.member_id = ANY($2) AND a.id NOT LIKE 'name:%'
       ORDER BY o.plays DESC LIMIT 1`,
      spotifyIds,
      others,
    );
    expect(shared).toBeDefined();
    const offered = await h.autocomplete('/whoknows', { subcommand: 'artist', name: shared!.name }, 'name', dave);
    const choice = offered.choices!.find((c) => c.name === shared!.name)!;
    expect(offered.choices!.filter((c) => c.name === shared!.name)).toHaveLength(1);
    const seen = await h.invoke('/whoknows', { subcommand: 'artist', name: choice.value }, dave);
    const answer = JSON.stringify(seen.final?.embeds ?? []);
    expect(answer).toContain(`<@${shared!.spotify_member}>`);
    expect(answer).toContain(`<@${shared!.other_member}>`);

    // Crowns: lb1's 40 listens crown the Spotify artist itself, not a second identity of it.
    await h.encore.jobs.runNow('refresh-crowns');
    const crowns = await query<{ artist_id: string; holder: string }>(
      `SELECT artist_id, holder_id AS holder FROM crowns WHERE guild_id = $1 AND artist_id IN
         (SELECT id FROM artists WHERE name_key = (SELECT name_key FROM artists WHERE id = $2))`,
      h.guild.id,
      favourite.artist_id,
    );
    expect(crowns).toEqual([{ artist_id: favourite.artist_id, holder: brainz[0]!.id }]);
    const held = await h.invoke('/crowns', { member: brainz[0]!.id }, dave);
    expect(JSON.stringify(held.final?.embeds ?? [])).toContain(favourite.name);

    // The digest's top artists (last seven days) name each artist once, whatever source played it.
    const preview = await h.invoke('/digest', { subcommand: 'preview' }, dave);
    // The digest is a component layout: one text block per section, headed `### <section>`.
    const section = (heading: string) =>
      layoutTexts(preview.final)
        .find((t) => t.startsWith(`### ${heading}\n`))!
        .slice(`### ${heading}\n`.length);
    const topArtists = section('Top artists')
      .split('\n')
      .map((line) => line.replace(/^\d+\. /, '').replace(/ · \d+ plays?$/, ''));
    expect(topArtists.length).toBeGreaterThan(2);
    expect(new Set(topArtists).size).toBe(topArtists.length);
    // Every member of every source has minutes on the board: a Last.fm scrobble has no length, so a
    // typical song's stands in.
    const board = section('Leaderboard (minutes)');
    expect(board).not.toMatch(/· 0 min/);

    // /compat compares a Spotify member with a ListenBrainz member like any two members.
    const compat = await h.invoke('/compat', { member: brainz[0]!.id }, dave);
    expect(JSON.stringify(compat.final?.embeds ?? [])).toMatch(/Taste compatibility: \d+\/100/);
  });

  it('counts a listen once when a member’s ListenBrainz reads the same Spotify', async () => {
    const carol = h.member('sp-carol');
    expect((await h.link(carol, 'carol')).status).toBe(200);
    await h.encore.jobs.runNow('collect-history');
    const spotifyPlays = await playsOf(carol.id);
    expect(spotifyPlays).toBe(50);
    // ListenBrainz's own Spotify reader saw the same plays: each dated by its start, to the second.
    let mirrored = 0;
    for (const play of h.spotify.listening.recent('carol', Date.now(), 50)) {
      const index = lb.catalogue.findIndex((t) => t.spotifyId === play.trackId);
      if (index < 0) continue;
      lb.user('mirror').addListen(play.playedAt - lb.catalogue[index]!.durationMs, index);
      mirrored++;
    }
    expect(mirrored).toBeGreaterThan(5);
    await connectListenBrainz(carol, 'mirror');
    await syncAll();
    expect(await playsOf(carol.id)).toBe(spotifyPlays);
  });
});

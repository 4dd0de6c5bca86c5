import { beforeAll, describe, expect, it } from 'vitest';
import { listeningClock } from '../../src/core/history/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { text } from '../support/messages.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// A Monday 00:00 UTC at least a week after the real now: the scheduler's own minute ticks (real
// time) never find a member due, so only the ticks this test runs poll.
const T0 = (() => {
  const day = Math.floor(Date.now() / DAY) + 7;
  return (day + ((7 - ((day + 3) % 7)) % 7)) * DAY;
})();
// The emulator's clock stays where the test puts it; the bot's runs on from there in real time
// (its request pacer waits for its clock to move).
let now = T0 + 8 * HOUR;
let setAt = Date.now();
const emulatorClock = () => now;
const botClock = () => now + (Date.now() - setAt);
const moveTo = (at: number) => {
  now = at;
  setAt = Date.now();
};

// Jobs run only when the test runs them: a real-time collector poll on the minute once filled the
// history of the "before anything is collected" test (bare-machine CI run 6).
const h = useEncoreHarness({ spotify: { now: emulatorClock }, clock: botClock, jobTicks: manualTicks().source });
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Moves both clocks through [now, to] in 20-minute ticks, running the collector job at each. */
async function listenUntil(to: number, step = 20 * MIN) {
  for (let at = now + step; at <= to; at += step) {
    moveTo(at);
    await h.encore.jobs.runNow('collect-history', new Date(at));
  }
  moveTo(to);
}
const chart = async (options: Record<string, unknown>, as = member()) => {
  const seen = await h.invoke('/chart', options, as);
  const file = seen.final!.files[0]!;
  return { seen, alt: file.description ?? '', embed: text(seen.final), file };
};
let memberUser: ReturnType<typeof h.member> | undefined;
const member = () => memberUser!;

beforeAll(async () => {
  memberUser = h.member('history-charts');
  expect((await h.link(member(), 'alice')).status).toBe(200);
}, 60_000);

describe('/chart from listening history', () => {
  it('says history is thin and falls back to Spotify’s top items before anything is collected', async () => {
    const { alt, embed } = await chart({ kind: 'top-tracks', period: 'week' });
    expect(embed).toContain('only 0 plays');
    expect(embed).toContain('Spotify’s top items (last 4 weeks)');
    // Spotify's top lists have ranks, not counts: no number pretends otherwise.
    expect(alt).toMatch(/^Ranked bar chart of your top tracks: 1\. /);
    expect(alt).not.toContain('plays');
    const clockChart = await chart({ kind: 'listening-clock' });
    expect(clockChart.alt).toMatch(/^Your listening clock: Not enough listening history yet/);
    expect(clockChart.embed).toContain('Hours are in UTC');
  });

  it('after a collected week: top tracks, artists and genres with the real play counts and minutes', async () => {
    await listenUntil(T0 + WEEK + 8 * HOUR);
    // "Past 7 days": today so far and the six whole UTC days before.
    const since = Math.floor(now / DAY) * DAY - 6 * DAY;
    const stored = await h.encore.store.pool.query<{ id: string; name: string; plays: number; ms: string }>(
      `SELECT t.id, t.name, count(*)::int AS plays, sum(p.ms_played)::text AS ms FROM plays p JOIN tracks t ON t.id = p.track_id
       WHERE p.member_id = $1 AND p.played_at >= $2 GROUP BY t.id, t.name ORDER BY plays DESC, sum(p.ms_played) DESC, t.id LIMIT 3`,
      [member().id, new Date(since)],
    );
    // The emulator's truth: what alice played that week, track by track.
    const truth = new Map<string, number>();
    for (const p of h.spotify.listening.playsBetween('alice', since, now))
      truth.set(p.trackId, (truth.get(p.trackId) ?? 0) + 1);
    const top = stored.rows[0]!;
    expect(top.plays).toBe(truth.get(top.id));
    expect(top.plays).toBeGreaterThan(1);

    const tracks = await chart({ kind: 'top-tracks', period: 'week' });
    expect(tracks.alt).toMatch(/^Ranked bar chart of your top tracks: /);
    expect(tracks.alt).toContain(`${top.name} — `);
    expect(tracks.alt).toContain(`${top.plays} plays · `);
    expect(tracks.embed).not.toContain('Spotify’s top items');

    const artists = await chart({ kind: 'top-artists', period: 'week' });
    expect(artists.alt).toMatch(/^Ranked bar chart of your top artists: [^,]+ \d+ plays · \d/);
    // The collector reads genres from the shared cache only: every play is "Unclassified" until
    // the resolver has learned the artists, and the daily job recounts them.
    const unknown = await chart({ kind: 'top-genres', period: 'all' });
    expect(unknown.alt).toMatch(/^Your top genres: Not enough data yet/);
    const credited = await h.encore.store.pool.query<{ id: string; name: string }>(
      `SELECT DISTINCT a.id, a.name FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id JOIN artists a ON a.id = ta.artist_id WHERE p.member_id = $1`,
      [member().id],
    );
    await h.encore.services.genres!.forArtists(member().id, credited.rows);
    await h.encore.jobs.runNow('reclassify-history', new Date(now));
    const genres = await chart({ kind: 'top-genres', period: 'all' });
    expect(genres.alt).toMatch(/^Bar chart of your top genres: [^,]+ \d+% · \d+ plays · /);
    expect(genres.alt).not.toContain('Unclassified');
  }, 120_000);

  it('draws the listening clock in UTC by default and in the member’s time zone once set, saying which', async () => {
    const utc = await chart({ kind: 'listening-clock', period: 'week' });
    expect(utc.embed).toContain('Hours are in UTC. Set yours with **/settings timezone**');
    expect(utc.alt).toMatch(/^Heatmap of listening by weekday and hour, \d+ minutes in all\./);

    const choices = (await h.autocomplete('/settings', { subcommand: 'timezone', zone: 'tokyo' }, 'zone', member()))
      .choices!;
    expect(choices[0]).toEqual({ name: 'Asia/Tokyo', value: 'Asia/Tokyo' });
    expect(
      (await h.autocomplete('/settings', { subcommand: 'timezone', zone: 'a' }, 'zone', member())).choices!.length,
    ).toBe(25);
    const bad = await h.invoke('/settings', { subcommand: 'timezone', zone: 'Mars/Olympus' }, member());
    expect(text(bad.final)).toContain('isn’t a time zone I know');
    const saved = await h.invoke('/settings', { subcommand: 'timezone', zone: 'asia/tokyo' }, member());
    expect(text(saved.final)).toContain('Your time zone is now **Asia/Tokyo**');
    expect(text((await h.invoke('/settings', { subcommand: 'timezone' }, member())).final)).toContain(
      'Your time zone is **Asia/Tokyo**',
    );

    const tokyo = await chart({ kind: 'listening-clock', period: 'week' });
    expect(tokyo.embed).toContain('Hours are in your time zone, Asia/Tokyo.');
    // The same minutes, nine hours later on the clock face: Tokyo is UTC+9 all year.
    const peak = (alt: string) => {
      const m = /Peak hour: (\w+) (\d+):00/.exec(alt)!;
      return DAYS.indexOf(m[1]!) * 24 + Number(m[2]);
    };
    const total = (alt: string) => Number(/, (\d+) minutes in all/.exec(alt)![1]);
    expect(total(tokyo.alt)).toBe(total(utc.alt));
    expect(peak(tokyo.alt)).toBe((peak(utc.alt) + 9) % (7 * 24));
    // And it is the clock of the plays stored for that week.
    const plays = await h.encore.store.pool.query<{ t: Date; ms: number }>(
      `SELECT played_at AS t, ms_played AS ms FROM plays WHERE member_id = $1 AND played_at >= $2`,
      [member().id, new Date(Math.floor(now / DAY) * DAY - 6 * DAY)],
    );
    const cells = listeningClock(
      plays.rows.map((r) => ({ playedAt: r.t.getTime(), ms: r.ms })),
      'Asia/Tokyo',
    );
    expect(total(tokyo.alt)).toBe(Math.round(cells.reduce((s, c) => s + c.minutes, 0)));
  }, 60_000);

  it('shows the genre mix over the weeks, and the gap when Spotify forgot plays between two polls', async () => {
    // Spotify's ranges cannot draw a genre mix: the history does, whatever range was passed.
    const mix = await chart({ kind: 'genre-mix', range: 'long_term' });
    expect(mix.alt).toMatch(/^Stacked area chart of your genre mix over [2-9] weeks/);
    expect(mix.embed).toMatch(/Your history in Encore starts <t:\d+:D>/);
    expect(mix.embed).not.toContain('could not be collected');

    // Seventy tracks back to back while the bot polls nobody: more than Spotify's 50-play window.
    const bingeEnd = h.spotify.listening.binge('alice', now + 10 * MIN, 70);
    moveTo(bingeEnd + 5 * MIN);
    await h.encore.jobs.runNow('collect-history', new Date(now));
    const gaps = await h.encore.store.pool.query(`SELECT * FROM history_gaps WHERE member_id = $1`, [member().id]);
    expect(gaps.rowCount).toBe(1);
    const after = await chart({ kind: 'top-artists', period: 'week' });
    expect(after.embed).toMatch(/Some plays between <t:\d+:f> and <t:\d+:f> could not be collected\./);
  }, 60_000);
});

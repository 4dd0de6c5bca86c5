import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('npm run sandbox -- --tour', () => {
  it('links three members through the consent flow, runs every command, and writes the transcript', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts', '--tour'], {
      encoding: 'utf8',
      // Five minutes: the week's simulated minute ticks and two backfills at the sources' own pace,
      // on a machine that may be busy with other work.
      timeout: 300_000,
    });
    expect(run.stdout).toContain('Tour passed');
    expect(run.status).toBe(0);
    const tour = readFileSync('sandbox-out/tour.md', 'utf8');
    expect(tour).not.toContain('❌');
    for (const name of ['Alice Liddell', 'Bob Marley Fan', 'Carol K']) expect(tour).toContain(`**Linked as ${name}**`);
    expect(tour.match(/\[Link Spotify\]\(http:\/\/127\.0\.0\.1:\d+\/link\//g)?.length).toBeGreaterThanOrEqual(4);
    const pictures = readdirSync('sandbox-out').filter((f) => f.endsWith('.png'));
    // Every chart kind a member can ask for, and the sort preview's chart, each a real PNG.
    for (const kind of ['top-genres', 'top-artists', 'top-tracks', 'sort-preview']) {
      const file = pictures.find((f) => f.endsWith(`-${kind}.png`));
      expect(file, kind).toBeDefined();
      expect(readFileSync(`sandbox-out/${file}`).subarray(1, 4).toString()).toBe('PNG');
    }
    // After the fast-forwarded week, the history charts show collected listening, not "not enough history".
    expect(run.stdout).toMatch(
      /ok {3}advance 7d: the collector polled through a simulated week \(\d+ polls, \d+ plays stored\)/,
    );
    for (const kind of ['listening-clock', 'genre-mix']) {
      expect(
        pictures.some((f) => f.endsWith(`-${kind}.png`)),
        kind,
      ).toBe(true);
      expect(tour).toMatch(new RegExp(`## ✅ /chart ${kind} from the collected week`));
    }
    expect(tour).toMatch(/!\[Heatmap of listening by weekday and hour, \d+ minutes in all\./);
    expect(tour).toMatch(/!\[Stacked area chart of your genre mix over [2-9] weeks/);
    expect(tour).toContain('Hours are in your time zone, Europe/Paris.');
    expect(tour).toMatch(/!\[Ranked bar chart of your top tracks: [^\]]+ \d+ plays · /);
    // The bot's JSON logs go to the file the tour names, not to the console.
    expect(run.stdout).toContain('sandbox-out/encore.log');
    expect(run.stdout).not.toMatch(/"level":\d+/);
    expect(readFileSync('sandbox-out/encore.log', 'utf8')).toMatch(/"msg":"http listening"/);

    // Issue 23: a ListenBrainz member and a Last.fm member connect beside the Spotify ones, their
    // whole histories come in, and the server's boards count them like everyone else.
    expect(tour).toMatch(/## ✅ dave: \/link source:ListenBrainz, pastes lena’s user token/);
    expect(tour).toContain('**Connected ListenBrainz as lena**');
    expect(tour).toMatch(/\[Open Last\.fm\]\(http:\/\/127\.0\.0\.1:\d+\/api\/auth\/\?/);
    expect(tour).toContain('Page: **Connected Last.fm as gwen**');
    const backfill =
      /## ✅ the backfill brings both whole histories in \(dave: ([\d,]+) of lena’s ([\d,]+) listens; erin: ([\d,]+) of gwen’s ([\d,]+) scrobbles\)/.exec(
        tour,
      );
    expect(backfill).not.toBeNull();
    const [daveIn, lenaHas, erinIn, gwenHas] = backfill!.slice(1).map((n) => Number(n.replaceAll(',', ''))) as [
      number,
      number,
      number,
      number,
    ];
    // Every listen but a repeat of a track seconds after itself (a listen counts once) and, one pair
    // in a thousand, two tracks of one second placed at the same instant.
    expect(lenaHas).toBeGreaterThan(10_000);
    expect(lenaHas - daveIn).toBeGreaterThanOrEqual(0);
    expect(lenaHas - daveIn).toBeLessThanOrEqual(Math.ceil(lenaHas / 1000));
    expect(gwenHas - erinIn).toBeGreaterThanOrEqual(0);
    expect(gwenHas - erinIn).toBeLessThanOrEqual(Math.ceil(gwenHas / 1000));
    expect(tour).toMatch(/All [\d,]+ plays from ListenBrainz are in/);
    expect(tour).toMatch(/All [\d,]+ plays from Last\.fm are in/);
    expect(tour).toContain('## ✅ /privacy: dave (ListenBrainz) and erin (Last.fm) choose to appear in this server');
    expect(tour).toContain(
      '## ✅ /leaderboard plays this year: Spotify, ListenBrainz and Last.fm members on one board',
    );
    expect(tour).toMatch(/## ✅ \/whoknows artist: bob types .+; it lists .*(alice|bob).*(dave|erin)/);
    expect(existsSync(`data/sandbox-tour-${run.pid}`)).toBe(false);
  }, 330_000);
});

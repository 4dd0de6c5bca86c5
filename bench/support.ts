import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createLogger } from '../src/log.js';
import { openStore, type Store } from '../src/store/index.js';

/** A throwaway store for a bench: a fresh database on the local Postgres, else the embedded one. */
export async function benchStore(): Promise<{ store: Store; dispose(): Promise<void> }> {
  const log = createLogger('silent');
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `encore_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const store = await openStore({ databaseUrl: url.toString(), dataDir: '/nonexistent', log });
    return {
      store,
      async dispose() {
        await store.close();
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  } catch {
    await client.end().catch(() => {});
    const dir = await mkdtemp(path.join(tmpdir(), 'encore-bench-'));
    await chmod(dir, 0o755);
    const store = await openStore({ dataDir: dir, log });
    return { store, dispose: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
  }
}

export function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const row of rows)
    console.log(
      row.map((cell, c) => cell.padStart(c === 0 ? 0 : widths[c]!).padEnd(c === 0 ? widths[c]! : 0)).join('  '),
    );
}

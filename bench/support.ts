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

/**
 * One line on how a cost grows between two sizes: both figures, the growth against the size's
 * ("10× members → 7.8× time: sub-linear"), then `verdict` (a target and whether it was met).
 */
export function growth(
  what: string,
  unit: string,
  smallSize: number,
  largeSize: number,
  smallMs: number,
  largeMs: number,
  verdict?: string,
): string {
  const sizeRatio = largeSize / smallSize;
  const costRatio = largeMs / smallMs;
  // Within a tenth of the size ratio either way counts as linear: the figures are noisy medians.
  const shape = costRatio < sizeRatio * 0.9 ? 'sub-linear' : costRatio <= sizeRatio * 1.1 ? 'linear' : 'super-linear';
  const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
  return (
    `growth ${what}: ${smallSize.toLocaleString('en')} ${unit} ${ms(smallMs)}, ` +
    `${largeSize.toLocaleString('en')} ${unit} ${ms(largeMs)} — ${fmtRatio(sizeRatio)}× ${unit} → ` +
    `${fmtRatio(costRatio)}× time: ${shape}${verdict ? `; ${verdict}` : ''}`
  );
}

function fmtRatio(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toFixed(1);
}

/** Drops the tables' indexes (primary keys included) and returns what rebuilds them, per table. */
export async function withoutIndexes(db: pg.ClientBase, tables: readonly string[]) {
  const { rows } = await db.query<{ table: string; name: string; def: string; constraint: string | null }>(
    `SELECT i.tablename AS table, i.indexname AS name, i.indexdef AS def,
       (SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p') AS constraint
     FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])`,
    [tables],
  );
  for (const r of rows)
    await db.query(r.constraint ? `ALTER TABLE ${r.table} DROP CONSTRAINT ${r.name}` : `DROP INDEX ${r.name}`);
  const pending = [...rows];
  return async (only?: readonly string[]) => {
    for (const r of pending.filter((x) => !only || only.includes(x.table))) {
      await db.query(r.constraint ? `ALTER TABLE ${r.table} ADD CONSTRAINT ${r.name} ${r.constraint}` : r.def);
      pending.splice(pending.indexOf(r), 1);
    }
  };
}

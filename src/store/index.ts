import type Keyv from 'keyv';
import type pg from 'pg';
import type { Logger } from 'pino';
import { createClaims, type Claims } from './claims.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { createNamespace } from './keyvNamespace.js';
import { createLeases, type Leases } from './leases.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';
import { ensureSchema } from './schema.js';

export type { Claims } from './claims.js';
export type { Leases } from './leases.js';

export interface StoreHealth {
  ok: boolean;
  kind: 'postgres' | 'embedded';
  latencyMs?: number;
  error?: string;
}

export interface Store {
  readonly kind: 'postgres' | 'embedded';
  readonly pool: pg.Pool;
  readonly claims: Claims;
  readonly leases: Leases;
  /** The keyv for one namespace; the same instance is returned for the same name. */
  namespace<T>(name: string): Keyv<T>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl?: string;
  dataDir: string;
  log: Logger;
  poolSize?: number;
}

/** Opens Postgres at `databaseUrl`, or the embedded store under `dataDir` when it is unset. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const log = options.log.child({ module: 'store' });
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(options.dataDir);
    url = embedded.url;
    log.info({ dataDir: options.dataDir }, 'no DATABASE_URL: using the embedded store');
  }
  const kind = embedded ? 'embedded' : 'postgres';
  const pool = createPool(url, log, options.poolSize ?? (embedded ? 4 : 10));
  try {
    // The tables keyv and claims use predate migrations (ensureSchema stays their baseline);
    // everything since is a versioned migration, both under one lock.
    await migrate(pool, log, ensureSchema);
  } catch (error) {
    await pool.end().catch(() => {});
    await embedded?.stop();
    throw error;
  }
  const namespaces = new Map<string, Keyv<unknown>>();
  let closed = false;
  return {
    kind,
    pool,
    claims: createClaims(pool),
    leases: createLeases(pool),
    namespace<T>(name: string) {
      let keyv = namespaces.get(name);
      if (!keyv) {
        keyv = createNamespace<unknown>(pool, name, log);
        namespaces.set(name, keyv);
      }
      return keyv as Keyv<T>;
    },
    async health() {
      const started = performance.now();
      try {
        await pool.query('SELECT 1');
        return { ok: true, kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch (error) {
        return { ok: false, kind, error: error instanceof Error ? error.message : String(error) };
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
      await embedded?.stop();
    },
  };
}

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL the app's pg.Pool connects to, on a loopback port chosen by the OS. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The store used when DATABASE_URL is unset: PGlite (Postgres compiled to WASM, running inside
 * this process) persisted under `dataDir`, served over the Postgres wire protocol on 127.0.0.1
 * with an OS-assigned port, so the same pg.Pool/keyv code runs on it and it can never collide
 * with a server on 5432. Running in-process means no server is left behind when the bot exits,
 * however it exits. (bench/embeddedStore.ts compares it with a spawned embedded Postgres.)
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

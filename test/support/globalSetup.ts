import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Set here, read by the summary reporter: which Postgres the run used, and why. */
export const DATABASE_NOTE_VARIABLE = 'ENCORE_TEST_DATABASE_NOTE';

async function answers(url: string): Promise<true | string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return (error as Error).message || (error as { code?: string }).code || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Finds the Postgres the integration tests run on: TEST_DATABASE_URL when it is set (and then it
 * must answer), else the server on 127.0.0.1:5432 when it answers, else the embedded Postgres the
 * bot itself uses when DATABASE_URL is unset (src/store/embedded.ts), started here for this run
 * in a temporary directory and stopped at its end. No flag chooses: a connection that fails does.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const explicit = process.env.TEST_DATABASE_URL;
  const url = explicit ?? DEFAULT_URL;
  const probe = await answers(url);
  if (probe === true) {
    project.provide('databaseUrl', url);
    process.env[DATABASE_NOTE_VARIABLE] = `Postgres at ${new URL(url).host}`;
    return;
  }
  if (explicit)
    throw new Error(`TEST_DATABASE_URL is set, but Postgres at ${new URL(url).host} does not answer: ${probe}`);

  const { startEmbeddedPostgres } = await import('../../src/store/embedded.js');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'encore-test-pg-'));
  const started = performance.now();
  const embedded = await startEmbeddedPostgres(dir, { maxConnections: 100 });
  const note = `embedded Postgres on ${new URL(embedded.url).host}, because 127.0.0.1:5432 did not answer (${probe})`;
  process.stdout.write(`Tests use an ${note}; started in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
  process.env[DATABASE_NOTE_VARIABLE] = note;
  project.provide('databaseUrl', embedded.url);
  return async () => {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

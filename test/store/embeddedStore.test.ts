import { mkdtemp, rm } from 'node:fs/promises';
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

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

describe('the embedded store (no DATABASE_URL)', () => {
  it('keeps a value across a restart of the store, off port 5432, and leaves no server listening', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'encore-embedded-'));
    dirs.push(dataDir);
    const { log } = captureLogger('warn');

    const first = await openStore({ dataDir, log });
    expect(first.kind).toBe('embedded');
    const port = Number(new URL((first.pool as unknown as { options: { connectionString: string } }).options.connectionString).port);
    expect(port).not.toBe(5432);
    await first.namespace<{ linkedAt: number }>('links').set('user1', { linkedAt: 1_700_000_000_000 });
    await first.claims.claim('digest', 'w1', 'me');
    await first.close();
    expect(await portIsClosed(port)).toBe(true);

    const second = await openStore({ dataDir, log });
    expect(await second.namespace<{ linkedAt: number }>('links').get('user1')).toEqual({ linkedAt: 1_700_000_000_000 });
    expect(await second.claims.claim('digest', 'w1', 'someone else')).toBe(false);
    expect((await second.health()).ok).toBe(true);
    await second.close();
  }, 60_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_LINK_TTL_MS, IMPORT_LINKS_PER_WINDOW, startImport } from '../../src/app/history/importLinks.js';
import { UserError } from '../../src/core/errors.js';
import { parseConfig } from '../../src/config.js';
import { importTokensIn } from '../../src/features/history/importFeature.js';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/http/history/exportUpload.js';
import { UPLOAD_IDLE_TIMEOUT_MS } from '../../src/http/history/importRoutes.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';
import { waitUntil } from '../support/waitUntil.js';
import { framed, onePlay, rawUpload, startUploadServer } from './uploadWorld.js';

const store = useTestStore();
let world: Awaited<ReturnType<typeof startUploadServer>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
const start = async (options: Parameters<typeof startUploadServer>[1] = {}) =>
  (world = await startUploadServer(store(), options));

const errorOf = async (res: Response) => (await res.json()) as { error: string; linkStillWorks?: boolean };
const lastLine = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;
const BIG = 8 * 1024 * 1024;

describe('uploads at once: one per member, a few in all, refused at once before the link is spent', () => {
  it('a second upload by the same member and one past the total get 429 and spool nothing; their links still work', async () => {
    const w = await start({ total: 2 });
    const [alice, bob, carol] = [aMemberId(), aMemberId(), aMemberId()];
    const aliceFirst = rawUpload(await w.linkFor(alice), BIG);
    await aliceFirst.write(Buffer.alloc(1024));
    await waitUntil(() => w.slots.inUse === 1, 'alice’s upload is under way');

    const aliceSecond = await w.linkFor(alice);
    const again = await fetch(aliceSecond, { method: 'POST', body: new Uint8Array(onePlay()) });
    expect(again.status).toBe(429);
    expect((await errorOf(again)).error).toMatch(/already have an upload under way/);
    expect(await w.stillWorks(aliceSecond)).toBe(true);

    const bobs = rawUpload(await w.linkFor(bob), BIG);
    await bobs.write(Buffer.alloc(1024));
    await waitUntil(() => w.slots.inUse === 2, 'bob’s upload is under way');
    const carols = await w.linkFor(carol);
    const full = await fetch(carols, { method: 'POST', body: new Uint8Array(onePlay()) });
    expect(full.status).toBe(429);
    expect(await errorOf(full)).toEqual({
      error: expect.stringMatching(/busy with other members’ uploads/),
      linkStillWorks: true,
    });
    expect(await w.stillWorks(carols)).toBe(true);
    expect(await w.spooled()).toHaveLength(2);

    // Alice's upload ends (she closed the tab): her place is free, and Carol's same link now imports.
    aliceFirst.socket.destroy();
    await waitUntil(() => w.slots.inUse === 1, 'alice’s place is given back');
    const later = await fetch(carols, { method: 'POST', body: new Uint8Array(onePlay()) });
    expect(later.status).toBe(200);
    expect(lastLine(await later.text())).toMatchObject({ done: { imported: 1 } });
    bobs.socket.destroy();
    await waitUntil(() => w.slots.inUse === 0, 'every place is given back');
    expect(await w.spooled()).toEqual([]);
  });

  it('IMPORT_MAX_CONCURRENT_UPLOADS is validated, and a bad value names the variable', () => {
    const base = {
      DISCORD_TOKEN: 'x'.repeat(60),
      DISCORD_APP_ID: '123456789012345678',
      SPOTIFY_CLIENT_ID: 'a'.repeat(32),
      SPOTIFY_CLIENT_SECRET: 'b'.repeat(32),
      PUBLIC_URL: 'https://encore.example.com',
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    };
    const ok = parseConfig({ ...base, IMPORT_MAX_CONCURRENT_UPLOADS: '3' });
    expect(ok.ok && ok.config.IMPORT_MAX_CONCURRENT_UPLOADS).toBe(3);
    const unset = parseConfig(base);
    expect(unset.ok && unset.config.IMPORT_MAX_CONCURRENT_UPLOADS).toBeUndefined();
    for (const bad of ['0', 'two', '2.5', '1000']) {
      const result = parseConfig({ ...base, IMPORT_MAX_CONCURRENT_UPLOADS: bad });
      expect(result.ok, bad).toBe(false);
      if (!result.ok)
        expect(result.problems).toEqual([
          expect.stringMatching(/^IMPORT_MAX_CONCURRENT_UPLOADS must be a whole number/),
        ]);
    }
  });
});

describe('/import links are rate-limited like /link', () => {
  it(`a member gets ${IMPORT_LINKS_PER_WINDOW} links per ten minutes, then a UserError saying when; /unlink forgets the times`, async () => {
    let now = Date.UTC(2026, 11, 7, 12);
    const deps = {
      tokens: importTokensIn(store()),
      isLinked: async () => true,
      publicUrl: 'https://encore.example.com',
      now: () => now,
    };
    const member = aMemberId();
    for (let i = 0; i < IMPORT_LINKS_PER_WINDOW; i++) await startImport(deps, member);
    const refused = await startImport(deps, member).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({ id: 'import.rateLimited', context: { retryAt: now + IMPORT_LINK_TTL_MS } });
    await startImport(deps, aMemberId()); // others are not held up
    now += IMPORT_LINK_TTL_MS;
    await startImport(deps, member);

    expect(await deps.tokens.deleteFor(member)).toBe(IMPORT_LINKS_PER_WINDOW + 1);
    const { rows } = await store().pool.query(
      `SELECT key FROM keyv WHERE strpos(value, $1) > 0 OR strpos(key, $1) > 0`,
      [member],
    );
    expect(rows).toEqual([]);
  });
});

describe('a refused or failed upload leaves its link usable', () => {
  it('a Content-Length over the limit is refused with 413 before the link is spent', async () => {
    const w = await start();
    const url = await w.linkFor(aMemberId());
    const upload = rawUpload(url, DEFAULT_UPLOAD_LIMITS.maxUploadBytes + 1);
    await upload.closed;
    expect(upload.status()).toBe(413);
    expect(upload.received()).toMatch(/too large \(the limit is 1024 MB\)/);
    expect(await w.stillWorks(url)).toBe(true);
    expect(await w.spooled()).toEqual([]);
  });

  it('an upload past the limit without a Content-Length is refused with 413, and the link still works', async () => {
    const w = await start({ limits: { ...DEFAULT_UPLOAD_LIMITS, maxUploadBytes: 1024 * 1024 } });
    const url = await w.linkFor(aMemberId());
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(512 * 1024));
        c.close();
      },
    });
    const res = await fetch(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ linkStillWorks: true });
    expect(await w.stillWorks(url)).toBe(true);
  });

  it('an upload the temp directory has no room for is refused before a byte is spooled', async () => {
    const w = await start({ freeBytes: async () => 100 * 1024 * 1024 });
    const url = await w.linkFor(aMemberId());
    const res = await fetch(url, { method: 'POST', body: new Uint8Array(onePlay()) });
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toEqual({ error: expect.stringMatching(/busy/), linkStillWorks: true });
    expect(await w.stillWorks(url)).toBe(true);
    expect(w.log.text()).toContain('the temp directory is nearly full');
  });

  it('an interrupted upload leaves the link as it was', async () => {
    const w = await start();
    const url = await w.linkFor(aMemberId());
    const upload = rawUpload(url, BIG);
    await upload.write(Buffer.alloc(64 * 1024));
    await waitUntil(() => w.slots.inUse === 1, 'the upload is under way');
    upload.socket.destroy();
    await waitUntil(() => w.slots.inUse === 0, 'the upload ended');
    expect(await w.stillWorks(url)).toBe(true);
    expect(await w.spooled()).toEqual([]);
  });

  it('a damaged file, or a file that is no export, is reported and the same link then imports the right files', async () => {
    const w = await start();
    const member = aMemberId();
    const url = await w.linkFor(member);
    const damaged = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(framed([['StreamingHistory_music_0.json', '[{"endTime": 12']])),
    });
    expect(damaged.status).toBe(200);
    expect(lastLine(await damaged.text())).toEqual({
      error: expect.stringMatching(/StreamingHistory_music_0\.json is damaged/),
      linkStillWorks: true,
    });
    const notAnExport = await fetch(url, { method: 'POST', body: new Uint8Array(Buffer.from('hello')) });
    expect(lastLine(await notAnExport.text())).toMatchObject({ linkStillWorks: true });

    const good = await fetch(url, { method: 'POST', body: new Uint8Array(onePlay()) });
    expect(lastLine(await good.text())).toMatchObject({ done: { imported: 1 } });
    // Once imported, the link is spent.
    const again = await fetch(url, { method: 'POST', body: new Uint8Array(onePlay()) });
    expect(again.status).toBe(410);
    expect(await errorOf(again)).toEqual({ error: expect.stringMatching(/expired or was already used/) });
  });

  it('an upload whose member unlinked meanwhile does not bring the link back', async () => {
    let linked = true;
    const w = await start({ isLinked: async () => linked });
    const url = await w.linkFor(aMemberId());
    linked = false;
    const res = await fetch(url, { method: 'POST', body: new Uint8Array(onePlay()) });
    expect(lastLine(await res.text())).toEqual({ error: expect.stringMatching(/haven’t linked Spotify/) });
    expect(await w.stillWorks(url)).toBe(false);
  });
});

describe('uploads have an idle timeout, not a total one', () => {
  it('an upload still sending after Node’s old 300 s total is imported; one that falls silent is dropped and its link still works', async () => {
    const w = await start();
    // Node's own total deadline runs on the real clock, where no test can move it: it must be off.
    expect(w.server.requestTimeout).toBe(0);
    expect(w.server.headersTimeout).toBeGreaterThan(0);

    const body = onePlay();
    const url = await w.linkFor(aMemberId());
    const slow = rawUpload(url, body.length);
    // Eight pieces, 50 s apart: 400 s in all, each gap under the idle timeout.
    const pieces = 8;
    const size = Math.ceil(body.length / pieces);
    for (let i = 0; i < pieces; i++) {
      const armed = w.clock.armed;
      await slow.write(body.subarray(i * size, (i + 1) * size));
      await waitUntil(() => w.clock.armed > armed, 'the server read the piece');
      if (i < pieces - 1) w.clock.advance(50_000);
    }
    await waitUntil(() => slow.received().includes('"done"'), 'the slow upload is imported');
    expect(slow.status()).toBe(200);

    const silent = await w.linkFor(aMemberId());
    const stalled = rawUpload(silent, body.length);
    await stalled.write(body.subarray(0, 10));
    await waitUntil(() => w.slots.inUse === 1 && w.clock.live(UPLOAD_IDLE_TIMEOUT_MS) === 1, 'the upload is spooling');
    w.clock.advance(UPLOAD_IDLE_TIMEOUT_MS - 1);
    expect(w.slots.inUse).toBe(1);
    w.clock.advance(1);
    await stalled.closed;
    await waitUntil(() => w.slots.inUse === 0, 'the silent upload’s place is given back');
    expect(await w.stillWorks(silent)).toBe(true);
    expect(await w.spooled()).toEqual([]);
  });

  it('any other request whose body has not arrived by the request deadline is cut', async () => {
    const w = await start();
    w.server.keepAliveTimeout = 0; // so that nothing but the request deadline can end this connection
    const post = rawUpload(`${w.base}/somewhere-else`, 1_000);
    await post.write('x'.repeat(10));
    // Answered at once (nothing reads that body), but the connection waits for the rest of it.
    await waitUntil(() => post.status() === 404, 'the server answered');
    w.clock.advance(299_000);
    expect(post.socket.destroyed).toBe(false);
    w.clock.advance(1_000);
    await post.closed;
  });
});

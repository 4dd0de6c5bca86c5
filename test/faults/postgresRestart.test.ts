import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { freePort } from '../../src/net.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/store/embedded.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, contentAndEmbeds as text, linkUrl } from '../support/messages.js';
import { sortWorld } from '../support/sortWorld.js';
import { waitUntil } from '../support/waitUntil.js';

/**
 * Postgres restarted in the middle of a sort, a collector poll and an import. The bot runs on a
 * Postgres of this file's own (never the shared 5432 server), restarted on the same port; the
 * Spotify emulator's gates hold each operation at the point where the restart hurts. The process
 * must survive (the app's one pool has an error handler) and every end state must be the one an
 * uninterrupted run leaves: each track once, each play once, nothing lost.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;
let dir: string;
let port: number;
let postgres: EmbeddedPostgres;
// The emulator's clock stands still, so what "recently played" holds is the same at every poll.
const spotifyNow = Date.now();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'encore-pg-restart-'));
  await chmod(dir, 0o755); // as root the server runs as the postgres user, who must reach it
  port = await freePort();
  postgres = await startEmbeddedPostgres(dir, { port });
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

const h = useEncoreHarness(() => ({ config: { DATABASE_URL: postgres.url }, spotify: { now: () => spotifyNow } }));

const stopPostgres = () => postgres.stop();
const startPostgres = async () => {
  postgres = await startEmbeddedPostgres(dir, { port });
};
const gate = () => {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
};
const count = async (sql: string, params: unknown[]) =>
  Number((await h.encore.store.pool.query(sql, params)).rows[0].n);

let alice: EUser;
let dave: EUser;
beforeAll(async () => {
  alice = h.member('alice-pg');
  dave = h.member('dave-pg');
  expect((await h.link(alice, 'alice')).status).toBe(200);
  expect((await h.link(dave, 'dave')).status).toBe(200);
}, 60_000);

describe('Postgres restarts in the middle of things', () => {
  it('a sort whose track writes land while Postgres is down finishes with every track exactly once in the planned playlists', async () => {
    const { trackUris, createdFrom, deleteCreated } = sortWorld(() => h.spotify, 'alice');
    deleteCreated('Road trip');
    const preview = (await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice)).final!;
    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    expect(confirm, text(preview)).toBeDefined();
    const dms = h.dmsOf(alice).length;
    const writes = gate();
    const ITEMS = /^\/playlists\/[^/]+\/items$/;
    h.spotify.addFault({ method: 'POST', path: ITEMS, gate: writes.promise });
    const held = () => h.spotify.requests.filter((r) => r.method === 'POST' && ITEMS.test(r.path) && r.status === 0);
    const clicked = h.click(preview, confirm.custom_id!, alice);
    try {
      await waitUntil(() => held().length > 0, 'track writes are held at Spotify');
      await stopPostgres();
      // The writes land now, while the runner cannot record them.
      writes.release();
      await waitUntil(() => held().length === 0, 'the held writes were answered');
      await startPostgres();
    } finally {
      writes.release();
      h.spotify.control.faults.length = 0;
    }
    const seen = await clicked;
    const finishedAtOnce = text(seen.final).includes('Done: ');
    if (!finishedAtOnce) {
      expect(text(seen.final)).toMatch(/Interrupted|lost touch with my database|Paused/);
      // Past the lease the run left behind, the resume job finishes it.
      await h.encore.jobs.runNow('resume-sorts', new Date(Date.now() + 3 * MINUTE));
      expect(
        h
          .dmsOf(alice)
          .slice(dms)
          .filter((m) => text(m).includes('is finished')),
      ).toHaveLength(1);
    }
    const placed = createdFrom('Road trip').flatMap((p) =>
      p.items.map((i) => `spotify:track:${(i as { id: string }).id}`),
    );
    expect(placed.length).toBe(new Set(placed).size);
    expect(placed.sort()).toEqual(trackUris('roadtrip1000').sort());
    const planned = (preview.embeds[0] as { description: string }).description
      .split('\n')
      .map((l) => /\*\*(.+)\*\* — (\d+) tracks/.exec(l)!.slice(1))
      .map(([name, n]) => [name!, Number(n)] as const)
      .sort();
    expect(
      createdFrom('Road trip')
        .map((p) => [p.name, p.items.length] as const)
        .sort(),
    ).toEqual(planned);
    expect((await h.encore.store.health()).ok).toBe(true);
  }, 60_000);

  it('a collector poll whose answer arrives while Postgres is down loses nothing and stores nothing twice on the next poll', async () => {
    // A member linked just now: nothing of theirs is stored yet, whichever tick polls them first
    // (the bot's own cron runs too; its poll would be held at the same gate).
    const reads = gate();
    h.spotify.addFault({ method: 'GET', path: '/me/player/recently-played', gate: reads.promise });
    const erin = h.member('erin-pg');
    expect((await h.link(erin, 'erin')).status).toBe(200);
    const held = () =>
      h.spotify.requests.filter((r) => r.path === '/me/player/recently-played' && r.status === 0).length;
    const now = Date.now();
    const tick = h.encore.jobs.runNow('collect-history', new Date(now));
    try {
      await waitUntil(() => held() > 0, 'the poll is held at Spotify');
      await stopPostgres();
      reads.release();
      await waitUntil(() => held() === 0, 'the poll was answered');
      await tick.catch(() => undefined);
      await startPostgres();
    } finally {
      reads.release();
      h.spotify.control.faults.length = 0;
    }
    // The next ticks, past the poll's lease: each member's last 50 plays, once.
    await h.encore.jobs.runNow('collect-history', new Date(now + 5 * MINUTE));
    await h.encore.jobs.runNow('collect-history', new Date(now + 60 * MINUTE));
    for (const [member, user] of [
      [erin, 'erin'],
      [dave, 'dave'],
    ] as const) {
      const truth = h.spotify.listening.recent(user, spotifyNow, 50).map((p) => p.playedAt);
      const stored = (
        await h.encore.store.pool.query<{ played_at: Date }>(
          `SELECT played_at FROM plays WHERE member_id = $1 ORDER BY played_at DESC`,
          [member.id],
        )
      ).rows.map((r) => r.played_at.getTime());
      expect(stored).toEqual(truth);
      expect(
        await count(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily WHERE member_id = $1`, [member.id]),
      ).toBe(truth.length);
    }
  }, 60_000);

  it('an import whose upload is under way when Postgres restarts stores nothing; the same link then imports every play once', async () => {
    const zip = await h.spotify.exportExtendedHistory(
      'dave',
      { from: spotifyNow - 90 * DAY, to: spotifyNow },
      { perFile: 300 },
    );
    const played = h.spotify.listening.playsBetween('dave', spotifyNow - 90 * DAY, spotifyNow);
    const before = await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [dave.id]);
    expect(before).toBe(50); // the collector's last 50, from the test before

    await h.invoke('/import', {}, dave);
    const url = linkUrl(h.dmsOf(dave).at(-1)!);
    // Half the upload, then Postgres goes away, then the rest: the import cannot stage.
    let sendRest!: () => void;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new Uint8Array(zip.subarray(0, zip.length >> 1)));
        await new Promise<void>((r) => (sendRest = r));
        controller.enqueue(new Uint8Array(zip.subarray(zip.length >> 1)));
        controller.close();
      },
    });
    const answer = fetch(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
    await waitUntil(() => sendRest !== undefined, 'the upload started');
    await stopPostgres();
    sendRest();
    const res = await answer;
    const out = await res.text();
    await startPostgres();
    expect(out).toMatch(/"error"/);
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [dave.id])).toBe(before);

    // The link is spent only once an import starts, and a failed one gives it back: the same link
    // imports everything once; the collector's 50 are recognised as the same listens.
    const again = await fetch(url, { method: 'POST', body: new Uint8Array(zip) });
    expect(again.status).toBe(200);
    const done = JSON.parse((await again.text()).trim().split('\n').at(-1)!).done as {
      imported: number;
      duplicates: number;
    };
    expect(done).toMatchObject({ imported: played.length - 50, duplicates: 50 });
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [dave.id])).toBe(played.length);
    expect(
      await count(
        `SELECT count(*) AS n FROM (SELECT played_at FROM plays WHERE member_id = $1 GROUP BY played_at HAVING count(*) > 1) d`,
        [dave.id],
      ),
    ).toBe(0);
    expect(await count(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily WHERE member_id = $1`, [dave.id])).toBe(
      played.length,
    );
  }, 60_000);

  it('the process survived every restart: the store reports healthy and a command still answers', async () => {
    expect((await h.encore.store.health()).ok).toBe(true);
    const seen = await h.invoke('/help', {}, alice);
    expect(seen.rejected).toEqual([]);
    expect(h.log.lines().some((l) => String(l.msg).includes('idle Postgres connection lost'))).toBe(true);
  });
});

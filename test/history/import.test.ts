import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extendedHistoryEntries,
  extendedHistoryZip,
  syntheticPlays,
  type EmulatedPlay,
} from '../../emulators/spotify/index.js';
import { seedWorld } from '../../emulators/spotify/seed.js';
import { importHistory, type HistoryImportDeps, type ImportSummary } from '../../src/app/history/importHistory.js';
import { startImport } from '../../src/app/history/importLinks.js';
import { UserError } from '../../src/core/errors.js';
import { importSummaryText } from '../../src/discord/messages/importMessages.js';
import { userErrorMessage } from '../../src/discord/userErrorMessages.js';
import {
  DEFAULT_UPLOAD_LIMITS,
  FILES_MAGIC,
  uploadEntries,
  type UploadLimits,
} from '../../src/http/history/exportUpload.js';
import { importRouter } from '../../src/http/history/importRoutes.js';
import { importTokensIn } from '../../src/features/history/importFeature.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createImportRepository } from '../../src/store/history/importRepository.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';
import { captureLogger } from '../support/logger.js';

const store = useTestStore();
const world = seedWorld(42);
const START = Date.UTC(2014, 2, 2, 18);
let dir: string;
let clock = Date.UTC(2026, 10, 30, 12);

function deps(): HistoryImportDeps {
  return {
    repo: createImportRepository(store().pool),
    tokens: importTokensIn(store()),
    isLinked: async () => true,
    cachedGenres: async () => new Map(),
    publicUrl: 'http://127.0.0.1:1',
    now: () => clock,
  };
}

let n = 0;
async function file(bytes: Buffer | string): Promise<string> {
  const p = path.join(dir, `upload-${n++}`);
  await writeFile(p, bytes);
  return p;
}
const run = async (member: string, upload: Buffer | string, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS) =>
  importHistory(deps(), member, uploadEntries(await file(upload), limits));

/** The JSON files the upload page sends together when the member drops loose files. */
const framed = (files: Array<[string, string]>) =>
  Buffer.concat([
    Buffer.from(FILES_MAGIC),
    ...files.flatMap(([name, text]) => [
      Buffer.from(`${Buffer.byteLength(text)} ${encodeURIComponent(name)}\n`),
      Buffer.from(text),
    ]),
  ]);

function zipOf(files: Array<[string, Buffer | string]>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of files) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

async function counts(member: string) {
  const one = async (sql: string) => Number((await store().pool.query(sql, [member])).rows[0].n);
  return {
    plays: await one(`SELECT count(*) AS n FROM plays WHERE member_id = $1`),
    daily: await one(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily WHERE member_id = $1`),
    dailyMs: await one(`SELECT coalesce(sum(ms), 0) AS n FROM member_daily WHERE member_id = $1`),
    genres: await one(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily_genres WHERE member_id = $1`),
    artists: await one(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily_artists WHERE member_id = $1`),
    imports: await one(`SELECT count(*) AS n FROM history_imports WHERE member_id = $1`),
  };
}
const catalogue = async () =>
  (
    await store().pool.query<{ t: string; a: string }>(
      `SELECT (SELECT count(*) FROM tracks) AS t, (SELECT count(*) FROM artists) AS a`,
    )
  ).rows[0];

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'encore-import-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// 105,000 plays over about twelve years, in files of 15,000 entries, with podcasts and skips.
const PLAYS = 105_000;
let life: EmulatedPlay[];
let extendedZip: Buffer;

describe('importing an Extended streaming history export', () => {
  const member = aMemberId();

  it('stores every music play once, apart from those the collector already has, and counts them in the rollups', async () => {
    life = syntheticPlays(world, { count: PLAYS, start: START });
    const entries = extendedHistoryEntries(world, life, { shape: 'old' });
    extendedZip = await extendedHistoryZip(entries, { perFile: 15_000 });
    const podcasts = entries.filter((e) => e.spotify_episode_uri).length;
    const skips = entries.filter((e) => (e.ms_played as number) < 30_000).length;
    expect(podcasts).toBeGreaterThan(1000);
    // The collector already has 300 of these listens, at millisecond precision (the export says seconds).
    const collected = life.slice(50_000, 50_300);
    const track = (id: string) => world.tracks.get(id)!;
    await createHistoryRepository(store().pool).insertPlays(
      member,
      collected.map((p) => ({
        playedAt: Math.floor(p.playedAt / 1000) * 1000 + 437,
        track: {
          id: p.trackId,
          name: track(p.trackId).name,
          artists: track(p.trackId).artistIds.map((id) => ({ id, name: world.artists.get(id)!.name })),
        },
        msPlayed: track(p.trackId).durationMs,
        msEstimated: true,
        source: 'collected',
        genre: 'unclassified',
      })),
    );

    const summary = await run(member, extendedZip);
    expect(summary).toMatchObject({
      imported: PLAYS - 300,
      duplicates: 300,
      podcasts,
      short: skips,
      files: Math.ceil(entries.length / 15_000),
      from: Math.floor(life[0]!.playedAt / 1000) * 1000,
      to: Math.floor(life.at(-1)!.playedAt / 1000) * 1000,
    });
    expect(importSummaryText(summary)).toMatch(/^Imported 104,700 plays from March 2014 to \w+ 20\d\d\./);
    const after = await counts(member);
    expect(after).toMatchObject({ plays: PLAYS, daily: PLAYS, genres: PLAYS, imports: 1 });
    // Imported plays carry the export's ms_played; the collected ones their estimate.
    const ms = life.reduce((sum, p) => sum + p.msPlayed, 0);
    const collectedMs = collected.reduce((sum, p) => sum + track(p.trackId).durationMs - p.msPlayed, 0);
    expect(after.dailyMs).toBe(ms + collectedMs);
    // No IP address, user agent or username reached any table.
    const leaked = await store().pool.query(
      `SELECT count(*)::int AS n FROM plays p JOIN tracks t ON t.id = p.track_id WHERE p.member_id = $1 AND (t.name LIKE '%203.0.113.7%' OR t.name LIKE '%emulated-user%')`,
      [member],
    );
    expect(leaked.rows[0].n).toBe(0);
  }, 120_000);

  it('changes nothing when the same export is imported again', async () => {
    const before = await counts(member);
    const cat = await catalogue();
    const summary = await run(member, extendedZip);
    expect(summary.imported).toBe(0);
    expect(summary.duplicates).toBe(PLAYS);
    expect(importSummaryText(summary)).toMatch(/^Nothing new to import/);
    expect(await counts(member)).toEqual({ ...before, imports: 2 });
    expect(await catalogue()).toEqual(cat);
  }, 120_000);

  it('does not count Account data plays twice where they overlap the Extended history', async () => {
    // The last 2,000 plays of the extended export, as Account data says them (minute precision,
    // names only), and 400 plays after it: 300 of known tracks, 100 of tracks no one has stored.
    const overlap = life.slice(-2_000);
    let at = life.at(-1)!.playedAt + 3_600_000;
    const later = Array.from({ length: 400 }, (_, i) => {
      at += 200_000;
      return i < 300
        ? { track: world.tracks.get(life[i]!.trackId)!, at }
        : { track: { name: `Unreleased demo ${i}`, artistIds: ['nobody'] }, at };
    });
    const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    const artistName = (ids: string[]) => world.artists.get(ids[0]!)?.name ?? 'Garage Band';
    const rows = [
      ...overlap.map((p) => {
        const t = world.tracks.get(p.trackId)!;
        return {
          endTime: minute(p.playedAt),
          artistName: artistName(t.artistIds),
          trackName: t.name,
          msPlayed: p.msPlayed,
        };
      }),
      ...later.map((p) => ({
        endTime: minute(p.at),
        artistName: artistName(p.track.artistIds),
        trackName: p.track.name,
        msPlayed: 150_000,
      })),
      { endTime: minute(at + 100_000), artistName: 'Some Show', trackName: 'Skipped', msPlayed: 4_000 },
    ];
    const before = await counts(member);
    const upload = framed([
      ['StreamingHistory_music_0.json', JSON.stringify(rows.slice(0, 1200))],
      ['StreamingHistory_music_1.json', JSON.stringify(rows.slice(1200))],
    ]);
    const summary = await run(member, upload);
    expect(summary).toMatchObject({ imported: 400, duplicates: 2_000, short: 1, files: 2 });
    expect((await counts(member)).plays).toBe(before.plays + 400);
    // Known tracks were matched to their Spotify ids; the unknown ones are kept by name.
    const ids = await store().pool.query<{ named: number; spotify: number }>(
      `SELECT count(*) FILTER (WHERE track_id LIKE 'name:%')::int AS named, count(*) FILTER (WHERE track_id NOT LIKE 'name:%')::int AS spotify
       FROM plays WHERE member_id = $1 AND played_at > $2`,
      [member, new Date(life.at(-1)!.playedAt).toISOString()],
    );
    expect(ids.rows[0]).toEqual({ named: 100, spotify: 300 });
    // The same Account data again: nothing new.
    expect((await run(member, upload)).imported).toBe(0);
    expect((await counts(member)).plays).toBe(before.plays + 400);
  }, 60_000);
});

describe('bad input', () => {
  const good = JSON.stringify(
    extendedHistoryEntries(world, syntheticPlays(world, { count: 50, start: START }), { episodeEvery: 0 }),
    null,
    2,
  );
  const nothingStored = async (member: string, cat: unknown) => {
    expect(await counts(member)).toMatchObject({ plays: 0, daily: 0, genres: 0, artists: 0, imports: 0 });
    expect(await catalogue()).toEqual(cat);
  };
  const expectRefused = async (upload: Buffer | string, id: string, limits?: UploadLimits) => {
    const member = aMemberId();
    const cat = await catalogue();
    const error = await rejection(run(member, upload, limits));
    expect(error.id).toBe(id);
    await nothingStored(member, cat);
    return userErrorMessage(error);
  };

  it('a zip that is not a Spotify export, or has no streaming history in it', async () => {
    const zip = await zipOf([
      ['holiday/photo.jpg', Buffer.alloc(2000, 7)],
      ['notes.txt', 'hello'],
      ['Spotify Account Data/Userdata.json', '{"username":"x"}'],
    ]);
    expect(await expectRefused(zip, 'import.noHistory')).toMatch(/no streaming history in that upload/);
  });

  it('something that is not a zip nor the page’s files', async () => {
    expect(await expectRefused('%PDF-1.7 not a zip', 'import.notAnExport')).toMatch(/isn’t a Spotify data export/);
    // Looks like a zip but is cut short: yauzl finds no directory.
    const zip = await zipOf([['Streaming_History_Audio_2020_0.json', good]]);
    expect(await expectRefused(zip.subarray(0, zip.length - 30), 'import.notAnExport')).toMatch(/Nothing was imported/);
  });

  it('malformed JSON names the file and where, and the good file before it is not stored either', async () => {
    const broken = good.replace('"ts"', '"ts" "').split('\n');
    const zip = await zipOf([
      ['Spotify Extended Streaming History/Streaming_History_Audio_2014-2016_0.json', good],
      ['Spotify Extended Streaming History/Streaming_History_Audio_2016-2018_1.json', broken.join('\n')],
    ]);
    const message = await expectRefused(zip, 'import.malformedJson');
    expect(message).toContain('Spotify Extended Streaming History/Streaming_History_Audio_2016-2018_1.json is damaged');
    expect(message).toMatch(/\(line 3, column \d+\)/);
    const truncated = await expectRefused(
      framed([['StreamingHistory_music_0.json', '[{"endTime":"2022-12-05 16:52","artistName":"A"']]),
      'import.malformedJson',
    );
    expect(truncated).toMatch(/StreamingHistory_music_0.json is damaged: it isn’t valid JSON \(line 1, column \d+\)/);
    expect(
      await expectRefused(framed([['StreamingHistory_music_0.json', '{"not":"a list"}']]), 'import.malformedJson'),
    ).toMatch(/isn’t a list of plays/);
  });

  it('a member who unlinked while the files were read gets nothing stored', async () => {
    const member = aMemberId();
    const cat = await catalogue();
    const upload = await file(
      framed([
        [
          'StreamingHistory_music_0.json',
          JSON.stringify([{ endTime: '2022-12-05 16:52', artistName: 'A', trackName: 'B', msPlayed: 100_000 }]),
        ],
      ]),
    );
    const error = await rejection(
      importHistory({ ...deps(), isLinked: async () => false }, member, uploadEntries(upload, DEFAULT_UPLOAD_LIMITS)),
    );
    expect(error.id).toBe('account.notLinked');
    await nothingStored(member, cat);
  });

  it('a zip bomb: too many entries, too many bytes unpacked, or one history file far too big', async () => {
    const many = await zipOf(Array.from({ length: 10_001 }, (_, i): [string, string] => [`f${i}.txt`, '']));
    expect(await expectRefused(many, 'import.zipBomb')).toMatch(/unpacks to far more than a Spotify export/);
    // 65 MB of zeros compress to about 64 kB.
    const zeros = await zipOf([['Streaming_History_Audio_2020_0.json', Buffer.alloc(65 * 1024 * 1024)]]);
    expect(zeros.length).toBeLessThan(1024 * 1024);
    expect(await expectRefused(zeros, 'import.fileTooLarge')).toMatch(/over 64 MB/);
    const wide = await zipOf(
      Array.from({ length: 20 }, (_, i): [string, Buffer] => [`x${i}.bin`, Buffer.alloc(1024 * 1024)]),
    );
    expect(
      await expectRefused(wide, 'import.zipBomb', { ...DEFAULT_UPLOAD_LIMITS, maxUnpackedBytes: 10 * 1024 * 1024 }),
    ).toMatch(/Nothing was imported/);
  });
});

describe('the upload over HTTP', () => {
  let base: string;
  let server: Server;
  const dms: Array<{ member: string; summary: ImportSummary }> = [];
  const limits = { ...DEFAULT_UPLOAD_LIMITS, maxUploadBytes: 2 * 1024 * 1024 };
  beforeAll(async () => {
    const app = express();
    app.use(
      importRouter({
        imports: deps(),
        limits,
        spoolDir: dir,
        log: captureLogger('silent').log,
        describe: userErrorMessage,
        summarize: importSummaryText,
        onImported: async (member, summary) => {
          dms.push({ member, summary });
        },
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const linkFor = async (member: string) => (await startImport(deps(), member)).url.replace('http://127.0.0.1:1', base);
  const lines = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('imports once per link; a reused or expired link is refused and stores nothing', async () => {
    const member = aMemberId();
    const url = await linkFor(member);
    expect((await fetch(url)).status).toBe(200);
    const zip = await zipOf([
      [
        'Streaming_History_Audio_2024_0.json',
        JSON.stringify(extendedHistoryEntries(world, syntheticPlays(world, { count: 120, start: START }))),
      ],
    ]);
    const res = await fetch(url, { method: 'POST', body: new Uint8Array(zip) });
    expect(res.status).toBe(200);
    const out = lines(await res.text());
    expect(out.slice(0, 2)).toEqual([
      { progress: { stage: 'reading', file: 'Streaming_History_Audio_2024_0.json', files: 1, plays: 120 } },
      { progress: { stage: 'storing', files: 1, plays: 120 } },
    ]);
    expect(out.at(-1)).toMatchObject({
      done: { imported: 120, message: expect.stringMatching(/^Imported 120 plays/) },
    });
    expect(dms).toEqual([{ member, summary: expect.objectContaining({ imported: 120 }) }]);

    const again = await fetch(url, { method: 'POST', body: new Uint8Array(zip) });
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: string }).error).toMatch(/expired or was already used/);
    expect((await fetch(url)).status).toBe(410);

    const other = aMemberId();
    const late = await linkFor(other);
    clock += 10 * 60_000;
    const expired = await fetch(late, { method: 'POST', body: new Uint8Array(zip) });
    expect(expired.status).toBe(410);
    expect((await counts(other)).plays).toBe(0);
  });

  it('an oversized upload is refused, whether it says its size or not', async () => {
    const member = aMemberId();
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    const res = await fetch(await linkFor(member), { method: 'POST', body: new Uint8Array(big) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too large \(the limit is 2 MB\)/);
    // Chunked: no Content-Length, the spooler counts.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 6; i++) c.enqueue(new Uint8Array(512 * 1024));
        c.close();
      },
    });
    const chunked = await fetch(await linkFor(member), { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await counts(member)).plays).toBe(0);
  });

  it('a bad file is reported on the page, line by line', async () => {
    const member = aMemberId();
    const res = await fetch(await linkFor(member), {
      method: 'POST',
      body: new Uint8Array(framed([['StreamingHistory_music_0.json', '[{"endTime": 12']])),
    });
    expect(lines(await res.text()).at(-1)).toMatchObject({
      error: expect.stringMatching(
        /StreamingHistory_music_0.json is damaged: it isn’t valid JSON \(line 1, column 16\)/,
      ),
    });
    expect((await counts(member)).plays).toBe(0);
  });
});

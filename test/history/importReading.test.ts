import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importHistory,
  type ExportEntry,
  type ExportUpload,
  type HistoryImportDeps,
  type ImportRepository,
} from '../../src/app/history/importHistory.js';
import { UserError } from '../../src/core/errors.js';
import { MAX_NAME_LENGTH } from '../../src/core/history/exportRecords.js';
import { userErrorMessage } from '../../src/discord/userErrorMessages.js';
import { DEFAULT_UPLOAD_LIMITS, FILES_MAGIC, uploadEntries } from '../../src/http/history/exportUpload.js';
import { createImportRepository } from '../../src/store/history/importRepository.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const NOW = Date.UTC(2026, 10, 30, 12);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'encore-import-reading-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = (repo: ImportRepository = createImportRepository(store().pool)): HistoryImportDeps => ({
  repo,
  tokens: {} as never,
  isLinked: async () => true,
  cachedGenres: async () => new Map(),
  publicUrl: 'http://127.0.0.1:1',
  now: () => NOW,
});
let n = 0;
async function spooled(bytes: Buffer): Promise<string> {
  const p = path.join(dir, `upload-${n++}`);
  await writeFile(p, bytes);
  return p;
}
const framed = (files: Array<[string, string]>) =>
  Buffer.concat([
    Buffer.from(FILES_MAGIC),
    ...files.flatMap(([name, text]) => [
      Buffer.from(`${Buffer.byteLength(text)} ${encodeURIComponent(name)}\n`),
      Buffer.from(text),
    ]),
  ]);
const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
};
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const extended = (ts: string, ms: number, title: string, artist = 'The Band', uri: string | null = null) => ({
  ts,
  ms_played: ms,
  master_metadata_track_name: title,
  master_metadata_album_artist_name: artist,
  master_metadata_album_album_name: 'Album',
  spotify_track_uri: uri,
});

describe('the upload page’s framed files', () => {
  it('are capped like a zip’s entries, skipped ones included', async () => {
    const member = aMemberId();
    const tiny = Array.from({ length: 10_001 }, (_, i): [string, string] => [`f${i}.txt`, '']);
    const error = await rejection(
      importHistory(deps(), member, uploadEntries(await spooled(framed(tiny)), DEFAULT_UPLOAD_LIMITS)),
    );
    expect(error.id).toBe('import.tooManyFiles');
    expect(userErrorMessage(error)).toMatch(/more files than a Spotify export ever does .*Nothing was imported/);
    // Exactly at the cap is fine (and here holds no history).
    const atCap = await rejection(
      importHistory(deps(), member, uploadEntries(await spooled(framed(tiny.slice(1))), DEFAULT_UPLOAD_LIMITS)),
    );
    expect(atCap.id).toBe('import.noHistory');
  });
});

describe('reading before storing', () => {
  /** An upload whose files are read a chunk at a time, noting what the pool has lent meanwhile. */
  function watchedUpload(files: Array<[string, string]>) {
    const seen = { filesRead: 0, clientsOutWhileReading: [] as number[] };
    const pool = store().pool;
    async function* entries(): AsyncGenerator<ExportEntry> {
      for (const [name, text] of files) {
        yield {
          name,
          async *bytes() {
            const bytes = Buffer.from(text);
            for (let at = 0; at < bytes.length; at += 100) {
              seen.clientsOutWhileReading.push(pool.totalCount - pool.idleCount);
              // A slow upload: the event loop turns between chunks, as it does between reads of a disk.
              await new Promise((resolve) => setImmediate(resolve));
              yield bytes.subarray(at, at + 100);
            }
            seen.filesRead++;
          },
        };
      }
    }
    const upload: ExportUpload = entries();
    return { upload, seen };
  }
  const plays = (count: number, from: number) =>
    JSON.stringify(Array.from({ length: count }, (_, i) => extended(iso(from + i * 240_000), 200_000, `Song ${i}`)));

  it('takes a database connection only once every file has been read', async () => {
    const member = aMemberId();
    const files: Array<[string, string]> = [
      ['Streaming_History_Audio_2020_0.json', plays(40, Date.UTC(2020, 0, 1))],
      ['Streaming_History_Audio_2021_1.json', plays(40, Date.UTC(2021, 0, 1))],
    ];
    const { upload, seen } = watchedUpload(files);
    const real = createImportRepository(store().pool);
    let filesReadAtBegin: number | undefined;
    const repo: ImportRepository = {
      ...real,
      begin(memberId, startedAt) {
        filesReadAtBegin = seen.filesRead;
        return real.begin(memberId, startedAt);
      },
    };
    const summary = await importHistory(deps(repo), member, upload);
    expect(summary.imported).toBe(80);
    expect(filesReadAtBegin).toBe(2);
    expect(seen.clientsOutWhileReading.length).toBeGreaterThan(20);
    expect(seen.clientsOutWhileReading.every((out) => out === 0)).toBe(true);
  });

  it('refuses a damaged file without ever asking the store for a session', async () => {
    const member = aMemberId();
    const { upload } = watchedUpload([
      ['Streaming_History_Audio_2020_0.json', plays(40, Date.UTC(2020, 0, 1))],
      ['Streaming_History_Audio_2021_1.json', `${plays(40, Date.UTC(2021, 0, 1)).slice(0, -30)}}}`],
    ]);
    let begun = 0;
    const repo: ImportRepository = {
      begin: async () => {
        begun++;
        throw new Error('no session should be opened');
      },
      deleteForUser: async () => 0,
    };
    const error = await rejection(importHistory(deps(repo), member, upload));
    expect(error.id).toBe('import.malformedJson');
    expect(error.context).toMatchObject({ file: 'Streaming_History_Audio_2021_1.json', line: 1 });
    expect(begun).toBe(0);
  });
});

describe('crafted exports are clamped to what a human can play', () => {
  const sums = async (member: string) =>
    (
      await store().pool.query<{ plays: number; ms: string; daily: string; first: Date; last: Date }>(
        `SELECT count(*)::int AS plays, coalesce(sum(ms_played), 0) AS ms, min(played_at) AS first, max(played_at) AS last,
           (SELECT coalesce(sum(ms), 0) FROM member_daily WHERE member_id = $1) AS daily
         FROM plays WHERE member_id = $1`,
        [member],
      )
    ).rows[0]!;

  it('plays that overlap claim at most the wall-clock time they span', async () => {
    const member = aMemberId();
    // 2,000 plays a minute apart, each claiming 100 hours: 200,000 hours in 33 hours.
    const firstEnd = Date.UTC(2026, 10, 20);
    const claimed = 100 * 3_600_000;
    const records = Array.from({ length: 2_000 }, (_, i) => extended(iso(firstEnd + i * 60_000), claimed, `Loop ${i}`));
    const upload = framed([['Streaming_History_Audio_2026_0.json', JSON.stringify(records.reverse())]]);
    const summary = await importHistory(deps(), member, uploadEntries(await spooled(upload), DEFAULT_UPLOAD_LIMITS));
    const stored = await sums(member);
    // From the first play's start (its claim is all the time before it) to the last one's end.
    const span = firstEnd + 1_999 * 60_000 + 1_000 - (firstEnd - claimed);
    expect(Number(stored.ms)).toBeLessThanOrEqual(span);
    expect(Number(stored.daily)).toBeLessThanOrEqual(span);
    // Every play a minute long still counts (they do fit, one after the other).
    expect(summary).toMatchObject({ imported: 2_000, unusable: 0 });
    // The 7 days up to the last play hold at most 7 days of listening (the leaderboard's window).
    const week = await store().pool.query<{ ms: string }>(
      `SELECT coalesce(sum(ms_played), 0) AS ms FROM plays WHERE member_id = $1 AND played_at > $2`,
      [member, new Date(firstEnd + 1_999 * 60_000 - 7 * 86_400_000).toISOString()],
    );
    expect(Number(week.rows[0]!.ms)).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it('impossible times and names are skipped or cleaned and counted, never a failure', async () => {
    const member = aMemberId();
    const base = Date.UTC(2024, 5, 1);
    const longName = 'Ω'.repeat(10_000);
    const records = [
      extended(iso(base), 200_000, 'Fine'),
      extended('2099-01-01T00:00:00Z', 200_000, 'From the future'),
      extended('0001-01-01T00:00:00Z', 200_000, 'Before Spotify'),
      extended('2008-10-06T23:59:59Z', 200_000, 'The day before Spotify opened'),
      extended('+010000-01-01T00:00:00Z', 200_000, 'Year ten thousand'),
      extended(iso(NOW + 3_600_000), 200_000, 'An hour from now'),
      extended(iso(base + 1_000_000), 200_000, 'Nul\u0000in\u0007the\u001bname', 'Art\u0000ist'),
      extended(iso(base + 2_000_000), 200_000, longName, longName),
      extended(
        iso(base + 3_000_000),
        200_000,
        'x'.repeat(5_000),
        'y'.repeat(5_000),
        `spotify:track:${'A'.repeat(5_000)}`,
      ),
    ];
    const accountRecords = [
      { endTime: '9999-12-31 23:59', artistName: 'A', trackName: 'Far future', msPlayed: 100_000 },
      { endTime: '1999-01-01 00:00', artistName: 'A', trackName: 'Far past', msPlayed: 100_000 },
      { endTime: '2024-06-02 10:00', artistName: 'A\u0000', trackName: 'B', msPlayed: 100_000 },
    ];
    const upload = framed([
      ['Streaming_History_Audio_2024_0.json', JSON.stringify(records)],
      ['StreamingHistory_music_0.json', JSON.stringify(accountRecords)],
    ]);
    const summary = await importHistory(deps(), member, uploadEntries(await spooled(upload), DEFAULT_UPLOAD_LIMITS));
    expect(summary).toMatchObject({ imported: 5, unusable: 7 });
    const stored = await sums(member);
    expect(stored.plays).toBe(5);
    expect(stored.last.getTime()).toBeLessThanOrEqual(NOW);
    expect(stored.first.getTime()).toBeGreaterThanOrEqual(Date.UTC(2008, 9, 7));
    const names = await store().pool.query<{ track: string; artist: string }>(
      `SELECT t.name AS track, a.name AS artist FROM plays p JOIN tracks t ON t.id = p.track_id
       JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0 JOIN artists a ON a.id = ta.artist_id
       WHERE p.member_id = $1 ORDER BY p.played_at`,
      [member],
    );
    expect(names.rows.map((r) => r.track)).toContain('Nul in the name');
    expect(names.rows.map((r) => r.artist)).toContain('Art ist');
    for (const row of names.rows) {
      expect(row.track.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(row.artist.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(row.track).not.toMatch(/[\u0000-\u001f]/);
    }
  });
});

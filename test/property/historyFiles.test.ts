import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHistory, type ImportRepository } from '../../src/app/history/importHistory.js';
import { UserError } from '../../src/core/errors.js';
import {
  MIN_PLAY_MS,
  exportFileKind,
  humanWindow,
  jsonErrorLocation,
  readAccountRecord,
  readExtendedRecord,
  type ImportedPlay,
} from '../../src/core/history/exportRecords.js';
import { DEFAULT_UPLOAD_LIMITS, FILES_MAGIC, uploadEntries } from '../../src/http/history/exportUpload.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const trackId = fc.string({ unit: fc.constantFrom(...BASE62), minLength: 22, maxLength: 22 });
const name = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
// Whole seconds (Extended's `ts`) between 2008, when Spotify opened, and 2030.
const second = fc.integer({ min: 1_199_145_600, max: 1_893_456_000 }).map((s) => s * 1000);
const played = fc.integer({ min: MIN_PLAY_MS, max: 3_600_000 });

const extendedRecord = fc.record({
  ts: second,
  ms: played,
  title: name,
  artist: name,
  album: fc.option(name, { nil: undefined }),
  id: fc.option(trackId, { nil: undefined }),
});
type ExtendedInput = typeof extendedRecord extends fc.Arbitrary<infer T> ? T : never;
const asExtended = (r: ExtendedInput) => ({
  ts: new Date(r.ts).toISOString().replace('.000Z', 'Z'),
  ms_played: r.ms,
  master_metadata_track_name: r.title,
  master_metadata_album_artist_name: r.artist,
  master_metadata_album_album_name: r.album ?? null,
  spotify_track_uri: r.id ? `spotify:track:${r.id}` : null,
  ip_addr: '203.0.113.9',
  platform: 'linux',
  episode_name: null,
  spotify_episode_uri: null,
});

/** What a real file may hold besides music: junk of every JSON shape, podcasts, short plays. */
const anyEntry = fc.oneof(
  { weight: 3, arbitrary: extendedRecord.map(asExtended) },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.record({ ts: fc.string(), ms_played: fc.anything(), spotify_episode_uri: fc.string() }) },
  { weight: 1, arbitrary: extendedRecord.map((r) => ({ ...asExtended(r), ms_played: r.ms % MIN_PLAY_MS })) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('ts', 'ms_played', 'master_metadata_track_name', 'master_metadata_album_artist_name', 'endTime'),
      fc.anything(),
    ),
  },
);

describe('records of Spotify’s export files (property-based)', () => {
  it('no JSON value makes either reader throw, and every outcome is one of the four kinds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), anyEntry), (value) => {
        for (const read of [readExtendedRecord, readAccountRecord]) {
          const outcome = read(value);
          expect(['music', 'podcast', 'audiobook', 'short', 'unusable']).toContain(outcome.kind);
          if (outcome.kind === 'music') {
            expect(Number.isFinite(outcome.play.playedAt)).toBe(true);
            expect(outcome.play.msPlayed).toBeGreaterThanOrEqual(MIN_PLAY_MS);
            expect(outcome.play.msPlayed).toBeLessThanOrEqual(2_147_483_647);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a valid Extended record round-trips: its time, duration, names and track id come out as they went in', () => {
    fc.assert(
      fc.property(extendedRecord, (r) => {
        const outcome = readExtendedRecord(asExtended(r));
        expect(outcome.kind).toBe('music');
        const play = (outcome as { play: ImportedPlay }).play;
        expect(play).toMatchObject({
          playedAt: r.ts,
          msPlayed: r.ms,
          trackName: r.title.trim(),
          artistName: r.artist.trim(),
          albumName: r.album?.trim() ?? null,
          format: 'extended',
        });
        if (r.id) expect(play.trackId).toBe(r.id);
        else expect(play.trackId.startsWith('name:')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a file that is not JSON is located for the member: line and column inside the text, never a throw', () => {
    const broken = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json().chain((j) => fc.nat({ max: j.length }).map((cut) => j.slice(0, cut) + (cut % 3 ? '' : '}'))),
      fc.array(fc.json(), { maxLength: 5 }).map((parts) => parts.join('\n,\n') + '\n]'),
    );
    fc.assert(
      fc.property(broken, (text) => {
        let message: string;
        try {
          JSON.parse(text);
          return;
        } catch (error) {
          message = (error as Error).message;
        }
        const at = jsonErrorLocation(text, message);
        if (!at) return;
        const lines = text.split('\n');
        expect(at.line).toBeGreaterThanOrEqual(1);
        expect(at.line).toBeLessThanOrEqual(lines.length);
        expect(at.column).toBeGreaterThanOrEqual(1);
        expect(at.column).toBeLessThanOrEqual(lines[at.line - 1]!.length + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('any file name in an upload is either a history file of one kind or skipped, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 120 }),
          fc
            .tuple(
              fc.stringMatching(/^[\w /\\-]{0,30}$/),
              fc.constantFrom('Streaming_History_Audio_', 'StreamingHistory_music_', 'StreamingHistory'),
              fc.stringMatching(/^[\w-]{0,10}$/),
              fc.constantFrom('.json', '.JSON', '.json.bak', ''),
            )
            .map(([dir, base, mid, ext]) => `${dir}/${base}${mid}${ext}`),
        ),
        (name) => {
          expect([undefined, 'extended', 'account']).toContain(exportFileKind(name));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a valid Account data record round-trips to the minute', () => {
    const minute = fc.integer({ min: 20_000_000, max: 31_500_000 }).map((m) => m * 60_000);
    fc.assert(
      fc.property(minute, played, name, name, (at, ms, title, artist) => {
        const endTime = new Date(at).toISOString().slice(0, 16).replace('T', ' ');
        const outcome = readAccountRecord({ endTime, msPlayed: ms, trackName: title, artistName: artist });
        expect(outcome).toMatchObject({
          kind: 'music',
          play: { playedAt: at, msPlayed: ms, trackName: title.trim(), artistName: artist.trim() },
        });
      }),
      { numRuns: 2000 },
    );
  });
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'encore-property-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function spooled(bytes: Buffer): Promise<string> {
  const p = path.join(dir, `upload-${n++}`);
  await writeFile(p, bytes);
  return p;
}

function zipOf(files: Array<[string, Buffer | string]>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [file, content] of files) zip.addBuffer(Buffer.from(content), file);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** An import repository in memory: these properties are about reading and counting, not storing. */
function memoryRepo() {
  const staged: ImportedPlay[] = [];
  let committed: { podcasts: number; short: number; unusable: number; files: number } | undefined;
  let aborted = false;
  let begun = false;
  const repo: ImportRepository = {
    async begin() {
      begun = true;
      return {
        add: async (plays) => void staged.push(...plays),
        async commit(summary) {
          committed = summary;
          return { inserted: staged.length, duplicates: 0 };
        },
        abort: async () => void (aborted = true),
      };
    },
    deleteForUser: async () => 0,
  };
  return { repo, staged, committed: () => committed, aborted: () => aborted, begun: () => begun };
}

const run = (repo: ImportRepository, file: string) =>
  importHistory(
    {
      repo,
      tokens: {} as never,
      isLinked: async () => true,
      cachedGenres: async () => new Map(),
      publicUrl: 'http://127.0.0.1',
    },
    'member',
    uploadEntries(file, DEFAULT_UPLOAD_LIMITS),
  );

describe('uploaded history files (property-based)', () => {
  it('every entry of every file is counted once: music + podcasts + short + unusable = entries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(anyEntry, { maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (files, zipped) => {
          const named = files.map((entries, i): [string, string] => [
            `Spotify Extended Streaming History/Streaming_History_Audio_20${10 + i}_${i}.json`,
            JSON.stringify(entries),
          ]);
          const bytes = zipped
            ? await zipOf([...named, ['ReadMeFirst.pdf', 'not history']])
            : Buffer.concat([
                Buffer.from(FILES_MAGIC),
                ...named.flatMap(([f, text]) => [
                  Buffer.from(`${Buffer.byteLength(text)} ${encodeURIComponent(f)}\n`),
                  Buffer.from(text),
                ]),
              ]);
          const memory = memoryRepo();
          const summary = await run(memory.repo, await spooled(bytes));
          const counted = memory.committed()!;
          const total = files.reduce((sum, f) => sum + f.length, 0);
          expect(summary.imported + counted.podcasts + counted.short + counted.unusable).toBe(total);
          expect(summary.files).toBe(files.length);
          // What a human can have played: no time before Spotify opened or in the future, and no
          // two plays at once (those dropped from the timeline are counted unusable).
          const music = files
            .flat()
            .filter((e) => readExtendedRecord(e, humanWindow(Date.now())).kind === 'music').length;
          expect(memory.staged.length).toBeLessThanOrEqual(music);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary bytes, a damaged zip or a damaged framed upload end in a UserError or an import, never a crash', async () => {
    const good = await zipOf([
      [
        'MyData/StreamingHistory_music_0.json',
        JSON.stringify([{ endTime: '2024-01-02 03:04', msPlayed: 60_000, trackName: 't', artistName: 'a' }]),
      ],
      [
        'Streaming_History_Audio_2024.json',
        JSON.stringify([
          asExtended({ ts: 1_700_000_000_000, ms: 40_000, title: 'x', artist: 'y', album: undefined, id: undefined }),
        ]),
      ],
    ]);
    const framedGood = Buffer.concat([Buffer.from(FILES_MAGIC), Buffer.from('2 StreamingHistory_music_0.json\n[]')]);
    const damaged = (base: Buffer) =>
      fc
        .array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        })
        .chain((flips) =>
          fc.nat({ max: base.length }).map((cut) => {
            const copy = Buffer.from(base);
            for (const [at, byte] of flips) copy[at] = byte;
            return copy.subarray(0, Math.max(cut, 4));
          }),
        );
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), b])),
      fc.string({ maxLength: 200 }).map((s) => Buffer.from(FILES_MAGIC + s)),
      damaged(good),
      damaged(framedGood),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (upload) => {
        const memory = memoryRepo();
        const outcome = await run(memory.repo, await spooled(upload)).then(
          (summary) => ({ summary }),
          (error: unknown) => ({ error }),
        );
        if ('error' in outcome) {
          expect(outcome.error).toBeInstanceOf(UserError);
          // All or nothing: a refused upload stores nothing, and the files are refused before any
          // session is opened (or the session is rolled back).
          expect(memory.committed()).toBeUndefined();
          expect(memory.aborted() || !memory.begun()).toBe(true);
        } else {
          expect(memory.committed()).toBeDefined();
          expect(outcome.summary.imported).toBe(memory.staged.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Response } from 'express';
import express from 'express';
import type { HistoryImportDeps } from '../../src/app/history/importHistory.js';
import { previewImport, startImport } from '../../src/app/history/importLinks.js';
import { importSummaryText } from '../../src/discord/messages/importMessages.js';
import { userErrorMessage } from '../../src/discord/userErrorMessages.js';
import { importTokensIn } from '../../src/features/history/importFeature.js';
import { createHttpApp } from '../../src/http/app.js';
import { DEFAULT_UPLOAD_LIMITS, FILES_MAGIC, type UploadLimits } from '../../src/http/history/exportUpload.js';
import { importRouter, type ImportRouterDeps } from '../../src/http/history/importRoutes.js';
import { uploadSlots } from '../../src/http/history/uploadSlots.js';
import type { Schedule } from '../../src/http/schedule.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { createImportRepository } from '../../src/store/history/importRepository.js';
import type { Store } from '../../src/store/index.js';
import { captureLogger } from '../support/logger.js';

/** Timers on the test's own clock: `advance` fires whatever falls due, in order. */
export function fakeSchedule() {
  let now = 0;
  let armed = 0;
  const timers = new Set<{ at: number; fire: () => void }>();
  const schedule: Schedule = (fire, ms) => {
    armed++;
    const timer = { at: now + ms, fire };
    timers.add(timer);
    return () => void timers.delete(timer);
  };
  return {
    schedule,
    /** How many timers were ever armed: the upload re-arms its idle timer on every chunk it reads. */
    get armed() {
      return armed;
    },
    /** Timers armed for `ms` and not yet fired or cancelled. */
    live(ms: number) {
      return [...timers].filter((t) => t.at - now === ms).length;
    },
    advance(ms: number) {
      now += ms;
      for (const timer of [...timers].sort((a, b) => a.at - b.at))
        if (timer.at <= now && timers.delete(timer)) timer.fire();
    },
  };
}

/** The JSON files the upload page sends together when the member drops loose files. */
export const framed = (files: Array<[string, string]>) =>
  Buffer.concat([
    Buffer.from(FILES_MAGIC),
    ...files.flatMap(([name, text]) => [
      Buffer.from(`${Buffer.byteLength(text)} ${encodeURIComponent(name)}\n`),
      Buffer.from(text),
    ]),
  ]);

/** One account-data file with one play, as Spotify writes it. */
export const onePlay = () =>
  framed([
    [
      'StreamingHistory_music_0.json',
      JSON.stringify([
        { endTime: '2022-12-05 16:52', artistName: 'Somebody', trackName: 'Something', msPlayed: 200_000 },
      ]),
    ],
  ]);

/**
 * The real upload route in the real HTTP app on 127.0.0.1:0, on a test store, with its timers
 * on a fake clock (`clock`), its uploads spooled in a directory of its own (`spooled()` lists it),
 * and every response kept (`responses`) so a test can read what the server still has buffered.
 */
export async function startUploadServer(
  store: Store,
  options: Partial<Pick<ImportRouterDeps, 'run' | 'freeBytes'>> & {
    total?: number;
    limits?: UploadLimits;
    isLinked?: (id: string) => Promise<boolean>;
  } = {},
) {
  const clock = fakeSchedule();
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'encore-upload-test-'));
  const log = captureLogger('debug');
  const imports: HistoryImportDeps = {
    repo: createImportRepository(store.pool),
    tokens: importTokensIn(store),
    isLinked: options.isLinked ?? (async () => true),
    cachedGenres: async () => new Map(),
    publicUrl: 'http://127.0.0.1:1',
  };
  const slots = uploadSlots(options.total ?? 2);
  const responses: Response[] = [];
  const recorder = express.Router().use((_req, res, next) => {
    responses.push(res);
    next();
  });
  const router = importRouter({
    imports,
    limits: options.limits ?? DEFAULT_UPLOAD_LIMITS,
    spoolDir,
    log: log.log,
    describe: userErrorMessage,
    summarize: importSummaryText,
    onImported: async () => {},
    slots,
    schedule: clock.schedule,
    ...(options.run ? { run: options.run } : {}),
    ...(options.freeBytes ? { freeBytes: options.freeBytes } : {}),
  });
  const app = createHttpApp({
    log: log.log,
    store: { health: async () => ({ ok: true }) },
    routers: [recorder, router],
  });
  const running: RunningServer = await listen(app, 0, '127.0.0.1', { schedule: clock.schedule });
  const base = `http://127.0.0.1:${running.port}`;
  return {
    clock,
    slots,
    log,
    responses,
    server: running.server,
    base,
    imports,
    spooled: () => readdir(spoolDir),
    /** A fresh upload link for the member, as /import gives it. */
    async linkFor(member: string) {
      const { url } = await startImport(imports, member);
      return url.replace('http://127.0.0.1:1', base);
    },
    /** Whether the link would still be taken (peeking spends nothing). */
    async stillWorks(url: string) {
      return (await previewImport(imports, url.split('/import/')[1]!)) !== undefined;
    },
    async close() {
      await running.close(0);
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

/**
 * An upload from a raw socket, so a test controls every byte and when it is sent: the headers
 * (with `length` as Content-Length) go at once, the body as the test writes it. `response`
 * collects what the server answers; `closed` settles when the server closes the connection.
 */
export function rawUpload(url: string, length: number, options: { read?: boolean } = {}) {
  const { hostname, port, pathname } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let received = '';
  if (options.read !== false) socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  else socket.pause();
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`,
  );
  return {
    socket,
    closed,
    write: (bytes: Buffer | string) => new Promise<void>((resolve) => socket.write(bytes, () => resolve())),
    received: () => received,
    /** The body of the answer, once the server has sent it whole. */
    body: () => received.slice(received.indexOf('\r\n\r\n') + 4),
    status: () => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0),
  };
}

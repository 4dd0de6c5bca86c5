import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { coverArtPng } from './art.js';

/** The Cover Art Archive's one route Encore uses: a release's front cover, 250 px. */
export interface CoverArtArchiveEmulator {
  /** Base URL to use as COVER_ART_ARCHIVE_URL (no trailing slash). */
  readonly url: string;
  /** Release MBIDs that have no front cover: 404, as the archive answers them. */
  readonly missing: Set<string>;
  /** Every request's path, in order; tests count them. */
  readonly requests: string[];
  /** Release MBIDs whose front-cover requests are held unanswered until `release` (a slow archive). */
  readonly held: Set<string>;
  /** Answers the held requests for that MBID (and stops holding new ones). */
  release(mbid: string): void;
  /** Requests being answered or held right now, and the most there ever were at once. */
  readonly inFlight: { now: number; max: number };
  close(): Promise<void>;
}

const FRONT = /^\/release\/([0-9a-f-]{36})\/front-250$/;
const IMAGE = /^\/images\/([0-9a-f-]{36})-250\.png$/;

/**
 * Starts a Cover Art Archive emulator on 127.0.0.1. Like the archive, the front-cover URL answers
 * with a redirect to the image file (archive.org there, a path here).
 */
export async function startCoverArtArchiveEmulator(options: { port?: number } = {}): Promise<CoverArtArchiveEmulator> {
  const missing = new Set<string>();
  const requests: string[] = [];
  const held = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  const inFlight = { now: 0, max: 0 };
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    res.on('close', () => inFlight.now--);
    const front = FRONT.exec(path);
    if (front && held.has(front[1]!))
      await new Promise<void>((resolve) => waiting.set(front[1]!, [...(waiting.get(front[1]!) ?? []), resolve]));
    if (front && !missing.has(front[1]!)) {
      res.writeHead(307, { location: `/images/${front[1]}-250.png` }).end();
      return;
    }
    const image = IMAGE.exec(path);
    if (image && !missing.has(image[1]!)) {
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'public, max-age=31536000' });
      res.end(coverArtPng(image[1]!, 250));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    missing,
    requests,
    held,
    inFlight,
    release(mbid) {
      held.delete(mbid);
      for (const resolve of waiting.get(mbid) ?? []) resolve();
      waiting.delete(mbid);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

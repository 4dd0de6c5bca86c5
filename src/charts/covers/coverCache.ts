import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where a cover may come from: the URL the source gave, else the release's MBID (Cover Art Archive). */
export interface CoverSource {
  url?: string;
  mbid?: string;
}

export interface CoverCacheOptions {
  /** The cache's own directory (created when missing); every file in it is the cache's. */
  dir: string;
  /** Bytes the cached covers may take on disk; the least recently used go first beyond it. */
  maxBytes?: number;
  /** How long a fetched cover is used before it is fetched again. */
  maxAgeMs?: number;
  /** How long a cover found missing (404, not an image) is not asked for again. */
  missAgeMs?: number;
  /** The Cover Art Archive's base URL (COVER_ART_ARCHIVE_URL). */
  coverArtArchiveUrl?: string;
  /** Fetches in flight at once. */
  concurrency?: number;
  timeoutMs?: number;
  /** Largest image accepted. */
  maxImageBytes?: number;
  now?: () => number;
  fetch?: typeof fetch;
  log?: { warn(fields: object, message: string): void };
}

export interface CoverCache {
  /**
   * Each source's image bytes (PNG, JPEG, GIF or WebP), in the order given; undefined where none
   * could be had (no usable URL, a 404, a timeout, not an image): the caller draws a placeholder.
   */
  covers(sources: readonly CoverSource[]): Promise<Array<Buffer | undefined>>;
  /** Requests made since the cache was created (tests and benches read it). */
  readonly fetches: number;
}

const DAY = 86_400_000;
export const COVER_CACHE_DEFAULTS = {
  maxBytes: 64 * 1024 * 1024,
  maxAgeMs: 30 * DAY,
  missAgeMs: DAY,
  coverArtArchiveUrl: 'https://coverartarchive.org',
  concurrency: 6,
  timeoutMs: 5_000,
  maxImageBytes: 2 * 1024 * 1024,
};

interface Entry {
  file: string;
  bytes: number;
  /** When it was fetched (the file's mtime). */
  fetchedAt: number;
  /** When a render last used it (memory only: a restart forgets, harmlessly). */
  usedAt: number;
  miss: boolean;
}

const MISS_SUFFIX = '.miss';
/** Covers kept in memory besides the disk (about 30 KB each): a few grids' worth, most recently used. */
const MEMORY_ENTRIES = 200;
const MAGIC: Array<(b: Buffer) => boolean> = [
  (b) => b.length > 8 && b.readUInt32BE(0) === 0x89504e47, // PNG
  (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, // JPEG
  (b) => b.length > 6 && b.subarray(0, 4).toString('latin1') === 'GIF8',
  (b) =>
    b.length > 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
];
const isImage = (bytes: Buffer) => MAGIC.some((test) => test(bytes));
const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The URL a cover is fetched from: an http(s) URL as given, else the Cover Art Archive's for the MBID. */
export function coverUrl(source: CoverSource, coverArtArchiveUrl: string): string | undefined {
  if (source.url) {
    try {
      const url = new URL(source.url);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
    } catch {
      // not a URL: try the MBID
    }
  }
  if (source.mbid && MBID.test(source.mbid))
    return `${coverArtArchiveUrl.replace(/\/+$/, '')}/release/${source.mbid.toLowerCase()}/front-250`;
  return undefined;
}

/**
 * Covers fetched once and kept on disk, one file per URL (named by its hash), under a byte cap
 * (least recently used evicted) and an expiry (fetched again after it). A URL that answered 404 or
 * no image is remembered as a miss for a shorter while, so a grid with a gone cover does not ask
 * for it at every render. Decoded bytes are also kept in memory for the entries on disk.
 */
export function createCoverCache(options: CoverCacheOptions): CoverCache {
  const o = { ...COVER_CACHE_DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const entries = new Map<string, Entry>();
  const memory = new Map<string, Buffer>();
  const remember = (key: string, bytes: Buffer) => {
    memory.delete(key);
    memory.set(key, bytes);
    // On disk the cap holds; in memory only the most recent, unless memory is all there is.
    if (disk && memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
  };
  const inFlight = new Map<string, Promise<Buffer | undefined>>();
  let fetches = 0;
  let active = 0;
  const waiting: Array<() => void> = [];
  let total = 0;

  // Read lazily: a process that never draws a grid never touches the directory.
  let ready: Promise<void> | undefined;
  // Without a usable directory the covers are kept in memory only (same cap), and /chart still works.
  let disk = true;
  const load = async () => {
    try {
      await mkdir(o.dir, { recursive: true });
    } catch (error) {
      disk = false;
      options.log?.warn({ err: error, dir: o.dir }, 'cover cache directory unusable: covers kept in memory only');
      return;
    }
    for (const name of await readdir(o.dir)) {
      if (name.endsWith('.tmp')) {
        await rm(path.join(o.dir, name), { force: true });
        continue;
      }
      const info = await stat(path.join(o.dir, name)).catch(() => undefined);
      if (!info?.isFile()) continue;
      const miss = name.endsWith(MISS_SUFFIX);
      const key = miss ? name.slice(0, -MISS_SUFFIX.length) : name;
      entries.set(key, { file: name, bytes: info.size, fetchedAt: info.mtimeMs, usedAt: info.mtimeMs, miss });
      total += info.size;
    }
  };

  const keyOf = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 40);

  async function forget(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    memory.delete(key);
    total -= entry.bytes;
    if (disk) await rm(path.join(o.dir, entry.file), { force: true });
  }

  async function evict(keep: string) {
    if (total <= o.maxBytes) return;
    const oldest = [...entries.entries()].filter(([k]) => k !== keep).sort(([, a], [, b]) => a.usedAt - b.usedAt);
    for (const [key] of oldest) {
      if (total <= o.maxBytes) break;
      await forget(key);
    }
  }

  async function store(key: string, bytes: Buffer | undefined) {
    await forget(key);
    const file = bytes ? key : key + MISS_SUFFIX;
    const full = path.join(o.dir, file);
    const at = now();
    if (disk) {
      // Written aside then renamed: a reader (another render, a restart) never sees half a file. The
      // mtime is the fetch time on the cache's clock, which the expiry reads back after a restart.
      await writeFile(`${full}.tmp`, bytes ?? Buffer.alloc(0));
      await utimes(`${full}.tmp`, at / 1000, at / 1000);
      await rename(`${full}.tmp`, full);
    }
    const size = bytes?.length ?? 0;
    entries.set(key, { file, bytes: size, fetchedAt: at, usedAt: at, miss: !bytes });
    total += size;
    if (bytes) remember(key, bytes);
    await evict(key);
  }

  async function slot<T>(run: () => Promise<T>): Promise<T> {
    if (active >= o.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await run();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  async function download(url: string): Promise<Buffer | undefined> {
    fetches++;
    const response = await doFetch(url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      if (response.status === 404 || response.status === 410) return undefined;
      throw new Error(`answered ${response.status}`);
    }
    const type = response.headers.get('content-type') ?? '';
    const length = Number(response.headers.get('content-length') ?? 0);
    if (!type.startsWith('image/') || length > o.maxImageBytes) {
      await response.body?.cancel();
      return undefined;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    return bytes.length <= o.maxImageBytes && isImage(bytes) ? bytes : undefined;
  }

  async function one(url: string): Promise<Buffer | undefined> {
    const key = keyOf(url);
    const entry = entries.get(key);
    const at = now();
    if (entry && at - entry.fetchedAt < (entry.miss ? o.missAgeMs : o.maxAgeMs)) {
      entry.usedAt = at;
      if (entry.miss) return undefined;
      const cached =
        memory.get(key) ?? (disk ? await readFile(path.join(o.dir, entry.file)).catch(() => undefined) : undefined);
      if (cached) {
        remember(key, cached);
        return cached;
      }
    }
    let pending = inFlight.get(key);
    if (!pending) {
      pending = slot(async () => {
        try {
          const bytes = await download(url);
          await store(key, bytes);
          return bytes;
        } catch (error) {
          // A timeout or a 5xx is not remembered: the next render tries again.
          options.log?.warn({ err: error, url }, 'cover fetch failed');
          return undefined;
        }
      }).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    async covers(sources) {
      await (ready ??= load());
      return Promise.all(
        sources.map((source) => {
          const url = coverUrl(source, o.coverArtArchiveUrl);
          return url ? one(url) : Promise.resolve(undefined);
        }),
      );
    },
    get fetches() {
      return fetches;
    },
  };
}

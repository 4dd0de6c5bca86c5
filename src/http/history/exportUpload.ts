import { createReadStream, createWriteStream } from 'node:fs';
import { open as openFile, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { ExportEntry, ExportUpload } from '../../app/history/importHistory.js';
import { UserError } from '../../core/errors.js';
import { exportFileKind } from '../../core/history/exportRecords.js';
import { playStagingFile } from './playStagingFile.js';

/** What an upload may be, at most. Spotify's export of a 10-year account is a few hundred MB. */
export interface UploadLimits {
  /** The upload itself (the zip, or the JSON files together). */
  maxUploadBytes: number;
  /** Files inside a zip, or sent together by the upload page (every file, read or skipped). */
  maxEntries: number;
  /** Everything inside a zip, unpacked (the sizes its directory declares, which yauzl checks as it unpacks). */
  maxUnpackedBytes: number;
  /** One streaming-history JSON file (Spotify's are about 12 MB): read as a stream, record by record. */
  maxFileBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxUploadBytes: 1024 * 1024 * 1024,
  maxEntries: 10_000,
  maxUnpackedBytes: 4 * 1024 * 1024 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
};

const MB = (bytes: number) => Math.round(bytes / (1024 * 1024));

/**
 * Writes the request body to `path` as it arrives, never holding it in memory; past
 * `maxUploadBytes` the upload is refused (the file is removed). With `idle`, an upload that sends
 * no byte for `idle.ms` is dropped (its socket closed): a deadline on silence, not on the whole
 * upload, so a slow but steady one is never cut.
 */
export async function spoolUpload(
  body: Readable,
  path: string,
  limits: UploadLimits,
  idle?: { ms: number; schedule: (fire: () => void, ms: number) => () => void },
): Promise<number> {
  let bytes = 0;
  const tooLarge = new UserError('import.tooLarge', { limitMb: MB(limits.maxUploadBytes) });
  let cancelIdle = () => {};
  const watch = () => {
    cancelIdle();
    if (idle) cancelIdle = idle.schedule(() => body.destroy(new Error('the upload went silent')), idle.ms);
  };
  watch();
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          watch();
          bytes += chunk.length;
          if (bytes > limits.maxUploadBytes) throw tooLarge;
          yield chunk;
        }
      },
      createWriteStream(path),
    );
  } catch (error) {
    await rm(path, { force: true });
    throw error instanceof UserError ? error : new UserError('import.uploadInterrupted');
  } finally {
    cancelIdle();
  }
  return bytes;
}

/** A file's bytes as they are read, refused past `cap` (the bytes are never held together). */
async function* capped(stream: Readable, cap: number, name: string): AsyncGenerator<Uint8Array> {
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > cap) throw new UserError('import.fileTooLarge', { file: name, limitMb: MB(cap) });
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}

/** The streaming-history files of a zip, one at a time; every other file is skipped unread. */
async function* zipEntries(path: string, limits: UploadLimits): AsyncGenerator<ExportEntry> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch {
    throw new UserError('import.notAnExport');
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw new UserError('import.zipBomb', { entries: zip.entryCount });
    let declared = 0;
    for (let i = 0; i < zip.entryCount; i++) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          zip.off('error', onError);
          resolve(e);
        };
        const onError = (error: Error) => {
          zip.off('entry', onEntry);
          reject(error);
        };
        zip.once('entry', onEntry);
        zip.once('error', onError);
        zip.readEntry();
      }).catch(() => {
        throw new UserError('import.notAnExport');
      });
      if (!entry) break;
      declared += entry.uncompressedSize;
      if (declared > limits.maxUnpackedBytes) throw new UserError('import.zipBomb', {});
      if (entry.fileName.endsWith('/') || !exportFileKind(entry.fileName)) continue;
      if (entry.uncompressedSize > limits.maxFileBytes)
        throw new UserError('import.fileTooLarge', { file: entry.fileName, limitMb: MB(limits.maxFileBytes) });
      const name = entry.fileName;
      yield {
        name,
        async *bytes() {
          let stream: Readable;
          try {
            stream = await zip.openReadStreamPromise(entry);
          } catch {
            throw new UserError('import.notAnExport');
          }
          try {
            yield* capped(stream, limits.maxFileBytes, name);
          } catch (error) {
            // yauzl checks the bytes against the sizes the directory declared: a lying entry is refused.
            throw error instanceof UserError ? error : new UserError('import.zipBomb', {});
          }
        },
      };
    }
  } finally {
    zip.close();
  }
}

/**
 * Loose JSON files from the upload page, sent as one body so that they import together:
 * `ENCORE-FILES\n`, then for each file a line `<bytes> <url-encoded name>\n` and its bytes.
 */
export const FILES_MAGIC = 'ENCORE-FILES\n';

async function* framedEntries(path: string, limits: UploadLimits): AsyncGenerator<ExportEntry> {
  const file = await openFile(path, 'r');
  try {
    const { size } = await file.stat();
    let at = Buffer.byteLength(FILES_MAGIC);
    let entries = 0;
    while (at < size) {
      // Every file counts, skipped or not: a million empty ones would otherwise cost a read each.
      if (++entries > limits.maxEntries) throw new UserError('import.tooManyFiles', { limit: limits.maxEntries });
      const head = Buffer.alloc(Math.min(1024, size - at));
      await file.read(head, 0, head.length, at);
      const nl = head.indexOf(10);
      const m = nl > 0 ? /^(\d{1,12}) (\S{1,900})$/.exec(head.subarray(0, nl).toString('utf8')) : null;
      if (!m) throw new UserError('import.notAnExport');
      const bytes = Number(m[1]);
      let name: string;
      try {
        name = decodeURIComponent(m[2]!);
      } catch {
        throw new UserError('import.notAnExport');
      }
      const start = at + nl + 1;
      if (start + bytes > size) throw new UserError('import.notAnExport');
      at = start + bytes;
      if (!exportFileKind(name)) continue;
      if (bytes > limits.maxFileBytes)
        throw new UserError('import.fileTooLarge', { file: name, limitMb: MB(limits.maxFileBytes) });
      yield {
        name,
        bytes: () =>
          bytes === 0
            ? (async function* () {})()
            : capped(
                createReadStream(path, { start, end: start + bytes - 1, highWaterMark: 64 * 1024 }),
                limits.maxFileBytes,
                name,
              ),
      };
    }
  } finally {
    await file.close();
  }
}

/**
 * The files of a spooled upload: Spotify's zip (or any zip holding its JSON files), or the JSON
 * files the page sent together. Anything else is not a Spotify export. The plays read from them
 * wait in a file next to the spool (`<spool>.plays`) until they are stored.
 */
export function uploadEntries(path: string, limits: UploadLimits): ExportUpload {
  return Object.assign(spooledEntries(path, limits), { staging: () => playStagingFile(`${path}.plays`) });
}

async function* spooledEntries(path: string, limits: UploadLimits): AsyncGenerator<ExportEntry> {
  const file = await openFile(path, 'r');
  const head = Buffer.alloc(FILES_MAGIC.length);
  try {
    await file.read(head, 0, head.length, 0);
  } finally {
    await file.close();
  }
  if (
    head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ||
    head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  )
    yield* zipEntries(path, limits);
  else if (head.toString('latin1') === FILES_MAGIC) yield* framedEntries(path, limits);
  else throw new UserError('import.notAnExport');
}

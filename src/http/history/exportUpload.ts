import { createWriteStream } from 'node:fs';
import { open as openFile, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { ExportEntry } from '../../app/history/importHistory.js';
import { UserError } from '../../core/errors.js';
import { exportFileKind } from '../../core/history/exportRecords.js';

/** What an upload may be, at most. Spotify's export of a 10-year account is a few hundred MB. */
export interface UploadLimits {
  /** The upload itself (the zip, or the JSON files together). */
  maxUploadBytes: number;
  /** Files inside a zip. */
  maxEntries: number;
  /** Everything inside a zip, unpacked (the sizes its directory declares, which yauzl checks as it unpacks). */
  maxUnpackedBytes: number;
  /** One streaming-history JSON file (Spotify's are about 12 MB): read whole, then parsed. */
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
 * `maxUploadBytes` the upload is refused (the file is removed).
 */
export async function spoolUpload(body: Readable, path: string, limits: UploadLimits): Promise<number> {
  let bytes = 0;
  const tooLarge = new UserError('import.tooLarge', { limitMb: MB(limits.maxUploadBytes) });
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
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
  }
  return bytes;
}

async function readAll(stream: Readable, cap: number, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) {
      stream.destroy();
      throw new UserError('import.fileTooLarge', { file: name, limitMb: MB(cap) });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
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
        async text() {
          let stream: Readable;
          try {
            stream = await zip.openReadStreamPromise(entry);
          } catch {
            throw new UserError('import.notAnExport');
          }
          try {
            return await readAll(stream, limits.maxFileBytes, name);
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
    while (at < size) {
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
        async text() {
          const buffer = Buffer.alloc(bytes);
          await file.read(buffer, 0, bytes, start);
          return buffer.toString('utf8').replace(/^\uFEFF/, '');
        },
      };
    }
  } finally {
    await file.close();
  }
}

/**
 * The files of a spooled upload: Spotify's zip (or any zip holding its JSON files), or the JSON
 * files the page sent together. Anything else is not a Spotify export.
 */
export async function* uploadEntries(path: string, limits: UploadLimits): AsyncGenerator<ExportEntry> {
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

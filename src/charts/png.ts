import zlib from 'node:zlib';

/**
 * RGBA pixels → PNG, rows unfiltered at zlib level 3: charts are large flat areas, where adaptive
 * row filters cost ~4× the time for ~10 % smaller files (bench/charts.bench.ts). Asynchronous, for
 * threads that must not block; chart workers use encodePngSync.
 */
export async function encodeRgbaPng(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
): Promise<Buffer> {
  const rows = filteredRows(rgba, width, height, Buffer.allocUnsafe(rowsSize(width, height)));
  return png(width, height, await deflateAsync(rows));
}

/**
 * The same PNG, encoded on this thread. A chart worker has nothing else to do while it encodes,
 * so the thread pool round trips of the asynchronous path only added latency; and the 3.4 MB of
 * scanlines of a 1200×720 chart go into one buffer kept between calls rather than a fresh one.
 */
export function encodePngSync(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Buffer {
  const size = rowsSize(width, height);
  if (scratch.length < size) scratch = Buffer.allocUnsafe(size);
  return png(width, height, zlib.deflateSync(filteredRows(rgba, width, height, scratch.subarray(0, size)), DEFLATE));
}

const DEFLATE: zlib.ZlibOptions = { level: 3 };
// The output comes in chunkSize pieces, each a round trip to the thread pool: one piece holds a chart.
const deflateAsync = (data: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    zlib.deflate(data, { ...DEFLATE, chunkSize: 256 * 1024 }, (error, out) => (error ? reject(error) : resolve(out))),
  );

let scratch = Buffer.alloc(0);

const rowsSize = (width: number, height: number) => (width * 4 + 1) * height;

/** PNG scanlines: filter byte 0 (none), then the row as it is. */
function filteredRows(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, rows: Buffer): Buffer {
  const stride = width * 4;
  const pixels = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  for (let y = 0; y < height; y++) {
    rows[y * (stride + 1)] = 0;
    pixels.copy(rows, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return rows;
}

function png(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// zlib.crc32 is native from Node 20.15; the table serves older 20.x.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(bytes) >>> 0;
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

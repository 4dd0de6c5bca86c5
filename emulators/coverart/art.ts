import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Cover art the emulators serve: a real PNG, drawn from a seed (an album id, a release MBID), so a
 * grid of them looks like a shelf of records rather than a test pattern. No dependency on src/:
 * the emulators stand for Spotify's CDN and the Cover Art Archive, not for Encore.
 */

const SCHEMES: Array<[number[], number[], number[]]> = [
  // [background from, background to, motif]
  [
    [236, 94, 64],
    [120, 30, 70],
    [255, 214, 150],
  ],
  [
    [32, 60, 120],
    [12, 18, 40],
    [120, 200, 255],
  ],
  [
    [40, 140, 110],
    [10, 50, 60],
    [230, 250, 200],
  ],
  [
    [240, 190, 60],
    [200, 80, 40],
    [60, 20, 20],
  ],
  [
    [150, 90, 220],
    [40, 20, 90],
    [255, 150, 220],
  ],
  [
    [220, 220, 210],
    [150, 150, 140],
    [30, 30, 40],
  ],
  [
    [30, 30, 36],
    [70, 20, 40],
    [240, 80, 90],
  ],
  [
    [90, 170, 220],
    [230, 120, 170],
    [255, 255, 255],
  ],
];

const cache = new Map<string, Buffer>();

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG of the cover for `seed`, `size` px square (cached: the same seed draws the same art). */
export function coverArtPng(seed: string, size = 300): Buffer {
  const key = `${seed}:${size}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const h = createHash('sha256').update(seed).digest();
  const [from, to, motif] = SCHEMES[h[0]! % SCHEMES.length]!;
  const style = h[1]! % 4;
  const cx = (0.3 + (h[2]! / 255) * 0.4) * size;
  const cy = (0.3 + (h[3]! / 255) * 0.4) * size;
  const radius = (0.18 + (h[4]! / 255) * 0.2) * size;
  const angle = (h[5]! / 255) * Math.PI;
  const stripe = Math.max(6, Math.round(size / (8 + (h[6]! % 10))));
  const rows = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * size);
      let c = [0, 1, 2].map((i) => from[i]! + (to[i]! - from[i]!) * t);
      const dx = x - cx;
      const dy = y - cy;
      const d = Math.sqrt(dx * dx + dy * dy);
      let on = false;
      if (style === 0) on = d < radius;
      else if (style === 1) on = d < radius * 1.4 && Math.floor(d / stripe) % 2 === 0;
      else if (style === 2) on = Math.floor((x * Math.cos(angle) + y * Math.sin(angle)) / stripe) % 3 === 0;
      else on = Math.abs(dx) + Math.abs(dy) < radius * 1.2 && d > radius * 0.45;
      if (on) c = c.map((v, i) => v * 0.2 + motif[i]! * 0.8);
      const off = row + 1 + x * 3;
      rows[off] = c[0]!;
      rows[off + 1] = c[1]!;
      rows[off + 2] = c[2]!;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  cache.set(key, png);
  return png;
}

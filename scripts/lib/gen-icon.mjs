// Generates images/icon.png (128x128): a padlock over an envelope flap on a dark blue tile,
// with a green "key exchange" ring. Plain Node (zlib for PNG deflate), no image libraries.
//   node scripts/lib/gen-icon.mjs [out.png]
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4; // supersampling per axis, for smooth edges

const BG = [30, 58, 95];
const FLAP = [52, 94, 145];
const LOCK = [245, 247, 250];
const GREEN = [80, 200, 120];

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inRing = (x, y, cx, cy, r0, r1) => {
  const d = Math.hypot(x - cx, y - cy);
  return d >= r0 && d <= r1;
};

/** Colour of the sub-sample at (x, y), or null for transparent. Later layers win. */
function sample(x, y) {
  if (!inRoundRect(x, y, 4, 4, 124, 124, 24)) return null;
  let c = BG;
  // Envelope flap: a V from the top corners.
  const flapY = 22 + (64 - Math.abs(x - 64)) * 0.55;
  if (y >= 22 && y <= flapY && y >= flapY - 7) c = FLAP;
  // Green ring behind the lock (the ephemeral key).
  if (inRing(x, y, 64, 74, 40, 46)) c = GREEN;
  // Shackle: upper half of a ring.
  if (y <= 62 && inRing(x, y, 64, 54, 14, 22)) c = LOCK;
  if (y > 54 && y <= 62 && ((x >= 42 && x <= 50) || (x >= 78 && x <= 86))) c = LOCK;
  // Body.
  if (inRoundRect(x, y, 36, 60, 92, 104, 8)) c = LOCK;
  // Keyhole.
  if (Math.hypot(x - 64, y - 77) <= 7 || (x >= 61 && x <= 67 && y >= 77 && y <= 93)) {
    if (inRoundRect(x, y, 36, 60, 92, 104, 8)) c = BG;
  }
  return c;
}

export function renderIcon() {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let py = 0; py < SIZE; py++) {
    raw[py * (SIZE * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < SIZE; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
      const o = py * (SIZE * 4 + 1) + 1 + px * 4;
      if (a > 0) {
        raw[o] = Math.round(r / a);
        raw[o + 1] = Math.round(g / a);
        raw[o + 2] = Math.round(b / a);
      }
      raw[o + 3] = Math.round((a / (SS * SS)) * 255);
    }
  }
  return png(SIZE, SIZE, raw);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** A PNG chunk: length, type, data, CRC (also used by scripts/readme-images.mjs). */
export function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w, h, raw) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'images', 'icon.png'));
  mkdirSync(path.dirname(out), { recursive: true });
  const data = renderIcon();
  writeFileSync(out, data);
  console.log(`${out} (${data.length} bytes)`);
}

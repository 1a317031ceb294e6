#!/usr/bin/env node
// Makes the README screenshots (images/screenshot-*.png) from the screenshots the integration
// tests take in a real VS Code (artifacts/screenshots/, written by `npm run test:integration`):
// crops the interesting part and stores it as a small palette PNG, so the VSIX stays well under
// its size budget (test/packaging/vsix.test.ts). No image library: PNG is zlib plus a few
// chunks, decoded and encoded here.
//
//   node scripts/readme-images.mjs            (after an integration run)
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { chunk } from './lib/gen-icon.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Source screenshot (1400x900), crop rectangle, palette size, README image. */
const IMAGES = [
  { from: 'mail-log-decorations.png', crop: { x: 410, y: 93, w: 866, h: 376 }, colors: 10, to: 'screenshot-maillog.png' },
  { from: 'main-cf-hover.png', crop: { x: 410, y: 84, w: 760, h: 420 }, colors: 8, to: 'screenshot-maincf.png' },
];

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** RGBA pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes). */
function decode(buf) {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat = [];
  for (let p = 8; p < buf.length; ) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colorType, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) throw new Error(`unsupported PNG (depth ${depth}, type ${colorType})`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i] + add) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = line[x * channels + k];
      out[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3] : 255;
    }
    prev = line;
  }
  return { width, height, pixels: out };
}

/** The `colors` commonest colours (by 4-bit-per-channel bucket) and each pixel's nearest one. */
function quantize(pixels, count, colors) {
  const buckets = new Map();
  for (let i = 0; i < count; i++) {
    const key = ((pixels[i * 4] >> 4) << 8) | ((pixels[i * 4 + 1] >> 4) << 4) | (pixels[i * 4 + 2] >> 4);
    const e = buckets.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    e.n++;
    e.r += pixels[i * 4];
    e.g += pixels[i * 4 + 1];
    e.b += pixels[i * 4 + 2];
    buckets.set(key, e);
  }
  // Popular colours, but each new one chosen for its pixels times its distance from those
  // already chosen: the few pixels of a coloured badge or squiggle keep their colour.
  const candidates = [...buckets.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, 256)
    .map((e) => ({ n: e.n, c: [Math.round(e.r / e.n), Math.round(e.g / e.n), Math.round(e.b / e.n)] }));
  const dist = (a, b) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;
  const palette = [candidates.shift().c];
  while (palette.length < colors && candidates.length > 0) {
    let best = 0;
    let bestScore = -1;
    candidates.forEach((e, k) => {
      const score = e.n * Math.min(...palette.map((p) => dist(p, e.c)));
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    });
    palette.push(candidates.splice(best, 1)[0].c);
  }
  const index = Buffer.alloc(count);
  const memo = new Map();
  for (let i = 0; i < count; i++) {
    const key = (pixels[i * 4] << 16) | (pixels[i * 4 + 1] << 8) | pixels[i * 4 + 2];
    let best = memo.get(key);
    if (best === undefined) {
      let bestD = Infinity;
      palette.forEach(([r, g, b], k) => {
        const d = (r - pixels[i * 4]) ** 2 + (g - pixels[i * 4 + 1]) ** 2 + (b - pixels[i * 4 + 2]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      });
      memo.set(key, best);
    }
    index[i] = best;
  }
  return { palette, index };
}

/** An indexed-colour PNG (4 bits per pixel) of width x height palette indexes. */
function encode(width, height, palette, index) {
  const stride = Math.ceil(width / 2);
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // no filter: indexes compress best as they are
    for (let x = 0; x < width; x++) raw[y * (stride + 1) + 1 + (x >> 1)] |= index[y * width + x] << (x & 1 ? 0 : 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 4; // bit depth
  ihdr[9] = 3; // indexed colour
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const img of IMAGES) {
  const src = decode(readFileSync(path.join(ROOT, 'artifacts', 'screenshots', img.from)));
  const { x, y, w, h } = img.crop;
  if (x + w > src.width || y + h > src.height) throw new Error(`${img.from}: crop outside the ${src.width}x${src.height} image`);
  const cropped = Buffer.alloc(w * h * 4);
  for (let r = 0; r < h; r++) src.pixels.copy(cropped, r * w * 4, ((y + r) * src.width + x) * 4, ((y + r) * src.width + x + w) * 4);
  const { palette, index } = quantize(cropped, w * h, img.colors);
  const png = encode(w, h, palette, index);
  writeFileSync(path.join(ROOT, 'images', img.to), png);
  console.log(`images/${img.to}: ${w}x${h}, ${palette.length} colours, ${(png.length / 1024).toFixed(1)} KB`);
}

// Builds a large mail log for benchmarks from the reference corpus (real Postfix log lines):
// the corpus files are cut into blocks of 50 lines (folded headers stay mostly whole) and the
// blocks are written in a seeded shuffled order, round after round, until the target size.
// The file is cached: it is rebuilt only when missing or of another size.
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, mkdirSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const DATA_DIR = path.join(REPO_ROOT, 'bench', '.data');

/** The reference corpus of logs (POSTFIX_TLS_REFERENCE overrides, as in test/helpers/reference.ts). */
export function corpusLogDir() {
  const candidates = [process.env.POSTFIX_TLS_REFERENCE, path.resolve(REPO_ROOT, '..', 'shared', 'reference')].filter(Boolean);
  for (const c of candidates) if (existsSync(path.join(c, 'README.md'))) return path.join(c, 'corpus', 'logs');
  throw new Error(`reference material not found (looked in ${candidates.join(', ')}); set POSTFIX_TLS_REFERENCE`);
}

function corpusBlocks() {
  const dir = corpusLogDir();
  const blocks = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) {
    const lines = readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.length > 0);
    for (let i = 0; i < lines.length; i += 50) blocks.push(lines.slice(i, i + 50).join('\n') + '\n');
  }
  return blocks.map((b) => Buffer.from(b, 'utf8'));
}

/** Mulberry32: a small seeded PRNG so every machine builds the same file (and draws the same sample). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Path of a corpus-built log of exactly `bytes` bytes (cut at a line end), built if needed. */
export async function corpusLog(bytes, name = `corpus-${Math.round(bytes / 1048576)}m.log`) {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, name);
  if (existsSync(file) && statSync(file).size === bytes) return file;
  const blocks = corpusBlocks();
  const rand = rng(20241128);
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 4 << 20 });
  let written = 0;
  outer: for (;;) {
    const order = blocks.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      let b = blocks[i];
      if (written + b.length >= bytes) {
        // Fill the rest with a plain non-TLS line so the size is exact and ends with \n.
        const rest = bytes - written;
        b = Buffer.alloc(rest, 0x78);
        b[rest - 1] = 0x0a;
      }
      written += b.length;
      if (!out.write(b)) await new Promise((r) => out.once('drain', r));
      if (written >= bytes) break outer;
    }
  }
  await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
  renameSync(tmp, file);
  return file;
}

/**
 * Did-you-mean for parameter names: bounded edit distance over the built-in names.
 */
import { allParamNames, isBuiltinName } from './index';

/** A built-in name with its character histogram. */
interface Candidate {
  name: string;
  hist: Uint8Array;
}
/** Built-in names grouped by length: a name can only be within `limit` edits of names whose length is within `limit`. */
let byLength: Map<number, Candidate[]> | undefined;

const BINS = 38; // a-z, 0-9, '_', anything else

/** Lower-cased character histogram. One edit changes it by at most 2 (L1), so L1/2 bounds the edit distance from below. */
function histogram(s: string): Uint8Array {
  const h = new Uint8Array(BINS);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    const bin = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 + c - 48 : s.charCodeAt(i) === 95 ? 36 : 37;
    if (h[bin] < 255) h[bin]++;
  }
  return h;
}

function histogramDistance(a: Uint8Array, b: Uint8Array, stopAbove: number): number {
  let d = 0;
  for (let i = 0; i < BINS; i++) {
    d += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    if (d > stopAbove) return d;
  }
  return d;
}
/** Results for names already asked about; a document repeats its typos, and lint runs on every keystroke. */
const cache = new Map<string, string[]>();
const CACHE_MAX = 5000;

/** Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. */
export function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Up to `max` known parameter names close to `name` (typos, wrong case, smtp/smtpd mix-ups),
 * best first. Names differing only in case rank first.
 */
export function suggestNames(name: string, max = 3): string[] {
  if (!name || name.length > 200) return [];
  const key = `${max}\0${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (!byLength) {
    byLength = new Map();
    for (const c of allParamNames().filter(isBuiltinName)) {
      const list = byLength.get(c.length) ?? [];
      list.push({ name: c, hist: histogram(c) });
      byLength.set(c.length, list);
    }
  }
  const limit = Math.max(1, Math.min(4, Math.floor(name.length / 4)));
  const lower = name.toLowerCase();
  const hist = histogram(name);
  const scored: [number, string][] = [];
  for (let len = name.length - limit; len <= name.length + limit; len++) {
    for (const { name: c, hist: ch } of byLength.get(len) ?? []) {
      if (c === name || histogramDistance(hist, ch, 2 * limit) > 2 * limit) continue;
      const d = c.toLowerCase() === lower ? 0 : boundedDistance(name, c, limit);
      if (d <= limit) scored.push([d, c]);
    }
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1));
  const result = scored.slice(0, max).map((s) => s[1]);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, result);
  return result;
}

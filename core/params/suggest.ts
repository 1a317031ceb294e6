/**
 * Did-you-mean for parameter names: bounded edit distance over the built-in names.
 */
import { allParamNames, isBuiltinName } from './index';

let candidates: string[] | undefined;

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
  candidates ??= allParamNames().filter(isBuiltinName);
  const limit = Math.max(1, Math.min(4, Math.floor(name.length / 4)));
  const lower = name.toLowerCase();
  const scored: [number, string][] = [];
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === lower ? 0 : boundedDistance(name, c, limit);
    if (d <= limit) scored.push([d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1));
  return scored.slice(0, max).map((s) => s[1]);
}

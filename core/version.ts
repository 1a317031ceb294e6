/**
 * Postfix/OpenSSL version strings (`3.10`, `3.10.2`, `v3.9.0`, `<=1.0`) compared numerically,
 * so 3.10 > 3.9.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** Parses `major[.minor[.patch]]`, tolerating a leading `v` or `<=` and a suffix (`3.12-20260821`, `3.0.2f`). */
export function parseVersion(s: string | undefined): Version | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^\s*(?:<=|v)?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(s);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
}

function toVersion(v: string | Version | undefined): Version {
  if (v && typeof v === 'object') return v;
  return parseVersion(v) ?? { major: 0, minor: 0, patch: 0 };
}

/** Negative, zero or positive like a sort comparator. Unparsable versions count as 0.0.0. */
export function compareVersions(a: string | Version | undefined, b: string | Version | undefined): number {
  const x = toVersion(a);
  const y = toVersion(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** True when `v` >= `min`. */
export function atLeast(v: string | Version | undefined, min: string | Version): boolean {
  return compareVersions(v, min) >= 0;
}

/** `major.minor` (or `major.minor.patch` when patch > 0) for display. */
export function formatVersion(v: Version): string {
  return v.patch ? `${v.major}.${v.minor}.${v.patch}` : `${v.major}.${v.minor}`;
}

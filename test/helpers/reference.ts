/**
 * Locates the shared reference material (../shared/reference beside the checkout, as on
 * developer machines and in CI). POSTFIX_TLS_REFERENCE overrides the location.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function referenceDir(): string {
  const candidates = [
    process.env.POSTFIX_TLS_REFERENCE,
    path.resolve(REPO_ROOT, '..', 'shared', 'reference'),
  ].filter((p): p is string => !!p);
  for (const c of candidates) if (existsSync(path.join(c, 'README.md'))) return c;
  throw new Error(`reference material not found (looked in ${candidates.join(', ')}); set POSTFIX_TLS_REFERENCE`);
}

export function referenceFile(...parts: string[]): string {
  return path.join(referenceDir(), ...parts);
}

/** Rows of a TSV file with a header line, as objects keyed by column name. */
export function readTsv(file: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const cols = head.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Corpus files in a folder of the reference corpus (`maincf` or `logs`), SOURCES.tsv excluded. */
export function corpusFiles(kind: 'maincf' | 'logs'): string[] {
  const dir = referenceFile('corpus', kind);
  return readdirSync(dir).filter((f) => f !== 'SOURCES.tsv').sort().map((f) => path.join(dir, f));
}

/**
 * Building dist/ from tests: one lock and one "build if stale" for every test that spawns a
 * bundle (the CLI tests, the LSP tests, the hardening tests). Test files run in parallel
 * processes; the lock folder makes sure no two of them run the build at once and no process is
 * spawned from a half-written bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './reference';

/** The bundles tests spawn, and the sources (folders or files, repo-relative) bundled into each. */
const BUNDLE_SOURCES = {
  // package.json: the CLI prints its version.
  'cli.js': ['cli', 'core', 'package.json'],
  'server.js': ['server', 'core', path.join('scripts', 'build.mjs')],
} as const;

export type Bundle = keyof typeof BUNDLE_SOURCES;

/** Newest modification time of the source files under `p` (or of the file `p`). */
function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    const child = path.join(p, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(child));
    else if (/\.(ts|json|mjs|js)$/.test(entry.name)) newest = Math.max(newest, statSync(child).mtimeMs);
  }
  return newest;
}

/** dist/<bundle> exists and is newer than every source bundled into it. */
export function bundleIsFresh(bundle: Bundle): boolean {
  try {
    const built = statSync(path.join(REPO_ROOT, 'dist', bundle)).mtimeMs;
    return built > Math.max(...BUNDLE_SOURCES[bundle].map((p) => newestMtime(path.join(REPO_ROOT, p))));
  } catch {
    return false;
  }
}

/**
 * Runs `fn` holding the build lock: a folder that only one test process can create at a time.
 * A lock older than two minutes belongs to a run that died.
 */
export async function withBuildLock<T>(fn: () => T | Promise<T>): Promise<T> {
  const lock = path.join(REPO_ROOT, 'dist', '.lsp-test-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for another test process to finish the build');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the bundles (`node scripts/build.mjs`, under the build lock) unless dist/<bundle> is
 * fresh. One esbuild run writes every bundle: a run that fails on another entry is fine as long
 * as the bundle wanted came out fresh (with a warning on stderr).
 */
export function ensureBundleBuilt(bundle: Bundle): Promise<void> {
  return withBuildLock(() => {
    if (bundleIsFresh(bundle)) return;
    const r = spawnSync(process.execPath, [path.join('scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status === 0) return;
    if (bundleIsFresh(bundle)) {
      process.stderr.write(`warning: build reported errors outside dist/${bundle}:\n${r.stderr}\n`);
      return;
    }
    throw new Error(`build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  });
}

/** dist/cli.js, fresh (what `bin/postfix-tls.js` runs). */
export function ensureCliBuilt(): Promise<void> {
  return ensureBundleBuilt('cli.js');
}

/** dist/server.js, fresh (what `bin/postfix-tls-language-server.js` runs). */
export function ensureServerBuilt(): Promise<void> {
  return ensureBundleBuilt('server.js');
}

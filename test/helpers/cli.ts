/**
 * Running `postfix-tls` in tests: `runCli` in process through cli/main.ts with captured
 * streams, `spawnCli` as a real process (`node bin/postfix-tls.js`) after building the bundle
 * when it is older than its sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { main } from '../../cli/main';
import { REPO_ROOT } from './reference';

export interface CliRunOptions {
  /** What the command reads as stdin (`-`); default: empty. */
  stdin?: string | Buffer;
  /** Working directory the command resolves paths against; default: the repository root. */
  cwd?: string;
}

/** Exit code and everything written. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `main(args)` in this process; `args` starts with the command (`['lint', 'etc']`). */
export async function runCli(args: string[], opts: CliRunOptions = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const input = opts.stdin ?? '';
  const stdin = Readable.from([typeof input === 'string' ? Buffer.from(input) : input]);
  const code = await main(args, { stdout, stderr, stdin, cwd: opts.cwd ?? REPO_ROOT });
  // Everything written is read before the text is put together (decoded once: no split characters).
  stdout.end();
  stderr.end();
  await Promise.all([finished(stdout), finished(stderr)]);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Exit of a real process: `code` is null when a signal ended it. */
export interface SpawnedCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `node bin/postfix-tls.js ...args` as a child process (argument list, no shell), after
 * `ensureCliBuilt`. With `stdin` the child reads it from a pipe, else stdin is closed.
 */
export async function spawnCli(args: string[], opts: CliRunOptions = {}): Promise<SpawnedCliResult> {
  await ensureCliBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'postfix-tls.js'), ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A child that exits before reading everything closes the pipe: not an error of the test.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.stdin);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Newest modification time of the .ts/.json files under `p` (or of the file `p`). */
function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    const child = path.join(p, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(child));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(child).mtimeMs);
  }
  return newest;
}

/** dist/cli.js is newer than the sources bundled into it (cli/, core/, package.json for the version). */
function cliIsFresh(): boolean {
  try {
    const built = statSync(path.join(REPO_ROOT, 'dist', 'cli.js')).mtimeMs;
    return built > Math.max(...['cli', 'core', 'package.json'].map((p) => newestMtime(path.join(REPO_ROOT, p))));
  } catch {
    return false;
  }
}

/**
 * Runs `fn` holding the build lock: a folder that only one test process can create at a time
 * (test files run in parallel processes). The LSP and hardening tests take the same folder, so
 * no two builds overlap. A lock older than two minutes belongs to a run that died.
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
 * Builds the bundles (`node scripts/build.mjs`) unless dist/cli.js is fresh. A build that fails
 * elsewhere (another bundle) is fine as long as dist/cli.js came out fresh.
 */
export function ensureCliBuilt(): Promise<void> {
  return withBuildLock(() => {
    if (cliIsFresh()) return;
    const r = spawnSync(process.execPath, [path.join('scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (!cliIsFresh()) throw new Error(`build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  });
}

/**
 * Running `postfix-tls` in tests: `runCli` in process through cli/main.ts with captured
 * streams, `spawnCli` as a real process (`node bin/postfix-tls.js`) after building the bundle
 * when it is older than its sources.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { main } from '../../cli/main';
import { ensureCliBuilt } from './build';
import { REPO_ROOT } from './reference';

// The build lock and "build if stale" live in ./build (shared with the LSP and hardening tests).
export { ensureCliBuilt, withBuildLock } from './build';

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

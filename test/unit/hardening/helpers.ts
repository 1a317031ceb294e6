/**
 * Shared pieces of the hardening tests: documents, timing (recorded, not asserted, except for
 * growth checks), the built CLI, temp folders and the generated large log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../../helpers/reference';
import { loadCorpus } from '../../fuzz/corpus';
import type { TextDocumentLike } from '../../../core/types';

export { REPO_ROOT };

export const MAIN_URI = 'file:///etc/postfix/main.cf';
export const MASTER_URI = 'file:///etc/postfix/master.cf';

export function doc(uri: string, text: string): TextDocumentLike {
  return { uri, getText: () => text };
}

/** Runs `fn` and returns its result and the milliseconds it took. */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

export async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/**
 * Growth check instead of a fixed time bound: the best of two runs at size n and at 4n.
 * Linear work grows about 4x, quadratic about 16x; fails only when the larger run is both
 * clearly super-linear (> 6x) and slow (> floorMs), so a loaded machine does not fail it.
 */
export function assertLinear(what: string, make: (n: number) => string, run: (input: string) => unknown, n: number, floorMs = 500): { small: number; large: number } {
  const best = (input: string): number => Math.min(timed(() => run(input)).ms, timed(() => run(input)).ms);
  const a = make(n);
  const b = make(4 * n);
  const small = best(a);
  const large = best(b);
  if (large > floorMs && large > 6 * Math.max(small, 1)) {
    throw new Error(`${what}: super-linear: ${small.toFixed(0)} ms for ${a.length} characters, ${large.toFixed(0)} ms for ${b.length} characters`);
  }
  return { small, large };
}

export function tempDir(prefix = 'pftls-hardening-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// ------------------------------------------------------------------------------ CLI

// Builds dist/cli.js when stale, under the build lock shared with the CLI and LSP tests.
export { ensureCliBuilt } from '../../helpers/build';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Lines of stdout counted while streaming (stdout itself is kept only up to `keep` characters). */
  stdoutLines: number;
  ms: number;
}

/**
 * Spawns `node bin/postfix-tls.js ...args` (argument list, no shell). Output is streamed: only
 * the first `keep` characters are kept, lines are counted. `nodeArgs` go before the script
 * (e.g. a heap limit).
 */
export function runCli(
  args: string[],
  opts: { cwd?: string; keep?: number; nodeArgs?: string[]; stdin?: boolean; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<CliRun> {
  const keep = opts.keep ?? 1_000_000;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(REPO_ROOT, 'bin', 'postfix-tls.js'), ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lines = 0;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      for (let i = d.indexOf('\n'); i >= 0; i = d.indexOf('\n', i + 1)) lines++;
      if (stdout.length < keep) stdout += d.slice(0, keep - stdout.length);
    });
    child.stderr!.on('data', (d: string) => {
      if (stderr.length < 100_000) stderr += d;
    });
    child.on('spawn', () => opts.onSpawn?.(child));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, stdoutLines: lines, ms: performance.now() - t0 }));
  });
}

// ------------------------------------------------------------------------------ big log

export interface BigLog {
  file: string;
  bytes: number;
  /** Physical lines (a final line end does not start another line). */
  lines: number;
}

/**
 * Writes a log of at least `bytes` bytes: the corpus log lines over and over, with some
 * pathological lines mixed in (a 2 MB line, latin1 junk with NUL bytes, CRLF, a line of
 * brackets, Markdown/HTML in peer names). Never kept in memory as a whole.
 */
export function writeBigLog(file: string, bytes: number): BigLog {
  const corpus = loadCorpus();
  const base = corpus.logLines.length > 0 ? corpus.logLines : ['Nov 28 12:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from a[192.0.2.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)'];
  const odd = [
    'Nov 28 12:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from ' + 'x'.repeat(2 * 1024 * 1024) + '[192.0.2.1]: TLSv1.2 with cipher AES256-SHA (256/256 bits)',
    Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) & 0xff)).toString('latin1').replace(/\n/g, ' '),
    'Nov 28 12:00:00 mx postfix/smtp[2]: Untrusted TLS connection established to [x](command:workbench.action.terminal.new)[192.0.2.2]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)\r',
    '['.repeat(100_000) + ' TLS',
    'Nov 28 12:00:00 mx postfix/smtpd[1]: TLS connection '.repeat(3000),
    'Nov 28 12:00:00 mx postfix/smtpd[3]: Anonymous TLS connection established from <img src=x onerror=alert(1)>[192.0.2.3]: TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)',
  ];
  const fd = openSync(file, 'w');
  let written = 0;
  let lines = 0;
  let chunk: string[] = [];
  let chunkLen = 0;
  let i = 0;
  try {
    while (written + chunkLen < bytes) {
      const l = i % 5000 === 4999 ? odd[Math.floor(i / 5000) % odd.length] : base[i % base.length];
      i++;
      chunk.push(l);
      chunkLen += Buffer.byteLength(l, 'latin1') + 1; // close enough; the real count comes from writeSync
      lines++;
      if (chunk.length >= 2000) {
        written += writeSync(fd, chunk.join('\n') + '\n', null, 'utf8');
        chunk = [];
        chunkLen = 0;
      }
    }
    if (chunk.length) written += writeSync(fd, chunk.join('\n') + '\n', null, 'utf8');
  } finally {
    closeSync(fd);
  }
  return { file, bytes: statSync(file).size, lines };
}

/**
 * Writes a Diffie-Hellman parameter file for `smtpd_tls_dh1024_param_file`: either a freshly
 * generated prime (`openssl dhparam -out <tmp> <bits>`) or one of the RFC 7919 groups, which
 * are public constants and need no generation.
 *
 * I/O module (fs, child_process): the only place that runs openssl for DH parameters.
 * openssl is started with an argument list, never through a shell. The file is first written
 * under a temporary name in the target folder and renamed when complete (as Postfix's own
 * FORWARD_SECRECY_README does with `dh2048.tmp` -> `dh2048.pem`), so a cancelled or failed run
 * never leaves a half-written `.pem` behind, and leaves no temporary file either.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseDhParams } from './dh';
import type { CancellationTokenLike } from './types';

/** The RFC 7919 finite-field groups offered for immediate use. */
export type FfdheGroup = 'ffdhe2048' | 'ffdhe3072' | 'ffdhe4096';

export const FFDHE_GROUPS: readonly FfdheGroup[] = ['ffdhe2048', 'ffdhe3072', 'ffdhe4096'];

/** Prime sizes offered for generation (2048 is the default). */
export const DH_BITS: readonly number[] = [2048, 3072, 4096];

/**
 * RFC 7919 groups as PKCS#3 `DH PARAMETERS` (generator 2). Public constants, identical to what
 * `openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdheN` prints; a test checks each
 * one with `openssl pkeyparam -text`, which names the group when the prime matches.
 */
export const FFDHE_PEMS: Readonly<Record<FfdheGroup, string>> = Object.freeze({
  ffdhe2048: [
    '-----BEGIN DH PARAMETERS-----',
    'MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz',
    '+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a',
    '87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7',
    'YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi',
    '7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD',
    'ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==',
    '-----END DH PARAMETERS-----',
    '',
  ].join('\n'),
  ffdhe3072: [
    '-----BEGIN DH PARAMETERS-----',
    'MIIBiAKCAYEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz',
    '+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a',
    '87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7',
    'YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi',
    '7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD',
    'ssbzSibBsu/6iGtCOGEfz9zeNVs7ZRkDW7w09N75nAI4YbRvydbmyQd62R0mkff3',
    '7lmMsPrBhtkcrv4TCYUTknC0EwyTvEN5RPT9RFLi103TZPLiHnH1S/9croKrnJ32',
    'nuhtK8UiNjoNq8Uhl5sN6todv5pC1cRITgq80Gv6U93vPBsg7j/VnXwl5B0rZsYu',
    'N///////////AgEC',
    '-----END DH PARAMETERS-----',
    '',
  ].join('\n'),
  ffdhe4096: [
    '-----BEGIN DH PARAMETERS-----',
    'MIICCAKCAgEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz',
    '+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a',
    '87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7',
    'YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi',
    '7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD',
    'ssbzSibBsu/6iGtCOGEfz9zeNVs7ZRkDW7w09N75nAI4YbRvydbmyQd62R0mkff3',
    '7lmMsPrBhtkcrv4TCYUTknC0EwyTvEN5RPT9RFLi103TZPLiHnH1S/9croKrnJ32',
    'nuhtK8UiNjoNq8Uhl5sN6todv5pC1cRITgq80Gv6U93vPBsg7j/VnXwl5B0rZp4e',
    '8W5vUsMWTfT7eTDp5OWIV7asfV9C1p9tGHdjzx1VA0AEh/VbpX4xzHpxNciG77Qx',
    'iu1qHgEtnmgyqQdgCpGBMMRtx3j5ca0AOAkpmaMzy4t6Gh25PXFAADwqTs6p+Y0K',
    'zAqCkc3OyX3Pjsm1Wn+IpGtNtahR9EGC4caKAH5eZV9q//////////8CAQI=',
    '-----END DH PARAMETERS-----',
    '',
  ].join('\n'),
});

/** What to write: a generated prime of `bits` bits, or a named RFC 7919 group. */
export type DhChoice = { kind: 'generate'; bits: number } | { kind: 'ffdhe'; group: FfdheGroup };

/** Parses `2048`, `ffdhe3072` ... (as given to the command by automation); undefined if invalid. */
export function parseDhChoice(v: unknown): DhChoice | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return validBits(v) ? { kind: 'generate', bits: v } : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if ((FFDHE_GROUPS as readonly string[]).includes(s)) return { kind: 'ffdhe', group: s as FfdheGroup };
  if (/^[0-9]+$/.test(s)) return parseDhChoice(Number(s));
  return undefined;
}

/** Bit sizes accepted by the generator (the UI offers 2048/3072/4096; tests use smaller ones). */
export function validBits(bits: number): boolean {
  return Number.isInteger(bits) && bits >= 512 && bits <= 16384;
}

/** The final file name: `dh2048.pem` for a generated prime, `ffdhe2048.pem` for a named group. */
export function dhFileName(choice: DhChoice): string {
  return choice.kind === 'generate' ? `dh${choice.bits}.pem` : `${choice.group}.pem`;
}

/** Prime size of a choice. */
export function dhChoiceBits(choice: DhChoice): number {
  return choice.kind === 'generate' ? choice.bits : Number(choice.group.slice(5));
}

/** A cancellation token; `onCancellationRequested` (as on VS Code's token) makes cancelling immediate. */
export interface DhCancellationToken extends CancellationTokenLike {
  onCancellationRequested?: (listener: () => void) => { dispose(): void };
}

export interface DhGenerateOptions {
  /** Folder the file is written to. */
  dir: string;
  choice: DhChoice;
  /** The openssl program (setting postfixTls.opensslPath); default `openssl`. */
  opensslPath?: string;
  /** Replace an existing file of the same name. Without it the result is `exists`. */
  overwrite?: boolean;
  token?: DhCancellationToken;
  /** Called when openssl has started (tests use it to know a process is running). */
  onStarted?: (tmpPath: string) => void;
}

export type DhGenerateResult =
  | { kind: 'written'; path: string; bits: number; generated: boolean }
  | { kind: 'exists'; path: string }
  | { kind: 'cancelled' }
  | { kind: 'error'; reason: 'openssl-missing' | 'openssl-failed' | 'invalid-output' | 'io'; message: string };

/** Picks a temporary name next to the target that is not in use (`dh2048.tmp`, then `dh2048.1.tmp` ...). */
async function freeTempPath(dir: string, base: string): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const p = path.join(dir, i === 0 ? `${base}.tmp` : `${base}.${i}.tmp`);
    try {
      await fsp.lstat(p);
    } catch {
      return p;
    }
  }
  return path.join(dir, `${base}.${process.pid}.${Date.now()}.tmp`);
}

async function removeQuietly(p: string): Promise<void> {
  try {
    await fsp.rm(p, { force: true });
  } catch {
    // Nothing more can be done; the caller reports the original problem.
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function errnoMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e && e.message ? e.message : String(err);
}

interface RunResult {
  kind: 'ok' | 'cancelled' | 'missing' | 'failed';
  message?: string;
}

/** Runs openssl with an argument list; kills it when the token is cancelled. */
function runOpenssl(program: string, args: string[], token: DhCancellationToken | undefined, onStarted: () => void): Promise<RunResult> {
  return new Promise((resolve) => {
    let settled = false;
    let cancelled = false;
    let stderr = '';
    const disposables: { dispose(): void }[] = [];
    const done = (r: RunResult) => {
      if (settled) return;
      settled = true;
      for (const d of disposables) d.dispose();
      resolve(r);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], shell: false, windowsHide: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      done(code === 'ENOENT' ? { kind: 'missing', message: errnoMessage(err) } : { kind: 'failed', message: errnoMessage(err) });
      return;
    }
    const cancel = () => {
      if (cancelled || settled) return;
      cancelled = true;
      child.kill('SIGTERM');
      // A program that ignores SIGTERM is stopped for good shortly after.
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      t.unref();
    };
    if (token?.onCancellationRequested) disposables.push(token.onCancellationRequested(cancel));
    // Polling covers tokens without an event (the plain CancellationTokenLike of the core).
    const poll = setInterval(() => {
      if (token?.isCancellationRequested) cancel();
    }, 100);
    disposables.push({ dispose: () => clearInterval(poll) });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      // openssl prints progress dots and pluses; keep only the tail for an error message.
      stderr = (stderr + d).slice(-4000);
    });
    child.on('spawn', () => {
      onStarted();
      if (token?.isCancellationRequested) cancel();
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') done({ kind: 'missing', message: err.message });
      else if (cancelled) done({ kind: 'cancelled' });
      else done({ kind: 'failed', message: err.message });
    });
    child.on('close', (code, signal) => {
      if (cancelled) return done({ kind: 'cancelled' });
      if (code === 0) return done({ kind: 'ok' });
      const tail = stderr.replace(/[.+*\r\n]{3,}/g, ' ').trim().split('\n').filter(Boolean).slice(-3).join(' ');
      done({ kind: 'failed', message: `openssl exited with ${signal ? `signal ${signal}` : `code ${code}`}${tail ? `: ${tail}` : ''}` });
    });
  });
}

/**
 * Writes the chosen DH parameters into `dir` (temp file + rename, mode 0644). Never throws;
 * on cancellation or failure nothing is left behind.
 */
export async function generateDhFile(opts: DhGenerateOptions): Promise<DhGenerateResult> {
  const { dir, choice } = opts;
  if (choice.kind === 'generate' && !validBits(choice.bits)) {
    return { kind: 'error', reason: 'io', message: `unsupported prime size ${choice.bits}` };
  }
  const finalName = dhFileName(choice);
  const finalPath = path.join(dir, finalName);
  const bits = dhChoiceBits(choice);
  try {
    const st = await fsp.stat(dir);
    if (!st.isDirectory()) return { kind: 'error', reason: 'io', message: `${dir} is not a folder` };
  } catch (err) {
    return { kind: 'error', reason: 'io', message: `cannot use folder ${dir}: ${errnoMessage(err)}` };
  }
  if (!opts.overwrite && (await exists(finalPath))) return { kind: 'exists', path: finalPath };
  if (opts.token?.isCancellationRequested) return { kind: 'cancelled' };

  const tmp = await freeTempPath(dir, finalName.replace(/\.pem$/, ''));
  try {
    if (choice.kind === 'ffdhe') {
      await fsp.writeFile(tmp, FFDHE_PEMS[choice.group], { mode: 0o644, flag: 'wx' });
    } else {
      const r = await runOpenssl(opts.opensslPath || 'openssl', ['dhparam', '-out', tmp, String(choice.bits)], opts.token, () => opts.onStarted?.(tmp));
      if (r.kind === 'cancelled') {
        await removeQuietly(tmp);
        return { kind: 'cancelled' };
      }
      if (r.kind === 'missing') {
        await removeQuietly(tmp);
        return { kind: 'error', reason: 'openssl-missing', message: `the openssl program '${opts.opensslPath || 'openssl'}' was not found` };
      }
      if (r.kind === 'failed') {
        await removeQuietly(tmp);
        return { kind: 'error', reason: 'openssl-failed', message: r.message ?? 'openssl failed' };
      }
    }
    // Check what was written before it takes the real name: a stand-in or broken openssl must
    // not leave an unusable file where Postfix will look.
    const parsed = parseDhParams(await fsp.readFile(tmp));
    if (parsed.kind !== 'ok' || parsed.primeBits !== bits) {
      await removeQuietly(tmp);
      const what = parsed.kind === 'ok' ? `a ${parsed.primeBits}-bit prime instead of ${bits} bits` : parsed.kind === 'malformed' ? parsed.reason : 'no DH parameters';
      return { kind: 'error', reason: 'invalid-output', message: `openssl wrote ${what}` };
    }
    if (opts.token?.isCancellationRequested) {
      await removeQuietly(tmp);
      return { kind: 'cancelled' };
    }
    await fsp.chmod(tmp, 0o644);
    if (!opts.overwrite && (await exists(finalPath))) {
      // Someone created the file while openssl ran: keep theirs.
      await removeQuietly(tmp);
      return { kind: 'exists', path: finalPath };
    }
    await fsp.rename(tmp, finalPath);
    return { kind: 'written', path: finalPath, bits, generated: choice.kind === 'generate' };
  } catch (err) {
    await removeQuietly(tmp);
    return { kind: 'error', reason: 'io', message: errnoMessage(err) };
  }
}

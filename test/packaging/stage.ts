/**
 * Packaging tests build and pack in a throw-away copy of the working tree, so that their
 * production builds never overwrite dist/ under a running `npm run watch` or another test.
 * node_modules is linked, not copied.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Top-level entries that are never part of a build or package. */
const SKIP = new Set(['node_modules', 'dist', 'out', '.git', '.vscode-test', 'artifacts', 'bench']);

export interface Stage {
  /** The copy of the repository. */
  dir: string;
  /** Scratch folder next to it (outputs, install prefixes). */
  scratch: string;
  dispose(): void;
}

export function makeStage(prefix: string): Stage {
  const root = mkdtempSync(path.join(os.tmpdir(), `postfix-tls-${prefix}-`));
  const dir = path.join(root, 'repo');
  const scratch = path.join(root, 'scratch');
  cpSync(REPO_ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(REPO_ROOT, src);
      if (rel === '') return true;
      const top = rel.split(path.sep)[0];
      return !SKIP.has(top) && !/\.(vsix|tgz)$/.test(rel);
    },
  });
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  mkdirSync(scratch);
  return { dir, scratch, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell) and collects its output; never rejects on a non-zero exit. */
export function runProgram(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { cwd: opts.cwd, env: opts.env ?? cleanEnv(), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      // On a non-zero exit `err.code` is the exit status; a string code means it never ran.
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string') reject(err);
      else resolve({ code: err ? (typeof code === 'number' ? code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** The environment without npm's per-run variables (the tests start npm themselves). */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/.test(k) || ['npm_command', 'npm_config_local_prefix', 'INIT_CWD', 'npm_execpath', 'npm_node_execpath', 'npm_config_user_agent'].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** One central-directory record of a zip file. */
interface ZipRecord {
  name: string;
  /** Uncompressed size. */
  size: number;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** Offset of the entry's local header. */
  localOffset: number;
}

/** The central directory of a zip file. */
function zipRecords(buf: Buffer): ZipRecord[] {
  // End of central directory: signature 0x06054b50, at most 64 KiB + 22 bytes from the end.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const nameLen = buf.readUInt16LE(p + 28);
    out.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      size: buf.readUInt32LE(p + 24),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

/** Names of the entries of a zip file (read from its central directory). */
export function zipEntries(buf: Buffer): { name: string; size: number }[] {
  return zipRecords(buf).map((r) => ({ name: r.name, size: r.size }));
}

/** The contents of one zip entry (stored or deflated), or undefined when there is none by that name. */
export function zipRead(buf: Buffer, name: string): Buffer | undefined {
  const r = zipRecords(buf).find((e) => e.name === name);
  if (!r) return undefined;
  // The local header repeats name and extra field, with lengths of its own.
  const start = r.localOffset + 30 + buf.readUInt16LE(r.localOffset + 26) + buf.readUInt16LE(r.localOffset + 28);
  const data = buf.subarray(start, start + r.compressedSize);
  if (r.method === 0) return Buffer.from(data);
  if (r.method === 8) return inflateRawSync(data);
  throw new Error(`${name}: unsupported zip compression method ${r.method}`);
}

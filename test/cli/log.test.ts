/**
 * `postfix-tls log`: in-process through main() with captured streams, plus one real process
 * (node bin/postfix-tls.js) after a build.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { REPO_ROOT } from '../helpers/reference';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'logs');
const MIXED = path.join(FIX, 'mixed.log');
const EML = path.join(FIX, 'headers.eml');
const JSON_KEYS = ['file', 'line', 'kind', 'role', 'status', 'event', 'protocol', 'cipher', 'keyExchange', 'forwardSecrecy', 'postQuantum', 'peer', 'sni', 'failure'];

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], stdin: string | Buffer = ''): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const io: CliIo = { stdout, stderr, stdin: Readable.from([typeof stdin === 'string' ? Buffer.from(stdin) : stdin]), cwd: REPO_ROOT };
  const code = await main(['log', ...args], io);
  return { code, out, err };
}

function jsonl(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pftls-cli-log-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('postfix-tls log (in process)', () => {
  test('jsonl: exactly the documented fields, one record per TLS line', async () => {
    const r = await run([MIXED, '--format', 'jsonl']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const recs = jsonl(r.out);
    for (const rec of recs) assert.deepEqual(Object.keys(rec), JSON_KEYS);
    assert.deepEqual(
      recs.map((x) => [x.line, x.kind, x.forwardSecrecy, x.failure]),
      [
        [2, 'tls-summary', 'yes', null],
        [3, 'tls-summary', 'no', null],
        [4, 'failure', 'unknown', 'handshake'],
        [5, 'failure', 'unknown', 'no-shared-cipher'],
        [6, 'failure', 'unknown', 'lost-after-starttls'],
        [8, 'tls-summary', 'yes', null],
        [9, 'tls-summary', 'yes', null],
        [10, 'tls-summary', 'yes', null],
      ],
    );
    assert.deepEqual(recs[0], {
      file: MIXED,
      line: 2,
      kind: 'tls-summary',
      role: 'server',
      status: 'Anonymous',
      event: 'established',
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      keyExchange: 'X25519',
      forwardSecrecy: 'yes',
      postQuantum: false,
      peer: 'client.example[192.0.2.9]',
      sni: null,
      failure: null,
    });
    assert.equal(recs[1].keyExchange, 'RSA');
    assert.equal(recs[1].role, 'client');
    assert.equal(recs[1].peer, 'old.example[192.0.2.2]:25');
    assert.equal(recs[5].postQuantum, true);
    assert.equal(recs[5].keyExchange, 'X25519MLKEM768');
    assert.equal(recs[6].sni, 'mail.example.org');
    assert.equal(recs[7].event, 'reused');
  });

  test('folded Received: headers are one record at their first line', async () => {
    const r = await run(['--format=jsonl', EML]);
    assert.equal(r.code, 0, r.err);
    const recs = jsonl(r.out);
    assert.deepEqual(
      recs.map((x) => [x.line, x.kind, x.status, x.keyExchange, x.forwardSecrecy, x.peer]),
      [
        [2, 'received-header', 'Anonymous', 'X25519', 'yes', 'mail.example.org[192.0.2.7]'],
        [8, 'received-header', 'Untrusted', 'RSA', 'no', 'old.example[192.0.2.2]'],
      ],
    );
  });

  test('text format: one readable line per record', async () => {
    const r = await run([MIXED]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 8);
    assert.equal(lines[0], `${MIXED}:2: FS ✓ X25519 · Anonymous | from client.example[192.0.2.9] | TLSv1.3 TLS_AES_256_GCM_SHA384`);
    assert.equal(lines[1], `${MIXED}:3: no FS · RSA key exchange · Untrusted | to old.example[192.0.2.2]:25 | TLSv1.2 AES256-GCM-SHA384`);
    assert.match(lines[3], /:5: ✗ no shared cipher \| inbound \| TLS library problem: /);
    assert.match(lines[6], /SNI mail\.example\.org/);
    assert.match(lines[7], /reused connection/);
  });

  test('stdin as -', async () => {
    const r = await run(['-', '--format', 'jsonl'], readFileSync(MIXED));
    assert.equal(r.code, 0, r.err);
    const recs = jsonl(r.out);
    assert.equal(recs.length, 8);
    assert.equal(recs[0].file, '-');
  });

  test('gzip files, by name and by content', async () => {
    const gz = path.join(dir, 'mail.log.1.gz');
    writeFileSync(gz, gzipSync(readFileSync(MIXED)));
    const disguised = path.join(dir, 'mail.log.2');
    writeFileSync(disguised, gzipSync(readFileSync(MIXED)));
    const plain = jsonl((await run([MIXED, '--format', 'jsonl'])).out).map(({ file: _f, ...rest }) => rest);
    for (const f of [gz, disguised]) {
      const r = await run([f, '--format', 'jsonl']);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        jsonl(r.out).map(({ file: _f, ...rest }) => rest),
        plain,
      );
    }
    const fromStdin = await run(['-', '--format', 'jsonl'], gzipSync(readFileSync(EML)));
    assert.equal(jsonl(fromStdin.out).length, 2);
  });

  test('several files; a missing one is reported and gives exit 2', async () => {
    const r = await run([MIXED, path.join(dir, 'nope.log'), EML, '--format', 'jsonl']);
    assert.equal(r.code, 2);
    assert.match(r.err, /nope\.log: no such file/);
    const files = new Set(jsonl(r.out).map((x) => x.file));
    assert.deepEqual([...files], [MIXED, EML]);
  });

  test('a directory and a broken gzip are read errors', async () => {
    const sub = path.join(dir, 'adir');
    mkdirSync(sub, { recursive: true });
    const bad = path.join(dir, 'bad.gz');
    writeFileSync(bad, Buffer.concat([gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 20)]));
    const r1 = await run([sub]);
    assert.equal(r1.code, 2);
    assert.match(r1.err, /is a directory/);
    const r2 = await run([bad]);
    assert.equal(r2.code, 2);
    assert.match(r2.err, /gzip|read error/);
  });

  test('usage errors exit 2 with a clear message', async () => {
    for (const [args, msg] of [
      [[], /no input/],
      [['--format', 'xml', MIXED], /unknown format 'xml'/],
      [['--format'], /needs a value/],
      [['--frmat', 'jsonl', MIXED], /unknown option '--frmat'/],
      [['-', '-'], /only once/],
    ] as [string[], RegExp][]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, msg);
      assert.equal(r.out, '');
    }
  });

  test('binary input and terminal escapes are harmless', async () => {
    const f = path.join(dir, 'weird.log');
    writeFileSync(
      f,
      Buffer.concat([
        Buffer.from([0, 1, 2, 255, 254, 10]),
        Buffer.from('postfix/smtpd[1]: SSL_accept error from evil\u001b[31m.example[192.0.2.9]: -1\n'),
        Buffer.from(`postfix/smtp[1]: Trusted TLS connection established to ${'x'.repeat(3_000_000)}[192.0.2.1]:25: TLSv1.3 with cipher C (1/1 bits)\n`),
      ]),
    );
    const r = await run([f]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /\u001b/);
    assert.equal(r.out.trimEnd().split('\n').length, 2);
  });

  test('a file without TLS lines prints nothing and exits 0', async () => {
    const f = path.join(dir, 'quiet.log');
    writeFileSync(f, 'Nov 28 12:00:04 mail postfix/qmgr[99]: 3F5A2194AA9: removed\n');
    const r = await run([f, '--format', 'jsonl']);
    assert.deepEqual([r.code, r.out, r.err], [0, '', '']);
  });
});

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

function execFileP(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve({ stdout, stderr })));
  });
}

describe('postfix-tls log (real process)', () => {
  test('node bin/postfix-tls.js log with a file and stdin', { timeout: 180_000 }, async () => {
    const bundle = path.join(REPO_ROOT, 'dist', 'cli.js');
    const sources = Math.max(newestMtime(path.join(REPO_ROOT, 'cli')), newestMtime(path.join(REPO_ROOT, 'core')));
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < sources) {
      // `npm run build` without a shell: the npm CLI through the running node.
      const npmCli = process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : undefined;
      if (npmCli) await execFileP(process.execPath, [npmCli, 'run', 'build']);
      else await execFileP(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')]);
    }
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'postfix-tls.js'), 'log', '--format', 'jsonl', EML, '-'], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.stdin.end(gzipSync(readFileSync(MIXED)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    const recs = jsonl(out);
    assert.equal(recs.length, 10);
    assert.deepEqual(Object.keys(recs[0]), JSON_KEYS);
    assert.deepEqual(recs.slice(0, 2).map((r) => [r.file, r.line]), [[EML, 2], [EML, 8]]);
    assert.ok(recs.slice(2).every((r) => r.file === '-'));

    const bad = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'postfix-tls.js'), 'log', '--format', 'yaml', EML], { cwd: REPO_ROOT });
    let badErr = '';
    bad.stderr.on('data', (c: Buffer) => (badErr += c.toString('utf8')));
    const badCode = await new Promise<number | null>((resolve) => bad.on('close', resolve));
    assert.equal(badCode, 2);
    assert.match(badErr, /unknown format 'yaml'/);
  });
});

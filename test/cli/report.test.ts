/**
 * `postfix-tls report`: in-process through main() with captured streams, plus a real process
 * interrupted with SIGINT (no partial output file).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli';
import type { TlsReport } from '../../core/report/aggregate';
import { REPO_ROOT } from '../helpers/reference';

const SMALL = path.join(REPO_ROOT, 'test', 'fixtures', 'report', 'small.log');

const run = (args: string[], stdin: string | Buffer = '', cwd = REPO_ROOT) => runCli(['report', ...args], { stdin, cwd });

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pftls-cli-report-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('postfix-tls report (in process)', () => {
  test('text by default', async () => {
    const r = await run([SMALL]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Postfix TLS report: 1 file, 21 lines/);
    assert.match(r.stdout, /Forward secrecy\s+55\.6%\s+50\.0%\s+60\.0%/);
  });

  test('json is the TlsReport with the hand-counted numbers', async () => {
    const r = await run(['--format', 'json', SMALL]);
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as TlsReport;
    assert.equal(rep.total.connections, 9);
    assert.equal(rep.inbound.fsShare, 0.5);
    assert.equal(rep.outbound.fsShare, 0.6);
    assert.equal(rep.failures.total, 4);
    // Names as the user typed them.
    assert.equal(rep.files[0].file, SMALL);
  });

  test('html and markdown', async () => {
    const h = await run([SMALL, '--format=html']);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /^<!DOCTYPE html>/);
    assert.match(h.stdout, /Content-Security-Policy/);
    const m = await run([SMALL, '-f', 'markdown']);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /^# Postfix TLS report/);
  });

  test('stdin (-), gzip or plain, equals the file', async () => {
    const file = JSON.parse((await run(['--format', 'json', SMALL])).stdout) as TlsReport;
    for (const input of [readFileSync(SMALL), gzipSync(readFileSync(SMALL))]) {
      const r = await run(['-', '--format', 'json'], input);
      assert.equal(r.code, 0, r.stderr);
      const rep = JSON.parse(r.stdout) as TlsReport;
      assert.equal(rep.files[0].file, '-');
      assert.deepEqual(rep.total, file.total);
      assert.deepEqual(rep.days, file.days);
    }
  });

  test('--jobs is accepted (workers only exist next to the built CLI; same numbers either way)', async () => {
    const r = await run([SMALL, '--format', 'json', '--jobs', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as TlsReport).total.connections, 9);
  });

  test('several files, relative to cwd', async () => {
    const gz = path.join(dir, 'mail.log.1.gz');
    writeFileSync(gz, gzipSync(readFileSync(SMALL)));
    const r = await run(['--format', 'json', 'mail.log.1.gz', SMALL], '', dir);
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as TlsReport;
    assert.equal(rep.total.connections, 18);
    assert.equal(rep.files.length, 2);
  });

  test('--output writes the file (no temp file left) and nothing to stdout', async () => {
    const out = path.join(dir, 'report.html');
    writeFileSync(out, 'old');
    const r = await run([SMALL, '--format', 'html', '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(readFileSync(out, 'utf8'), /^<!DOCTYPE html>/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  test('usage errors exit 2 with a clear message', async () => {
    for (const [args, re] of [
      [[], /no log file given/],
      [[SMALL, '--format', 'pdf'], /unknown format 'pdf'/],
      [[SMALL, '--bogus'], /unknown option '--bogus'/],
      [[SMALL, '--output'], /--output needs a value/],
      [['-', '-'], /stdin \(-\) can be given only once/],
      [[SMALL, '--jobs', 'many'], /--jobs needs a whole number/],
    ] as [string[], RegExp][]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    }
  });

  test('read errors exit 2 and name the file', async () => {
    const missing = await run([path.join(dir, 'nope.log')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^postfix-tls report: .*nope\.log: no such file\n$/);
    const isDir = await run([dir]);
    assert.equal(isDir.code, 2);
    assert.match(isDir.stderr, /is a directory/);
    const out = path.join(dir, 'never.html');
    const r = await run([path.join(dir, 'nope.log'), '--output', out]);
    assert.equal(r.code, 2);
    assert.equal(existsSync(out), false);
  });

  test('an unwritable --output exits 2', async () => {
    const r = await run([SMALL, '--output', path.join(dir, 'no-such-dir', 'r.txt')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write/);
  });

  test('hostile peer names stay escaped in html output', async () => {
    const r = await run([path.join(REPO_ROOT, 'test', 'fixtures', 'report', 'hostile.log'), '--format', 'html']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /<script/i);
    assert.match(r.stdout, /&lt;script&gt;/);
  });
});

describe('postfix-tls report (process)', () => {
  test('SIGINT while reading: exit 130, no output file, no temp file', async () => {
    const child = path.join(dir, 'child.ts');
    writeFileSync(
      child,
      `import { main } from ${JSON.stringify(path.join(REPO_ROOT, 'cli', 'main'))};\n` +
        `const p = main(process.argv.slice(2));\nprocess.stderr.write('started\\n');\np.then((c) => { process.exitCode = c; });\n`,
    );
    const out = path.join(dir, 'interrupted.json');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, 'report', '-', '--format', 'json', '--output', out], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    const started = new Promise<void>((resolve) => {
      proc.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('started')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
    await started;
    // Some data, and stdin stays open: the report is still reading when the signal comes.
    await new Promise<void>((resolve) => proc.stdin.write(readFileSync(SMALL), () => resolve()));
    proc.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, err);
    assert.match(err, /interrupted, nothing written/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });
});

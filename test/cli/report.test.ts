/**
 * `postfix-tls report`: in-process through main() with captured streams, plus a real process
 * interrupted with SIGINT (no partial output file).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, copyFileSync, symlinkSync, linkSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureCliBuilt, runCli } from '../helpers/cli';
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
      [[SMALL, '--jobs', 'many'], /--jobs takes a whole number from 0 to 99/],
      [[SMALL, '--jobs', '100000'], /--jobs takes a whole number from 0 to 99 \(0: no worker threads; got '100000'\)/],
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

/** `node bin/postfix-tls.js ...args` with stdin from `stdinFd` (or closed); killed after `ms` (then code is null). */
async function spawnWithDeadline(args: string[], opts: { cwd?: string; stdinFd?: number; ms?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  await ensureCliBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'postfix-tls.js'), ...args], { cwd: opts.cwd ?? REPO_ROOT, stdio: [opts.stdinFd ?? 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.ms ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('report: never overwrites its input (--output)', () => {
  let work = '';
  let original = '';
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'pftls-cli-report-same-'));
    copyFileSync(SMALL, path.join(work, 'v.log'));
    original = readFileSync(path.join(work, 'v.log'), 'utf8');
    symlinkSync('v.log', path.join(work, 'link.log'));
    linkSync(path.join(work, 'v.log'), path.join(work, 'hard.log'));
    mkdirSync(path.join(work, 'sub'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('the output named as an input, in any spelling or through a link, is refused (exit 2) and the log is left as it was', async () => {
    for (const [inputs, output] of [
      [['v.log'], 'v.log'],
      [['v.log'], './v.log'],
      [['v.log'], 'sub/../v.log'],
      [['v.log'], path.join(work, 'v.log')],
      [['v.log'], 'link.log'],
      [['link.log'], 'v.log'],
      [['v.log'], 'hard.log'],
      [[SMALL, 'v.log'], 'hard.log'],
    ] as [string[], string][]) {
      const r = await run([...inputs, '--format', 'html', '--output', output], '', work);
      assert.equal(r.code, 2, `${inputs.join(' ')} -> ${output}: ${r.stderr}`);
      assert.match(r.stderr, /^postfix-tls report: --output .* is the input .*: the report would replace the log it is made from\. Choose another output file\.\n$/);
      assert.equal(r.stdout, '');
      assert.equal(readFileSync(path.join(work, 'v.log'), 'utf8'), original, `${inputs.join(' ')} -> ${output}`);
    }
    assert.deepEqual(readdirSync(work).filter((f) => f.endsWith('.tmp')), []);
    // Another file next to the log is fine.
    const ok = await run(['v.log', '--output', 'report.txt'], '', work);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(readFileSync(path.join(work, 'report.txt'), 'utf8'), /^Postfix TLS report: 1 file, 21 lines/);
  });

  test('real process: stdin redirected from the output file is refused too', { timeout: 180_000 }, async () => {
    const fd = openSync(path.join(work, 'v.log'), 'r');
    try {
      const r = await spawnWithDeadline(['report', '-', '--output', 'v.log'], { cwd: work, stdinFd: fd });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--output v\.log is the input on stdin \(-\)/);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(path.join(work, 'v.log'), 'utf8'), original);
  });
});

describe('report: binary files, devices, named pipes', () => {
  let work = '';
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'pftls-cli-report-bin-'));
    writeFileSync(path.join(work, 'b.cf'), readFileSync(process.execPath).subarray(0, 4096));
    writeFileSync(path.join(work, 'b.gz'), gzipSync(readFileSync(process.execPath).subarray(0, 4096)));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('a binary file alone: a clear message, no report, exit 2', async () => {
    for (const f of ['b.cf', 'b.gz']) {
      const r = await run([f], '', work);
      assert.equal(r.code, 2, f);
      assert.equal(r.stdout, '', f);
      assert.match(r.stderr, new RegExp(`^postfix-tls report: .*${f.replace('.', '\\.')}: looks like a binary file \\(it contains NUL bytes\\), not a mail log\\n$`), f);
    }
  });

  test('with other files: the binary one is named and left out, the others are reported, exit 2', async () => {
    const out = path.join(work, 'r.json');
    const r = await run(['b.cf', SMALL, '--format', 'json', '--output', out], '', work);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /b\.cf: looks like a binary file/);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as TlsReport;
    assert.deepEqual(rep.files.map((f) => f.file), [SMALL]);
    assert.equal(rep.total.connections, 9);
    // The same for a missing file among others.
    const missing = await run(['nope.log', SMALL], '', work);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.log: no such file/);
    assert.match(missing.stdout, /^Postfix TLS report: 1 file, 21 lines/);
  });

  test('a device is refused at once ("not a regular file"), for report and log', { timeout: 180_000 }, async () => {
    for (const cmd of ['report', 'log']) {
      const r = await spawnWithDeadline([cmd, '/dev/zero'], { ms: 60_000 });
      assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^postfix-tls ${cmd}: /dev/zero: not a regular file`));
    }
  });

  test('a named pipe is read like stdin', async () => {
    const fifo = path.join(work, 'live.pipe');
    execFileSync('mkfifo', [fifo]);
    // The writer opens the pipe once the reader does (both block until then).
    const writer = new Promise<void>((resolve, reject) => {
      const ws = createWriteStream(fifo);
      ws.on('error', reject);
      ws.end(readFileSync(SMALL), () => resolve());
    });
    const [r] = await Promise.all([run([fifo, '--format', 'json']), writer]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as TlsReport).total.connections, 9);
  });
});

describe('report: write errors and wording', () => {
  test('a missing output folder is named, the temp file never', async () => {
    const target = path.join(dir, 'no-such-dir', 'x.html');
    const r = await run([SMALL, '--output', target]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `postfix-tls report: cannot write ${target}: folder ${path.dirname(target)} does not exist\n`);
    assert.doesNotMatch(r.stderr, /\.tmp/);
  });

  test('"1 line", "1 peer", "1 record": singular where it is one', async () => {
    const f = path.join(dir, 'one.log');
    writeFileSync(f, 'Nov 28 12:00:00 mail postfix/smtpd[1]: Anonymous TLS connection established from old.example[192.0.2.2]: TLSv1.2 with cipher AES256-SHA (256/256 bits)\n');
    for (const format of ['text', 'markdown', 'html']) {
      const r = await run([f, '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /\b1 (lines|files|peers|records)\b|\(s\)/, format);
      assert.match(r.stdout, /1 peer, 1 record/, format);
    }
    assert.match((await run([f])).stdout, /^Postfix TLS report: 1 file, 1 line\n/);
  });

  test('an unknown cipher is counted with unknown key exchange and forward secrecy, not as RSA', async () => {
    const f = path.join(dir, 'foo.log');
    writeFileSync(f, 'Nov 28 12:00:00 mail postfix/smtp[1]: Untrusted TLS connection established to h[192.0.2.5]:25: TLSv1.2 with cipher FOO-BAR (256/256 bits)\n');
    const rep = JSON.parse((await run([f, '--format', 'json'])).stdout) as TlsReport;
    assert.deepEqual(rep.total.fs, { yes: 0, no: 0, unknown: 1 });
    assert.deepEqual(rep.total.byKeyExchange, { '(unknown cipher)': 1 });
    assert.equal(rep.peersWithoutFs.entries.length, 0);
  });
});

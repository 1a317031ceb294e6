/**
 * `postfix-tls log`: in-process through main() with captured streams, plus one real process
 * (node bin/postfix-tls.js) after a build.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli, spawnCli } from '../helpers/cli';
import { REPO_ROOT, referenceFile } from '../helpers/reference';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'logs');
const MIXED = path.join(FIX, 'mixed.log');
const EML = path.join(FIX, 'headers.eml');
const JSON_KEYS = ['file', 'line', 'kind', 'role', 'status', 'event', 'protocol', 'cipher', 'keyExchange', 'forwardSecrecy', 'postQuantum', 'peer', 'sni', 'failure'];

const run = (args: string[], stdin: string | Buffer = '') => runCli(['log', ...args], { stdin });

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
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const recs = jsonl(r.stdout);
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
    assert.equal(r.code, 0, r.stderr);
    const recs = jsonl(r.stdout);
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
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 8);
    assert.equal(lines[0], `${MIXED}:2: FS ✓ X25519 · Anonymous | from client.example[192.0.2.9] | TLSv1.3 TLS_AES_256_GCM_SHA384`);
    assert.equal(lines[1], `${MIXED}:3: no FS · RSA key exchange · Untrusted | to old.example[192.0.2.2]:25 | TLSv1.2 AES256-GCM-SHA384`);
    assert.match(lines[3], /:5: ✗ no shared cipher \| inbound \| TLS library problem: /);
    assert.match(lines[6], /SNI mail\.example\.org/);
    assert.match(lines[7], /reused connection/);
  });

  test('stdin as -', async () => {
    const r = await run(['-', '--format', 'jsonl'], readFileSync(MIXED));
    assert.equal(r.code, 0, r.stderr);
    const recs = jsonl(r.stdout);
    assert.equal(recs.length, 8);
    assert.equal(recs[0].file, '-');
  });

  test('gzip files, by name and by content', async () => {
    const gz = path.join(dir, 'mail.log.1.gz');
    writeFileSync(gz, gzipSync(readFileSync(MIXED)));
    const disguised = path.join(dir, 'mail.log.2');
    writeFileSync(disguised, gzipSync(readFileSync(MIXED)));
    const plain = jsonl((await run([MIXED, '--format', 'jsonl'])).stdout).map(({ file: _f, ...rest }) => rest);
    for (const f of [gz, disguised]) {
      const r = await run([f, '--format', 'jsonl']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        jsonl(r.stdout).map(({ file: _f, ...rest }) => rest),
        plain,
      );
    }
    const fromStdin = await run(['-', '--format', 'jsonl'], gzipSync(readFileSync(EML)));
    assert.equal(jsonl(fromStdin.stdout).length, 2);
  });

  test('several files; a missing one is reported and gives exit 2', async () => {
    const r = await run([MIXED, path.join(dir, 'nope.log'), EML, '--format', 'jsonl']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.log: no such file/);
    const files = new Set(jsonl(r.stdout).map((x) => x.file));
    assert.deepEqual([...files], [MIXED, EML]);
  });

  test('a directory and a broken gzip are read errors', async () => {
    const sub = path.join(dir, 'adir');
    mkdirSync(sub, { recursive: true });
    const bad = path.join(dir, 'bad.gz');
    writeFileSync(bad, Buffer.concat([gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 20)]));
    const r1 = await run([sub]);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /is a directory/);
    const r2 = await run([bad]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /gzip|read error/);
  });

  test('usage errors exit 2 with a clear message', async () => {
    for (const [args, msg] of [
      [[], /no input/],
      [['--format', 'xml', MIXED], /unknown format 'xml'/],
      [['--format'], /^postfix-tls log: --format needs a value: text or jsonl\n$/],
      [['--frmat', 'jsonl', MIXED], /unknown option '--frmat'/],
      [['-', '-'], /only once/],
    ] as [string[], RegExp][]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, '');
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
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\u001b/);
    assert.equal(r.stdout.trimEnd().split('\n').length, 2);
  });

  test('a file without TLS lines prints nothing and exits 0', async () => {
    const f = path.join(dir, 'quiet.log');
    writeFileSync(f, 'Nov 28 12:00:04 mail postfix/qmgr[99]: 3F5A2194AA9: removed\n');
    const r = await run([f, '--format', 'jsonl']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
  });
});

describe('postfix-tls log (real process)', () => {
  test('node bin/postfix-tls.js log with a file and stdin', { timeout: 180_000 }, async () => {
    const r = await spawnCli(['log', '--format', 'jsonl', EML, '-'], { stdin: gzipSync(readFileSync(MIXED)) });
    assert.equal(r.code, 0, r.stderr);
    const recs = jsonl(r.stdout);
    assert.equal(recs.length, 10);
    assert.deepEqual(Object.keys(recs[0]), JSON_KEYS);
    assert.deepEqual(recs.slice(0, 2).map((r) => [r.file, r.line]), [[EML, 2], [EML, 8]]);
    assert.ok(recs.slice(2).every((r) => r.file === '-'));

    const bad = await spawnCli(['log', '--format', 'yaml', EML]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown format 'yaml'/);
  });
});

describe('postfix-tls log: QA fixes', () => {
  test('a binary file: "looks like a binary file", exit 2, the other files still listed', async () => {
    const bin = path.join(dir, 'b.cf');
    writeFileSync(bin, readFileSync(process.execPath).subarray(0, 4096));
    const alone = await run([bin]);
    assert.equal(alone.code, 2);
    assert.equal(alone.stdout, '');
    assert.equal(alone.stderr, `postfix-tls log: ${bin}: looks like a binary file (it contains NUL bytes), not a mail log\n`);
    const both = await run([bin, MIXED]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /b\.cf: looks like a binary file/);
    assert.equal(both.stdout.trimEnd().split('\n').length, 8);
    // Gzip-compressed binary data too; stdin as well.
    writeFileSync(path.join(dir, 'b.gz'), gzipSync(readFileSync(bin)));
    assert.match((await run([path.join(dir, 'b.gz')])).stderr, /b\.gz: looks like a binary file/);
    const stdin = await run(['-'], readFileSync(bin));
    assert.deepEqual([stdin.code, stdin.stderr], [2, 'postfix-tls log: stdin: looks like a binary file (it contains NUL bytes), not a mail log\n']);
  });

  test('a placeholder peer with a space is shown whole ([next hop], not [next)', async () => {
    const r = await run([referenceFile('corpus', 'logs', 'wader__postfix-relay__issue-230.log'), '--format', 'jsonl']);
    assert.equal(r.code, 0, r.stderr);
    const first = jsonl(r.stdout)[0];
    assert.deepEqual([first.line, first.peer, first.failure], [1, '[next hop]', 'cert-verification']);
    const text = await run([referenceFile('corpus', 'logs', 'wader__postfix-relay__issue-230.log')]);
    assert.match(text.stdout.split('\n')[0], /\| to \[next hop\] \|/);
  });

  test('certificate failures name the right side, for smtp and smtpd', async () => {
    const lines = [
      'postfix/smtp[1]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:',
      'postfix/smtpd[1]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:',
      'postfix/smtp[1]: warning: TLS library problem: error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42:',
      'postfix/smtpd[1]: warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48:',
    ];
    const r = await run(['-'], lines.join('\n') + '\n');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout.trimEnd().split('\n').map((l) => l.split(' | ').slice(0, 2).join(' | ')),
      [
        '-:1: ✗ certificate verification failed | outbound',
        '-:2: ✗ certificate verification failed | inbound',
        '-:3: ✗ peer rejected our certificate | outbound',
        '-:4: ✗ peer rejected our certificate | inbound',
      ],
    );
  });

  test('an unknown cipher: key exchange and forward secrecy unknown; known static-RSA suites stay RSA', async () => {
    const line = (c: string) => `postfix/smtp[1]: Untrusted TLS connection established to h[192.0.2.5]:25: TLSv1.2 with cipher ${c} (256/256 bits)`;
    const r = await run(['-', '--format', 'jsonl'], ['FOO-BAR', 'AES256-SHA', 'AES128-GCM-SHA256', 'DES-CBC3-SHA'].map(line).join('\n'));
    assert.deepEqual(
      jsonl(r.stdout).map((x) => [x.cipher, x.keyExchange, x.forwardSecrecy]),
      [
        ['FOO-BAR', null, 'unknown'],
        ['AES256-SHA', 'RSA', 'no'],
        ['AES128-GCM-SHA256', 'RSA', 'no'],
        ['DES-CBC3-SHA', 'RSA', 'no'],
      ],
    );
    const text = await run(['-'], line('FOO-BAR'));
    assert.match(text.stdout, /^-:1: FS \? · Untrusted \| to h\[192\.0\.2\.5\]:25/);
    assert.doesNotMatch(text.stdout, /RSA/);
  });
});

/**
 * reportFiles over the hand-counted fixture test/fixtures/report/small.log (21 lines).
 *
 * Counted by hand (line numbers in brackets):
 *   inbound summaries:  [2] TLSv1.3 X25519 Anonymous FS · [5] TLSv1.2 AES256-GCM-SHA384 (static RSA)
 *                       Anonymous no FS · [15] TLSv1.2 ECDHE-RSA Untrusted FS · [16] as [5]
 *                       -> 4 connections, 2 with FS, 2 without: 50 %
 *   outbound summaries: [6] TLSv1.3 X25519MLKEM768 Verified FS+PQ · [8] TLSv1.2 AES128-SHA Trusted
 *                       no FS · [9] the same, reused · [17] TLSv1.3 X25519 Verified FS ·
 *                       [19] TLSv1.3 X25519 Untrusted FS
 *                       -> 5 connections (1 reused), 3 with FS, 2 without: 60 %; 1 post-quantum
 *   failures:           [11] SSL_accept error (handshake) · [12] TLS library problem, peer alert
 *                       "unknown ca" (the peer rejected our certificate) · [13] lost connection
 *                       after STARTTLS · [18] certificate verification failed -> 4
 *   peers without FS:   legacy.example[198.51.100.7] 2x (last [16] Nov 28 09:00:02),
 *                       old.example.net[203.0.113.5] 2x (last [9] Nov 27 10:07:05)
 *   peers with failures: bad.example[192.0.2.66] 2x (handshake, lost-after-starttls; last [13]),
 *                       mx.bad-cert.example[198.51.100.99] 1x (cert-verification, [18])
 *   per day:            Nov 27: 5 connections, 2 FS / 3 not (40 %), 3 failures;
 *                       Nov 28: 4 connections, 3 FS / 1 not (75 %), 1 failure
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { reportFiles } from '../../../core/report/files';
import { LineReadError } from '../../../core/log/lines';
import type { TlsReport } from '../../../core/report/aggregate';
import { WriteError, writeFileAtomic } from '../../../core/report/output';
import { REPO_ROOT } from '../../helpers/reference';

const SMALL = path.join(REPO_ROOT, 'test', 'fixtures', 'report', 'small.log');

/** The report without file names, to compare reports of copies of the same log. */
function withoutFiles(r: TlsReport): unknown {
  return JSON.parse(JSON.stringify({ ...r, files: r.files.map((f) => ({ ...f, file: '', bytes: 0, gzip: false })) }).replace(/"file":"[^"]*"/g, '"file":""'));
}

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pftls-report-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('reportFiles on the hand-counted fixture', () => {
  test('totals, directions, FS share, post-quantum', async () => {
    const r = await reportFiles([SMALL]);
    assert.equal(r.linesRead, 21);
    assert.equal(r.inbound.connections, 4);
    assert.deepEqual(r.inbound.fs, { yes: 2, no: 2, unknown: 0 });
    assert.equal(r.inbound.fsShare, 0.5);
    assert.equal(r.outbound.connections, 5);
    assert.equal(r.outbound.established, 4);
    assert.equal(r.outbound.reused, 1);
    assert.deepEqual(r.outbound.fs, { yes: 3, no: 2, unknown: 0 });
    assert.equal(r.outbound.fsShare, 0.6);
    assert.equal(r.outbound.postQuantum, 1);
    assert.equal(r.outbound.pqShare, 0.2);
    assert.equal(r.total.connections, 9);
    assert.equal(r.total.fsShare, 5 / 9);
    assert.equal(r.unknownDirection, 0);
    assert.equal(r.receivedHeaders.connections, 0);
  });

  test('counts by protocol, status, logged key exchange, cipher', async () => {
    const r = await reportFiles([SMALL]);
    assert.deepEqual(r.total.byProtocol, { 'TLSv1.2': 5, 'TLSv1.3': 4 });
    assert.deepEqual(r.total.byStatus, { Anonymous: 3, Trusted: 2, Untrusted: 2, Verified: 2 });
    assert.equal(r.total.byKeyExchange.X25519, 3);
    assert.equal(r.total.byKeyExchange.X25519MLKEM768, 1);
    assert.deepEqual(r.total.byCipher, {
      TLS_AES_256_GCM_SHA384: 3,
      'AES128-SHA': 2,
      'AES256-GCM-SHA384': 2,
      'ECDHE-RSA-AES128-GCM-SHA256': 1,
      TLS_AES_128_GCM_SHA256: 1,
    });
  });

  test('failures and the actionable peer lists', async () => {
    const r = await reportFiles([SMALL], { displayNames: ['small.log'] });
    assert.equal(r.failures.total, 4);
    assert.equal(r.failures.byKind.handshake, 1);
    assert.equal(r.failures.byKind['lost-after-starttls'], 1);
    // [12] (peer alert "unknown ca") and [18] (our check of the server certificate).
    assert.equal(r.failures.byKind['cert-verification'], 2);
    assert.deepEqual(
      r.peersWithoutFs.entries.map((e) => [e.peer, e.count, e.inbound, e.outbound, e.last]),
      [
        ['legacy.example[198.51.100.7]', 2, 2, 0, { file: 'small.log', line: 16, timestamp: 'Nov 28 09:00:02' }],
        ['old.example.net[203.0.113.5]', 2, 0, 2, { file: 'small.log', line: 9, timestamp: 'Nov 27 10:07:05' }],
      ],
    );
    assert.equal(r.peersWithoutFs.records, 4);
    assert.equal(r.peersWithoutFs.truncated, false);
    assert.deepEqual(
      r.peersWithFailures.entries.map((e) => [e.peer, e.count, e.kinds, e.last.line]),
      [
        ['bad.example[192.0.2.66]', 2, { handshake: 1, 'lost-after-starttls': 1 }, 13],
        ['mx.bad-cert.example[198.51.100.99]', 1, { 'cert-verification': 1 }, 18],
      ],
    );
  });

  test('per-day series', async () => {
    const r = await reportFiles([SMALL]);
    assert.deepEqual(
      r.days.map((d) => [d.day, d.connections, d.fsYes, d.fsNo, d.fsShare, d.failures, d.byProtocol]),
      [
        ['Nov 27', 5, 2, 3, 0.4, 3, { 'TLSv1.2': 3, 'TLSv1.3': 2 }],
        ['Nov 28', 4, 3, 1, 0.75, 1, { 'TLSv1.2': 2, 'TLSv1.3': 2 }],
      ],
    );
  });
});

describe('reportFiles inputs', () => {
  test('.gz and plain give the same report', async () => {
    const gz = path.join(dir, 'mail.log.1.gz');
    writeFileSync(gz, gzipSync(readFileSync(SMALL)));
    const plain = await reportFiles([SMALL]);
    const packed = await reportFiles([gz]);
    assert.equal(packed.files[0].gzip, true);
    assert.deepEqual(withoutFiles(packed), withoutFiles(plain));
  });

  test('stdin (-) gives the same report', async () => {
    const r = await reportFiles(['-'], { stdin: Readable.from([readFileSync(SMALL)]) });
    assert.deepEqual(withoutFiles(r), withoutFiles(await reportFiles([SMALL])));
  });

  test('rotated files are read oldest first, so "last seen" is the latest', async () => {
    const older = path.join(dir, 'mail.log.1');
    const newer = path.join(dir, 'mail.log');
    writeFileSync(older, 'Nov 26 10:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from legacy.example[198.51.100.7]: TLSv1.2 with cipher AES256-SHA (256/256 bits)\n');
    copyFileSync(SMALL, newer);
    utimesSync(older, new Date('2024-11-26T12:00:00Z'), new Date('2024-11-26T12:00:00Z'));
    utimesSync(newer, new Date('2024-11-28T12:00:00Z'), new Date('2024-11-28T12:00:00Z'));
    // Given newest first, as a shell glob would.
    const r = await reportFiles([newer, older], { displayNames: ['mail.log', 'mail.log.1'] });
    assert.deepEqual(r.files.map((f) => f.file), ['mail.log.1', 'mail.log']);
    const legacy = r.peersWithoutFs.entries.find((e) => e.peer === 'legacy.example[198.51.100.7]');
    assert.equal(legacy?.count, 3);
    assert.deepEqual(legacy?.last, { file: 'mail.log', line: 16, timestamp: 'Nov 28 09:00:02' });
    assert.deepEqual(r.days.map((d) => d.day), ['Nov 26', 'Nov 27', 'Nov 28']);
  });

  test('progress reaches the total size', async () => {
    const seen: [number, number][] = [];
    await reportFiles([SMALL], { onProgress: (d, t) => seen.push([d, t]) });
    const size = readFileSync(SMALL).length;
    assert.ok(seen.length > 0);
    assert.deepEqual(seen[seen.length - 1], [size, size]);
  });

  test('a missing file rejects with a readable message', async () => {
    await assert.rejects(reportFiles([path.join(dir, 'missing.log')]), /missing\.log: no such file/);
  });

  test('abort mid-way rejects, and a report is never written half', async () => {
    const big = path.join(dir, 'big.log');
    const line = readFileSync(SMALL, 'utf8');
    writeFileSync(big, line.repeat(20_000)); // about 8 MB: many chunks
    const ac = new AbortController();
    const out = path.join(dir, 'out.json');
    let progressCalls = 0;
    const run = reportFiles([big], {
      signal: ac.signal,
      onProgress: () => {
        if (++progressCalls === 2) ac.abort();
      },
    }).then((r) => writeFileAtomic(out, JSON.stringify(r)));
    await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.ok(progressCalls >= 2);
    assert.throws(() => readFileSync(out), /ENOENT/);
  });
});

describe('writeFileAtomic', () => {
  test('replaces the target in one step and leaves no temp file', async () => {
    const target = path.join(dir, 'atomic', 'report.html');
    // Folder missing: nothing created, and the error names the target and the folder (never the temp file).
    await assert.rejects(writeFileAtomic(target, 'x'), (e: unknown) => {
      assert.ok(e instanceof WriteError);
      assert.equal(e.message, `cannot write ${target}: folder ${path.dirname(target)} does not exist`);
      assert.equal(e.code, 'ENOENT');
      return true;
    });
    const t2 = path.join(dir, 'report.html');
    writeFileSync(t2, 'old');
    await writeFileAtomic(t2, 'new');
    assert.equal(readFileSync(t2, 'utf8'), 'new');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(writeFileAtomic(t2, 'never', ac.signal));
    assert.equal(readFileSync(t2, 'utf8'), 'new');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  test('write errors say what is wrong with the target, never the temp file name', async () => {
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const notDir = path.join(file, 'r.html');
    await assert.rejects(writeFileAtomic(notDir, 'x'), (e: unknown) => e instanceof WriteError && e.message === `cannot write ${notDir}: ${file} is not a folder`);
    await assert.rejects(writeFileAtomic(dir, 'x'), (e: unknown) => e instanceof WriteError && e.message === `cannot write ${dir}: it is a directory`);
    if (process.getuid?.() !== 0) {
      const ro = path.join(dir, 'ro');
      mkdirSync(ro, { mode: 0o555 });
      await assert.rejects(writeFileAtomic(path.join(ro, 'r.html'), 'x'), (e: unknown) => e instanceof WriteError && /permission denied/.test(e.message) && !/\.tmp/.test(e.message));
    }
  });

  test('a symbolic link as target: the link stays, the file it points to gets the report', async () => {
    const real = path.join(dir, 'real-report.html');
    writeFileSync(real, 'old');
    const link = path.join(dir, 'link-report.html');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'new');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'new');
  });

  test('writes into a device such as /dev/null instead of replacing it', async () => {
    await writeFileAtomic('/dev/null', 'nothing');
    assert.ok(statSync('/dev/null').isCharacterDevice());
  });
});

describe('reportFiles with worker threads', () => {
  let workerScript = '';
  before(async () => {
    // The worker runs as a bundle, as in dist/ (worker threads do not get the tsx loader).
    const esbuild = await import('esbuild');
    workerScript = path.join(dir, 'report-worker.js');
    await esbuild.build({ entryPoints: [path.join(REPO_ROOT, 'core', 'report', 'worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerScript, logLevel: 'warning' });
  });

  /** A log of the fixture repeated, with a folded Received: header now and then. */
  function bigLog(name: string, copies: number): string {
    const header = 'Received: from a.example (a.example [192.0.2.1])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\n\t(No client certificate requested)\n\tby mx.example (Postfix) with ESMTPS id 4AB12C0D3\n';
    const block = readFileSync(SMALL, 'utf8') + header;
    const f = path.join(dir, name);
    writeFileSync(f, block.repeat(copies));
    return f;
  }

  test('byte ranges in several workers give exactly the single-thread report', async () => {
    const f = bigLog('parallel.log', 3000); // ~4 MB
    const one = await reportFiles([f]);
    for (const jobs of [2, 3, 5]) {
      const many = await reportFiles([f], { jobs, workerScript, parallelMinBytes: 0, minRangeBytes: 1 });
      assert.deepEqual(many, one, `jobs=${jobs}`);
    }
    assert.equal(one.total.connections, 9 * 3000);
    assert.equal(one.receivedHeaders.connections, 3000);
  });

  test('a .gz file goes to one worker, read whole', async () => {
    const f = bigLog('parallel-src.log', 500);
    const gz = path.join(dir, 'parallel.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(f)));
    const r = await reportFiles([gz], { jobs: 2, workerScript, parallelMinBytes: 0, minRangeBytes: 1 });
    assert.equal(r.files[0].gzip, true);
    assert.deepEqual(withoutFiles(r), withoutFiles(await reportFiles([f])));
  });

  test('abort terminates the workers and rejects', async () => {
    const f = bigLog('parallel-abort.log', 6000);
    const ac = new AbortController();
    const run = reportFiles([f], { jobs: 2, workerScript, parallelMinBytes: 0, minRangeBytes: 1, signal: ac.signal });
    ac.abort();
    await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  test('a worker read error is a readable error', async () => {
    await assert.rejects(
      reportFiles([path.join(dir, 'nope.log')], { jobs: 2, workerScript, parallelMinBytes: 0 }),
      /nope\.log: no such file/,
    );
  });
});

describe('reportFiles: files of which nothing can be read', () => {
  test('without onUnreadable the report rejects; with it the file is named, left out, and the others are counted', async () => {
    const bin = path.join(dir, 'binary.log');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    const missing = path.join(dir, 'missing.log');
    await assert.rejects(reportFiles([bin, SMALL]), (e: unknown) => e instanceof LineReadError && e.code === 'EBINARY' && e.unread);
    const skipped: [string, string | undefined][] = [];
    const r = await reportFiles([bin, SMALL, missing], { displayNames: ['b', 's', 'm'], onUnreadable: (name, err) => skipped.push([name, err.code]) });
    assert.deepEqual(skipped.sort(), [['b', 'EBINARY'], ['m', 'ENOENT']]);
    assert.deepEqual(r.files.map((f) => f.file), ['s']);
    assert.equal(r.total.connections, 9);
  });
  test('an error after data was read still rejects (its counts would be partial)', async () => {
    const broken = path.join(dir, 'broken.gz');
    writeFileSync(broken, gzipSync(readFileSync(SMALL)).subarray(0, 200));
    await assert.rejects(reportFiles([broken], { onUnreadable: () => assert.fail('not unread') }), (e: unknown) => e instanceof LineReadError && !e.unread);
  });
});

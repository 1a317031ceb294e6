import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import {
  readLines,
  readLineBatches,
  LineSplitter,
  LineReadError,
  describeOpenError,
  searchKey,
  ReadStats,
} from '../../../core/log/lines';
import { splitInChunkBatch } from './chunks';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pftls-lines-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(source: string, opts: Parameters<typeof readLines>[1] = {}): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const { line, lineNo } of readLines(source, opts)) out.push([lineNo, line]);
  return out;
}

/** The obvious (slow) splitting the fast reader must agree with. */
function naive(text: string, keep: (l: string, prev: boolean) => boolean = () => true): [number, string][] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (text.endsWith('\n')) parts.pop();
  const out: [number, string][] = [];
  let prev = false;
  parts.forEach((p, i) => {
    const l = p.endsWith('\r') ? p.slice(0, -1) : p;
    prev = keep(l, prev);
    if (prev) out.push([i + 1, l]);
  });
  return out;
}

function splitInChunks(buf: Buffer, cuts: number[], opts: ConstructorParameters<typeof LineSplitter>[0]): [number, string][] {
  const batch = splitInChunkBatch(buf, cuts, opts);
  return batch.lines.map((l, i) => [batch.lineNos[i], l]);
}

describe('readLines', () => {
  test('plain file: CRLF stripped, last line without newline, 1-based numbers', async () => {
    const f = path.join(dir, 'plain.log');
    writeFileSync(f, 'one\r\ntwo\n\nfour é');
    assert.deepEqual(await collect(f), [[1, 'one'], [2, 'two'], [3, ''], [4, 'four é']]);
  });

  test('empty file gives no lines', async () => {
    const f = path.join(dir, 'empty.log');
    writeFileSync(f, '');
    assert.deepEqual(await collect(f), []);
  });

  test('gzip detected by magic bytes, whatever the name', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i} TLS ${'x'.repeat(i % 300)}`).join('\n') + '\n';
    const gz = path.join(dir, 'rotated.log'); // no .gz on purpose
    writeFileSync(gz, gzipSync(text));
    const plain = path.join(dir, 'rotated-plain.log');
    writeFileSync(plain, text);
    const stats: ReadStats = { lines: 0, bytesRead: 0, truncatedLines: 0, gzip: false };
    const a: [number, string][] = [];
    for await (const b of readLineBatches(gz, {}, stats)) b.lines.forEach((l, i) => a.push([b.lineNos[i], l]));
    assert.deepEqual(a, await collect(plain));
    assert.equal(stats.gzip, true);
    assert.equal(stats.lines, 5000);
  });

  test('broken gzip is a readable error', async () => {
    const f = path.join(dir, 'broken.gz');
    writeFileSync(f, gzipSync('a\nb\n'.repeat(1000)).subarray(0, 40));
    await assert.rejects(collect(f), (e: unknown) => e instanceof LineReadError && /gzip/.test(e.message));
  });

  test('stdin (-) from a stream, gzip or not', async () => {
    const s1 = new PassThrough();
    s1.end('a\nb\n');
    assert.deepEqual(await collect('-', { stdin: s1 }), [[1, 'a'], [2, 'b']]);
    const s2 = new PassThrough();
    s2.end(gzipSync('c\nd'));
    assert.deepEqual(await collect('-', { stdin: s2 }), [[1, 'c'], [2, 'd']]);
  });

  test('missing file and directory give clear errors', async () => {
    await assert.rejects(collect(path.join(dir, 'nope.log')), /nope\.log: no such file/);
    const d = path.join(dir, 'adir');
    mkdirSync(d);
    await assert.rejects(collect(d), /adir: is a directory/);
  });

  test('permission errors are described', () => {
    const e = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    assert.match(describeOpenError('/var/log/mail.log', e).message, /^\/var\/log\/mail\.log: permission denied$/);
  });

  test('an aborted signal rejects', async () => {
    const f = path.join(dir, 'big.log');
    writeFileSync(f, 'x TLS y\n'.repeat(400_000)); // several chunks
    const ac = new AbortController();
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const b of readLineBatches(f, { signal: ac.signal })) {
          n += b.lines.length;
          ac.abort();
        }
      })(),
      (e: unknown) => e instanceof Error && e.name === 'AbortError',
    );
    assert.ok(n > 0 && n < 400_000);
  });

  test('reading ahead: a file of many reads gives the lines of an in-memory split, and stopping early or aborting closes it', async () => {
    const f = path.join(dir, 'ahead.log');
    // ~5.5 MiB: six reads, lines crossing every read boundary, some TLS lines for `needles`.
    const text = Array.from({ length: 120_000 }, (_, i) => `${i} ${i % 9 === 0 ? 'TLS ' : ''}${'z'.repeat(i % 83)}`).join('\n') + '\n';
    writeFileSync(f, text);
    assert.deepEqual(await collect(f), naive(text));
    assert.deepEqual(await collect(f, { needles: ['TLS'] }), naive(text, (l) => l.includes('TLS')));
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = fds();
    for await (const b of readLineBatches(f, {})) {
      assert.ok(b.lines.length > 0);
      break; // a read of the next chunk is under way: it must finish and the file be closed
    }
    const ac = new AbortController();
    await assert.rejects(async () => {
      for await (const _ of readLineBatches(f, { signal: ac.signal })) ac.abort();
    });
    // (<=: a handle of an earlier test may still be closing; a leak leaves more, never fewer.)
    for (const deadline = Date.now() + 5000; fds() > before && Date.now() < deadline; ) await new Promise((r) => setImmediate(r));
    assert.ok(fds() <= before, `file descriptors left open: ${fds()} > ${before}`);
  });

  test('a line over maxLineLength is cut, not buffered, and the next lines are intact', async () => {
    const f = path.join(dir, 'long.log');
    writeFileSync(f, 'short\n' + 'L'.repeat(3 * 1024 * 1024) + '\nafter\n');
    const stats: ReadStats = { lines: 0, bytesRead: 0, truncatedLines: 0, gzip: false };
    const got: [number, string][] = [];
    for await (const b of readLineBatches(f, { maxLineLength: 1000 }, stats)) b.lines.forEach((l, i) => got.push([b.lineNos[i], l]));
    assert.deepEqual(got, [[1, 'short'], [2, 'L'.repeat(1000)], [3, 'after']]);
    assert.equal(stats.truncatedLines, 1);
  });

  test('needles keep matching lines with their right numbers', async () => {
    const f = path.join(dir, 'needles.log');
    writeFileSync(f, 'a\nhas TLS here\nb\nSSL_accept error\nc\r\nTLS and SSL_ both\n');
    assert.deepEqual(await collect(f, { needles: ['TLS', 'SSL_'] }), [
      [2, 'has TLS here'],
      [4, 'SSL_accept error'],
      [6, 'TLS and SSL_ both'],
    ]);
  });

  test('withContinuations keeps folded lines under a kept line', async () => {
    const f = path.join(dir, 'received.eml');
    writeFileSync(f, 'Subject: x\nReceived: from a (a [1.2.3.4])\n\t(using TLSv1.3 with cipher X (256/256 bits))\n\tby b\nTo: y\n (not a continuation of a kept line)\n');
    assert.deepEqual(await collect(f, { needles: ['Received:'], withContinuations: true }), [
      [2, 'Received: from a (a [1.2.3.4])'],
      [3, '\t(using TLSv1.3 with cipher X (256/256 bits))'],
      [4, '\tby b'],
    ]);
  });
});

describe('byte ranges', () => {
  test('ranges cut anywhere give every line exactly once, folded lines with their head', async () => {
    const f = path.join(dir, 'ranges.log');
    // Empty lines, and folded lines (tab first) that must stay with the line before.
    const text = Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? '' : `${i % 5 === 0 || i % 5 === 1 ? '\t' : ''}line ${i} ${'y'.repeat(i % 50)}`)).join('\n') + '\nlast without newline';
    writeFileSync(f, text);
    const size = Buffer.byteLength(text);
    const all = (await collect(f)).map(([, l]) => l);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: size }), { maxLength: 6 }), async (cuts) => {
        const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), size];
        const got: string[] = [];
        for (let i = 0; i + 1 < bounds.length; i++) {
          const part = await collect(f, { range: { start: bounds[i], end: i + 2 === bounds.length ? undefined : bounds[i + 1] } });
          part.forEach(([n], k) => assert.equal(n, k + 1, 'numbers count from the range start'));
          if (i > 0 && part.length > 0) assert.ok(!part[0][1].startsWith('\t'), 'a range never starts inside a folded record');
          got.push(...part.map(([, l]) => l));
        }
        assert.deepEqual(got, all);
      }),
      { numRuns: 25 },
    );
  });

  test('a range of a gzip file is refused', async () => {
    const gz = path.join(dir, 'range.gz');
    writeFileSync(gz, gzipSync('a\nb\n'));
    await assert.rejects(collect(gz, { range: { start: 0, end: 10 } }), /byte range cannot be read from a gzip file/);
  });
});

describe('LineSplitter agrees with a naive split for any chunking', () => {
  const alphabet = ['a', 'T', 'L', 'S', 'x', ' ', '\t', '\n', '\r', 'é', 'R'];
  const textArb = fc.array(fc.constantFrom(...alphabet), { maxLength: 300 }).map((a) => a.join(''));
  const cutsArb = fc.array(fc.nat(400), { maxLength: 12 });

  test('unfiltered', () => {
    fc.assert(
      fc.property(textArb, cutsArb, (text, cuts) => {
        assert.deepEqual(splitInChunks(Buffer.from(text), cuts, {}), naive(text));
      }),
      { numRuns: 500 },
    );
  });

  test('needles', () => {
    fc.assert(
      fc.property(textArb, cutsArb, (text, cuts) => {
        const keep = (l: string) => l.includes('TLS') || l.includes('xa');
        assert.deepEqual(splitInChunks(Buffer.from(text), cuts, { needles: ['TLS', 'xa'] }), naive(text, keep));
      }),
      { numRuns: 500 },
    );
  });

  test('long needles are searched by their key, whatever the chunking', () => {
    assert.equal(searchKey('ertificate'), 'ficate');
    assert.equal(searchKey('Received:'), 'Receiv');
    assert.equal(searchKey('TLS'), 'TLS');
    const words = fc.constantFrom('certificate', 'ficate', 'Received: x', 'Receiv', 'other', 'é', '\n', ' ');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 60 }).map((a) => a.join('')), cutsArb, (text, cuts) => {
        const keep = (l: string) => l.includes('ficate') || l.includes('Receiv');
        assert.deepEqual(splitInChunks(Buffer.from(text), cuts, { needles: ['ertificate', 'Received:'] }), naive(text, keep));
      }),
      { numRuns: 300 },
    );
  });

  test('needles with continuations', () => {
    fc.assert(
      fc.property(textArb, cutsArb, (text, cuts) => {
        const keep = (l: string, prev: boolean) => l.includes('R') || (prev && (l.startsWith(' ') || l.startsWith('\t')));
        assert.deepEqual(splitInChunks(Buffer.from(text), cuts, { needles: ['R'], withContinuations: true }), naive(text, keep));
      }),
      { numRuns: 500 },
    );
  });

  test('predicate', () => {
    fc.assert(
      fc.property(textArb, cutsArb, (text, cuts) => {
        const keep = (l: string) => l.startsWith('a');
        assert.deepEqual(splitInChunks(Buffer.from(text), cuts, { prefilter: (raw) => raw.startsWith('a') }), naive(text, keep));
      }),
      { numRuns: 500 },
    );
  });
});

describe('what is not a log: binary data, devices', () => {
  const reject = async (source: string, code: string, re: RegExp, opts: Parameters<typeof readLines>[1] = {}): Promise<void> => {
    await assert.rejects(collect(source, opts), (e: unknown) => e instanceof LineReadError && e.code === code && e.unread && re.test(e.message));
  };
  test('a NUL byte near the start: refused as binary (plain, gzip, stdin), before any line is given', async () => {
    const bin = Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(8), Buffer.from('TLS connection established\n')]);
    writeFileSync(path.join(dir, 'bin.log'), bin);
    writeFileSync(path.join(dir, 'bin.gz'), gzipSync(bin));
    await reject(path.join(dir, 'bin.log'), 'EBINARY', /bin\.log: looks like a binary file \(it contains NUL bytes\), not a mail log$/);
    await reject(path.join(dir, 'bin.gz'), 'EBINARY', /looks like a binary file/);
    const stdin = new PassThrough();
    stdin.end(bin);
    await reject('-', 'EBINARY', /^stdin: looks like a binary file/, { stdin });
  });
  test('a log that starts with a run of NUL bytes (copytruncate hole) is still read', async () => {
    writeFileSync(path.join(dir, 'hole.log'), Buffer.concat([Buffer.alloc(100), Buffer.from('a\nTLS b\n')]));
    const lines = await collect(path.join(dir, 'hole.log'));
    assert.deepEqual(lines.slice(1), [[2, 'TLS b']]);
  });
  test('NUL bytes further on than the sniffed start do not refuse a log', async () => {
    writeFileSync(path.join(dir, 'late.log'), Buffer.concat([Buffer.from('x'.repeat(9000) + '\n'), Buffer.alloc(3), Buffer.from('\nTLS c\n')]));
    assert.deepEqual((await collect(path.join(dir, 'late.log'))).at(-1), [3, 'TLS c']);
  });
  test('a character device is refused at once, not read (it may never end)', async () => {
    await reject('/dev/zero', 'ENOTREG', /^\/dev\/zero: not a regular file/);
    await reject('/dev/null', 'ENOTREG', /not a regular file/);
  });
});

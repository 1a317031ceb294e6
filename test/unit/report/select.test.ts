/**
 * The report reads logs with `select` (core/log/lines.ts): only the lines that can give a record
 * become strings, found by a WebAssembly SIMD scan kernel or, where WebAssembly SIMD is missing,
 * by the same walk in JavaScript. Both must give the records a plain read of every line gives.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { LineSplitter, LineBatch, setScanKernel, hasScanKernel } from '../../../core/log/lines';
import { LogFolder, LineRecord, PREFILTER_NEEDLES, TLS_WORDS, mayHoldRecord } from '../../../core/log/classify';
import { corpusFiles } from '../../helpers/reference';
import { splitInChunkBatch } from './chunks';

after(() => setScanKernel(true));

type Opts = ConstructorParameters<typeof LineSplitter>[0];
const SELECT: Opts = { needles: PREFILTER_NEEDLES, withContinuations: true, select: { needles: TLS_WORDS, keep: mayHoldRecord } };

/** Lines of `buf` pushed in chunks cut at `cuts`, through a splitter made with `opts`. */
function split(buf: Buffer, cuts: number[], opts: Opts, kernel: boolean): LineBatch {
  const was = setScanKernel(kernel);
  try {
    return splitInChunkBatch(buf, cuts, opts);
  } finally {
    setScanKernel(was);
  }
}

function records(batch: LineBatch): LineRecord[] {
  const folder = new LogFolder();
  const out: LineRecord[] = [];
  for (let i = 0; i < batch.lines.length; i++) folder.push(batch.lines[i], batch.lineNos[i], out);
  folder.flush(out);
  return out;
}

/** Records of every line (no filter): what `select` must reproduce. */
function allRecords(buf: Buffer, max?: number): LineRecord[] {
  return records(split(buf, [], { maxLineLength: max }, false));
}

/** Windows of at most 64 KiB, as readLineBatches feeds the splitter (the kernel takes bodies up to 128 KiB). */
function windows(len: number, size = 64 * 1024): number[] {
  const cuts: number[] = [];
  for (let c = size; c < len; c += size) cuts.push(c);
  return cuts;
}

function corpus(): Buffer {
  return Buffer.concat(corpusFiles('logs').map((f) => readFileSync(f)));
}

describe('select gives the records of a full read', () => {
  test('the scan kernel is built and valid on this Node (else the tests below would compare JavaScript with itself)', () => {
    assert.equal(hasScanKernel(TLS_WORDS), true);
  });

  test('the whole log corpus, kernel and JavaScript walk, in 64 KiB windows and odd chunks', () => {
    const buf = corpus();
    const want = allRecords(buf);
    assert.ok(want.length > 400, `only ${want.length} records`);
    for (const kernel of [true, false]) {
      for (const cuts of [windows(buf.length), windows(buf.length, 4093), windows(buf.length, 131 * 1024)]) {
        const got = split(buf, cuts, SELECT, kernel);
        assert.deepEqual(records(got), want, `kernel ${kernel}, chunks of ${cuts[0]}`);
        // And far fewer lines than the file has became strings.
        assert.ok(got.lines.length < buf.toString('latin1').split('\n').length / 2);
      }
    }
  });

  test('kernel and JavaScript walk pass on the same lines, for generated logs cut anywhere', () => {
    const corpusLines = corpus().toString('latin1').split('\n').filter((l) => l.length > 0 && l.length < 400);
    const line = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...corpusLines) },
      { weight: 1, arbitrary: fc.constantFrom('', ' folded TLS', '\tusing TLSv1.3 with cipher x', 'Received: from a (b [192.0.2.1])', ' (using TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits))', 'x'.repeat(300) + ' TLS connection established', 'caf\u00e9 TLS', 'a\u0000b tls=may', 'SSL_accept error from x[1.2.3.4]: -1') },
    );
    const text = fc.tuple(fc.array(line, { maxLength: 80 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([ls, eol, last]) => ls.join(eol) + (last ? eol : ''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(20000), { maxLength: 8 }), fc.constantFrom(undefined, 64, 1000), (t, cuts, max) => {
        const buf = Buffer.from(t, 'latin1');
        const opts = { ...SELECT, maxLineLength: max };
        const k = split(buf, cuts, opts, true);
        const js = split(buf, cuts, opts, false);
        assert.deepEqual(k, js);
        assert.deepEqual(records(k), allRecords(buf, max));
      }),
      { numRuns: 400 },
    );
  });

  test('a keep callback that reads with a LineSplitter of its own (same needles) does not disturb the outer read', () => {
    const buf = corpus();
    const inner = Buffer.from('Nov 28 12:00:00 mail postfix/smtpd[1]: TLS connection established from a[192.0.2.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n');
    let nested = 0;
    const opts: Opts = {
      ...SELECT,
      select: {
        needles: TLS_WORDS,
        keep: (raw) => {
          nested++;
          assert.equal(split(inner, [], SELECT, true).lines.length, 1);
          return mayHoldRecord(raw);
        },
      },
    };
    const got = split(buf, windows(buf.length), opts, true);
    assert.ok(nested > 100);
    assert.deepEqual(records(got), allRecords(buf));
  });
});

/**
 * Robustness of the classifier: random text and mutated real lines never make it throw and
 * always give well-formed records; classifyRange agrees with classifyText on every window; the
 * work per line is bounded (counted, not timed); every regular expression survives adversarial
 * input.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { corpusFiles } from '../../helpers/reference';
import {
  CLASSIFIER_PATTERNS,
  MAX_FOLD_LINES,
  MAX_SCAN_LENGTH,
  classifyLine,
  classifyRange,
  classifyText,
  type LineRecord,
} from '../../../core/log/classify';
import type { LogRecord } from '../../../core/log/record';
import { badgeFor } from '../../../core/log/explain';
import { hoverLog } from '../../../core/features/log-hover';
import { FAILURE_KINDS } from '../../../core/report/aggregate';

const KINDS = new Set(['tls-summary', 'received-header', 'failure', 'other']);
// Every failure kind the classifier gives must be one the report counts.
const FAILURE_KIND_SET = new Set<string>(FAILURE_KINDS);
const STATUS = new Set(['Anonymous', 'Untrusted', 'Trusted', 'Verified']);

/** Structural checks every record must pass, whatever the input. */
function assertWellFormed(r: LogRecord, input: string): void {
  const ctx = JSON.stringify(input.slice(0, 200));
  assert.ok(KINDS.has(r.kind), `kind ${r.kind} for ${ctx}`);
  assert.ok(['yes', 'no', 'unknown'].includes(r.forwardSecrecy), ctx);
  assert.equal(typeof r.postQuantum, 'boolean', ctx);
  assert.ok(Number.isInteger(r.lineSpan) && r.lineSpan >= 1 && r.lineSpan <= MAX_FOLD_LINES, ctx);
  assert.ok(Number.isInteger(r.messageOffset) && r.messageOffset >= 0 && r.messageOffset <= Math.max(input.length, 0), ctx);
  if (r.role !== undefined) assert.ok(r.role === 'client' || r.role === 'server', ctx);
  if (r.status !== undefined) assert.ok(STATUS.has(r.status), ctx);
  if (r.event !== undefined) assert.ok(r.event === 'established' || r.event === 'reused', ctx);
  if (r.kind === 'failure') {
    assert.ok(r.failure && FAILURE_KIND_SET.has(r.failure.kind), ctx);
    assert.equal(r.forwardSecrecy, 'unknown', ctx);
  } else assert.equal(r.failure, undefined, ctx);
  if (r.kind === 'other') assert.equal(r.forwardSecrecy, 'unknown', ctx);
  if (r.postQuantum) assert.ok(r.keyExchange?.logged, ctx);
  if (r.forwardSecrecy !== 'unknown') assert.ok(r.fsReason, ctx);
  if (r.pid !== undefined) assert.ok(Number.isSafeInteger(r.pid) && r.pid >= 0, ctx);
  if (r.bits) assert.ok(Number.isFinite(r.bits.used) && Number.isFinite(r.bits.alg), ctx);
  if (r.peer) {
    assert.equal(typeof r.peer.name, 'string', ctx);
    if (r.peer.port !== undefined) assert.ok(Number.isInteger(r.peer.port) && r.peer.port >= 0 && r.peer.port <= 99999, ctx);
  }
  // Values taken from a line are substrings of it (bounded by the scan cap).
  for (const v of [r.protocol, r.cipher, r.sni, r.daemon, r.timestamp, r.host, r.queueId]) {
    if (v !== undefined) assert.ok(v.length <= MAX_SCAN_LENGTH, ctx);
  }
  // The texts built from it never throw either.
  const badge = badgeFor(r, { showKeyExchange: true, showStatus: true, showProtocol: true });
  if (r.kind === 'other') assert.equal(badge, undefined);
  else assert.ok(badge && badge.text.length > 0 && badge.text.length < 300, ctx);
  assert.equal(typeof hoverLog(r), 'string');
}

/** TLS lines of the corpus (seeds for mutation). */
function corpusTlsLines(): string[] {
  const out: string[] = [];
  for (const f of corpusFiles('logs')) {
    for (const l of readFileSync(f, 'utf8').split('\n')) if (/TLS|SSL|using|ertificate/.test(l)) out.push(l);
  }
  return out;
}

const SEEDS = corpusTlsLines();

describe('never throws, records are well-formed', () => {
  test('random strings (ASCII, Unicode, control characters)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (s) => {
        assertWellFormed(classifyLine(s), s);
      }),
      { numRuns: 1500 },
    );
  });

  test('random bytes decoded as UTF-8 and latin1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        for (const enc of ['utf8', 'latin1'] as const) {
          const s = Buffer.from(bytes).toString(enc);
          assertWellFormed(classifyLine(s), s);
          for (const { record } of classifyText(s)) assertWellFormed(record, s);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('strings built from TLS vocabulary', () => {
    const words = fc.constantFrom(
      'TLS', 'SSL', 'tls', 'TLS connection ', 'established', 'reused', ' to ', ' from ', 'Anonymous ', 'Verified ', '[', ']', ':', ': ', '(', ')',
      ' bits)', '256/256', ' with cipher ', 'TLSv1.3', 'key-exchange ', 'server-signature ', 'server-digest ', 'client-signature ', 'X25519MLKEM768',
      'SSL_accept error from ', 'TLS library problem: ', 'certificate verification failed for ', 'Received: from ', '(using ', '\t', ' ', 'x',
      'postfix/smtpd[1]: ', 'Nov 28 12:00:00 ', 'after STARTTLS from ', 'TLS is required, but ', ', tls=', 'relay=', '\u0000', '\u202e',
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 60 }), (parts) => {
        const s = parts.join('');
        assertWellFormed(classifyLine(s), s);
      }),
      { numRuns: 2000 },
    );
  });

  test('mutated real lines', () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
      ops: fc.array(
        fc.record({
          at: fc.nat(),
          len: fc.nat({ max: 20 }),
          kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate', 'truncate'),
          text: fc.string({ maxLength: 10 }),
        }),
        { maxLength: 6 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ seed, ops }) => {
        let s = SEEDS[seed];
        for (const op of ops) {
          const at = s.length === 0 ? 0 : op.at % (s.length + 1);
          if (op.kind === 'delete') s = s.slice(0, at) + s.slice(at + op.len);
          else if (op.kind === 'insert') s = s.slice(0, at) + op.text + s.slice(at);
          else if (op.kind === 'replace') s = s.slice(0, at) + op.text + s.slice(at + op.text.length);
          else if (op.kind === 'duplicate') s = s.slice(0, at + op.len) + s.slice(at, at + op.len) + s.slice(at + op.len);
          else s = s.slice(0, at);
        }
        assertWellFormed(classifyLine(s), s);
      }),
      { numRuns: 3000 },
    );
  });

  test('NUL bytes, lone surrogates, a 10 MB line', () => {
    for (const s of ['\u0000'.repeat(1000), '\ud800TLS\udc00', `TLS connection established to ${'\u0000'.repeat(50)}`]) assertWellFormed(classifyLine(s), s);
    const huge = `Nov 28 12:00:00 mail postfix/smtp[1]: Verified TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher ${'A'.repeat(10 * 1024 * 1024)}`;
    const r = classifyLine(huge);
    assertWellFormed(r, huge);
    assert.equal(r.kind, 'tls-summary');
    assert.equal(r.forwardSecrecy, 'yes');
    assert.ok((r.cipher ?? '').length <= MAX_SCAN_LENGTH);
    const recs = classifyText(`${huge}\n\t(using TLSv1.2 with cipher AES128-SHA (128/128 bits))\n`);
    assert.equal(recs.length, 2);
  });
});

describe('classifyRange agrees with classifyText', () => {
  const lineArb = fc.constantFrom(
    'Nov 28 12:00:00 mail postfix/smtpd[1]: Anonymous TLS connection established from c[192.0.2.9]: TLSv1.2 with cipher AES256-SHA (256/256 bits)',
    'Nov 28 12:00:00 mail postfix/smtp[1]: Untrusted TLS connection established to mx[192.0.2.1]:25:',
    'Nov 28 12:00:00 mail postfix/smtpd[1]: SSL_accept error from c[192.0.2.9]: -1',
    'Nov 28 12:00:00 mail postfix/qmgr[1]: 3F5A2194AA9: removed',
    'Received: from h (h [192.0.2.1])',
    'Received: from h (h [192.0.2.1]) (using TLSv1.2 with cipher ECDHE-RSA-AES128-SHA (128/128 bits))',
    '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)',
    '\t key-exchange X25519)',
    '\t(No client certificate requested)',
    '      TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)',
    '\tby mx (Postfix) with ESMTPS id 1;',
    '        Received: from d (d [192.0.2.2])',
    ' Untrusted TLS connection established to x.example',
    '',
    'Subject: hello',
  );
  test('every window of random documents', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), fc.nat(), fc.nat(), (lines, x, y) => {
        const all = classifyText(lines.join('\n'));
        for (const r of all) assertWellFormed(r.record, lines[r.line] ?? '');
        // Records are in order and do not overlap.
        for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].line + all[i - 1].record.lineSpan <= all[i].line);
        const n = lines.length;
        const a = n === 0 ? 0 : x % (n + 1);
        const b = n === 0 ? 0 : a + (y % (n - a + 1));
        const want: LineRecord[] = a < b ? all.filter((r) => r.line < b && r.line + r.record.lineSpan > a) : [];
        assert.deepEqual(classifyRange((i) => lines[i], n, a, b), want);
      }),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Linearity, by counting calls of the string/regex primitives the classifier is built from.

interface Counts {
  calls: number;
}

function withCounting<T>(fn: () => T): { result: T; counts: Counts } {
  const counts: Counts = { calls: 0 };
  const sp = String.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const rp = RegExp.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const names: [Record<string, (...a: unknown[]) => unknown>, string][] = [
    [sp, 'indexOf'],
    [sp, 'lastIndexOf'],
    [sp, 'startsWith'],
    [sp, 'endsWith'],
    [sp, 'slice'],
    [sp, 'replace'],
    [sp, 'split'],
    [rp, 'exec'],
    [rp, 'test'],
  ];
  const saved = names.map(([o, n]) => o[n]);
  names.forEach(([o, n], i) => {
    const orig = saved[i];
    o[n] = function (this: unknown, ...args: unknown[]) {
      counts.calls++;
      return orig.apply(this, args);
    };
  });
  try {
    return { result: fn(), counts };
  } finally {
    names.forEach(([o, n], i) => {
      o[n] = saved[i];
    });
  }
}

describe('bounded work per line (counted)', () => {
  const adversarial: [string, (n: number) => string][] = [
    ['TLS repeated', (n) => 'TLS '.repeat(Math.ceil(n / 4))],
    ['summary prefix repeated', (n) => 'Verified TLS connection established to '.repeat(Math.ceil(n / 39))],
    ['open parentheses', (n) => `postfix/smtpd[1]: (using TLSv1.2 with cipher X ${'('.repeat(n)}`],
    ['brackets', (n) => `TLS connection established from ${'['.repeat(n)}`],
    ['attributes repeated', (n) => `postfix/smtp[1]: Trusted TLS connection established to a[1.2.3.4]:25: TLSv1.3 with cipher C (1/1 bits)${' key-exchange X25519 (P-256)'.repeat(Math.ceil(n / 28))}`],
    ['spaces', (n) => `TLS${' '.repeat(n)}x`],
    ['colons', (n) => `SSL_accept error from ${':'.repeat(n)}`],
    ['open brackets with spaces', (n) => `postfix/smtp[1]: certificate verification failed for ${'[a '.repeat(Math.ceil(n / 3))}`],
    ['spaced bracket peers', (n) => `postfix/smtpd[1]: SSL_accept error from [${'x '.repeat(Math.ceil(n / 2))}]`],
    ['docker prefix-like', (n) => `${'a'.repeat(n)} | TLS`],
    ['received folded', (n) => `Received: from ${'h'.repeat(n)} (using TLS with cipher`],
    ['failure anchors repeated', (n) => 'TLS library problem: no shared cipher '.repeat(Math.ceil(n / 38))],
  ];
  for (const [name, make] of adversarial) {
    test(name, () => {
      const sizes = [1_000, 10_000, 100_000, 1_000_000];
      const counts = sizes.map((n) => {
        const s = make(n);
        const { result, counts } = withCounting(() => classifyLine(s));
        assertWellFormed(result, s);
        return counts.calls;
      });
      // A constant number of primitive calls per line (each over at most MAX_SCAN_LENGTH chars):
      // the count must not grow with the input once past the scan cap.
      const max = Math.max(...counts);
      assert.ok(max <= 300, `${name}: ${counts.join(', ')} primitive calls`);
      // (Fewer is fine: the envelope scan of a line equal to the one scanned last is reused.)
      assert.ok(counts[3] <= counts[2], `${name}: work grows past the cap (${counts.join(', ')})`);
    });
  }

  test('folding work is bounded per line too', () => {
    const lines = ['Received: from h (h [192.0.2.1])', ...Array.from({ length: 5000 }, (_, i) => `\t(using TLSv1.2 with cipher ${'x'.repeat(i % 50)})`)];
    const small = withCounting(() => classifyText(lines.slice(0, 500).join('\n'))).counts.calls;
    const large = withCounting(() => classifyText(lines.join('\n'))).counts.calls;
    // Ten times the lines: at most about ten times the calls (linear, not quadratic).
    assert.ok(large <= small * 12, `${small} -> ${large}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Regex audit

/** True when a group with an unbounded quantifier inside is itself quantified (nested quantifiers). */
function hasNestedUnboundedQuantifier(source: string): boolean {
  const stack: { unbounded: boolean }[] = [{ unbounded: false }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    const quant = (j: number): 'unbounded' | 'bounded' | undefined => {
      const q = source[j];
      if (q === '*' || q === '+') return 'unbounded';
      if (q === '?') return 'bounded';
      if (q === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(j));
        if (m) return m[2] !== undefined && m[3] === '' ? 'unbounded' : 'bounded';
      }
      return undefined;
    };
    if (c === '(') stack.push({ unbounded: false });
    else if (c === ')') {
      const g = stack.pop() ?? { unbounded: false };
      const q = quant(i + 1);
      if (q !== undefined && g.unbounded && (q === 'unbounded' || /^\{\d+,\d+\}/.test(source.slice(i + 1)))) return true;
      if (g.unbounded) stack[stack.length - 1].unbounded = true;
    } else if (quant(i) === 'unbounded') stack[stack.length - 1].unbounded = true;
  }
  return false;
}

describe('regular expressions', () => {
  test('the audit itself finds nested quantifiers', () => {
    assert.equal(hasNestedUnboundedQuantifier('(a+)+'), true);
    assert.equal(hasNestedUnboundedQuantifier('(?:x\\s*)*y'), true);
    assert.equal(hasNestedUnboundedQuantifier('(?:ab|c)+'), false);
    assert.equal(hasNestedUnboundedQuantifier('[(a+)]+'), false);
  });

  for (const [name, re] of Object.entries(CLASSIFIER_PATTERNS)) {
    test(`${name}: no nested quantifiers; survives adversarial input`, { timeout: 120_000 }, () => {
      assert.equal(hasNestedUnboundedQuantifier(re.source), false, `${name}: ${re.source}`);
      const inputs = [
        'TLS '.repeat(1e5),
        'a'.repeat(1e5),
        ' '.repeat(1e5),
        '1'.repeat(1e5),
        '1 '.repeat(5e4),
        '['.repeat(1e5),
        '(1'.repeat(5e4),
        'Nov 28 12:00:0'.repeat(7e3),
        '2024-01-02T03:04:05.'.repeat(5e3),
        'postfix/smtpd'.repeat(7e3),
        'a.info '.repeat(1e4),
        `${'\t'.repeat(1e5)}x`,
      ];
      // Sticky at 0, and unanchored (a search from every position): the worst case for backtracking.
      const everywhere = new RegExp(re.source, re.flags.replace('y', ''));
      const start = Date.now();
      for (const s of inputs) {
        re.lastIndex = 0;
        re.exec(s);
        everywhere.lastIndex = 0;
        everywhere.exec(s);
      }
      // Very generous: catastrophic backtracking on 100k characters would take hours.
      assert.ok(Date.now() - start < 20_000, `${name} took ${Date.now() - start} ms`);
    });
  }
});

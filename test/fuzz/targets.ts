/**
 * Fuzz targets: each pairs an input generator (generated + mutated-corpus inputs) with the
 * function(s) under test and the properties every result must have. Used by `npm run fuzz`
 * (scripts/fuzz.mjs, a million inputs) and by test/unit/hardening/fuzz-sample.test.ts (a small
 * sample with a fixed seed).
 *
 * Properties: no exception (and no rule failure swallowed by lint()), well-formed results
 * (ranges within the document, start <= end, codes from the registry), no live link or HTML
 * from the input in Markdown/HTML output. The runner adds the time bound per input.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseMainCf } from '../../core/config/parse-main';
import { parseMasterCf } from '../../core/config/parse-master';
import { expandValue } from '../../core/config/expand';
import { lint } from '../../core/lint';
import { classifyLine, classifyRange, classifyText } from '../../core/log/classify';
import { badgeFor, type BadgeOptions } from '../../core/log/explain';
import { hoverLog } from '../../core/features/log-hover';
import { hoverConfig } from '../../core/features/config-hover';
import { completeConfig } from '../../core/features/config-completion';
import { definitionConfig } from '../../core/features/config-definition';
import { explainCipher } from '../../core/cipher';
import { createAggregator } from '../../core/report/aggregate';
import { renderHtml, renderMarkdown } from '../../core/report/render';
import { ALL_CODES } from '../../core/rules/registry';
import { PROFILE_NAMES, type Level, type Position, type Settings } from '../../core/types';
import {
  corpusArbs, logLineArb, logTextArb, mainDocArb, masterDocArb, nameArb, positionArb, tagged, textArb, valueArb, type Tagged,
} from './arbitraries';
import { CheckError, Lines, checkFindings, checkMainCf, checkMasterCf, checkRange, checkRecord, fail, ok, within } from './checks';
import { assertInertMarkdown, assertOwnHtml } from './markdown';
import type { Corpus } from './corpus';
import { REPO_ROOT } from '../helpers/reference';

export interface Target<T> {
  name: string;
  /** Share of the total runs (the weights add up to 1). */
  weight: number;
  arbitrary(c: Corpus): fc.Arbitrary<Tagged<T>>;
  /** Runs the code under test on one input and checks the result; throws on a violation. */
  run(input: T): void;
  /** Size of an input in characters (for the time bound). */
  size(input: T): number;
}

const MAIN_URI = 'file:///etc/postfix/main.cf';
const MASTER_URI = 'file:///etc/postfix/master.cf';

const doc = (uri: string, text: string) => ({ uri, getText: () => text });

// ------------------------------------------------------------------------- settings

const CODES = Object.keys(ALL_CODES);
const settingsArb: fc.Arbitrary<Settings> = fc
  .record({
    postfixVersion: fc.constantFrom('3.10', '2.11', '3.4', '3.6', '3.8', '3.9', '3.11', '3.12', '2.2', '9.9', '3.10.1'),
    opensslVersion: fc.constantFrom('3.0', '1.0.2', '1.1.1', '3.5', '0.9.8'),
    profile: fc.constantFrom(...PROFILE_NAMES),
    levels: fc.dictionary(fc.constantFrom(...CODES), fc.constantFrom<Level>('off', 'hint', 'info', 'warning', 'error'), { maxKeys: 4 }),
  })
  .map((s) => s as Settings);

// ------------------------------------------------------------------------- DH files

const DH_FIXTURES: Buffer[] = (() => {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'dh');
  const out: Buffer[] = [];
  for (const f of ['dh512.pem', 'dh1024.pem', 'dh2048.pem', 'ffdhe2048.pem', 'x942-2048.pem', 'cert.pem']) {
    try {
      out.push(readFileSync(path.join(dir, f)));
    } catch {
      /* fixture missing: fewer choices */
    }
  }
  return out;
})();

type FileBehaviour = { kind: 'missing' } | { kind: 'throw' } | { kind: 'fixture'; i: number; cut: number; flip: number } | { kind: 'bytes'; bytes: Uint8Array };

const fileBehaviourArb: fc.Arbitrary<FileBehaviour> = fc.oneof(
  fc.constant({ kind: 'missing' as const }),
  fc.constant({ kind: 'throw' as const }),
  fc.record({ kind: fc.constant('fixture' as const), i: fc.nat(), cut: fc.nat(), flip: fc.nat() }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
);

function readFileFor(b: FileBehaviour): (p: string) => Buffer | undefined {
  return () => {
    switch (b.kind) {
      case 'missing':
        return undefined;
      case 'throw':
        throw new Error('EACCES: permission denied');
      case 'bytes':
        return Buffer.from(b.bytes);
      case 'fixture': {
        if (DH_FIXTURES.length === 0) return undefined;
        const src = Buffer.from(DH_FIXTURES[b.i % DH_FIXTURES.length]);
        // Damage it a little: cut it short, flip a byte (1 case in 3 unchanged).
        if (b.cut % 3 === 1) return src.subarray(0, b.cut % (src.length + 1));
        if (b.flip % 3 === 2 && src.length > 0) src[b.flip % src.length] ^= 0x5a;
        return src;
      }
    }
  };
}

// ------------------------------------------------------------------------- targets

const parseMainTarget: Target<string> = {
  name: 'parse-main',
  weight: 0.18,
  arbitrary: (c) => tagged(fc.oneof({ arbitrary: mainDocArb, weight: 4 }, { arbitrary: textArb(300), weight: 1 }), corpusArbs(c).main),
  run: (text) => checkMainCf(text, parseMainCf(doc(MAIN_URI, text)), MAIN_URI),
  size: (t) => t.length,
};

const parseMasterTarget: Target<string> = {
  name: 'parse-master',
  weight: 0.14,
  arbitrary: (c) => tagged(fc.oneof({ arbitrary: masterDocArb, weight: 4 }, { arbitrary: textArb(300), weight: 1 }), corpusArbs(c).master),
  run: (text) => checkMasterCf(text, parseMasterCf(doc(MASTER_URI, text)), MASTER_URI),
  size: (t) => t.length,
};

interface ExpandInput {
  value: string;
  table: Record<string, string>;
  maxLength?: number;
  /** A value made of plain references to text without `$`: its expansion is known. */
  expected?: string;
}

const EXPAND_NAMES = ['a', 'b', 'c', 'myhostname', 'mydomain', 'config_directory', 'x_y'];

const plainExpandArb: fc.Arbitrary<ExpandInput> = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...EXPAND_NAMES), fc.stringMatching(/^[A-Za-z0-9 .,:\/-]{0,12}$/)),
    fc.array(fc.oneof(fc.stringMatching(/^[ ,.:\/-][A-Za-z0-9 ,.:\/-]{0,6}$/), fc.tuple(fc.constantFrom(...EXPAND_NAMES), fc.constantFrom('$', '${}', '$()'))), { maxLength: 8 }),
  )
  .map(([table, parts]) => {
    let value = '';
    let expected = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        value += p;
        expected += p;
      } else {
        const [name, form] = p;
        // A plain `$name` must not run into a following name character.
        value += form === '$' ? `$${name} ` : form === '${}' ? `\${${name}}` : `$(${name})`;
        expected += (table[name] ?? '') + (form === '$' ? ' ' : '');
      }
    }
    return { value, table, expected };
  });

const expandTarget: Target<ExpandInput> = {
  name: 'expand',
  weight: 0.15,
  arbitrary: (c) =>
    tagged(
      fc.oneof(
        {
          arbitrary: fc.record(
            {
              value: fc.oneof(valueArb, textArb(80)),
              table: fc.dictionary(fc.oneof(fc.constantFrom(...EXPAND_NAMES), nameArb), fc.oneof(valueArb, fc.constantFrom('$a', '$b', '${c}', '$a$b', '${a?$b}', '${b:$c}', '$$a'))),
              maxLength: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
            },
            { requiredKeys: ['value', 'table'] },
          ),
          weight: 4,
        },
        { arbitrary: plainExpandArb, weight: 1 },
      ),
      fc
        .tuple(corpusArbs(c).configLine, corpusArbs(c).configLine, corpusArbs(c).configLine)
        .map(([v, a, b]) => ({ value: v.slice(v.indexOf('=') + 1), table: { a: a.slice(a.indexOf('=') + 1), b: b.slice(b.indexOf('=') + 1), c: '$a$b' } })),
    ),
  run: (inp) => {
    const lookup = (n: string): string | undefined => (Object.prototype.hasOwnProperty.call(inp.table, n) ? inp.table[n] : undefined);
    const r = expandValue(inp.value, lookup, inp.maxLength !== undefined ? { maxLength: inp.maxLength } : undefined);
    ok(typeof r.value === 'string', 'value is not a string');
    const max = inp.maxLength ?? 1 << 20;
    ok(r.value.length <= max, `value of ${r.value.length} characters exceeds maxLength ${max}`);
    ok(Array.isArray(r.undefined) && r.undefined.every((n) => typeof n === 'string' && !lookup(n)), 'undefined lists a defined name');
    ok(new Set(r.undefined).size === r.undefined.length, 'undefined lists a name twice');
    if (r.loop) ok(Array.isArray(r.loop) && r.loop.length >= 1, 'empty loop');
    if (inp.value.indexOf('$') < 0 && inp.value.length <= max) ok(r.value === inp.value, `text without '$' changed: ${JSON.stringify(inp.value)} -> ${JSON.stringify(r.value)}`);
    if (inp.expected !== undefined) {
      ok(r.value === inp.expected, `${JSON.stringify(inp.value)} expanded to ${JSON.stringify(r.value)}, expected ${JSON.stringify(inp.expected)}`);
    }
  },
  size: (i) => i.value.length + Object.values(i.table).reduce((n, v) => n + v.length, 0),
};

interface LintCase {
  main?: string;
  master?: string;
  settings: Settings;
  file: FileBehaviour;
  configDirectory?: string;
}

function lintCaseArb(main: fc.Arbitrary<string>, master: fc.Arbitrary<string>): fc.Arbitrary<LintCase> {
  return fc.record(
    {
      main: main,
      master: master,
      settings: settingsArb,
      file: fileBehaviourArb,
      configDirectory: fc.constantFrom('/etc/postfix', 'relative', '', '/tmp/a b'),
    },
    { requiredKeys: ['settings', 'file'] },
  );
}

const lintTarget: Target<LintCase> = {
  name: 'lint',
  weight: 0.06,
  arbitrary: (c) => tagged(lintCaseArb(mainDocArb, masterDocArb), lintCaseArb(corpusArbs(c).main, corpusArbs(c).master)),
  run: (lc) => {
    const docs: Record<string, string> = {};
    if (lc.main !== undefined) docs[MAIN_URI] = lc.main;
    if (lc.master !== undefined) docs[MASTER_URI] = lc.master;
    const findings = lint(
      {
        main: lc.main !== undefined ? doc(MAIN_URI, lc.main) : undefined,
        master: lc.master !== undefined ? doc(MASTER_URI, lc.master) : undefined,
        configDirectory: lc.configDirectory,
        readFile: readFileFor(lc.file),
      },
      lc.settings,
    );
    checkFindings(findings, docs);
    for (const f of findings) {
      const level = lc.settings.levels[f.code];
      ok(level !== 'off', `finding ${f.code} reported although its level is off`);
      if (level) ok(f.level === level, `finding ${f.code} has level ${f.level}, configured ${level}`);
    }
  },
  size: (lc) => (lc.main?.length ?? 0) + (lc.master?.length ?? 0),
};

const BADGE_OPTIONS: BadgeOptions[] = [
  { showKeyExchange: true, showStatus: true, showProtocol: false },
  { showKeyExchange: false, showStatus: false, showProtocol: true },
  { showKeyExchange: true, showStatus: true, showProtocol: true },
];

function checkLogOutputs(rec: ReturnType<typeof classifyLine>, input: string): void {
  checkRecord(rec, input);
  for (const o of BADGE_OPTIONS) {
    const b = badgeFor(rec, o);
    if (b === undefined) {
      ok(rec.kind === 'other', `no badge for a ${rec.kind} record`);
      continue;
    }
    ok(['fs', 'no-fs', 'failure', 'unknown'].includes(b.outcome), `badge outcome ${b.outcome}`);
    ok(typeof b.text === 'string' && b.text.length > 0 && b.text.length <= 300, `badge text of ${b.text.length} characters`);
    // eslint-disable-next-line no-control-regex
    ok(!/[\u0000-\u001f\u007f\u2028\u2029]/.test(b.text), `badge has control characters: ${JSON.stringify(b.text)}`);
  }
  const h = hoverLog(rec);
  ok(typeof h === 'string', 'hoverLog did not return a string');
  if (rec.kind !== 'other') ok(h.length > 0, `empty hover for a ${rec.kind} record`);
  if (h) assertInertMarkdown(h, 'log hover');
}

const classifyTarget: Target<string> = {
  name: 'classify',
  weight: 0.3,
  arbitrary: (c) => tagged(fc.oneof({ arbitrary: logLineArb, weight: 4 }, { arbitrary: textArb(200), weight: 1 }), corpusArbs(c).logLine, 2),
  run: (line) => checkLogOutputs(classifyLine(line), line),
  size: (l) => l.length,
};

interface RangeCase {
  text: string;
  from: number;
  to: number;
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

const classifyRangeTarget: Target<RangeCase> = {
  name: 'classify-range',
  weight: 0.06,
  arbitrary: (c) => {
    const withWindow = (a: fc.Arbitrary<string>) =>
      fc.tuple(a, fc.integer({ min: -2, max: 40 }), fc.integer({ min: -2, max: 45 })).map(([text, from, to]) => ({ text, from, to }));
    return tagged(withWindow(logTextArb), withWindow(corpusArbs(c).logText));
  },
  run: ({ text, from, to }) => {
    const lines = splitLines(text);
    const n = lines.length;
    const got = classifyRange((i) => lines[i], n, from, to);
    let prev = -1;
    for (const r of got) {
      ok(Number.isInteger(r.line) && r.line >= 0 && r.line < n, `record at line ${r.line} of ${n}`);
      ok(r.line < Math.max(to, 0), `record at line ${r.line} at/after the window end ${to}`);
      ok(r.line + r.record.lineSpan > from, `record at ${r.line} (+${r.record.lineSpan}) before the window start ${from}`);
      ok(r.line + r.record.lineSpan <= n, `record at ${r.line} spans ${r.record.lineSpan} lines past the end (${n})`);
      ok(r.line > prev, 'records out of order');
      prev = r.line;
      checkRecord(r.record, r.record.lineSpan > 1 ? lines.slice(r.line, r.line + r.record.lineSpan).join(' ') : lines[r.line]);
    }
    const all = classifyText(text);
    for (const r of all) ok(r.line >= 0 && r.line < n, `classifyText record at line ${r.line} of ${n}`);
  },
  size: (c) => c.text.length,
};

interface FeatureCase {
  main: string;
  master: string;
  onMaster: boolean;
  positions: Position[];
  settings: Settings;
}

function featureArb(main: fc.Arbitrary<string>, master: fc.Arbitrary<string>): fc.Arbitrary<FeatureCase> {
  return fc.record({
    main,
    master,
    onMaster: fc.boolean(),
    positions: fc.array(positionArb, { minLength: 1, maxLength: 3 }),
    settings: settingsArb,
  });
}

/** Positions that land on text: every line, at a few offsets (added to the random ones). */
function interestingPositions(text: string, seedPositions: Position[]): Position[] {
  const lines = new Lines(text);
  const out = [...seedPositions];
  for (const p of seedPositions) {
    if (p.line >= 0 && p.line < lines.count) {
      const len = lines.lengths[p.line];
      out.push({ line: p.line, character: p.character % 3 === 0 ? len : len === 0 ? 0 : p.character % (len + 1) });
    }
  }
  return out;
}

const featuresTarget: Target<FeatureCase> = {
  name: 'config-features',
  weight: 0.04,
  arbitrary: (c) => tagged(featureArb(mainDocArb, masterDocArb), featureArb(corpusArbs(c).main, corpusArbs(c).master)),
  run: (fcase) => {
    const mainDoc = doc(MAIN_URI, fcase.main);
    const masterDoc = doc(MASTER_URI, fcase.master);
    const main = parseMainCf(mainDoc);
    const master = parseMasterCf(masterDoc);
    const target = fcase.onMaster ? masterDoc : mainDoc;
    const text = target.getText();
    const lines = new Lines(text);
    const linesOf: Record<string, Lines> = { [MAIN_URI]: new Lines(fcase.main), [MASTER_URI]: new Lines(fcase.master) };
    const ctx = { main, master, doc: target, settings: fcase.settings };
    for (const p of interestingPositions(text, fcase.positions)) {
      const inside = p.line >= 0 && p.line < lines.count && p.character >= 0 && p.character <= lines.lengths[p.line];
      const h = hoverConfig(ctx, p);
      if (h) {
        ok(typeof h.markdown === 'string' && h.markdown.length > 0, 'hover with empty markdown');
        if (inside) checkRange(h.range, lines, 'hover range');
        if (inside) ok(within({ start: p, end: p }, h.range), `hover range ${JSON.stringify(h.range)} does not contain ${JSON.stringify(p)}`);
        assertInertMarkdown(h.markdown, 'config hover');
      }
      const items = completeConfig(ctx, p);
      ok(Array.isArray(items), 'completion did not return an array');
      for (const it of items) {
        ok(typeof it.label === 'string' && it.label.length > 0, 'completion item without a label');
        // A position outside the document (a stale request) may get any range; it must not throw.
        if (it.range && inside) {
          checkRange(it.range, lines, `completion '${it.label}' range`);
          ok(it.range.start.line === it.range.end.line, `completion '${it.label}' range spans lines`);
          // LSP: the edit range must be on the requested line and contain the position.
          ok(it.range.start.line === p.line && it.range.start.character <= p.character && p.character <= it.range.end.character, `completion '${it.label}' range ${JSON.stringify(it.range)} does not contain ${JSON.stringify(p)}`);
        }
        if (it.documentation !== undefined) ok(typeof it.documentation === 'string', 'documentation is not a string');
      }
      const defs = definitionConfig(ctx, p);
      ok(Array.isArray(defs), 'definition did not return an array');
      for (const d of defs) {
        const dl = linesOf[d.file];
        ok(dl, `definition in unknown file ${d.file}`);
        checkRange(d.range, dl, 'definition range');
      }
    }
  },
  size: (c) => c.main.length + c.master.length,
};

const CIPHER_NAMES = ['ECDHE-RSA-AES256-GCM-SHA384', 'AES256-SHA', 'TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'EXP-EDH-RSA-DES-CBC-SHA', 'SSL_RSA_WITH_RC4_128_MD5', 'ADH-AES128-SHA', 'PSK-AES128-CBC-SHA', 'DHE-RSA-CHACHA20-POLY1305'];

const explainTarget: Target<string> = {
  name: 'explain-cipher',
  weight: 0.05,
  arbitrary: (c) =>
    tagged(
      fc.oneof(
        { arbitrary: fc.constantFrom(...CIPHER_NAMES), weight: 1 },
        { arbitrary: fc.tuple(fc.constantFrom(...CIPHER_NAMES), fc.string({ maxLength: 8 })).map(([a, b]) => a + b), weight: 2 },
        { arbitrary: logLineArb, weight: 3 },
        { arbitrary: textArb(120), weight: 2 },
      ),
      fc.oneof(corpusArbs(c).logLine, fc.tuple(fc.constantFrom(...CIPHER_NAMES), fc.nat(), fc.string({ maxLength: 4 })).map(([n, p, s]) => n.slice(0, p % (n.length + 1)) + s + n.slice(p % (n.length + 1)))),
    ),
  run: (input) => {
    const e = explainCipher(input);
    ok(['openssl', 'iana', 'tls13', 'log-line', 'unrecognised'].includes(e.kind), `kind ${e.kind}`);
    ok(['yes', 'no', 'unknown'].includes(e.forwardSecrecy), `forwardSecrecy ${e.forwardSecrecy}`);
    ok(typeof e.markdown === 'string' && e.markdown.length > 0, 'empty markdown');
    ok(e.markdown.length <= 20_000, `markdown of ${e.markdown.length} characters`);
    assertInertMarkdown(e.markdown, 'cipher explanation');
  },
  size: (s) => s.length,
};

const reportTarget: Target<string> = {
  name: 'report-render',
  weight: 0.02,
  arbitrary: (c) => tagged(logTextArb, corpusArbs(c).logText),
  run: (text) => {
    const agg = createAggregator({ maxPeers: 8, topN: 5, maxKeys: 8 });
    for (const r of classifyText(text)) agg.add(r.record, { file: 'mail<b>.log', line: r.line + 1 });
    agg.addFile({ file: 'mail<b>.log', lines: splitLines(text).length, bytes: text.length, gzip: false, truncatedLines: 0 });
    const report = agg.result();
    const html = renderHtml(report);
    assertOwnHtml(html, 'HTML report');
    assertInertMarkdown(renderMarkdown(report), 'Markdown report', { allowSvg: true });
  },
  size: (t) => t.length,
};

/**
 * Bugs found by this fuzzer and reported, not yet fixed. With `--allow-known` the runner counts
 * inputs that hit one of them and goes on (so other bugs behind them can still be found);
 * without it they fail the run like any other counterexample. Remove an entry once fixed.
 */
export interface KnownIssue {
  id: string;
  target: string;
  summary: string;
  matches(message: string): boolean;
}

export const KNOWN_ISSUES: KnownIssue[] = [
  {
    id: 'unclipped-message-args',
    target: 'lint',
    summary: 'core/rules/messages.ts formatMessage puts document text into messages unclipped (postconf.unused-parameter, value.bad-*, tls.*, fs.*, master.duplicate-service): a long name or value gives a message as long',
    matches: (m) => /^finding [a-z.-]+: message of \d+ characters/.test(m),
  },
  {
    id: 'explain-cipher-autolink',
    target: 'explain-cipher',
    summary: 'core/cipher.ts escapeMarkdown leaves `https://...` intact: a URL in the input becomes a live link in the explanation',
    matches: (m) => /^cipher explanation: renders a link to 'https?:/.test(m),
  },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TARGETS: Target<any>[] = [
  parseMainTarget,
  parseMasterTarget,
  expandTarget,
  lintTarget,
  classifyTarget,
  classifyRangeTarget,
  featuresTarget,
  explainTarget,
  reportTarget,
];

export { CheckError, fail };

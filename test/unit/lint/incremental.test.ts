/**
 * Incremental analysis gives exactly what a fresh one gives: random edits of real main.cf files
 * (the reference corpus), each re-parsed with reparseMainCf from the previous parse and linted
 * with a LintCache kept across the edits, against parseMainCf + lint() of the same text from
 * scratch. Codes, ranges, messages, levels, tags and quick fixes must all be equal.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { corpusFiles } from '../../helpers/reference';
import { lint, lintParsed, LintCache } from '../../../core/lint';
import { parseMainCf, parseMainCfIncremental, reparseMainCf, type LineChange } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/types';

const files = corpusFiles('maincf');
const isMaster = (f: string) => /master/i.test(path.basename(f));
const mains = files.filter((f) => !isMaster(f)).sort((a, b) => readFileSync(b, 'utf8').length - readFileSync(a, 'utf8').length);
const masters = files.filter(isMaster);
/** The largest files (most lines to get wrong) and a spread of the others. */
const sample = [...mains.slice(0, 4), ...mains.filter((_, i) => i % 6 === 5)];

/** Fragments that change how lines join, split, parse and lint. */
const FRAGMENTS = [
  'x', ' ', '  ', '\t', '\n', '\n\n', '\n  ', '  more', '#', '# note\n', '=', ' = ', '$', '$$', '${', '$(', '}', ')', ',', '\0', '\r\n',
  'mydomain', 'smtpd_tls_ciphers = export\n', 'smtpd_tls_eecdh_grade = strong\n', 'tls_preempt_cipherlist = maybe\n',
  'smtpd_use_tls = yes\n', 'myorigin = $mydomain\n', 'a = $b\nb = $a\n', 'smtpd_tls_protocols = SSLv3, TLSv1\n', 'mynetworks = 10/8 # lan\n',
  'smtp_tls_securty_level = may\n', '$myorigin', '$mydomain ', '${myhostname}', '$myorigin\nmyorigin = $mydomain\n', 'relay_destination_concurrency_limit = 2\n', 'x = $undefined_thing\n', '\uFEFF',
];

/** Settings the cache must tell apart (version-dependent rules, profile, levels). */
const SETTINGS: Settings[] = [
  DEFAULT_SETTINGS,
  { ...DEFAULT_SETTINGS, postfixVersion: '3.5', opensslVersion: '1.1.1' },
  { ...DEFAULT_SETTINGS, profile: 'mozilla-modern', levels: { ...DEFAULT_SETTINGS.levels, 'postconf.unused-parameter': 'off' } },
];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 200 })),
  insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 4 }).map((a) => a.join(''))),
  settings: fc.integer({ min: 0, max: SETTINGS.length - 1 }),
});

/** Applies an edit at offsets and says which lines (counted at `\n`) it replaced. */
function apply(text: string, e: { at: number; remove: number; insert: string }): { text: string; change: LineChange } {
  const start = Math.floor(e.at * text.length);
  const end = Math.min(text.length, start + e.remove);
  const lineOf = (offset: number) => {
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  const startLine = lineOf(start);
  const oldEndLine = lineOf(end);
  const breaks = e.insert.split('\n').length - 1;
  return { text: text.slice(0, start) + e.insert + text.slice(end), change: { startLine, oldEndLine, newEndLine: startLine + breaks } };
}

describe('incremental analysis', () => {
  test('has corpus files to edit', () => {
    assert.ok(sample.length >= 8, `${sample.length} files`);
  });

  for (const file of sample) {
    const name = path.basename(file);
    const master = masters.find((m) => path.basename(m).split('__').slice(0, 2).join('__') === name.split('__').slice(0, 2).join('__'));
    test(`random edits of ${name}${master ? ' (with its master.cf)' : ''} give the same parse and findings as a fresh analysis`, () => {
      const original = readFileSync(file, 'utf8');
      const masterText = master ? readFileSync(master, 'utf8') : undefined;
      const masterDoc = masterText !== undefined ? { uri: 'file:///etc/postfix/master.cf', getText: () => masterText } : undefined;
      const masterCf = masterDoc ? parseMasterCf(masterDoc) : undefined;
      const uri = 'file:///etc/postfix/main.cf';
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
          let text = original;
          let parsed = parseMainCfIncremental(uri, text);
          const cache = new LintCache();
          lintParsed({ main: parsed, master: masterCf, texts: { main: text, master: masterText } }, DEFAULT_SETTINGS, undefined, cache);
          for (const e of edits) {
            const next = apply(text, e);
            text = next.text;
            parsed = reparseMainCf(parsed, text, next.change);
            const fresh = parseMainCf({ uri, getText: () => text });
            assert.deepStrictEqual(parsed, fresh, 'parse');
            const settings = SETTINGS[e.settings];
            const cached = lintParsed({ main: parsed, master: masterCf, texts: { main: text, master: masterText } }, settings, undefined, cache);
            const expected = lint({ main: { uri, getText: () => text }, master: masterDoc }, settings);
            assert.deepStrictEqual(cached, expected, 'findings');
          }
        }),
        { numRuns: file === sample[0] ? 40 : 12, seed: 20261129 },
      );
    });
  }

  test('a line-count change moves the reused lines and their findings', () => {
    const uri = 'file:///etc/postfix/main.cf';
    const text = 'smtpd_tls_eecdh_grade = strong\n\n# comment\nsmtpd_use_tls = yes\nsmtpd_tls_ciphers = export\n';
    const before = parseMainCfIncremental(uri, text);
    const cache = new LintCache();
    lintParsed({ main: before }, DEFAULT_SETTINGS, undefined, cache);
    const inserted = 'mydomain = example.org\n' + text;
    const after = reparseMainCf(before, inserted, { startLine: 0, oldEndLine: 0, newEndLine: 1 });
    assert.deepStrictEqual(after, parseMainCf({ uri, getText: () => inserted }));
    // The unchanged lines are copies one line further down, not the old objects.
    assert.equal(after.entries.length, 4);
    assert.equal(after.byName.get('smtpd_use_tls')![0].range.start.line, 4);
    assert.notEqual(after.byName.get('smtpd_use_tls')![0], before.byName.get('smtpd_use_tls')![0]);
    const findings = lintParsed({ main: after }, DEFAULT_SETTINGS, undefined, cache);
    assert.deepStrictEqual(findings, lint({ main: { uri, getText: () => inserted } }, DEFAULT_SETTINGS));
    assert.ok(findings.some((f) => f.code === 'tls.legacy-tls-switch' && f.range.start.line === 4));
  });

  test('reference loops appear, move and go with edits of the values in them', () => {
    const uri = 'file:///etc/postfix/main.cf';
    const cache = new LintCache();
    let text = 'a = $b\nb = $a\nc = 1\nd = $c\n';
    let parsed = parseMainCfIncremental(uri, text);
    const step = (from: string, to: string, line: number) => {
      text = text.replace(from, to);
      parsed = reparseMainCf(parsed, text, { startLine: line, oldEndLine: line, newEndLine: line });
      const got = lintParsed({ main: parsed }, DEFAULT_SETTINGS, undefined, cache);
      assert.deepStrictEqual(got, lint({ main: { uri, getText: () => text } }, DEFAULT_SETTINGS), `after '${to}'`);
      return got.filter((f) => f.code === 'value.reference-loop').map((f) => `${f.range.start.line}:${f.range.start.character}`);
    };
    assert.equal(lintParsed({ main: parsed }, DEFAULT_SETTINGS, undefined, cache).filter((f) => f.code === 'value.reference-loop').length, 2);
    // A new self reference on a line that had no reference.
    assert.deepStrictEqual(step('c = 1', 'c = $c', 2), ['0:4', '1:4', '2:4']);
    // The reference of a looping line moves.
    assert.deepStrictEqual(step('a = $b', 'a = x $b', 0), ['0:6', '1:4', '2:4']);
    // A line outside the loops changes without touching them.
    assert.deepStrictEqual(step('d = $c', 'd = $c2', 3), ['0:6', '1:4', '2:4']);
    // The loop is broken.
    assert.deepStrictEqual(step('b = $a', 'b = a', 1), ['2:4']);
  });

  test('value and deprecation findings follow the target version on unchanged assignments', () => {
    const uri = 'file:///etc/postfix/main.cf';
    const cache = new LintCache();
    let text = 'smtpd_tls_session_cache_timeout = 5x\ndisable_dns_lookups = yes\n';
    let parsed = parseMainCfIncremental(uri, text);
    const at = (postfixVersion: string) => {
      const settings = { ...DEFAULT_SETTINGS, postfixVersion };
      const got = lintParsed({ main: parsed }, settings, undefined, cache);
      assert.deepStrictEqual(got, lint({ main: { uri, getText: () => text } }, settings));
      return got;
    };
    const codes = (fs: { code: string }[]) => fs.map((f) => f.code).filter((c) => c === 'value.bad-time' || c === 'postconf.deprecated-parameter');
    assert.deepEqual(codes(at('2.1')), []);
    assert.deepEqual(codes(at('3.11')), ['value.bad-time', 'postconf.deprecated-parameter']);
    assert.deepEqual(codes(at('2.1')), []);
    // Setting a DNS level elsewhere takes the replacement fix away from the unchanged line.
    const fixes = () => at('3.11').find((f) => f.code === 'postconf.deprecated-parameter')?.fixes ?? [];
    assert.equal(fixes().length, 1);
    text += 'lmtp_dns_support_level = enabled\n';
    parsed = reparseMainCf(parsed, text, { startLine: 2, oldEndLine: 2, newEndLine: 3 });
    assert.deepEqual(fixes(), []);
  });

  test('an own variable stops being unused when another line starts to refer to it', () => {
    const uri = 'file:///etc/postfix/main.cf';
    const cache = new LintCache();
    let text = 'my_own_list = a, b\nmydestination = localhost\nrelay_domains = hash:/etc/postfix/relay\n';
    let parsed = parseMainCfIncremental(uri, text);
    const unused = () => {
      const got = lintParsed({ main: parsed }, DEFAULT_SETTINGS, undefined, cache);
      assert.deepStrictEqual(got, lint({ main: { uri, getText: () => text } }, DEFAULT_SETTINGS));
      return got.filter((f) => f.code === 'postconf.unused-parameter').length;
    };
    const edit = (from: string, to: string, line: number) => {
      text = text.replace(from, to);
      parsed = reparseMainCf(parsed, text, { startLine: line, oldEndLine: line, newEndLine: line });
    };
    assert.equal(unused(), 1);
    edit('localhost', 'localhost, $my_own_list', 1);
    assert.equal(unused(), 0);
    edit('localhost, $my_own_list', 'localhost', 1);
    assert.equal(unused(), 1);
    // A table lookup that names it as a database prefix does not (only ldap: and the like do).
    edit('hash:/etc/postfix/relay', 'hash:my_own_list', 2);
    assert.equal(unused(), 1);
  });

  test('an edit inside one value reads again only that logical line and the one before it', () => {
    const uri = 'file:///etc/postfix/main.cf';
    const text = 'a = 1\nb = 2\nsmtpd_tls_ciphers = medium\nmyorigin = $mydomain\n';
    const before = parseMainCfIncremental(uri, text);
    const edited = text.replace('medium', 'export');
    const after = reparseMainCf(before, edited, { startLine: 2, oldEndLine: 2, newEndLine: 2 });
    // The line before may be continued by the edited one, so it is read again too.
    assert.equal(after.entries[0], before.entries[0]);
    assert.deepStrictEqual(after.entries[1], before.entries[1]);
    assert.equal(after.entries[3], before.entries[3]);
    assert.equal(after.entries[2].value, 'export');
  });
});

/**
 * Pathological files through the core: a 10 MB single line, NUL bytes, invalid UTF-8 (as an
 * editor decodes it: replacement characters), CRLF and lone CR line ends, a BOM, 100,000
 * parameters, reference loops and long chains, a binary file opened as main.cf/master.cf, and
 * a 45 MB log through readLines, the classifier and the spawned CLI (`log`, `report`).
 *
 * Every case asserts a correct, well-formed answer. Times are recorded (t.diagnostic), not
 * asserted: only growth checks (n vs 4n) and the test timeout bound them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import { expandValue } from '../../../core/config/expand';
import { lint } from '../../../core/lint';
import { hoverConfig } from '../../../core/features/config-hover';
import { completeConfig } from '../../../core/features/config-completion';
import { definitionConfig } from '../../../core/features/config-definition';
import { LogFolder, PREFILTER_NEEDLES, classifyLine, type LineRecord } from '../../../core/log/classify';
import { readLineBatches, type ReadStats } from '../../../core/log/lines';
import { hoverLog } from '../../../core/features/log-hover';
import { badgeFor } from '../../../core/log/explain';
import { DEFAULT_SETTINGS, type Finding, type Settings } from '../../../core/types';
import { allParamNames } from '../../../core/params';
import { checkFindings, checkMainCf, checkMasterCf, checkRecord, Lines, sliceOf } from '../../fuzz/checks';
import { MAIN_URI, MASTER_URI, assertLinear, doc, ensureCliBuilt, removeDir, runCli, tempDir, timed, timedAsync, writeBigLog, type BigLog } from './helpers';

const S: Settings = { ...DEFAULT_SETTINGS, levels: {} };
const MB = 1024 * 1024;

function lintMain(text: string, settings: Settings = S): Finding[] {
  const f = lint({ main: doc(MAIN_URI, text) }, settings);
  checkFindings(f, { [MAIN_URI]: text });
  return f;
}

function codesOf(f: Finding[]): string[] {
  return [...new Set(f.map((x) => x.code))].sort();
}

function features(text: string, positions: { line: number; character: number }[]) {
  const main = parseMainCf(doc(MAIN_URI, text));
  const ctx = { main, doc: doc(MAIN_URI, text), settings: S };
  return positions.map((p) => ({ hover: hoverConfig(ctx, p), completion: completeConfig(ctx, p), definition: definitionConfig(ctx, p) }));
}

describe('a 10 MB single line', () => {
  const value = 'x'.repeat(10 * MB);
  const text = `smtpd_banner = $myhostname ${value} $undefined_name_here`;

  test('main.cf: parsed, linted and queried; messages stay short', (t) => {
    const p = timed(() => parseMainCf(doc(MAIN_URI, text)));
    checkMainCf(text, p.value, MAIN_URI);
    assert.equal(p.value.entries.length, 1);
    assert.equal(p.value.entries[0].value.length, text.length - 'smtpd_banner = '.length);
    const l = timed(() => lintMain(text));
    assert.ok(codesOf(l.value).includes('postconf.undefined-parameter'), codesOf(l.value).join(', '));
    for (const f of l.value) assert.ok(f.message.length < 2000, `${f.code}: ${f.message.length} characters`);
    const end = text.length;
    const q = timed(() => features(text, [{ line: 0, character: 3 }, { line: 0, character: 17 }, { line: 0, character: 5 * MB }, { line: 0, character: end }]));
    assert.match(q.value[0].hover!.markdown, /smtpd_banner/);
    assert.match(q.value[1].hover!.markdown, /myhostname/);
    for (const r of q.value) if (r.hover) assert.ok(r.hover.markdown.length < 20_000, `hover of ${r.hover.markdown.length} characters`);
    t.diagnostic(`10 MB main.cf line: parse ${p.ms.toFixed(0)} ms, lint ${l.ms.toFixed(0)} ms, 4 x hover+completion+definition ${q.ms.toFixed(0)} ms`);
  });

  test('master.cf: a service with a 10 MB argument list is capped, not stuck', (t) => {
    const mtext = 'smtp inet n - n - - smtpd ' + '-o smtpd_tls_security_level=may '.repeat(Math.ceil((10 * MB) / 32));
    const p = timed(() => parseMasterCf(doc(MASTER_URI, mtext)));
    checkMasterCf(mtext, p.value, MASTER_URI);
    assert.equal(p.value.services.length, 1);
    const l = timed(() => lint({ master: doc(MASTER_URI, mtext) }, S));
    checkFindings(l.value, { [MASTER_URI]: mtext });
    t.diagnostic(`10 MB master.cf line: parse ${p.ms.toFixed(0)} ms, lint ${l.ms.toFixed(0)} ms, ${p.value.services[0].args.length} arguments kept`);
  });

  test('log: a 10 MB line is classified from its first part; badge and hover stay short', (t) => {
    const line = 'Nov 28 12:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from a[192.0.2.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) ' + value;
    const c = timed(() => classifyLine(line));
    checkRecord(c.value, line);
    assert.equal(c.value.kind, 'tls-summary');
    assert.equal(c.value.forwardSecrecy, 'yes');
    assert.ok(hoverLog(c.value).length < 5000);
    assert.ok(badgeFor(c.value, { showKeyExchange: true, showStatus: true, showProtocol: true })!.text.length < 200);
    const junk = timed(() => classifyLine('TLS' + value));
    assert.equal(junk.value.kind, 'other');
    t.diagnostic(`10 MB log line: classified in ${c.ms.toFixed(1)} ms (junk: ${junk.ms.toFixed(1)} ms)`);
  });
});

describe('huge names and values in messages', () => {
  test('every finding message stays short, whatever the length of the text it quotes', () => {
    // Found by the fuzzer (lint: a 2,000-character name gave a 4,001-character message).
    const big = 'Q'.repeat(100_000);
    const lines = allParamNames().map((n) => `${n} = ${big}`);
    lines.push(`${big}_unused = 1`, `x = $${big}`, `smtpd_tls_protocols = !${big}`, `smtpd_tls_mandatory_ciphers = ${big}`, `smtpd_tls_eecdh_grade = ${big}`, `smtpd_tls_dh1024_param_file = /${big}`);
    const text = lines.join('\n') + '\n';
    const mtext = `smtp inet n - n - - smtpd -o ${big}=1 -o smtpd_tls_security_level=${big}\n${big} inet n - n - - smtpd\n${big} inet n - n - - smtpd\n`;
    const findings = lint({ main: doc(MAIN_URI, text), master: doc(MASTER_URI, mtext), configDirectory: '/etc/postfix', readFile: () => Buffer.from(big) }, S);
    const long = new Map<string, number>();
    for (const f of findings) if (f.message.length > 2000) long.set(f.code, Math.max(long.get(f.code) ?? 0, f.message.length));
    assert.deepEqual([...long].map(([c, n]) => `${c}: ${n} characters`), [], 'messages that quote document text unclipped');
  });
});

describe('NUL bytes, invalid UTF-8, line ends, BOM', () => {
  test('a NUL in a value is reported where it is; the text after it is ignored, as Postfix does', () => {
    const text = 'smtpd_tls_security_level = may\u0000encrypt\nsmtpd_use_tls = yes\n';
    const f = lintMain(text);
    const nul = f.find((x) => x.code === 'syntax.nul-byte');
    assert.ok(nul, codesOf(f).join(', '));
    assert.deepEqual(nul.range.start, { line: 0, character: 30 });
    const m = parseMainCf(doc(MAIN_URI, text));
    assert.equal(m.entries[0].value, 'may');
    assert.ok(codesOf(f).includes('tls.legacy-tls-switch'), 'the next line is still analysed');
  });

  test('a file of NUL bytes, and NULs in master.cf, give well-formed results', () => {
    const text = '\u0000'.repeat(100_000);
    lintMain(text);
    const mtext = 'smtp inet n - n - - smtpd\u0000 -o a=b\n  -o smtpd_tls_security_level=\u0000may\n\u0000\u0000\n';
    checkMasterCf(mtext, parseMasterCf(doc(MASTER_URI, mtext)), MASTER_URI);
    checkFindings(lint({ master: doc(MASTER_URI, mtext) }, S), { [MASTER_URI]: mtext });
  });

  test('invalid UTF-8 decoded as an editor does (U+FFFD) keeps positions in UTF-16 units', () => {
    const bytes = Buffer.concat([
      Buffer.from('smtpd_banner = '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98]),
      Buffer.from(' \u{1F600} $no_such_param_xyz\n\u00e9t\u00e9 = 1\n'),
    ]);
    const text = new TextDecoder('utf-8').decode(bytes);
    assert.ok(text.includes('\ufffd'));
    const f = lintMain(text);
    const undef = f.find((x) => x.code === 'postconf.undefined-parameter');
    assert.ok(undef, codesOf(f).join(', '));
    assert.equal(sliceOf(new Lines(text), undef.range)?.replace(/^\$/, ''), 'no_such_param_xyz');
    features(text, [{ line: 0, character: text.indexOf('$no_such') + 3 }, { line: 1, character: 1 }]);
  });

  test('CRLF files give the same findings, at the same positions, as LF files', () => {
    const lf = 'smtpd_use_tls = yes\nsmtpd_tls_dh1024_param_file = ${config_directory}/dh.pem\nsmtpd_banner = $myhostname\n  $nonexistent_thing\nsmtpd_tls_protocols = !SSLv2, !SSLv3\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = lintMain(lf).map((f) => ({ ...f, file: '' }));
    const b = lintMain(crlf).map((f) => ({ ...f, file: '' }));
    assert.deepEqual(b, a);
    const m = parseMainCf(doc(MAIN_URI, crlf));
    for (const e of m.entries) assert.ok(!e.value.includes('\r'), `value of ${e.name} keeps a CR`);
  });

  test('a BOM is reported on the first name; the rest of the file is analysed', () => {
    const text = '\ufeffsmtpd_tls_security_level = may\r\nsmtpd_use_tls = yes\r\n';
    const f = lintMain(text);
    const bom = f.find((x) => x.code === 'syntax.bom');
    assert.ok(bom, codesOf(f).join(', '));
    assert.equal(bom.range.start.line, 0);
    assert.ok(codesOf(f).includes('tls.legacy-tls-switch'));
    const [h] = features(text, [{ line: 1, character: 3 }]);
    assert.match(h.hover!.markdown, /smtpd_use_tls/);
  });
});

describe('size and references', () => {
  test('100,000 parameters: linted completely, every finding well-formed', (t) => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      if (i % 4 === 0) lines.push(`smtpd_tls_security_level = ${i % 8 === 0 ? 'may' : 'encrypt'}`);
      else if (i % 4 === 1) lines.push(`custom_${i} = $custom_${i - 1} $myhostname`);
      else if (i % 4 === 2) lines.push(`smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3`);
      else lines.push(`unknwn_param_${i % 50} = ${i}`);
    }
    const text = lines.join('\n') + '\n';
    const p = timed(() => parseMainCf(doc(MAIN_URI, text)));
    assert.equal(p.value.entries.length, 100_000);
    const l = timed(() => lintMain(text));
    assert.ok(codesOf(l.value).includes('postconf.repeated-entry') || codesOf(l.value).includes('postconf.overriding-earlier-entry'), codesOf(l.value).join(', '));
    const q = timed(() => features(text, [{ line: 99_999, character: 3 }, { line: 50_001, character: 20 }, { line: 50_001, character: 3 }]));
    assert.ok(q.value[0].hover);
    t.diagnostic(`100,000 parameters (${(text.length / MB).toFixed(1)} MB): parse ${p.ms.toFixed(0)} ms, lint ${l.ms.toFixed(0)} ms (${l.value.length} findings), 3 x features ${q.ms.toFixed(0)} ms`);
  });

  test('a lint of 100,000 parameters honours cancellation', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `unknown_${i} = $unknown_${i + 1}`).join('\n');
    assert.deepEqual(lint({ main: doc(MAIN_URI, text) }, S, { isCancellationRequested: true }), []);
  });

  test('$a/$b loops are reported on both; expansion and hover say so', () => {
    const text = 'a = $b\nb = ${a}\nsmtpd_banner = $a\n';
    const f = lintMain(text);
    const loops = f.filter((x) => x.code === 'value.reference-loop');
    assert.equal(loops.length, 2, JSON.stringify(f.map((x) => x.code)));
    const r = expandValue('$a', (n) => ({ a: '$b', b: '${a}' } as Record<string, string>)[n]);
    assert.deepEqual(r.loop, ['a', 'b', 'a']);
    const [h] = features(text, [{ line: 2, character: 16 }]);
    assert.match(h.hover!.markdown, /Reference loop/);
  });

  test('a 1,000-long chain and a 1,000-long cycle', (t) => {
    const chain = Array.from({ length: 1000 }, (_, i) => `p${i} = ${i === 999 ? 'end' : `$p${i + 1}`}`).join('\n');
    const c = timed(() => lintMain(chain));
    assert.ok(!codesOf(c.value).includes('value.reference-loop'), 'a chain is no loop');
    const ex = expandValue('$p0', (n) => (/^p\d+$/.test(n) ? (n === 'p999' ? 'end' : `$p${Number(n.slice(1)) + 1}`) : undefined));
    // Like Postfix, nesting beyond 100 levels is given up: reported, not followed forever.
    assert.ok(ex.loop && ex.loop.length >= 100, JSON.stringify(ex.loop?.length));
    const cycle = chain.replace('p999 = end', 'p999 = $p0');
    const y = timed(() => lintMain(cycle));
    const loops = y.value.filter((x) => x.code === 'value.reference-loop');
    assert.equal(loops.length, 1000);
    assert.ok(loops.every((x) => x.message.length < 1000), 'long cycles are shortened in messages');
    const [h] = features(cycle, [{ line: 0, character: 7 }]);
    assert.ok(h.hover && h.hover.markdown.length < 20_000);
    t.diagnostic(`1,000-long chain: lint ${c.ms.toFixed(0)} ms; 1,000-long cycle: lint ${y.ms.toFixed(0)} ms`);
  });

  test('exponential expansion (a = $b$b$b$b, b = $c$c$c$c, ... 30 levels) is memoised and capped', (t) => {
    const names = Array.from({ length: 31 }, (_, i) => `e${i}`);
    const table: Record<string, string> = {};
    names.forEach((n, i) => (table[n] = i === 30 ? 'xxxxxxxx' : `$${names[i + 1]}$${names[i + 1]}$${names[i + 1]}$${names[i + 1]}`));
    const r = timed(() => expandValue('$e0', (n) => table[n]));
    assert.equal(r.value.truncated, true);
    assert.ok(r.value.value.length <= 1 << 20);
    const text = names.map((n) => `${n} = ${table[n]}`).join('\n') + '\nsmtpd_banner = $e0\n';
    const l = timed(() => lintMain(text));
    const [h] = features(text, [{ line: 31, character: 16 }]);
    assert.ok(h.hover && h.hover.markdown.length < 20_000, `hover of ${h.hover?.markdown.length} characters`);
    t.diagnostic(`4^30 expansion: expandValue ${r.ms.toFixed(0)} ms, lint ${l.ms.toFixed(0)} ms`);
  });

  test('deep conditional nesting in a long chain: no exception, a clear "too deep" result', () => {
    // 95 parameters, each `${c?${c?...$next...}}` 45 levels deep. Postfix counts every nested
    // expansion (conditionals too) and gives up past 100 levels ("unreasonable macro call
    // nesting"); the core must end with the value or with a nesting/loop report, never throw.
    const D = 45;
    const table: Record<string, string> = { c: 'yes', n95: 'END' };
    for (let i = 0; i < 95; i++) {
      let s = `$n${i + 1}`;
      for (let k = 0; k < D; k++) s = `\${c?${s}}`;
      table[`n${i}`] = s;
    }
    const r = expandValue('$n0', (n) => table[n]);
    assert.equal(typeof r.value, 'string');
    assert.ok(r.value === 'END' || r.error?.reason === 'nesting' || r.loop, `expanded to ${JSON.stringify(r.value)} without saying why`);
    const text = Object.entries(table).map(([k, v]) => `${k} = ${v}`).join('\n') + '\nsmtpd_banner = $n0\n';
    lintMain(text);
    const [h] = features(text, [{ line: 96, character: 17 }]);
    assert.ok(h.hover === undefined || h.hover.markdown.length < 20_000);
  });
});

describe('a binary file opened as main.cf / master.cf', () => {
  const bin = ['/bin/ls', '/usr/bin/env', process.execPath].find((p) => existsSync(p))!;
  const bytes = readFileSync(bin).subarray(0, 4 * MB);
  const text = bytes.toString('latin1');

  test(`${path.basename(bin)} as main.cf: linted without an exception, findings well-formed`, (t) => {
    const l = timed(() => lintMain(text));
    checkMainCf(text, parseMainCf(doc(MAIN_URI, text)), MAIN_URI);
    const lines = new Lines(text);
    const q = timed(() => features(text, [0, 1, 2, 3].map((k) => ({ line: Math.floor((lines.count * k) / 4), character: 2 }))));
    assert.equal(q.value.length, 4);
    t.diagnostic(`${bin} (${(bytes.length / MB).toFixed(1)} MB) as main.cf: lint ${l.ms.toFixed(0)} ms, ${l.value.length} findings`);
  });

  test(`${path.basename(bin)} as master.cf: linted without an exception, findings well-formed`, (t) => {
    const p = parseMasterCf(doc(MASTER_URI, text));
    checkMasterCf(text, p, MASTER_URI);
    const l = timed(() => lint({ master: doc(MASTER_URI, text) }, S));
    checkFindings(l.value, { [MASTER_URI]: text });
    t.diagnostic(`${bin} as master.cf: lint ${l.ms.toFixed(0)} ms, ${l.value.length} findings`);
  });
});

describe('pumped input through the exported matchers grows linearly', () => {
  const cases: [string, (n: number) => string][] = [
    ['a...a!', (n) => 'a'.repeat(n) + '!'],
    ['spaces', (n) => 'x =' + ' '.repeat(n) + '!\n'],
    ['brackets', (n) => 'x = ' + '['.repeat(n)],
    ['$${{{{', (n) => 'x = ' + '$${{{{'.repeat(n / 6)],
    ['${ nesting', (n) => 'x = ' + '${a?'.repeat(n / 4)],
    ['braces', (n) => 'x = ' + '{'.repeat(n / 2) + '}'.repeat(n / 2)],
    ['$a refs', (n) => 'x = ' + '$a'.repeat(n / 2) + '\na = $b\nb = c'],
    ['relational', (n) => 'x = ' + '${{$a} == {b} ? {'.repeat(n / 18)],
    ['-o options', (n) => 'smtp inet n - n - - smtpd ' + '-o a=b '.repeat(n / 7)],
    ['-o { groups', (n) => 'smtp inet n - n - - smtpd ' + '-o { a = b } '.repeat(n / 13)],
    ['unbalanced {', (n) => 'smtp inet n - n - - smtpd ' + '-o { a '.repeat(n / 7)],
    ['TLS connection', (n) => 'TLS connection '.repeat(n / 15)],
    ['equals', (n) => 'a' + '='.repeat(n)],
    ['continuations', (n) => 'x = a\n' + ' b\n'.repeat(n / 3)],
    ['comments', (n) => '#\n'.repeat(n / 2) + 'x = y'],
  ];
  for (const [name, make] of cases) {
    test(`${name}: parse, lint and complete at the end`, (t) => {
      const n = 25_000;
      const main = assertLinear(`${name} main.cf`, make, (s) => lint({ main: doc(MAIN_URI, s) }, S), n);
      const master = assertLinear(`${name} master.cf`, make, (s) => lint({ master: doc(MASTER_URI, s) }, S), n);
      const feat = assertLinear(`${name} features`, make, (s) => {
        const lines = new Lines(s);
        const last = lines.count - 1;
        const p = { line: last, character: lines.lengths[last] };
        const m = parseMainCf(doc(MAIN_URI, s));
        const ma = parseMasterCf(doc(MASTER_URI, s));
        for (const d of [doc(MAIN_URI, s), doc(MASTER_URI, s)]) {
          const ctx = { main: m, master: ma, doc: d, settings: S };
          hoverConfig(ctx, p);
          completeConfig(ctx, p);
          definitionConfig(ctx, p);
        }
      }, n);
      const cls = assertLinear(`${name} classifier`, make, (s) => classifyLine(s), n);
      const exp = assertLinear(`${name} expandValue`, make, (s) => expandValue(s, (x) => (x === 'a' ? '$b' : x === 'b' ? 'c' : undefined)), n);
      t.diagnostic(
        `${name}: lint main ${main.small.toFixed(0)}/${main.large.toFixed(0)} ms, master ${master.small.toFixed(0)}/${master.large.toFixed(0)} ms, ` +
          `features ${feat.small.toFixed(0)}/${feat.large.toFixed(0)} ms, classify ${cls.small.toFixed(1)}/${cls.large.toFixed(1)} ms, expand ${exp.small.toFixed(1)}/${exp.large.toFixed(1)} ms (n / 4n)`,
      );
    });
  }
});

describe('a 45 MB log', () => {
  let dir: string;
  let big: BigLog;

  before(async () => {
    dir = tempDir();
    big = writeBigLog(path.join(dir, 'mail.log'), 45 * MB);
    await ensureCliBuilt();
  });
  after(() => removeDir(dir));

  /** TLS records of the file as the core reads it (the CLI's own pipeline, in process). */
  async function coreRecords(): Promise<{ records: number; stats: ReadStats; ms: number }> {
    const stats: ReadStats = { lines: 0, bytesRead: 0, truncatedLines: 0, gzip: false };
    const r = await timedAsync(async () => {
      const folder = new LogFolder();
      const out: LineRecord[] = [];
      let n = 0;
      for await (const batch of readLineBatches(big.file, { needles: PREFILTER_NEEDLES, withContinuations: true }, stats)) {
        for (let i = 0; i < batch.lines.length; i++) folder.push(batch.lines[i], batch.lineNos[i], out);
        for (const x of out) if (x.record.kind !== 'other') n++;
        out.length = 0;
      }
      folder.flush(out);
      for (const x of out) if (x.record.kind !== 'other') n++;
      return n;
    });
    return { records: r.value, stats, ms: r.ms };
  }

  test('readLines counts every line, cuts the 2 MB lines, and the classifier finds the TLS records', async (t) => {
    assert.ok(big.bytes >= 45 * MB, `${big.bytes} bytes`);
    const c = await coreRecords();
    assert.equal(c.stats.lines, big.lines);
    assert.ok(c.stats.truncatedLines > 0, 'the 2 MB lines are cut at the 1 MiB default');
    assert.ok(c.records > 1000, `${c.records} TLS records`);
    t.diagnostic(`45 MB log (${big.lines} lines): readLines + classifier ${c.ms.toFixed(0)} ms, ${c.records} TLS records, ${c.stats.truncatedLines} lines cut`);
  });

  test('postfix-tls log (spawned) streams it with a small heap and agrees with the core', async (t) => {
    const c = await coreRecords();
    const r = await runCli(['log', '--format', 'jsonl', big.file], { keep: 20_000, nodeArgs: ['--max-old-space-size=128'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdoutLines, c.records);
    const first = JSON.parse(r.stdout.split('\n')[0]);
    assert.equal(first.file, big.file);
    t.diagnostic(`postfix-tls log on 45 MB with a 128 MB heap: ${r.ms.toFixed(0)} ms, ${r.stdoutLines} records`);
  });

  test('postfix-tls report (spawned): JSON and HTML over 45 MB, hostile peer names escaped', async (t) => {
    const j = await runCli(['report', big.file, '--format', 'json'], { nodeArgs: ['--max-old-space-size=128'] });
    assert.equal(j.code, 0, j.stderr);
    const rep = JSON.parse(j.stdout);
    assert.equal(rep.linesRead, big.lines);
    assert.ok(rep.total.connections > 0);
    const out = path.join(dir, 'report.html');
    const h = await runCli(['report', big.file, '--format', 'html', '--output', out]);
    assert.equal(h.code, 0, h.stderr);
    const html = readFileSync(out, 'utf8');
    assert.ok(!html.includes('<img src=x'), 'a peer name became HTML');
    assert.ok(!/<a\s/i.test(html), 'a link in the report');
    t.diagnostic(`postfix-tls report on 45 MB: json ${j.ms.toFixed(0)} ms, html ${h.ms.toFixed(0)} ms (${statSync(out).size} bytes)`);
  });

  test('an interrupted report (SIGINT while reading) leaves an existing --output file as it was', async () => {
    const out = path.join(dir, 'keep.html');
    writeFileSync(out, 'ORIGINAL REPORT');
    // The report reads stdin: it cannot finish while the pipe is open, so the signal surely
    // arrives mid-read. Once the pipe drains, the CLI is reading.
    const chunk = readFileSync(big.file).subarray(0, 4 * MB);
    const r = await runCli(['report', '-', '--format', 'html', '--output', out], {
      stdin: true,
      onSpawn: (child) => {
        const ok = child.stdin!.write(chunk);
        const interrupt = (): void => void child.kill('SIGINT');
        if (ok) setImmediate(interrupt);
        else child.stdin!.once('drain', interrupt);
        child.stdin!.on('error', () => undefined);
      },
    });
    assert.notEqual(r.code, 0, 'the report cannot have finished');
    assert.equal(readFileSync(out, 'utf8'), 'ORIGINAL REPORT', `exit ${r.code}/${r.signal}: ${r.stderr}`);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'a temp file was left behind');
  });
});

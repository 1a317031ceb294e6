/**
 * Pathological files over the real stdio server (`node bin/postfix-tls-language-server.js
 * --stdio`, one process for all cases): a 10 MB single line, one just under the size cap, NUL
 * bytes, invalid UTF-8 as an editor decodes it, CRLF and lone-CR line ends, a BOM, 100,000
 * parameters, reference loops and a 1,000-long chain/cycle, a binary file opened as main.cf.
 *
 * After each case the server must still answer (a hover on a small, known document), every
 * answer must come within a generous bound (10 s; real times are printed as diagnostics), and
 * every published range must lie inside the document as the client sees it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range } from 'vscode-languageserver';
import { codes, ensureBuilt, fileUri, tempFolder, TestClient } from './harness';
import { FIXTURE_HOVER_AT, FIXTURE_MAIN } from './fixtures';
import { BINARY_SNIFF_BYTES } from '../../core/sniff';

/** Generous bound for any single answer, also for the 10 MB line. */
const BOUND_MS = 10_000;
const MB = 1024 * 1024;

describe('pathological files over the stdio server', () => {
  let client: TestClient;
  let dir: string;
  let n = 0;
  let probeUri: string;
  const uriFor = (name: string) => fileUri(path.join(dir, `case${++n}`, name));

  before(async () => {
    await ensureBuilt();
    dir = tempFolder({});
    client = await TestClient.start({ settings: () => ({}) }, dir);
    probeUri = fileUri(path.join(dir, 'probe', 'main.cf'));
    await client.open(probeUri, 'postfix-main', FIXTURE_MAIN);
  });
  after(() => {
    client?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a request, asserts it answered within the bound, returns its answer and time. */
  async function bounded<T>(what: string, fn: () => Promise<T>, bound = BOUND_MS): Promise<{ value: T; ms: number }> {
    const t0 = performance.now();
    const value = await fn();
    const ms = performance.now() - t0;
    assert.ok(ms < bound, `${what} took ${ms.toFixed(0)} ms (bound ${bound} ms)`);
    return { value, ms };
  }

  /** The server still answers: a hover on the known probe document. */
  async function stillUp(): Promise<number> {
    const line = FIXTURE_MAIN.split('\n').findIndex((l) => l.startsWith(FIXTURE_HOVER_AT));
    const h = await bounded('probe hover', () => client.hover(probeUri, { line, character: 2 }));
    assert.ok(h.value && JSON.stringify(h.value.contents).includes(FIXTURE_HOVER_AT), 'the server stopped answering hovers');
    assert.equal(client.exitCode, undefined, 'the server exited');
    return h.ms;
  }

  function inside(doc: TextDocument, r: Range, what: string): void {
    const clamp = (p: Range['start']) => doc.positionAt(doc.offsetAt(p));
    assert.deepEqual(clamp(r.start), r.start, `${what}: start ${JSON.stringify(r.start)} outside the document`);
    assert.deepEqual(clamp(r.end), r.end, `${what}: end ${JSON.stringify(r.end)} outside the document`);
  }

  /** Opens a document, pulls its diagnostics (bounded), checks their ranges, probes the server. */
  async function openAndCheck(t: { diagnostic(s: string): void }, label: string, uri: string, text: string, languageId = 'postfix-main', bound = BOUND_MS): Promise<Diagnostic[]> {
    await client.open(uri, languageId, text);
    const d = await bounded(`${label}: diagnostics`, () => client.diagnostics(uri), bound);
    const doc = TextDocument.create(uri, languageId, 1, text);
    for (const x of d.value) inside(doc, x.range, `${label}: ${x.code}`);
    const probe = await stillUp();
    t.diagnostic(`${label}: diagnostics in ${d.value.length === 0 ? 'no findings, ' : ''}${d.ms.toFixed(0)} ms (${d.value.length} items); probe hover ${probe.toFixed(0)} ms`);
    return d.value;
  }

  test('a 10 MB single line: one clear notice, quickly; the server keeps serving', async (t) => {
    const uri = uriFor('main.cf');
    const text = 'smtpd_banner = ' + 'x'.repeat(10 * MB);
    const ds = await openAndCheck(t, '10 MB line', uri, text);
    assert.deepEqual(codes(ds), ['server.file-too-large']);
    assert.match(ds[0].message, /File too large to analyse \(\d+ characters, the limit is 5 Mi\)/);
    const h = await bounded('hover on the 10 MB line', () => client.hover(uri, { line: 0, character: 5 * MB }));
    assert.equal(h.value, null);
    t.diagnostic(`10 MB line: hover ${h.ms.toFixed(0)} ms`);
    await client.close(uri);
  });

  test('a line just under the size cap is analysed and every feature answers in bounds', async (t) => {
    const uri = uriFor('main.cf');
    const text = 'smtpd_banner = $myhostname ' + 'y'.repeat(5 * MB - 200) + ' $no_such_parameter_here\nsmtpd_use_tls = yes\n';
    const ds = await openAndCheck(t, '5 MB line', uri, text);
    assert.ok(codes(ds).includes('postconf.undefined-parameter'), codes(ds).join(', '));
    const end = text.indexOf('\n');
    const times: string[] = [];
    for (const character of [2, 17, Math.floor(end / 2), end - 5, end]) {
      const p = { line: 0, character };
      const h = await bounded('hover', () => client.hover(uri, p));
      const c = await bounded('completion', () => client.completion(uri, p));
      const d = await bounded('definition', () => client.definition(uri, p));
      times.push(`${character}: ${h.ms.toFixed(0)}/${c.ms.toFixed(0)}/${d.ms.toFixed(0)}`);
    }
    t.diagnostic(`5 MB line: hover/completion/definition ms at ${times.join(', ')}`);
    await client.close(uri);
  });

  test('NUL bytes at the start: the binary-file notice; NULs later: analysed', async (t) => {
    const a = uriFor('main.cf');
    assert.deepEqual(codes(await openAndCheck(t, 'NUL start', a, '\u0000\u0000smtpd_use_tls = yes\n')), ['server.binary-file']);
    const b = uriFor('main.cf');
    // Past the binary sniffing window (core/sniff.ts: the first BINARY_SNIFF_BYTES characters).
    const ds = await openAndCheck(t, 'NUL later', b, '#\n'.repeat(BINARY_SNIFF_BYTES / 2 + 1) + 'smtpd_banner = a\u0000b\nsmtpd_use_tls = yes\n' + '\u0000'.repeat(10) + '\n');
    assert.ok(codes(ds).includes('syntax.nul-byte'), codes(ds).join(', '));
  });

  test('invalid UTF-8 decoded with replacement characters: positions in UTF-16 units', async (t) => {
    const uri = uriFor('main.cf');
    const bytes = Buffer.concat([Buffer.from('smtpd_banner = '), Buffer.from([0xff, 0xc3, 0x28, 0xf0, 0x9f]), Buffer.from(' \u{1F600} $no_such_xyz\n')]);
    const text = new TextDecoder().decode(bytes);
    const ds = await openAndCheck(t, 'invalid UTF-8', uri, text);
    const u = ds.find((d) => d.code === 'postconf.undefined-parameter');
    assert.ok(u, codes(ds).join(', '));
    const doc = TextDocument.create(uri, 'postfix-main', 1, text);
    assert.match(doc.getText(u.range), /no_such_xyz/);
  });

  test('CRLF: the same diagnostics at the same places as LF', async (t) => {
    const lf = 'smtpd_use_tls = yes\nsmtpd_banner = $myhostname\n  $nonexistent_thing\nsmtpd_tls_protocols = !SSLv2, !SSLv3\n';
    const a = await openAndCheck(t, 'LF', uriFor('main.cf'), lf);
    const b = await openAndCheck(t, 'CRLF', uriFor('main.cf'), lf.replace(/\n/g, '\r\n'));
    assert.deepEqual(b.map((d) => [d.code, d.range]), a.map((d) => [d.code, d.range]));
  });

  test('lone CR line ends: each diagnostic covers the text it is about', async (t) => {
    // Postfix splits lines at LF only; an editor also at a lone CR. The server must not point
    // at the wrong text (or past a line) in the editor's view of the file.
    const uri = uriFor('main.cf');
    const text = 'smtpd_use_tls = yes\rsmtpd_banner = $no_such_param_cr\r';
    const ds = await openAndCheck(t, 'lone CR', uri, text);
    const doc = TextDocument.create(uri, 'postfix-main', 1, text);
    for (const d of ds) {
      const covered = doc.getText(d.range);
      if (d.code === 'postconf.undefined-parameter') assert.match(covered, /no_such_param_cr/, `${d.code} covers ${JSON.stringify(covered)}`);
      if (d.code === 'tls.legacy-tls-switch') assert.match(covered, /smtpd_use_tls/, `${d.code} covers ${JSON.stringify(covered)}`);
    }
    // Positions the client sends are in its view too: a hover on the reference (editor line 1).
    const at = doc.positionAt(text.indexOf('no_such_param_cr') + 3);
    const h = await bounded('hover after a lone CR', () => client.hover(uri, at));
    assert.ok(h.value?.range, 'a hover with a range');
    assert.match(doc.getText(h.value.range), /no_such_param_cr/);
    await client.close(uri);
  });

  test('lone CR line ends: definition goes from and to the editor\'s lines', async () => {
    // For Postfix `q = 2\r\ry = $z` is one line (q's value holds `$z`); the editor shows `y = $z` on line 3.
    const uri = uriFor('main.cf');
    const text = 'z = 1\nq = 2\r\ry = $z\n';
    await client.open(uri, 'postfix-main', text);
    const doc = TextDocument.create(uri, 'postfix-main', 1, text);
    const at = doc.positionAt(text.indexOf('$z') + 1);
    assert.equal(at.line, 3);
    const d = await bounded('definition after a lone CR', () => client.definition(uri, at));
    assert.equal(d.value?.length, 1, JSON.stringify(d.value));
    assert.deepEqual(d.value![0].range.start, { line: 0, character: 0 });
    await client.close(uri);
  });

  test('a BOM: reported on line 0; the names after it still hover', async (t) => {
    const uri = uriFor('main.cf');
    const ds = await openAndCheck(t, 'BOM', uri, '\ufeffsmtpd_tls_security_level = may\nsmtpd_use_tls = yes\n');
    assert.ok(codes(ds).includes('syntax.bom'), codes(ds).join(', '));
    const h = await bounded('hover after a BOM', () => client.hover(uri, { line: 1, character: 3 }));
    assert.ok(h.value);
  });

  test('100,000 parameters: answered within the budget, capped, and the server stays responsive', async (t) => {
    const uri = uriFor('main.cf');
    const text = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? `smtpd_tls_security_level = may` : i % 3 === 1 ? `custom_${i} = $custom_${i - 1}` : `smtpd_banner = $myhostname ${i}`)).join('\n') + '\n';
    // 3.4 MB: parsing it plus the 3 s analysis budget; a loaded machine gets a wider bound.
    const ds = await openAndCheck(t, '100,000 parameters', uri, text, 'postfix-main', 3 * BOUND_MS);
    assert.ok(ds.length <= 1002, `${ds.length} diagnostics`);
    const h = await bounded('hover in the big file', () => client.hover(uri, { line: 99_999, character: 3 }));
    assert.ok(h.value);
    const c = await bounded('completion in the big file', () => client.completion(uri, { line: 50_000, character: 0 }));
    t.diagnostic(`100,000 parameters: hover ${h.ms.toFixed(0)} ms, completion ${c.ms.toFixed(0)} ms`);
    await client.close(uri);
  });

  test('$a/$b loops, a 1,000-long chain and a 1,000-long cycle', async (t) => {
    const loop = await openAndCheck(t, '$a/$b loop', uriFor('main.cf'), 'a = $b\nb = $a\nsmtpd_banner = $a\n');
    assert.equal(loop.filter((d) => d.code === 'value.reference-loop').length, 2);
    const chain = Array.from({ length: 1000 }, (_, i) => `p${i} = ${i === 999 ? 'end' : `$p${i + 1}`}`).join('\n') + '\n';
    const c = await openAndCheck(t, '1,000-long chain', uriFor('main.cf'), chain);
    assert.ok(!codes(c).includes('value.reference-loop'));
    const cycleUri = uriFor('main.cf');
    const cyc = await openAndCheck(t, '1,000-long cycle', cycleUri, chain.replace('p999 = end', 'p999 = $p0'));
    assert.ok(codes(cyc).includes('value.reference-loop'));
    const h = await bounded('hover on a cycle reference', () => client.hover(cycleUri, { line: 0, character: 7 }));
    assert.ok(h.value && JSON.stringify(h.value.contents).length < 50_000);
  });

  test('a binary program opened as main.cf', async (t) => {
    const bin = ['/bin/ls', '/usr/bin/env', process.execPath].find((p) => existsSync(p))!;
    const bytes = readFileSync(bin).subarray(0, 2 * MB);
    const ds = await openAndCheck(t, `${bin} as main.cf`, uriFor('main.cf'), bytes.toString('latin1'));
    assert.deepEqual(codes(ds), ['server.binary-file']);
    // The same bytes without NULs get past the sniffing: analysed, bounded, well-formed.
    const noNul = Buffer.from(bytes.filter((b) => b !== 0)).toString('latin1');
    const ds2 = await openAndCheck(t, `${bin} without NULs as main.cf`, uriFor('main.cf'), noNul);
    assert.ok(ds2.length > 0);
    const ds3 = await openAndCheck(t, `${bin} without NULs as master.cf`, uriFor('master.cf'), noNul, 'postfix-master');
    assert.ok(ds3.length > 0);
  });

  test('after all of it the server is up, logged no errors and exits cleanly', async () => {
    await stillUp();
    assert.deepEqual(client.errorLogs(), []);
    assert.equal(await client.stop(), 0);
  });
});

describe('workspace trust over the stdio server', () => {
  const DH512 = readFileSync(path.join(__dirname, '..', 'fixtures', 'dh', 'dh512.pem'));

  for (const trusted of [true, false]) {
    test(`${trusted ? 'trusted' : 'restricted'}: DH parameter files are ${trusted ? '' : 'not '}read`, async () => {
      const dir = tempFolder({ 'dh512.pem': DH512 });
      const client = await TestClient.start({ settings: () => ({}), initializationOptions: { trusted } }, dir);
      try {
        const uri = fileUri(path.join(dir, 'main.cf'));
        await client.open(uri, 'postfix-main', `smtpd_tls_dh1024_param_file = ${path.join(dir, 'dh512.pem')}\n`);
        const fileCodes = codes(await client.diagnostics(uri)).filter((c) => /^fs\.dh-(file|prime)/.test(c));
        if (trusted) assert.ok(fileCodes.length > 0, 'the weak file is reported');
        else assert.deepEqual(fileCodes, [], 'a restricted workspace read the file');
        assert.equal(await client.stop(), 0);
      } finally {
        client.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/**
 * Bad input never takes the server down: binary files, huge lines, NUL bytes, broken syntax,
 * malformed requests. One server process lives through all of it and exits cleanly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { codes, ensureBuilt, fileUri, tempFolder, TestClient } from './harness';
import { FIXTURE_MAIN, FIXTURE_MAIN_CODES } from './fixtures';

describe('robustness (one server for all cases)', () => {
  let client: TestClient;
  let dir: string;
  let n = 0;
  /** A fresh main.cf / master.cf URI in its own subfolder (no pairing between cases). */
  const uriFor = (name: string) => fileUri(path.join(dir, `case${++n}`, name));

  before(async () => {
    await ensureBuilt();
    dir = tempFolder({});
    client = await TestClient.start({ settings: () => ({}) }, dir);
  });
  after(() => {
    client?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every position feature answers (with anything) at `positions`. */
  async function allFeaturesAnswer(uri: string, positions: { line: number; character: number }[]): Promise<void> {
    for (const p of positions) {
      await client.hover(uri, p);
      await client.completion(uri, p);
      await client.definition(uri, p);
      await client.codeActions(uri, { start: p, end: p });
    }
  }

  test('a binary file gets one information diagnostic and no analysis', async () => {
    const uri = uriFor('main.cf');
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff, 0xfe, 0x00, 0x41, 0x0a, 0x3d, 0x24, 0x7b]);
    await client.open(uri, 'postfix-main', bytes.toString('latin1').repeat(100));
    const ds = await client.diagnostics(uri);
    assert.deepEqual(codes(ds), ['server.binary-file']);
    assert.equal(ds[0].severity, 3, 'information');
    assert.equal(await client.hover(uri, { line: 0, character: 2 }), null);
    assert.deepEqual((await client.completion(uri, { line: 0, character: 0 }))?.items, []);
    assert.deepEqual(await client.definition(uri, { line: 0, character: 0 }), []);
    assert.deepEqual(await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), []);
  });

  test('a 10 MB line is above the size limit: one notice; fixing the file restores analysis', async () => {
    const uri = uriFor('main.cf');
    await client.open(uri, 'postfix-main', 'smtpd_banner = ' + 'x'.repeat(10 * 1024 * 1024));
    const ds = await client.diagnostics(uri);
    assert.deepEqual(codes(ds), ['server.file-too-large']);
    assert.match(ds[0].message, /too large/);
    assert.equal(await client.hover(uri, { line: 0, character: 3 }), null);
    await client.change(uri, [{ text: FIXTURE_MAIN }]);
    assert.deepEqual(codes(await client.diagnostics(uri)), FIXTURE_MAIN_CODES);
  });

  test('a 4 MB line below the limit is analysed', async () => {
    const uri = uriFor('main.cf');
    const long = 'smtpd_banner = $myhostname ' + 'y'.repeat(4 * 1024 * 1024);
    await client.open(uri, 'postfix-main', `${long}\nsmtpd_use_tls = yes\n`);
    const ds = await client.diagnostics(uri);
    assert.ok(codes(ds).includes('tls.legacy-tls-switch'), codes(ds).join(', '));
    await allFeaturesAnswer(uri, [{ line: 0, character: 2 }, { line: 0, character: 3_000_000 }, { line: 1, character: 3 }]);
  });

  test('NUL bytes after the binary sniffing window reach the analysis', async () => {
    const uri = uriFor('main.cf');
    const text = '# padding\n'.repeat(1000) + 'smtpd_banner = a\u0000b\nsmtpd_use_tls = yes\n';
    await client.open(uri, 'postfix-main', text);
    const ds = await client.diagnostics(uri);
    assert.ok(!codes(ds).includes('server.binary-file'));
    assert.ok(codes(ds).includes('tls.legacy-tls-switch'), codes(ds).join(', '));
    await allFeaturesAnswer(uri, [{ line: 1000, character: 15 }, { line: 1000, character: 16 }]);
  });

  test('more than 1000 findings: the first 1000 are shown, with a notice', async () => {
    const uri = uriFor('main.cf');
    const text = Array.from({ length: 1500 }, (_, i) => `smtpd_banner = banner ${i}`).join('\n') + '\n';
    await client.open(uri, 'postfix-main', text);
    const ds = await client.diagnostics(uri);
    assert.equal(ds.length, 1001);
    const notice = ds.filter((d) => d.code === 'server.too-many-findings');
    assert.equal(notice.length, 1);
    assert.match(notice[0].message, /first 1000 of 1499 /);
  });

  test('a pathological file cannot block the server: the analysis stops at its time budget', async () => {
    // 100 000 unknown names, each with a did-you-mean search: minutes of work without a budget.
    const uri = uriFor('main.cf');
    const text = Array.from({ length: 100_000 }, (_, i) => `smtpd_tls_foo${i} = x`).join('\n') + '\n';
    await client.open(uri, 'postfix-main', text);
    const ds = await client.diagnostics(uri);
    const found = codes(ds);
    // Either the budget cut it short (today), or a faster core finished: then the cap applies.
    assert.ok(
      found.includes('server.analysis-incomplete') || found.includes('server.too-many-findings'),
      found.slice(0, 5).join(', '),
    );
    assert.ok(ds.length <= 1002);
    assert.ok(await client.hover(uri, { line: 5, character: 3 }) !== undefined);
    await client.close(uri);
  });

  test('broken syntax in both files: every feature answers everywhere', async () => {
    const main = [
      '\ufeffsmtpd_tls_security_level = may',
      '   continuation without a line',
      '= no name',
      'a = ${b?{${c:',
      'x = $(y',
      'z = ${{}}}$$$',
      'surrogate = \ud800 lone \udfff',
      'crlf = yes\r',
      'tab\t=\tvalue\t',
      '',
    ].join('\n');
    const master = [
      'smtp inet',
      'submission inet n - y - - smtpd -o',
      '  -o { smtpd_tls_security_level = encrypt',
      '  -o =broken -oname=x -o name',
      'x y z w v u t s r q p o n m',
      '',
    ].join('\n');
    const folder = path.join(dir, `case${++n}`);
    const mainUri = fileUri(path.join(folder, 'main.cf'));
    const masterUri = fileUri(path.join(folder, 'master.cf'));
    await client.open(mainUri, 'postfix-main', main);
    await client.open(masterUri, 'postfix-master', master);
    assert.ok((await client.diagnostics(mainUri)).length > 0);
    assert.ok((await client.diagnostics(masterUri)).length > 0);
    const positions = (text: string) =>
      text.split('\n').flatMap((l, line) => [0, 1, Math.floor(l.length / 2), l.length, l.length + 5].map((character) => ({ line, character })));
    await allFeaturesAnswer(mainUri, positions(main));
    await allFeaturesAnswer(masterUri, positions(master));
    // Positions beyond the end of the document.
    await allFeaturesAnswer(mainUri, [{ line: 999, character: 0 }, { line: 0, character: 99999 }]);
  });

  test('documents that are not Postfix configuration, or not open, get empty answers', async () => {
    const notes = fileUri(path.join(dir, 'notes.txt'));
    await client.open(notes, 'plaintext', 'smtpd_use_tls = yes\n');
    assert.deepEqual(await client.diagnostics(notes), []);
    assert.equal(await client.hover(notes, { line: 0, character: 2 }), null);
    const closed = uriFor('main.cf');
    assert.deepEqual(await client.diagnostics(closed), []);
    assert.equal(await client.hover(closed, { line: 0, character: 0 }), null);
  });

  test('language id decides; the file name is the fallback; untitled documents work', async () => {
    const conf = uriFor('main.cf');
    await client.open(conf, 'conf', 'smtpd_use_tls = yes\n');
    assert.deepEqual(codes(await client.diagnostics(conf)), ['tls.legacy-tls-switch']);
    const vim = uriFor('anything.conf');
    await client.open(vim, 'pfmain', 'smtpd_use_tls = yes\n');
    assert.deepEqual(codes(await client.diagnostics(vim)), ['tls.legacy-tls-switch']);
    const untitled = 'untitled:Untitled-1';
    await client.open(untitled, 'postfix-main', 'smtpd_use_tls = yes\n');
    assert.deepEqual(codes(await client.diagnostics(untitled)), ['tls.legacy-tls-switch']);
  });

  test('an exception inside a feature is logged and answered with an empty result', async () => {
    const before = client.errorLogs().length;
    // No textDocument: the handler throws a TypeError.
    const hover = await client.conn.sendRequest('textDocument/hover', { position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    const actions = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: 'file:///x/main.cf' } });
    assert.deepEqual(actions, []);
    await client.waitUntil(() => client.errorLogs().length >= before + 2, 'the errors in the log');
    assert.match(client.errorLogs()[before], /hover failed/);
  });

  test('after all of it the server still works and exits with code 0', async () => {
    const uri = uriFor('main.cf');
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    assert.deepEqual(codes(await client.diagnostics(uri)), FIXTURE_MAIN_CODES);
    // Only the deliberate failures above were logged as errors.
    assert.ok(client.errorLogs().every((m) => /hover failed|code actions failed/.test(m)), client.errorLogs().join('\n'));
    assert.equal(await client.stop(), 0);
  });
});

/**
 * The language server over stdio, spoken to like an editor that PULLS diagnostics and answers
 * workspace/configuration (VS Code's model). Each test starts its own server process.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import { codes, fileUri, positionOf, serverFixture, tempFolder, TestClient } from './harness';
import { FIXTURE_HOVER_AT, FIXTURE_MAIN, FIXTURE_MAIN_CODES, FIXTURE_MASTER } from './fixtures';

/** `setup(files, options)`: a temp folder with `files`, and a started client rooted there. */
const { dirs, clients, start: setup } = serverFixture();

/** Applies non-overlapping edits to a text (what an editor does with a WorkspaceEdit). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

function byCode(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

describe('initialize', () => {
  test('announces incremental sync, pull diagnostics, hover, completion, definition and quick fixes', async () => {
    const { client } = await setup({});
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(caps.diagnosticProvider, { identifier: 'postfix-tls', interFileDependencies: true, workspaceDiagnostics: false });
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.definitionProvider, true);
    for (const ch of ['$', '{', '=']) assert.ok(caps.completionProvider?.triggerCharacters?.includes(ch), ch);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.equal(client.initializeResult.serverInfo?.name, 'postfix-tls-language-server');
    assert.equal(await client.stop(), 0);
  });
});

describe('main.cf alone', () => {
  test('pulled diagnostics: codes, severities, source, links and tags', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    const ds = await client.diagnostics(uri);
    assert.deepEqual(codes(ds), FIXTURE_MAIN_CODES);
    assert.ok(ds.every((d) => d.source === 'postfix-tls'));

    const missingEquals = byCode(ds, 'syntax.missing-equals')[0];
    assert.equal(missingEquals.severity, 1, 'error');
    assert.equal(missingEquals.range.start.line, positionOf(FIXTURE_MAIN, 'smtpd_banner').line);

    const legacy = byCode(ds, 'tls.legacy-tls-switch')[0];
    assert.equal(legacy.severity, 2, 'warning');
    assert.deepEqual(legacy.tags, [2], 'Deprecated tag');
    assert.equal(legacy.codeDescription?.href, 'https://www.postfix.org/postconf.5.html#smtpd_use_tls');

    // A misspelt name has no postconf(5) entry: the link goes to the general page.
    const typo = byCode(ds, 'postconf.unused-parameter').find((d) => d.message.includes('smtpd_tls_securty_level'));
    assert.ok(typo, 'the misspelt parameter is reported');
    assert.match(typo.codeDescription!.href, /^https:\/\//);
    assert.doesNotMatch(typo.codeDescription!.href, /#smtpd_tls_securty_level/);

    // Settings were asked for this very document.
    assert.ok(client.configurationRequests.some((r) => r.items.some((i) => i.section === 'postfixTls' && i.scopeUri === uri)));
    assert.deepEqual(client.errorLogs(), []);
  });

  test('hover explains a parameter and links to postconf(5)', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    const hover = await client.hover(uri, positionOf(FIXTURE_MAIN, FIXTURE_HOVER_AT, 3));
    assert.ok(hover, 'a hover');
    const contents = hover.contents as { kind: string; value: string };
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /https:\/\/www\.postfix\.org\/postconf\.5\.html#smtpd_use_tls/);
    assert.equal(hover.range?.start.line, positionOf(FIXTURE_MAIN, FIXTURE_HOVER_AT).line);
    // Nothing to say on a comment.
    assert.equal(await client.hover(uri, { line: 0, character: 3 }), null);
  });

  test('completion offers parameter names, values and references', async () => {
    const text = 'mydomain = example.org\nsmtpd_tls_secu\nsmtpd_tls_security_level = \nmyorigin = $my\n';
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', text);

    const names = await client.completion(uri, { line: 1, character: 'smtpd_tls_secu'.length });
    const level = names?.items.find((i) => i.label === 'smtpd_tls_security_level');
    assert.ok(level, 'parameter name offered');
    assert.equal(level.kind, 10, 'Property');

    const values = await client.completion(uri, { line: 2, character: 'smtpd_tls_security_level = '.length });
    const encrypt = values?.items.find((i) => i.label === 'encrypt');
    assert.ok(encrypt, `value offered (got ${values?.items.map((i) => i.label).join(', ')})`);
    assert.equal(encrypt.kind, 12, 'Value');

    const refs = await client.completion(uri, { line: 3, character: 'myorigin = $my'.length });
    const ref = refs?.items.find((i) => i.label === 'mydomain' || i.label === '$mydomain');
    assert.ok(ref, `reference offered (got ${refs?.items.slice(0, 20).map((i) => i.label).join(', ')})`);
    assert.equal(ref.kind, 6, 'Variable');
  });

  test('parameter-name completion is filtered by the typed word and marked incomplete', async () => {
    const text = 'smtpd_tls_exc\n\n';
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', text);
    const typed = await client.completion(uri, { line: 0, character: 'smtpd_tls_exc'.length });
    assert.ok(typed?.items.some((i) => i.label === 'smtpd_tls_exclude_ciphers'));
    assert.ok(typed!.items.every((i) => /s.*m.*t.*p.*d.*_.*t.*l.*s.*_.*e.*x.*c/i.test(i.label)), 'only matching names');
    assert.equal(typed!.isIncomplete, true);
    // Nothing typed: a capped list, still incomplete so typing asks again.
    const empty = await client.completion(uri, { line: 1, character: 0 });
    assert.ok(empty!.items.length > 0 && empty!.items.length <= 150, `${empty!.items.length} items`);
    assert.equal(empty!.isIncomplete, true);
  });

  test('definition jumps from $mydomain to its assignment', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    const locations = await client.definition(uri, positionOf(FIXTURE_MAIN, '$mydomain', 3));
    assert.deepEqual(locations, [
      { uri, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 'mydomain'.length } } },
    ]);
  });

  test('code action replaces the deprecated TLS switch; applying it clears the finding', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    const ds = await client.diagnostics(uri);
    const legacy = byCode(ds, 'tls.legacy-tls-switch')[0];
    const cursor = positionOf(FIXTURE_MAIN, 'smtpd_use_tls', 2);
    const actions = (await client.codeActions(uri, { start: cursor, end: cursor }, [legacy])) ?? [];
    const fix = actions.find((a) => a.diagnostics?.some((d) => d.code === 'tls.legacy-tls-switch'));
    assert.ok(fix, `a quick fix (got ${actions.map((a) => a.title).join(', ')})`);
    assert.equal(fix.kind, 'quickfix');
    const edits = fix.edit?.changes?.[uri];
    assert.ok(edits && edits.length > 0, 'edits for this document');

    const fixed = applyEdits(FIXTURE_MAIN, edits);
    assert.match(fixed, /^smtpd_tls_security_level = may$/m);
    await client.change(uri, [{ text: fixed }]);
    const after = await client.diagnostics(uri);
    assert.deepEqual(byCode(after, 'tls.legacy-tls-switch'), []);
    // Only fixes for the range: nothing offered on the comment line.
    assert.deepEqual(await client.codeActions(uri, { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }), []);
  });

  test('incremental changes are applied and re-validated', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    assert.equal(byCode(await client.diagnostics(uri), 'syntax.missing-equals').length, 1);
    // Insert the missing '=' after "smtpd_banner".
    const at = positionOf(FIXTURE_MAIN, 'smtpd_banner', 'smtpd_banner'.length);
    await client.change(uri, [{ range: { start: at, end: at }, text: ' =' }]);
    const ds = await client.diagnostics(uri);
    assert.deepEqual(byCode(ds, 'syntax.missing-equals'), []);
    // Misspell a name on a line that was fine: a second incremental edit in the same document.
    const line = positionOf(FIXTURE_MAIN, 'myorigin').line;
    await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 'myorigin'.length } }, text: 'myorigni' }]);
    const again = await client.diagnostics(uri);
    assert.ok(byCode(again, 'postconf.unused-parameter').some((d) => d.message.includes("'myorigni'")));
    const hover = await client.hover(uri, positionOf(FIXTURE_MAIN, 'smtpd_banner', 2));
    assert.ok(hover, 'the edited document still hovers');
  });

  test('cancelled requests are answered and the server keeps serving', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    const source = new CancellationTokenSource();
    const pending = client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
    source.cancel();
    try {
      await pending;
    } catch (error) {
      assert.ok(error instanceof ResponseError, String(error));
      assert.equal(error.code, -32800, 'RequestCancelled');
    }
    assert.deepEqual(codes(await client.diagnostics(uri)), FIXTURE_MAIN_CODES);
  });

  test('an edit during the settings round trip: the stale answer is cancelled with retrigger', async () => {
    const { dir, client } = await setup({});
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    // Hold back the settings answer until an edit has been sent after the request.
    let asked = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    client.conn.onRequest('workspace/configuration', async (p: { items: unknown[] }) => {
      asked = true;
      await gate;
      return p.items.map(() => ({}));
    });
    const pending = client.pull(uri);
    await client.waitUntil(() => asked, 'the workspace/configuration request');
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    release();
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, -32802, 'ServerCancelled');
      assert.deepEqual(error.data, { retriggerRequest: true });
      return true;
    });
    // The retriggered pull sees the new text.
    const ds = await client.diagnostics(uri);
    assert.equal(byCode(ds, 'syntax.missing-equals')[0].range.start.line, positionOf(FIXTURE_MAIN, 'smtpd_banner').line + 1);
  });
});

describe('settings', () => {
  test('levels per resource; didChangeConfiguration refreshes and the new levels apply', async () => {
    let levels: Record<string, string> = {};
    const { dir, client } = await setup({}, { settings: () => ({ diagnostics: { levels } }) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    assert.deepEqual(codes(await client.diagnostics(uri)), FIXTURE_MAIN_CODES);

    levels = { 'postconf.unused-parameter': 'off', 'syntax.missing-equals': 'hint', 'no.such-code': 'bogus' };
    const refreshes = client.refreshRequests;
    const asked = client.configurationRequests.length;
    await client.changeConfiguration();
    await client.waitUntil(() => client.refreshRequests > refreshes, 'workspace/diagnostic/refresh');
    const ds = await client.diagnostics(uri);
    assert.ok(client.configurationRequests.length > asked, 'settings are read again after the change');
    assert.deepEqual(codes(ds), ['syntax.missing-equals', 'tls.legacy-tls-switch']);
    assert.equal(byCode(ds, 'syntax.missing-equals')[0].severity, 4, 'hint');
  });

  test('settings are per document: two folders, two Postfix versions', async () => {
    const old = tempFolder({});
    const cur = tempFolder({});
    dirs.push(old, cur);
    const client = await TestClient.start({
      settings: (scope) => ({ postfixVersion: scope?.startsWith(fileUri(old)) ? '3.5' : '3.10' }),
    });
    clients.push(client);
    const oldUri = fileUri(path.join(old, 'master.cf'));
    const curUri = fileUri(path.join(cur, 'master.cf'));
    await client.open(oldUri, 'postfix-master', FIXTURE_MASTER);
    await client.open(curUri, 'postfix-master', FIXTURE_MASTER);
    // Before 3.6 'none' really turns ECDHE off; from 3.9 the parameter is deprecated.
    assert.ok(codes(await client.diagnostics(oldUri)).includes('fs.eecdh-grade-none'));
    assert.ok(codes(await client.diagnostics(curUri)).includes('fs.eecdh-grade-deprecated'));
  });

  test('invalid settings fall back to the defaults field by field', async () => {
    const { dir, client } = await setup(
      {},
      { settings: () => ({ postfixVersion: 'latest', profile: 'paranoid', opensslVersion: 3, diagnostics: { levels: 'all' } }) },
    );
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    assert.deepEqual(codes(await client.diagnostics(uri)), FIXTURE_MAIN_CODES);
  });

  test('a client that answers null for the section falls back to initializationOptions.postfixTls', async () => {
    const { dir, client } = await setup({}, { settings: () => null, initializationOptions: { postfixTls: { postfixVersion: '3.5' } } });
    const uri = fileUri(path.join(dir, 'master.cf'));
    await client.open(uri, 'postfix-master', FIXTURE_MASTER);
    assert.ok(codes(await client.diagnostics(uri)).includes('fs.eecdh-grade-none'));
    assert.ok(client.configurationRequests.length > 0, 'it was asked first');
  });

  test('a client without workspace/configuration gets the defaults and is never asked', async () => {
    const { dir, client } = await setup({}, { configuration: false });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    assert.deepEqual(codes(await client.diagnostics(uri)), FIXTURE_MAIN_CODES);
    assert.ok(await client.hover(uri, positionOf(FIXTURE_MAIN, FIXTURE_HOVER_AT, 1)));
    assert.equal(client.configurationRequests.length, 0);
  });
});

describe('main.cf and master.cf together', () => {
  test('master.cf on disk counts when only main.cf is open', async () => {
    const { dir, client } = await setup({ 'master.cf': FIXTURE_MASTER }, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    const ds = await client.diagnostics(uri);
    // mua_client_restrictions is used by the submission service now.
    assert.deepEqual(
      byCode(ds, 'postconf.unused-parameter').map((d) => d.range.start.line),
      [positionOf(FIXTURE_MAIN, 'smtpd_tls_securty_level').line],
    );
  });

  test('-o overrides are checked; editing one file re-validates the other', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const mainUri = fileUri(path.join(dir, 'main.cf'));
    const masterUri = fileUri(path.join(dir, 'master.cf'));
    await client.open(mainUri, 'postfix-main', FIXTURE_MAIN);
    await client.open(masterUri, 'postfix-master', FIXTURE_MASTER);

    const master = await client.diagnostics(masterUri);
    const grade = byCode(master, 'fs.eecdh-grade-deprecated');
    assert.equal(grade.length, 1);
    assert.equal(grade[0].range.start.line, positionOf(FIXTURE_MASTER, 'smtpd_tls_eecdh_grade').line);
    assert.equal(grade[0].codeDescription?.href, 'https://www.postfix.org/postconf.5.html#smtpd_tls_eecdh_grade');
    assert.equal(byCode(await client.diagnostics(mainUri), 'postconf.unused-parameter').length, 1);

    // Drop the override that uses $mua_client_restrictions: main.cf must be re-validated.
    const refreshes = client.refreshRequests;
    const line = positionOf(FIXTURE_MASTER, '-o smtpd_client_restrictions').line;
    await client.change(masterUri, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);
    await client.waitUntil(() => client.refreshRequests > refreshes, 'workspace/diagnostic/refresh');
    const main = await client.diagnostics(mainUri);
    assert.ok(byCode(main, 'postconf.unused-parameter').some((d) => d.message.includes('mua_client_restrictions')));

    // The open (unsaved) master.cf wins over the file on disk.
    writeFileSync(path.join(dir, 'master.cf'), FIXTURE_MASTER);
    assert.ok(byCode(await client.diagnostics(mainUri), 'postconf.unused-parameter').some((d) => d.message.includes('mua_client_restrictions')));

    // Closing master.cf: main.cf reads it from disk again.
    await client.close(masterUri);
    assert.equal(byCode(await client.diagnostics(mainUri), 'postconf.unused-parameter').length, 1);
  });

  test('definition from a master.cf override to the main.cf setting', async () => {
    const main = 'smtpd_client_restrictions = permit_mynetworks, reject\n';
    const { dir, client } = await setup({ 'main.cf': main }, { settings: () => ({}) });
    const masterUri = fileUri(path.join(dir, 'master.cf'));
    const master = 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=reject\n';
    await client.open(masterUri, 'postfix-master', master);
    const locations = await client.definition(masterUri, positionOf(master, 'smtpd_client_restrictions', 4));
    assert.deepEqual(locations, [
      { uri: fileUri(path.join(dir, 'main.cf')), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 'smtpd_client_restrictions'.length } } },
    ]);
  });
});

describe('DH parameter files and workspace trust', () => {
  const MAIN_DH = 'smtpd_tls_dh1024_param_file = ${config_directory}/missing-dh.pem\n';

  test('a missing file is reported with a command fix the client runs', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}), initializationOptions: { clientCommands: ['postfixTls.generateDhParams'] } });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', MAIN_DH);
    const ds = await client.diagnostics(uri);
    const missing = byCode(ds, 'fs.dh-file-missing');
    assert.equal(missing.length, 1, `got ${codes(ds).join(', ')}`);
    assert.ok(missing[0].message.includes(path.join(dir, 'missing-dh.pem')), missing[0].message);
    const cursor = positionOf(MAIN_DH, 'missing-dh');
    const actions = (await client.codeActions(uri, { start: cursor, end: cursor })) ?? [];
    const generate = actions.find((a) => a.command?.command === 'postfixTls.generateDhParams');
    assert.ok(generate, `generate command offered (got ${actions.map((a) => a.title).join(', ')})`);
    assert.equal(generate.kind, 'quickfix');
    assert.equal(generate.edit, undefined);
  });

  test('a client that declares no commands is not offered the command-only fix', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', MAIN_DH);
    const ds = await client.diagnostics(uri);
    assert.equal(byCode(ds, 'fs.dh-file-missing').length, 1, `got ${codes(ds).join(', ')}`);
    const cursor = positionOf(MAIN_DH, 'missing-dh');
    const actions = (await client.codeActions(uri, { start: cursor, end: cursor })) ?? [];
    assert.deepEqual(actions.filter((a) => a.command !== undefined), []);
    assert.equal(actions.find((a) => a.title.startsWith('Generate DH')), undefined);
    // Fixes with edits on the same line are still offered.
    assert.ok(actions.every((a) => a.edit !== undefined), `got ${actions.map((a) => a.title).join(', ')}`);
  });

  test('untrusted: files are not read until the client says the workspace is trusted', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}), initializationOptions: { trusted: false } });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', MAIN_DH);
    const before = await client.diagnostics(uri);
    assert.deepEqual(byCode(before, 'fs.dh-file-missing'), []);
    assert.ok(codes(before).includes('fs.dh1024-deprecated'), 'checks that need no file still run');

    const refreshes = client.refreshRequests;
    await client.conn.sendNotification('postfixTls/setTrusted', { trusted: true });
    await client.waitUntil(() => client.refreshRequests > refreshes, 'workspace/diagnostic/refresh');
    assert.equal(byCode(await client.diagnostics(uri), 'fs.dh-file-missing').length, 1);
  });
});

describe('lifecycle', () => {
  test('shutdown then exit ends the process with code 0', async () => {
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    await client.diagnostics(uri);
    assert.equal(await client.stop(), 0);
  });
});

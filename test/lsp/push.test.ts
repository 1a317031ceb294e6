/**
 * The PUSH model: a client without `textDocument.diagnostic` (Neovim before 0.10, Eglot) and
 * without `workspace/configuration` receives textDocument/publishDiagnostics, with settings
 * from initializationOptions or didChangeConfiguration, or the defaults.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { codes, fileUri, positionOf, serverFixture, TestClient, type ClientOptions } from './harness';
import { FIXTURE_MAIN, FIXTURE_MAIN_CODES, FIXTURE_MASTER } from './fixtures';

const { start } = serverFixture();

const PUSH: ClientOptions = { pull: false, configuration: false, refresh: false };

function setup(options: ClientOptions = PUSH, files: Record<string, string> = {}): Promise<{ dir: string; client: TestClient }> {
  return start(files, options);
}

const unusedNames = (p: PublishDiagnosticsParams) =>
  p.diagnostics.filter((d) => d.code === 'postconf.unused-parameter').map((d) => /'([a-z_]+)'/.exec(d.message)?.[1]);

describe('push diagnostics', () => {
  test('published on open, with the document version; the defaults apply', async () => {
    const { dir, client } = await setup();
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    const p = await client.waitForPublished(uri, (x) => x.diagnostics.length > 0, 'diagnostics for main.cf');
    assert.equal(p.version, 1);
    assert.deepEqual(codes(p.diagnostics), FIXTURE_MAIN_CODES);
    assert.ok(p.diagnostics.every((d) => d.source === 'postfix-tls' && d.codeDescription?.href));
    assert.equal(client.configurationRequests.length, 0);
    // Pull is not used, but a client may still ask: the answer is the same.
    assert.deepEqual(codes(await client.diagnostics(uri)), FIXTURE_MAIN_CODES);
  });

  test('republished after an incremental change, for the new version', async () => {
    const { dir, client } = await setup();
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    await client.waitForPublished(uri, (x) => x.version === 1, 'first publish');
    const at = positionOf(FIXTURE_MAIN, 'smtpd_banner', 'smtpd_banner'.length);
    const version = await client.change(uri, [{ range: { start: at, end: at }, text: ' =' }]);
    const p = await client.waitForPublished(uri, (x) => x.version === version, 'publish for the edit');
    assert.ok(!codes(p.diagnostics).includes('syntax.missing-equals'));
  });

  test('main.cf and master.cf: opening or editing one republishes the other', async () => {
    const { dir, client } = await setup();
    const mainUri = fileUri(path.join(dir, 'main.cf'));
    const masterUri = fileUri(path.join(dir, 'master.cf'));
    await client.open(mainUri, 'postfix-main', FIXTURE_MAIN);
    await client.waitForPublished(mainUri, (x) => unusedNames(x).includes('mua_client_restrictions'), 'mua_client_restrictions unused');

    await client.open(masterUri, 'postfix-master', FIXTURE_MASTER);
    const master = await client.waitForPublished(masterUri, (x) => x.diagnostics.length > 0, 'master.cf diagnostics');
    assert.ok(codes(master.diagnostics).includes('fs.eecdh-grade-deprecated'));
    await client.waitForPublished(mainUri, (x) => !unusedNames(x).includes('mua_client_restrictions'), 'main.cf republished');

    const line = positionOf(FIXTURE_MASTER, '-o smtpd_client_restrictions').line;
    await client.change(masterUri, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);
    await client.waitForPublished(mainUri, (x) => unusedNames(x).includes('mua_client_restrictions'), 'main.cf republished after the edit');

    await client.close(masterUri);
    await client.waitForPublished(masterUri, (x) => x.diagnostics.length === 0, 'cleared on close');
  });

  test('settings pushed with didChangeConfiguration apply to every open document', async () => {
    const { dir, client } = await setup();
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', FIXTURE_MAIN);
    await client.waitForPublished(uri, (x) => codes(x.diagnostics).includes('postconf.unused-parameter'), 'first publish');
    await client.changeConfiguration({ postfixTls: { diagnostics: { levels: { 'postconf.unused-parameter': 'off' } } } });
    const p = await client.waitForPublished(uri, (x) => !codes(x.diagnostics).includes('postconf.unused-parameter'), 'republish');
    assert.deepEqual(codes(p.diagnostics), ['syntax.missing-equals', 'tls.legacy-tls-switch']);
  });

  test('settings from initializationOptions.postfixTls', async () => {
    const { dir, client } = await setup({ ...PUSH, initializationOptions: { postfixTls: { postfixVersion: '3.5' } } });
    const uri = fileUri(path.join(dir, 'master.cf'));
    await client.open(uri, 'postfix-master', FIXTURE_MASTER);
    const p = await client.waitForPublished(uri, (x) => x.diagnostics.length > 0, 'master.cf diagnostics');
    assert.ok(codes(p.diagnostics).includes('fs.eecdh-grade-none'), codes(p.diagnostics).join(', '));
  });

  test('a push client that answers workspace/configuration gets settings per document', async () => {
    const { dir, client } = await setup({ pull: false, configuration: true, settings: () => ({ postfixVersion: '3.5' }) });
    const uri = fileUri(path.join(dir, 'master.cf'));
    await client.open(uri, 'postfix-master', FIXTURE_MASTER);
    const p = await client.waitForPublished(uri, (x) => x.diagnostics.length > 0, 'master.cf diagnostics');
    assert.ok(codes(p.diagnostics).includes('fs.eecdh-grade-none'));
    assert.ok(client.configurationRequests.some((r) => r.items.some((i) => i.scopeUri === uri)));
    assert.equal(await client.stop(), 0);
  });
});

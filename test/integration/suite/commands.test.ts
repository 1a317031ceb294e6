/**
 * The forward-secrecy commands in a real VS Code: Explain Cipher…, Show Effective TLS
 * Settings, Insert Recommended TLS Settings, Generate DH Parameters… (RFC 7919 group, a real
 * 2048-bit prime from openssl, cancellation with a stand-in openssl that never finishes, a
 * missing openssl). Modal questions cannot be answered from a test, so every command is given
 * the arguments that pre-answer them (documented in client/commands/*.ts).
 *
 * The suite works on its own copies in a temp folder (the shared fixtures workspace stays as it
 * is) and resets every setting it changes.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor, workspaceFile } from '../util';

const MAIN_CF = [
  '# commands suite',
  'smtpd_tls_chain_files = /etc/ssl/private/mail.pem',
  'smtpd_tls_security_level = none',
  'smtpd_tls_dh1024_param_file = ${config_directory}/dh1024.pem',
  'smtpd_tls_protocols = !SSLv2,',
  '    !SSLv3',
  'smtp_tls_security_level = may',
  '',
].join('\n');

const MASTER_CF = [
  'smtp      inet  n       -       y       -       -       smtpd',
  'submission inet n       -       y       -       -       smtpd',
  '  -o smtpd_tls_security_level=encrypt',
  '  -o smtpd_tls_mandatory_exclude_ciphers=kRSA',
  'smtps     inet  n       -       y       -       -       smtpd',
  '  -o smtpd_tls_wrappermode=yes',
  'smtp      unix  -       -       y       -       -       smtp',
  '',
].join('\n');

/** An openssl stand-in that writes part of its output, then waits until it is killed. */
const SLOW_OPENSSL = '#!/bin/sh\nif [ "$1" = "dhparam" ] && [ "$2" = "-out" ]; then printf "%s\\n" "-----BEGIN DH PARAMETERS-----" > "$3"; fi\nexec sleep 3600\n';

type DhResult = { kind: string; path?: string; bits?: number; mainCfUpdated?: boolean; value?: string; message?: string };

suite('commands', () => {
  let dir = '';
  let mainUri: vscode.Uri;

  const countLines = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix)).length;

  suiteSetup(async () => {
    await activateExtension();
    dir = mkdtempSync(path.join(tmpdir(), 'pftls-commands-'));
    writeFileSync(path.join(dir, 'main.cf'), MAIN_CF);
    writeFileSync(path.join(dir, 'master.cf'), MASTER_CF);
    mainUri = vscode.Uri.file(path.join(dir, 'main.cf'));
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('postfixTls').update('opensslPath', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the four commands are registered', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['postfixTls.generateDhParams', 'postfixTls.insertRecommendedSettings', 'postfixTls.showEffectiveSettings', 'postfixTls.explainCipher']) {
      assert.ok(all.has(id), `command ${id} is registered`);
    }
  });

  test('Explain Cipher: result and the Markdown view', async () => {
    const r = await vscode.commands.executeCommand<{ forwardSecrecy: string; keyExchange: string }>('postfixTls.explainCipher', { input: 'ECDHE-RSA-AES256-GCM-SHA384', show: false });
    assert.equal(r?.forwardSecrecy, 'yes');
    assert.equal(r?.keyExchange, 'ECDHE');
    const shown = await vscode.commands.executeCommand<{ forwardSecrecy: string; uri: vscode.Uri }>('postfixTls.explainCipher', 'AES256-SHA');
    assert.equal(shown?.forwardSecrecy, 'no');
    const doc = await vscode.workspace.openTextDocument(shown.uri);
    assert.match(doc.getText(), /\*\*Forward secrecy: no\*\*/);
    const line = 'Nov 28 10:00:00 mx postfix/smtp[1]: Verified TLS connection established to mx.example.net[192.0.2.2]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256';
    const fromLine = await vscode.commands.executeCommand<{ forwardSecrecy: string; keyExchange: string; protocol: string }>('postfixTls.explainCipher', { input: line, show: false });
    assert.deepEqual([fromLine?.forwardSecrecy, fromLine?.keyExchange, fromLine?.protocol], ['yes', 'X25519', 'TLSv1.3']);
  });

  test('Show Effective TLS Settings: verdicts per service in a read-only document', async () => {
    const r = await vscode.commands.executeCommand<{ uri: vscode.Uri; report: { verdicts: { id: string; fs: string; tlsLevel: string }[] } }>('postfixTls.showEffectiveSettings', { uri: mainUri, postfixVersion: '3.10' });
    assert.ok(r, 'the command returns the report');
    const byId = new Map(r.report.verdicts.map((v) => [v.id, v]));
    assert.equal(byId.get('smtp/inet')?.fs, 'never'); // smtpd_tls_security_level = none
    assert.equal(byId.get('submission/inet')?.fs, 'always'); // encrypt + kRSA excluded
    assert.equal(byId.get('smtps/inet')?.tlsLevel, 'wrapper');
    assert.equal(byId.get('smtp/unix')?.fs, 'when-supported');
    const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.uri.toString() === r.uri.toString() ? vscode.window.activeTextEditor : undefined), { message: 'the effective settings view' });
    const text = editor.document.getText();
    assert.match(text, /# Effective TLS settings/);
    assert.match(text, /## Forward secrecy per service/);
    assert.match(text, /smtpd\\_tls\\_security\\_level/);
    // Read-only: the view cannot be edited into a file.
    assert.notEqual(editor.document.uri.scheme, 'file');
    // From the workspace's own main.cf too (master.cf beside it).
    const w = await vscode.commands.executeCommand<{ report: { verdicts: { id: string }[] } }>('postfixTls.showEffectiveSettings', { uri: workspaceFile('main.cf'), show: false });
    assert.ok(w?.report.verdicts.some((v) => v.id === 'submission/inet'));
  });

  test('Insert Recommended TLS Settings: one undoable edit, no duplicates', async () => {
    const doc = await vscode.workspace.openTextDocument(mainUri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const before = doc.getText();
    const r = await vscode.commands.executeCommand<{ applied: string[]; edits: { name: string }[] }>('postfixTls.insertRecommendedSettings', {
      uri: mainUri,
      profile: 'mozilla-intermediate',
      postfixVersion: '3.10',
      apply: true,
    });
    assert.ok(r && r.applied.length > 0, 'changes were applied');
    assert.ok(r.applied.includes('smtpd_tls_security_level'));
    assert.ok(r.applied.includes('smtpd_tls_protocols'));
    const after = doc.getText();
    assert.equal(countLines(after, 'smtpd_tls_security_level'), 1);
    assert.equal(countLines(after, 'smtpd_tls_protocols'), 1);
    assert.match(after, /^smtpd_tls_security_level = may$/m);
    assert.match(after, /^smtpd_tls_protocols = >=TLSv1\.2$/m);
    assert.match(after, /^smtpd_tls_mandatory_exclude_ciphers = kRSA$/m);
    // Running it again finds nothing left to do.
    const again = await vscode.commands.executeCommand<{ edits: unknown[] }>('postfixTls.insertRecommendedSettings', { uri: mainUri, profile: 'mozilla-intermediate', postfixVersion: '3.10', apply: true });
    assert.equal(again?.edits.length, 0);
    // One undo restores the file as it was.
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === before, { message: 'undo to restore main.cf' });
  });

  test('Generate DH Parameters: RFC 7919 group, main.cf updated in place', async () => {
    const r = await vscode.commands.executeCommand<DhResult>('postfixTls.generateDhParams', { mainCf: mainUri, bits: 'ffdhe2048', updateMainCf: true, overwrite: true, quiet: true });
    assert.equal(r?.kind, 'written', JSON.stringify(r));
    const file = path.join(dir, 'ffdhe2048.pem');
    assert.equal(r.path, file);
    assert.match(readFileSync(file, 'utf8'), /^-----BEGIN DH PARAMETERS-----\n[\s\S]+-----END DH PARAMETERS-----\n$/);
    assert.equal(r.mainCfUpdated, true);
    const doc = await vscode.workspace.openTextDocument(mainUri);
    const text = doc.getText();
    assert.equal(countLines(text, 'smtpd_tls_dh1024_param_file'), 1);
    assert.match(text, /^smtpd_tls_dh1024_param_file = \$\{config_directory\}\/ffdhe2048\.pem$/m);
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
    // An existing file is kept when the caller says so.
    const kept = await vscode.commands.executeCommand<DhResult>('postfixTls.generateDhParams', { mainCf: mainUri, bits: 'ffdhe2048', overwrite: false, updateMainCf: false });
    assert.equal(kept?.kind, 'kept-existing');
  });

  test('Generate DH Parameters: a real 2048-bit prime from openssl', async function () {
    this.timeout(600_000); // openssl dhparam 2048 usually takes seconds, sometimes minutes
    const folder = mkdtempSync(path.join(tmpdir(), 'pftls-dh-'));
    try {
      const r = await vscode.commands.executeCommand<DhResult>('postfixTls.generateDhParams', { folder: vscode.Uri.file(folder), bits: 2048, updateMainCf: false, quiet: true });
      assert.equal(r?.kind, 'written', JSON.stringify(r));
      assert.deepEqual(readdirSync(folder), ['dh2048.pem']);
      assert.match(readFileSync(path.join(folder, 'dh2048.pem'), 'utf8'), /BEGIN DH PARAMETERS/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('Generate DH Parameters: cancelling stops openssl and leaves nothing behind', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'pftls-dh-'));
    const bin = mkdtempSync(path.join(tmpdir(), 'pftls-bin-'));
    const slow = path.join(bin, 'slow-openssl');
    writeFileSync(slow, SLOW_OPENSSL);
    chmodSync(slow, 0o755);
    const cts = new vscode.CancellationTokenSource();
    try {
      await vscode.workspace.getConfiguration('postfixTls').update('opensslPath', slow, vscode.ConfigurationTarget.Global);
      const pending = vscode.commands.executeCommand<DhResult>('postfixTls.generateDhParams', { folder: folder, bits: 2048, updateMainCf: false, token: cts.token });
      await waitFor(() => existsSync(path.join(folder, 'dh2048.tmp')), { message: 'the stand-in openssl to start writing dh2048.tmp' });
      cts.cancel();
      const r = await pending;
      assert.equal(r?.kind, 'cancelled');
      assert.deepEqual(readdirSync(folder), []);
    } finally {
      cts.dispose();
      await vscode.workspace.getConfiguration('postfixTls').update('opensslPath', undefined, vscode.ConfigurationTarget.Global);
      rmSync(folder, { recursive: true, force: true });
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test('Generate DH Parameters: a missing openssl is a clear error', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'pftls-dh-'));
    try {
      await vscode.workspace.getConfiguration('postfixTls').update('opensslPath', path.join(folder, 'no-openssl-here'), vscode.ConfigurationTarget.Global);
      const r = await vscode.commands.executeCommand<DhResult>('postfixTls.generateDhParams', { folder: folder, bits: 2048, updateMainCf: false });
      assert.equal(r?.kind, 'error');
      assert.match(r.message ?? '', /not found/);
      assert.match(r.message ?? '', /postfixTls\.opensslPath/);
      assert.deepEqual(readdirSync(folder), []);
    } finally {
      await vscode.workspace.getConfiguration('postfixTls').update('opensslPath', undefined, vscode.ConfigurationTarget.Global);
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

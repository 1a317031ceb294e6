/**
 * Mail-log editor features inside a real VS Code: badges (read back through the test-only
 * command postfixTls.test.decorations), hovers, the status bar, settings, Treat File as Postfix
 * Log, Received: headers in .eml files, and visible-range-only decoration of a long log.
 * Fixtures: test/integration/workspace/mail.log and message.eml (a copy per run).
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, openEditor, waitFor, workspaceFile } from '../util';
import { classifyLine } from '../../../core/log/classify';
import { hoverLog } from '../../../core/features/log-hover';

interface AppliedBadge {
  line: number;
  outcome: 'fs' | 'no-fs' | 'failure' | 'unknown';
  text: string;
}

interface TestApi {
  test: {
    clientState(): string | undefined;
    statusBar(): { text: string; tooltip: string } | undefined;
    rulerMarks(uri: vscode.Uri): { noFs: number[]; failure: number[]; complete: boolean } | undefined;
    largeFileNotices(): string[];
  };
}

/** What the fixture mail.log must show (line -> outcome and badge text with default settings). */
const MAIL_LOG_BADGES: AppliedBadge[] = [
  { line: 1, outcome: 'fs', text: 'FS ✓ X25519 · Anonymous' },
  { line: 6, outcome: 'fs', text: 'FS ✓ ECDHE · Anonymous' },
  { line: 7, outcome: 'fs', text: 'FS ✓ ECDHE · Untrusted' },
  { line: 9, outcome: 'no-fs', text: 'no FS · RSA key exchange · Untrusted' },
  { line: 11, outcome: 'fs', text: 'FS ✓ DHE · Anonymous' },
  { line: 12, outcome: 'fs', text: 'FS ✓ X25519 · Verified' },
  { line: 13, outcome: 'failure', text: '✗ TLS protocol mismatch' },
  { line: 14, outcome: 'failure', text: '✗ TLS handshake failed' },
  { line: 15, outcome: 'failure', text: '✗ lost connection after STARTTLS' },
  { line: 16, outcome: 'no-fs', text: 'no FS · RSA key exchange · Trusted' },
];

function decorations(uri?: vscode.Uri): Thenable<AppliedBadge[]> {
  return vscode.commands.executeCommand<AppliedBadge[]>('postfixTls.test.decorations', uri);
}

/** Polls the applied badges until `pred` holds. */
function waitForBadges(uri: vscode.Uri, pred: (b: AppliedBadge[]) => boolean, message: string): Promise<AppliedBadge[]> {
  return waitFor(async () => {
    const b = await decorations(uri);
    return pred(b) ? b : undefined;
  }, { message });
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function setLogSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('postfixTls.logs').update(key, value, vscode.ConfigurationTarget.Global);
}

const LOG_SETTINGS = ['decorations', 'badge.showKeyExchange', 'badge.showStatus', 'badge.showProtocol', 'overviewRuler', 'hover', 'statusBar'];

suite('mail log features', () => {
  let api: TestApi;
  /** Whether a main.cf/master.cf was open when this suite started (other suites may run first). */
  let serverDocsBefore = false;
  let stateBefore: string | undefined;

  suiteSetup(async () => {
    serverDocsBefore = vscode.workspace.textDocuments.some((d) => d.languageId === 'postfix-main' || d.languageId === 'postfix-master');
    api = (await activateExtension()).exports as TestApi;
    stateBefore = api.test.clientState();
  });

  teardown(async () => {
    for (const key of LOG_SETTINGS) await setLogSetting(key, undefined);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Files this suite wrote into the (per-run copy of the) workspace.
    await vscode.workspace.fs.delete(workspaceFile('client-tests'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('mail.log gets FS / no FS / failure badges on the right lines', async () => {
    const editor = await openEditor('mail.log');
    assert.strictEqual(editor.document.languageId, 'postfix-log');
    const badges = await waitForBadges(editor.document.uri, (b) => b.length >= MAIL_LOG_BADGES.length, 'badges on mail.log');
    assert.deepStrictEqual(badges, MAIL_LOG_BADGES);
  });

  test('overview ruler marks lines without FS and failures over the whole log', async () => {
    const editor = await openEditor('mail.log');
    const marks = await waitFor(() => {
      const m = api.test.rulerMarks(editor.document.uri);
      return m?.complete ? m : undefined;
    }, { message: 'ruler marks on mail.log' });
    assert.deepStrictEqual(marks.noFs, [9, 16]);
    assert.deepStrictEqual(marks.failure, [13, 14, 15]);

    await setLogSetting('overviewRuler', false);
    await waitFor(async () => {
      await decorations(editor.document.uri); // re-renders now
      return api.test.rulerMarks(editor.document.uri) === undefined;
    }, { message: 'ruler marks to go away' });
  });

  test('a log-only session does not start the language server', () => {
    // Only meaningful when no suite opened a main.cf/master.cf before this one.
    if (!serverDocsBefore && stateBefore === undefined) assert.strictEqual(api.test.clientState(), undefined);
  });

  test('the log hover explains the line under the cursor', async () => {
    const editor = await openEditor('mail.log');
    const doc = editor.document;
    for (const line of [9, 14]) {
      const expected = hoverLog(classifyLine(doc.lineAt(line).text));
      assert.ok(expected.length > 0);
      const text = await waitFor(async () => {
        const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 20)));
        return t.includes(expected) ? t : undefined;
      }, { message: `the hover on line ${line + 1}` });
      assert.ok(text.includes(expected));
    }
    // Lines that are not about TLS get no hover from us.
    const none = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 20)));
    assert.strictEqual(none.trim(), '');
  });

  test('the status bar shows the forward-secrecy share of the active log', async () => {
    await openEditor('mail.log');
    // 5 of the 7 connections are forward secret: inbound 3 of 3, outbound 2 of 4.
    const status = await waitFor(() => {
      const s = api.test.statusBar();
      return s && !s.text.includes('sync~spin') ? s : undefined;
    }, { message: 'the status bar item' });
    assert.strictEqual(status.text, 'FS 71% (5/7)');
    assert.match(status.tooltip, /Inbound.*: 100% forward secret \(3 of 3\)/);
    assert.match(status.tooltip, /Outbound.*: 50% forward secret \(2 of 4\)/);
    assert.match(status.tooltip, /TLS failures: 3/);

    await setLogSetting('statusBar', false);
    await waitFor(() => api.test.statusBar() === undefined, { message: 'the status bar item to hide' });
  });

  test('badge settings change the badge text', async () => {
    const editor = await openEditor('mail.log');
    const uri = editor.document.uri;
    await setLogSetting('badge.showProtocol', true);
    await setLogSetting('badge.showStatus', false);
    await setLogSetting('badge.showKeyExchange', false);
    const badges = await waitForBadges(uri, (b) => b.some((x) => x.line === 1 && x.text === 'FS ✓ · TLSv1.3'), 'badges with protocol, without status');
    assert.strictEqual(badges.find((x) => x.line === 9)?.text, 'no FS · TLSv1');

    await setLogSetting('decorations', false);
    await waitForBadges(uri, (b) => b.length === 0, 'no badges when decorations are off');
    await setLogSetting('decorations', undefined);
    await waitForBadges(uri, (b) => b.length === MAIL_LOG_BADGES.length, 'badges back');
  });

  test('the hover setting turns the log hover off', async () => {
    const editor = await openEditor('mail.log');
    await setLogSetting('hover', false);
    const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(9, 20)));
    assert.strictEqual(t.trim(), '');
  });

  test('folded Received: headers in an .eml get badges and hovers', async () => {
    const editor = await openEditor('message.eml');
    const doc = editor.document;
    assert.strictEqual(doc.languageId, 'email');
    const badges = await waitForBadges(doc.uri, (b) => b.length >= 2, 'badges on message.eml');
    assert.deepStrictEqual(
      badges.map((b) => [b.line, b.outcome]),
      [
        [2, 'fs'],
        [8, 'no-fs'],
      ],
    );
    // Hovering a continuation line of the first header explains the whole header.
    const t = await waitFor(async () => {
      const h = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(4, 10)));
      return h.trim() ? h : undefined;
    }, { message: 'a hover on the folded header' });
    assert.match(t, /X25519/);
  });

  test('Treat File as Postfix Log switches the language and decorates', async () => {
    await vscode.workspace.fs.createDirectory(workspaceFile('client-tests'));
    const uri = workspaceFile('client-tests', 'captured-output.txt');
    const lines = ['some text before', 'Feb 18 20:17:22 mail postfix/smtpd[9166]: Anonymous TLS connection established from unknown[192.0.2.12]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)', ''];
    await vscode.workspace.fs.writeFile(uri, Buffer.from(lines.join('\n'), 'utf8'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    assert.notStrictEqual(doc.languageId, 'postfix-log');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString(), { message: 'the .txt editor' });
    await vscode.commands.executeCommand('postfixTls.treatAsLog');
    const switched = await waitFor(
      () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'postfix-log'),
      { message: 'the language to become postfix-log' },
    );
    assert.strictEqual(switched.languageId, 'postfix-log');
    const badges = await waitForBadges(uri, (b) => b.length === 1, 'a badge after the switch');
    assert.deepStrictEqual(badges, [{ line: 1, outcome: 'fs', text: 'FS ✓ ECDHE · Anonymous' }]);
  });

  test('a file too large for extensions gets a one-time notice', async () => {
    await vscode.workspace.fs.createDirectory(workspaceFile('client-tests'));
    const uri = workspaceFile('client-tests', 'huge.log');
    const line = Buffer.from('Jan 27 07:10:11 mx postfix/smtp[28001]: Untrusted TLS connection established to b.example[192.0.2.2]:25: TLSv1 with cipher AES256-SHA (256/256 bits)\n');
    const size = 51 * 1024 * 1024;
    const buf = Buffer.alloc(size);
    for (let off = 0; off < size; off += line.length) line.copy(buf, off);
    await vscode.workspace.fs.writeFile(uri, buf);
    await vscode.commands.executeCommand('vscode.open', uri);
    await waitFor(() => api.test.largeFileNotices().includes(uri.toString()), { message: 'the large-file notice' });
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'VS Code gave us no document');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(uri);
  });

  test('a long log: only lines near the visible range are decorated; the share counts all', async () => {
    const total = 20_000;
    const fs = 'Jan 27 07:21:56 mx postfix/smtp[28120]: Verified TLS connection established to a.example[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519';
    const noFs = 'Jan 27 07:10:11 mx postfix/smtp[28001]: Untrusted TLS connection established to b.example[192.0.2.2]:25: TLSv1 with cipher AES256-SHA (256/256 bits)';
    const text = Array.from({ length: total }, (_, i) => (i % 4 === 3 ? noFs : fs)).join('\n') + '\n';
    await vscode.workspace.fs.createDirectory(workspaceFile('client-tests'));
    const uri = workspaceFile('client-tests', 'mail.log.1');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    const editor = await openEditor('client-tests/mail.log.1');
    assert.strictEqual(editor.document.languageId, 'postfix-log');
    const badges = await waitForBadges(uri, (b) => b.length > 0, 'badges on the long log');
    const lastVisible = Math.max(...editor.visibleRanges.map((r) => r.end.line));
    assert.ok(badges.length < 1000, `${badges.length} badges: more than the visible part`);
    assert.ok(badges.every((b) => b.line <= lastVisible + 100), 'badges only near the visible range');

    // Scroll to the end: the badges follow.
    editor.revealRange(new vscode.Range(total - 1, 0, total - 1, 0), vscode.TextEditorRevealType.InCenter);
    await waitForBadges(uri, (b) => b.some((x) => x.line === total - 1), 'badges at the end after scrolling');

    const status = await waitFor(() => {
      const s = api.test.statusBar();
      return s && !s.text.includes('sync~spin') ? s : undefined;
    }, { message: 'the status bar for the long log', timeout: 60_000 });
    assert.strictEqual(status.text, 'FS 75% (15,000/20,000)');
  });
});

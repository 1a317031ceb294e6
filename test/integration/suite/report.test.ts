/**
 * "Postfix TLS: Report on Logs…" inside a real VS Code: the command reads logs from disk (plain
 * and .gz), returns the TlsReport for `{ files, show: false }` so the numbers can be checked,
 * opens the report in a webview panel, and writes a saved report through a temp file.
 * Fixture: test/fixtures/report/small.log (21 lines, counted by hand in
 * test/unit/report/files.test.ts; the same numbers are asserted here).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import type { TlsReport } from '../../../core/report/aggregate';
import { activateExtension, waitFor } from '../util';

const COMMAND = 'postfixTls.reportOnLogs';

suite('report', () => {
  let fixture = '';
  let tmp = '';

  suiteSetup(async () => {
    const ext = await activateExtension();
    fixture = path.join(ext.extensionPath, 'test', 'fixtures', 'report', 'small.log');
    assert.ok(existsSync(fixture), `fixture ${fixture} exists`);
    tmp = mkdtempSync(path.join(tmpdir(), 'pftls-report-it-'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the command is registered', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes(COMMAND), `${COMMAND} is registered (client/extension.ts calls registerReportCommand)`);
  });

  test('returns the hand-counted numbers of the fixture log', async () => {
    const r = await vscode.commands.executeCommand<TlsReport>(COMMAND, { files: [fixture], show: false });
    assert.ok(r, 'the command returns the report');
    assert.equal(r.linesRead, 21);
    assert.equal(r.total.connections, 9);
    assert.deepEqual(r.total.fs, { yes: 5, no: 4, unknown: 0 });
    assert.equal(r.inbound.connections, 4);
    assert.equal(r.inbound.fsShare, 0.5);
    assert.equal(r.outbound.connections, 5);
    assert.equal(r.outbound.fsShare, 0.6);
    assert.equal(r.outbound.postQuantum, 1);
    assert.equal(r.failures.total, 4);
    assert.deepEqual(r.peersWithoutFs.entries.map((e) => [e.peer, e.count]), [
      ['legacy.example[198.51.100.7]', 2],
      ['old.example.net[203.0.113.5]', 2],
    ]);
    assert.deepEqual(r.days.map((d) => [d.day, d.connections]), [
      ['Nov 27', 5],
      ['Nov 28', 4],
    ]);
  });

  test('a binary file among the logs is left out and the others are reported; alone, it is an error', async () => {
    const bin = path.join(tmp, 'not-a-log.bin');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]));
    const r = await vscode.commands.executeCommand<TlsReport>(COMMAND, { files: [fixture, bin], show: false });
    assert.ok(r, 'the command returns the report of the readable log');
    assert.equal(r.linesRead, 21);
    assert.equal(r.total.connections, 9);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand(COMMAND, { files: [bin], show: false })),
      (e: unknown) => e instanceof Error && /binary/.test(e.message),
    );
  });

  test('a .gz copy gives the same numbers', async () => {
    const gz = path.join(tmp, 'mail.log.2.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture)));
    const a = await vscode.commands.executeCommand<TlsReport>(COMMAND, { files: [fixture], show: false });
    const b = await vscode.commands.executeCommand<TlsReport>(COMMAND, { files: [gz], show: false });
    assert.equal(b.files[0].gzip, true);
    // Same numbers; only the file names (and sizes) differ.
    const strip = (r: TlsReport): unknown => JSON.parse(JSON.stringify({ ...r, files: [] }).replace(/"file":"[^"]*"/g, '"file":""'));
    assert.deepEqual(strip(b), strip(a));
  });

  test('a log over 4 MB is read by a worker thread, with the same numbers', async () => {
    const big = path.join(tmp, 'big.log');
    const copies = Math.ceil((5 * 1024 * 1024) / readFileSync(fixture).length);
    writeFileSync(big, readFileSync(fixture, 'utf8').repeat(copies));
    const r = await vscode.commands.executeCommand<TlsReport>(COMMAND, { files: [big], show: false });
    assert.equal(r.linesRead, 21 * copies);
    assert.equal(r.total.connections, 9 * copies);
    assert.equal(r.failures.total, 4 * copies);
    assert.equal(r.peersWithoutFs.entries[0].last.line, 21 * (copies - 1) + 16);
  });

  test('opens the report in a webview panel', async () => {
    const r = await vscode.commands.executeCommand<TlsReport>(COMMAND, vscode.Uri.file(fixture));
    assert.equal(r?.total.connections, 9);
    const tab = await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('postfixTls.report') && t.label.includes('small.log')),
      { message: 'the report panel tab' },
    );
    assert.match(tab.label, /TLS Report: small\.log/);
  });

  test('saves HTML and Markdown without leaving temp files behind', async () => {
    const html = path.join(tmp, 'report.html');
    const md = path.join(tmp, 'report.md');
    await vscode.commands.executeCommand(COMMAND, { files: [fixture], show: false, saveTo: html });
    await vscode.commands.executeCommand(COMMAND, { files: [fixture], show: false, saveTo: md });
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
    assert.doesNotMatch(page, /<script/i);
    assert.match(readFileSync(md, 'utf8'), /^# Postfix TLS report/);
    assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
  });

  test('a missing file is an error, not a crash', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand(COMMAND, { files: [path.join(tmp, 'nope.log')], show: false })),
      /no such file/,
    );
  });
});

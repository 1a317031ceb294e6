import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitFor, waitForDiagnostics, workspaceFile } from '../util';

const DEPRECATED_GRADE = 'fs.eecdh-grade-deprecated';
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

suite('main.cf completion and quick fixes', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('completion offers parameter names with defaults and enumerated values', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'postfix-main', content: 'smtpd_tls_secu\nsmtpd_tls_security_level = \n' });
    await vscode.window.showTextDocument(doc);
    const names = await waitFor(async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 14));
      // The server's item is a Property (the editor may add a plain word item of the same name).
      return list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'smtpd_tls_security_level' && i.kind === vscode.CompletionItemKind.Property);
    }, { message: 'smtpd_tls_security_level among the completions' });
    assert.ok(names.detail, 'the default is shown as detail');
    const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 27));
    const labels = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const level of ['none', 'may', 'encrypt']) assert.ok(labels.includes(level), `${level} in ${labels.join(', ')}`);
  });

  test('the quick fix for a deprecated setting removes it, as an undoable edit', async () => {
    // A real main.cf on disk, as users have it (the workspace is a per-run copy).
    const uri = workspaceFile('quickfix', 'main.cf');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('smtpd_tls_security_level = may\nsmtpd_tls_eecdh_grade = strong\n'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => codeOf(d) === DEPRECATED_GRADE), {
      message: `${DEPRECATED_GRADE} (have: ${vscode.languages.getDiagnostics(doc.uri).map(codeOf).join(', ')})`,
    });
    const diag = diags.find((d) => codeOf(d) === DEPRECATED_GRADE)!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.edit && a.title.includes('smtpd_tls_eecdh_grade'));
    assert.ok(fix, `a quick fix for ${DEPRECATED_GRADE} (got ${actions.map((a) => a.title).join(' | ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.getText(), 'smtpd_tls_security_level = may\n');
    await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => codeOf(d) === DEPRECATED_GRADE), { message: 'the finding to go away' });
    // A normal edit: undo brings the line back.
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), 'smtpd_tls_security_level = may\nsmtpd_tls_eecdh_grade = strong\n');
  });
});

import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension } from '../util';

suite('Use Installed Postfix Version', () => {
  let postconf: string;

  suiteSetup(async () => {
    const ext = await activateExtension();
    postconf = path.join(ext.extensionPath, 'test', 'fixtures', 'commands', 'fake-postconf.sh');
  });

  teardown(async () => {
    const cfg = vscode.workspace.getConfiguration('postfixTls');
    await cfg.update('postconfPath', undefined, vscode.ConfigurationTarget.Global);
    await cfg.update('postfixVersion', '3.10', vscode.ConfigurationTarget.Workspace);
  });

  test('reads mail_version from postconf and sets postfixTls.postfixVersion', async () => {
    const cfg = vscode.workspace.getConfiguration('postfixTls');
    // Machine scope: only user (or remote) settings can choose the program.
    await cfg.update('postconfPath', postconf, vscode.ConfigurationTarget.Global);
    const version = await vscode.commands.executeCommand<string>('postfixTls.useLocalPostfixVersion', { apply: true });
    assert.equal(version, '3.7.11');
    assert.equal(vscode.workspace.getConfiguration('postfixTls').inspect('postfixVersion')?.workspaceValue, '3.7.11');
  });

  test('a postconf that cannot run changes nothing', async () => {
    const cfg = vscode.workspace.getConfiguration('postfixTls');
    await cfg.update('postconfPath', path.join(path.dirname(postconf), 'no-such-postconf'), vscode.ConfigurationTarget.Global);
    const version = await vscode.commands.executeCommand<string | undefined>('postfixTls.useLocalPostfixVersion', { apply: true });
    assert.equal(version, undefined);
    assert.equal(vscode.workspace.getConfiguration('postfixTls').get('postfixVersion'), '3.10');
  });
});

import * as vscode from 'vscode';

/** Extension entry (placeholder until the client lands). */
export function activate(context: vscode.ExtensionContext): void {
  const out = vscode.window.createOutputChannel('Postfix TLS', { log: true });
  context.subscriptions.push(out);
}

export function deactivate(): void {}

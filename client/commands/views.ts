/**
 * Read-only virtual documents for the commands' results (effective settings, cipher
 * explanations): a TextDocumentContentProvider over an in-memory map. Re-running a command
 * refreshes the same document.
 */
import vscode = require('vscode');

/** URI scheme of the generated, read-only documents. */
export const VIEW_SCHEME = 'postfix-tls-view';

export class ViewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '(This view is no longer available: run the command again.)\n';
  }

  /** Stores `text` under a view URI and tells open editors to reload it. */
  set(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    // Keep memory bounded: only the most recent views are kept.
    if (this.contents.size > 50) {
      const first = this.contents.keys().next().value;
      if (first !== undefined) this.contents.delete(first);
    }
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}

/** A view URI: `postfix-tls-view:/<kind>/<name>.md?<key>` (the key keeps views apart). */
export function viewUri(kind: string, name: string, key: string): vscode.Uri {
  const safe = name.replace(/[^A-Za-z0-9._ -]+/g, '_').slice(0, 80) || 'view';
  return vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${kind}/${safe}.md`, query: encodeURIComponent(key).slice(0, 500) });
}

/** Opens a view: the Markdown preview when available, else the text itself (read-only). */
export async function showView(uri: vscode.Uri, preview: boolean): Promise<void> {
  if (preview) {
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      return;
    } catch {
      // No Markdown preview (extension disabled): show the text instead.
    }
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}

/**
 * VS Code opens files over 50 MB in the editor but does not hand them to extensions (no
 * TextDocument, so no decorations, hovers or status bar). When such a file is the active tab,
 * say so once and offer the report command, which reads the file from disk.
 */
import { promises as fsp } from 'node:fs';
import vscode = require('vscode');

/** Files larger than this are not synchronised to extensions by VS Code. */
export const EXTENSION_FILE_LIMIT = 50 * 1024 * 1024;

/**
 * Registers the notice; returns the set of file URIs announced so far (for tests).
 */
export function registerLargeFileNotice(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ReadonlySet<string> {
  /** Files already announced this session: the notice is one-time per file. */
  const announced = new Set<string>();

  const check = async (): Promise<void> => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const input = tab?.input;
    if (!(input instanceof vscode.TabInputText)) return;
    const uri = input.uri;
    if (uri.scheme !== 'file' || announced.has(uri.toString())) return;
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    let size: number;
    try {
      size = (await fsp.stat(uri.fsPath)).size;
    } catch {
      return;
    }
    if (size <= EXTENSION_FILE_LIMIT) return;
    // Re-check after the await: the document may have arrived in the meantime.
    if (announced.has(uri.toString())) return;
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    announced.add(uri.toString());
    const name = uri.path.split('/').pop() ?? uri.fsPath;
    const mb = Math.round(size / (1024 * 1024));
    log.info(`${uri.fsPath} is ${mb} MB: VS Code does not pass files over 50 MB to extensions; no log decorations there.`);
    const choice = await vscode.window.showInformationMessage(
      `${name} is ${mb} MB. VS Code does not pass files larger than 50 MB to extensions, so Postfix TLS cannot decorate it in the editor. A report reads the file from disk instead.`,
      'Report on Logs…',
    );
    if (choice === 'Report on Logs…') {
      try {
        await vscode.commands.executeCommand('postfixTls.reportOnLogs', uri);
      } catch (error) {
        log.error(`Report on Logs failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const run = (): void => {
    check().catch((error) => log.warn(`Large-file check failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  context.subscriptions.push(vscode.window.tabGroups.onDidChangeTabs(run), vscode.window.tabGroups.onDidChangeTabGroups(run));
  setImmediate(run);
  return announced;
}

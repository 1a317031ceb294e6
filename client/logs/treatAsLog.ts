/**
 * "Treat File as Postfix Log": switches a document (active editor, or the file picked in the
 * explorer) to the postfix-log language, which turns on decorations, hovers and the status bar.
 */
import vscode = require('vscode');

export const LOG_LANGUAGE = 'postfix-log';

export function registerTreatAsLog(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('postfixTls.treatAsLog', async (arg?: unknown) => {
      const doc = await targetDocument(arg);
      if (!doc) {
        void vscode.window.showInformationMessage('Open the log file in an editor first, then run "Treat File as Postfix Log".');
        return undefined;
      }
      if (doc.languageId === LOG_LANGUAGE) return doc;
      try {
        const changed = await vscode.languages.setTextDocumentLanguage(doc, LOG_LANGUAGE);
        log.info(`Treating ${doc.uri.toString(true)} as a Postfix log.`);
        return changed;
      } catch (error) {
        const msg = `Could not switch ${doc.uri.toString(true)} to the Postfix log language: ${error instanceof Error ? error.message : String(error)}`;
        log.error(msg);
        void vscode.window.showErrorMessage(msg);
        return undefined;
      }
    }),
  );
}

/** The document to switch: a Uri argument (explorer / tests), else the active editor's. */
async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString());
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(arg);
    } catch {
      return undefined;
    }
  }
  return vscode.window.activeTextEditor?.document;
}

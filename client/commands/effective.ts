/**
 * "Postfix TLS: Show Effective TLS Settings": for the open main.cf (or master.cf) and the
 * master.cf beside it, every TLS parameter's effective value (main.cf, the target version's
 * default, or a master.cf `-o` override) and a forward-secrecy verdict per service, in a
 * read-only Markdown document (core/effective.ts renders it; configuration text is escaped).
 *
 * Arguments (automation):
 *   showEffectiveSettings()                     the active main.cf / master.cf
 *   showEffectiveSettings(uri)                  that main.cf / master.cf / folder
 *   showEffectiveSettings({ uri?, postfixVersion?, show?: boolean })
 *     show: false  build the document without opening an editor
 * Resolves to { uri (of the view), report }.
 */
import vscode = require('vscode');
import { parseMasterCf } from '../../core/config/parse-master';
import { renderTlsReportMarkdown, tlsReport, type TlsReport } from '../../core/effective';
import { errorText, exists, folderOf, loadMainCf, opensslVersionFor, postfixVersionFor, readText, resolveMainCf, toUri } from './util';
import { showView, viewUri, type ViewProvider } from './views';

export { EFFECTIVE_COMMAND } from './ids';

export interface EffectiveArgs {
  uri?: vscode.Uri | string;
  postfixVersion?: string;
  show?: boolean;
}

function normalise(a: unknown): EffectiveArgs {
  if (a && typeof a === 'object' && !(a instanceof vscode.Uri) && !('scheme' in (a as object))) return a as EffectiveArgs;
  return a === undefined || a === null ? {} : { uri: toUri(a) };
}

export async function showEffectiveSettings(views: ViewProvider, log: vscode.LogOutputChannel, a?: unknown): Promise<{ uri: vscode.Uri; report: TlsReport } | undefined> {
  const args = normalise(a);
  const mainUri = await resolveMainCf(args.uri);
  if (!mainUri) {
    void vscode.window.showWarningMessage('Show Effective TLS Settings: open a main.cf or master.cf first.');
    return undefined;
  }
  try {
    if (!(await exists(mainUri)) && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === mainUri.toString())) {
      void vscode.window.showWarningMessage(`Show Effective TLS Settings: there is no main.cf at ${mainUri.fsPath || mainUri.toString()}.`);
      return undefined;
    }
    const { main } = await loadMainCf(mainUri);
    const masterUri = vscode.Uri.joinPath(folderOf(mainUri), 'master.cf');
    let master;
    if (await exists(masterUri)) {
      const text = await readText(masterUri);
      master = parseMasterCf({ uri: masterUri.toString(), getText: () => text });
    }
    const postfixVersion = typeof args.postfixVersion === 'string' && /^\d+\.\d+(\.\d+)?$/.test(args.postfixVersion) ? args.postfixVersion : postfixVersionFor(mainUri);
    const report = tlsReport({
      main,
      master,
      postfixVersion,
      opensslVersion: opensslVersionFor(mainUri),
      configDirectory: mainUri.scheme === 'file' ? folderOf(mainUri).fsPath : undefined,
    });
    const uri = viewUri('effective', 'Effective TLS settings', mainUri.toString());
    views.set(uri, renderTlsReportMarkdown(report));
    if (args.show !== false) await showView(uri, false);
    return { uri, report };
  } catch (err) {
    log.error(`Show Effective TLS Settings: ${errorText(err)}`);
    void vscode.window.showErrorMessage(`Show Effective TLS Settings: ${errorText(err)}`);
    return undefined;
  }
}

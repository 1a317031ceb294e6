/**
 * Hover for mail logs and mail messages: explains the TLS record under the cursor (a summary
 * line, a folded Received: header, a failure) with the core's hover text.
 */
import vscode = require('vscode');
import { hoverLog } from '../../core/features/log-hover';
import { readLogSettings } from '../util/settings';
import { LOG_LANGUAGES, type LogModel } from './model';

export class LogHoverProvider implements vscode.HoverProvider {
  constructor(private readonly model: LogModel) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    if (token.isCancellationRequested || !readLogSettings(doc.uri).hover) return undefined;
    const found = this.model.recordAt(doc, position.line);
    if (!found) return undefined;
    const text = hoverLog(found.record);
    if (!text) return undefined;
    // The core escapes log text; we still never trust it (no command links, no HTML).
    const md = new vscode.MarkdownString(text, false);
    md.isTrusted = false;
    md.supportHtml = false;
    const last = Math.min(doc.lineCount - 1, found.line + Math.max(1, found.record.lineSpan) - 1);
    const range = new vscode.Range(found.line, 0, last, doc.lineAt(last).range.end.character);
    return new vscode.Hover(md, range);
  }
}

export function registerLogHover(context: vscode.ExtensionContext, model: LogModel): void {
  const selector = LOG_LANGUAGES.map((language) => ({ language }));
  context.subscriptions.push(vscode.languages.registerHoverProvider(selector, new LogHoverProvider(model)));
}

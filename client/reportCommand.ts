/**
 * Registration of "Postfix TLS: Report on Logs…" and its internal Save command. The
 * implementation (client/report.ts, with the report engine of core/report) is loaded from
 * dist/commands.js on the first run, so activation does not load it.
 */
import vscode = require('vscode');
import type { TlsReport } from '../core/report/aggregate';
import { REPORT_COMMAND, SAVE_REPORT_COMMAND } from './commands/ids';
import { commandsImpl } from './lazy';

/** Programmatic arguments (tests, automation). */
export interface ReportCommandArgs {
  files: string[];
  /** Open the webview panel (default true). */
  show?: boolean;
  /** Also write the report to this path (.md/.markdown: Markdown, else HTML). */
  saveTo?: string;
}

/** Handlers of the two commands (client/report.ts). */
export interface ReportCommands {
  /** Report on Logs…: resolves to the report, undefined when cancelled. */
  run(arg?: unknown, selection?: unknown): Promise<TlsReport | undefined>;
  /** Save: resolves to where the report was written, undefined when cancelled or failed. */
  save(id?: unknown): Promise<vscode.Uri | undefined>;
}

export function registerReportCommand(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  let handlers: ReportCommands | undefined;
  /** The handlers; a bundle that cannot be loaded is logged and shown, not thrown. */
  const commands = (): ReportCommands | undefined => {
    try {
      return (handlers ??= commandsImpl().createReportCommands(context, log));
    } catch (err) {
      log.error(`Report on Logs could not be loaded: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`Postfix TLS: Report on Logs could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(REPORT_COMMAND, async (arg?: unknown, selection?: unknown) => commands()?.run(arg, selection)),
    vscode.commands.registerCommand(SAVE_REPORT_COMMAND, async (id?: unknown) => commands()?.save(id)),
  );
}

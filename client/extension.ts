/**
 * Extension entry. activate() only wires things up (no heavy work, no process start):
 * - the language client starts when a main.cf / master.cf document is or becomes open;
 * - log features (decorations, hover, status bar) classify lazily, visible lines first;
 * - report and commands come from their own modules, each registration guarded so one
 *   failing module never breaks activation.
 */
import vscode = require('vscode');
import { registerLanguageClient, type PostfixLanguageClient } from './languageClient';
import { registerLogFeatures, type LogFeatures } from './logs';
import { registerCommands } from './commands';
import { registerReportCommand } from './reportCommand';
import { registerLocalVersion } from './localVersion';

/** What activate() returns; `test` is for the integration tests only. */
export interface PostfixTlsApi {
  test: {
    /** Pid of the running language server process, if any. */
    serverPid(): number | undefined;
    /** `running`, `starting`, `stopped`, or undefined before the first start. */
    clientState(): string | undefined;
    /** The status bar item's text and tooltip, or undefined when hidden. */
    statusBar(): { text: string; tooltip: string } | undefined;
    /** Overview-ruler marks (record lines) shown in the visible editor of `uri`. */
    rulerMarks(uri: vscode.Uri): { noFs: number[]; failure: number[]; complete: boolean } | undefined;
    /** Files the "too large for extensions" notice was shown for (URI strings). */
    largeFileNotices(): string[];
    /** Activation time in milliseconds (activate() itself, without loading the bundle). */
    activationMs: number;
  };
}

let languageClient: PostfixLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): PostfixTlsApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Postfix TLS', { log: true });
  context.subscriptions.push(log);

  const guarded = <T>(what: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      log.error(`Activation: ${what} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return undefined;
    }
  };

  languageClient = guarded('language client', () => registerLanguageClient(context, log));
  const logs: LogFeatures | undefined = guarded('log features', () => registerLogFeatures(context, log));
  guarded('report command', () => registerReportCommand(context, log));
  guarded('commands', () => registerCommands(context, log));
  guarded('local Postfix version', () => registerLocalVersion(context, log));

  const activationMs = performance.now() - started;
  log.info(`Postfix TLS activated in ${activationMs.toFixed(1)} ms.`);
  return {
    test: {
      serverPid: () => languageClient?.serverPid,
      clientState: () => languageClient?.stateName,
      statusBar: () => {
        if (!logs || !logs.statusBar.visible) return undefined;
        const { text, tooltip } = logs.statusBar.item;
        return { text, tooltip: typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '' };
      },
      rulerMarks: (uri) => {
        const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
        return editor && logs ? logs.decorations.rulerMarks(editor) : undefined;
      },
      largeFileNotices: () => [...(logs?.largeFilesAnnounced ?? [])],
      activationMs,
    },
  };
}

export async function deactivate(): Promise<void> {
  const client = languageClient;
  languageClient = undefined;
  await client?.stop();
}

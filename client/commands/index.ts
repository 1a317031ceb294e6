/**
 * The Postfix TLS commands that act on forward secrecy (palette category "Postfix TLS"):
 * Generate DH Parameters…, Insert Recommended TLS Settings, Show Effective TLS Settings,
 * Explain Cipher…. Each accepts optional arguments that pre-answer its questions (quick fixes,
 * automation, tests); see the module of each command.
 */
import vscode = require('vscode');
import { EFFECTIVE_COMMAND, EXPLAIN_COMMAND, GENERATE_DH_COMMAND, RECOMMENDED_COMMAND } from './ids';
import { commandsImpl as impl } from '../lazy';
import { VIEW_SCHEME, ViewProvider } from './views';

export { GENERATE_DH_COMMAND, EFFECTIVE_COMMAND, EXPLAIN_COMMAND, RECOMMENDED_COMMAND, VIEW_SCHEME };

export function registerCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const views = new ViewProvider();
  context.subscriptions.push(views, vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, views));

  // A command never lets an exception escape as an unexplained failure: it is logged and shown.
  const guard =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        log.error(`${name}: ${err instanceof Error ? err.stack ?? msg : msg}`);
        void vscode.window.showErrorMessage(`Postfix TLS: ${name} failed: ${msg}`);
        return undefined;
      }
    };

  context.subscriptions.push(
    vscode.commands.registerCommand(GENERATE_DH_COMMAND, guard('Generate DH Parameters', (a?: unknown, b?: unknown) => impl().generateDhParams(log, a, b))),
    vscode.commands.registerCommand(RECOMMENDED_COMMAND, guard('Insert Recommended TLS Settings', (a?: unknown) => impl().insertRecommendedSettings(log, a))),
    vscode.commands.registerCommand(EFFECTIVE_COMMAND, guard('Show Effective TLS Settings', (a?: unknown) => impl().showEffectiveSettings(views, log, a))),
    vscode.commands.registerCommand(EXPLAIN_COMMAND, guard('Explain Cipher', (a?: unknown) => impl().explainCipherCommand(views, a))),
  );
}

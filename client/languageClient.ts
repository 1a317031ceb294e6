/**
 * The language client for main.cf / master.cf: starts the bundled server (dist/server.js) over
 * IPC, restarts it a bounded number of times when it dies, and reports failures clearly.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import vscode = require('vscode');
import type * as LC from 'vscode-languageclient/node';

/**
 * vscode-languageclient is loaded on the first server start, not at activation: it is most of
 * the bundle's start-up cost, and a log-only session never needs it.
 */
let lcModule: typeof LC | undefined;
function lc(): typeof LC {
  // './lc.js' is a separate bundle next to dist/client.js (see scripts/build.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (lcModule ??= require('./lc.js') as typeof LC);
}

/** Languages the server handles. */
export const SERVER_LANGUAGES = ['postfix-main', 'postfix-master'] as const;

/** Restart budget after crashes: at most this many restarts within RESTART_WINDOW_MS. */
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

const SCHEMES = ['file', 'untitled', 'vscode-remote'];

/** Document selector: both config languages on local, unsaved and remote documents. */
export const DOCUMENT_SELECTOR: LC.DocumentSelector = SERVER_LANGUAGES.flatMap((language) =>
  SCHEMES.map((scheme) => ({ language, scheme })),
);

/** True for documents the language server serves. */
export function isServerDocument(doc: vscode.TextDocument): boolean {
  return (SERVER_LANGUAGES as readonly string[]).includes(doc.languageId) && SCHEMES.includes(doc.uri.scheme);
}

/**
 * Counts crashes in a sliding window and decides whether another restart is allowed.
 * Kept separate from vscode-languageclient so the policy is explicit and logged by us.
 */
class BoundedRestartHandler implements LC.ErrorHandler {
  private restarts: number[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  error(error: Error, _message: LC.Message | undefined, count: number | undefined): LC.ErrorHandlerResult {
    // Transport write/read errors: keep going for a few, then let the close handler decide.
    this.log.error(`Language server connection error (${count ?? 1}): ${error?.message ?? String(error)}`);
    return count !== undefined && count <= 3
      ? { action: lc().ErrorAction.Continue, handled: true }
      : { action: lc().ErrorAction.Shutdown, handled: true };
  }

  closed(): LC.CloseHandlerResult {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS) {
      const msg = `The Postfix TLS language server stopped ${MAX_RESTARTS + 1} times within ${RESTART_WINDOW_MS / 60000} minutes; it will not be restarted. Run "Postfix TLS: Restart Language Server" to try again.`;
      this.log.error(msg);
      void showStartError(msg, this.log);
      return { action: lc().CloseAction.DoNotRestart, handled: true };
    }
    this.restarts.push(now);
    this.log.warn(
      `The Postfix TLS language server stopped unexpectedly; restarting it (${this.restarts.length} of ${MAX_RESTARTS} within ${RESTART_WINDOW_MS / 60000} minutes).`,
    );
    return { action: lc().CloseAction.Restart, handled: true };
  }

  /** Forget the crash history (after an explicit restart by the user). */
  reset(): void {
    this.restarts = [];
  }
}

async function showStartError(message: string, log: vscode.LogOutputChannel): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Output');
  if (choice === 'Show Output') log.show(true);
}

/**
 * Owns the LanguageClient: lazy start, explicit restart, stop on deactivate.
 * All public methods resolve (never reject): failures go to the output channel and a message.
 */
/**
 * Node options of the language server VS Code starts. V8 lets the young generation grow to
 * 16 MB semi-spaces while a large main.cf is analysed and keeps that memory afterwards; 2 MB
 * keeps the server within 1.2x the memory of a bare language server, with edits no slower
 * (BENCHMARKS.md, "Language server"; bench/lsp.mjs starts the server with these too).
 */
export const SERVER_EXEC_ARGV: string[] = ['--max-semi-space-size=2'];

export class PostfixLanguageClient implements vscode.Disposable {
  private client: LC.LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private requested = false;
  private readonly errorHandler: BoundedRestartHandler;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly stateEmitter = new vscode.EventEmitter<LC.State>();
  /** Fires when the client state changes (Running after a (re)start, Stopped, Starting). */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.errorHandler = new BoundedRestartHandler(log);
  }

  /** Starts the client if it is not running yet. Safe to call many times. */
  ensureStarted(): Promise<void> {
    this.requested = true;
    if (this.client && this.client.state !== lc().State.Stopped) return this.starting ?? Promise.resolve();
    if (this.starting) return this.starting;
    this.starting = this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** True once a start was requested (even if it failed: retries are explicit, via Restart). */
  get isStarted(): boolean {
    return this.requested;
  }

  /** The state of the underlying client, `undefined` before the first start. */
  get state(): LC.State | undefined {
    return this.client?.state;
  }

  /** `running`, `starting`, `stopped`; undefined before the first start. */
  get stateName(): string | undefined {
    return this.client ? stateName(this.client.state) : undefined;
  }

  /**
   * Process id of the running server. Reads vscode-languageclient's (private) child process
   * handle; logged at start and used by the integration tests to kill the server.
   */
  get serverPid(): number | undefined {
    const proc = (this.client as unknown as { _serverProcess?: ChildProcess } | undefined)?._serverProcess;
    return proc && proc.exitCode === null ? proc.pid : undefined;
  }

  private createClient(): LC.LanguageClient {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: LC.ServerOptions = {
      run: { module, transport: lc().TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
      debug: { module, transport: lc().TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LC.LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      traceOutputChannel: this.log,
      // didChangeConfiguration on any postfixTls.* change: the server re-reads per-resource
      // settings via workspace/configuration and refreshes diagnostics.
      synchronize: { configurationSection: 'postfixTls' },
      errorHandler: this.errorHandler,
      // Our own message (with a button) replaces the client's generic notification.
      initializationFailedHandler: (error) => {
        this.log.error(`The Postfix TLS language server failed to initialize: ${errorText(error)}`);
        return false;
      },
      revealOutputChannelOn: lc().RevealOutputChannelOn.Never,
      markdown: { isTrusted: false, supportHtml: false },
      // A function, so a restart re-reads trust. Untrusted: the server reads no DH files.
      initializationOptions: () => ({ trusted: vscode.workspace.isTrusted, clientCommands: ['postfixTls.generateDhParams'] }),
    };
    const client = new (lc().LanguageClient)('postfixTls', 'Postfix TLS', serverOptions, clientOptions);
    this.disposables.push(
      // Trust granted later: the server starts reading DH files and re-validates, no restart.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (this.client?.isRunning()) void this.client.sendNotification('postfixTls/setTrusted', { trusted: true });
      }),
      client.onDidChangeState((e) => {
        this.log.info(`Language server: ${stateName(e.oldState)} -> ${stateName(e.newState)}`);
        this.stateEmitter.fire(e.newState);
      }),
    );
    return client;
  }

  private async start(): Promise<void> {
    const started = Date.now();
    const module = this.context.asAbsolutePath('dist/server.js');
    if (!existsSync(module)) {
      // Without this check a missing bundle becomes a crash/restart loop.
      const msg = `The Postfix TLS language server could not be started: ${module} is missing (run "npm run build").`;
      this.log.error(msg);
      void showStartError(msg, this.log);
      return;
    }
    try {
      if (!this.client) this.client = this.createClient();
      await this.client.start();
      this.log.info(`Language server started in ${Date.now() - started} ms (pid ${this.serverPid ?? '?'}).`);
    } catch (error) {
      const msg = `The Postfix TLS language server could not be started: ${errorText(error)}`;
      this.log.error(msg);
      // A client whose start failed keeps its rejected start promise: drop it so the next
      // start (Restart Language Server) begins from a fresh client.
      const failed = this.client;
      this.client = undefined;
      if (failed) void failed.dispose().catch(() => undefined);
      void showStartError(msg, this.log);
    }
  }

  /** Stops and starts the server; also resets the crash budget. */
  async restart(): Promise<void> {
    this.errorHandler.reset();
    if (this.starting) await this.starting;
    const client = this.client;
    if (client && client.state !== lc().State.Stopped) {
      this.log.info('Restarting the language server on request.');
      try {
        await client.stop();
      } catch (error) {
        this.log.warn(`Stopping the language server failed: ${errorText(error)}`);
      }
    }
    await this.ensureStarted();
  }

  /** Stops the server (deactivate). */
  async stop(): Promise<void> {
    if (this.starting) await this.starting;
    const client = this.client;
    if (!client) return;
    try {
      if (client.state !== lc().State.Stopped) await client.stop(2000);
    } catch (error) {
      this.log.warn(`Stopping the language server failed: ${errorText(error)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.stateEmitter.dispose();
  }
}

function stateName(s: LC.State): string {
  return s === lc().State.Running ? 'running' : s === lc().State.Starting ? 'starting' : 'stopped';
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/**
 * Wires the client into the extension: starts it lazily when a main.cf / master.cf document is
 * (or becomes) open, and registers Restart Language Server / Show Output.
 */
export function registerLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): PostfixLanguageClient {
  const lc = new PostfixLanguageClient(context, log);
  context.subscriptions.push(lc);

  const maybeStart = (doc: vscode.TextDocument): void => {
    if (!lc.isStarted && isServerDocument(doc)) void lc.ensureStarted();
  };
  // Deferred: activate() must return quickly; the fork happens on the next tick.
  setImmediate(() => vscode.workspace.textDocuments.forEach(maybeStart));
  const openSub = vscode.workspace.onDidOpenTextDocument(maybeStart);
  context.subscriptions.push(openSub);

  context.subscriptions.push(
    vscode.commands.registerCommand('postfixTls.restartServer', async () => {
      await lc.restart();
    }),
    vscode.commands.registerCommand('postfixTls.showOutput', () => log.show(true)),
  );
  return lc;
}

/**
 * The language server: a thin adapter that feeds open main.cf / master.cf documents to the
 * core and turns its answers into LSP. One feature per file beside this one; this file only
 * negotiates capabilities and wires events to them.
 */
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  NotificationType,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Connection,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { Analysis, type TrustState } from './analysis';
import { EditTracker } from './edits';
import { provideCodeActions } from './code-actions';
import { COMPLETION_TRIGGERS, provideCompletion, resolveCompletion } from './completion';
import type { ClientSupport, ServerContext } from './context';
import { provideDefinition } from './definition';
import { guardEvent, guardRequest, logError } from './guard';
import { provideHover } from './hover';
import { SettingsStore, SETTINGS_SECTION } from './settings';
import { Validation } from './validation';

/**
 * What a client may pass as `initializationOptions`.
 * - `trusted`: false in an untrusted (restricted) workspace: files the configuration points
 *   at (DH parameter files) are then never read. Absent means trusted (a user who starts the
 *   server from their editor trusts what they open).
 * - `postfixTls`: settings for clients that cannot answer `workspace/configuration`.
 * - `clientCommands`: the command ids the client can run (VS Code: `postfixTls.generateDhParams`).
 *   A quick fix that needs a command the client did not declare loses it (or is not offered
 *   when the command was all it had): other editors would answer "Unhandled method".
 */
export interface InitializationOptions {
  trusted?: boolean;
  postfixTls?: unknown;
  clientCommands?: string[];
}

/** The declared command ids; anything malformed counts as none. */
function declaredCommands(value: unknown): ReadonlySet<string> {
  return new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
}

/** Tells the server that workspace trust changed (e.g. VS Code's onDidGrantWorkspaceTrust). */
export const SetTrustedNotification = new NotificationType<{ trusted: boolean }>('postfixTls/setTrusted');

/** The identifier of our pull diagnostics. */
export const DIAGNOSTIC_IDENTIFIER = 'postfix-tls';

const emptyReport = (): DocumentDiagnosticReport => ({ kind: 'full', items: [] });
const emptyList = (): CompletionList => ({ isIncomplete: false, items: [] });

function clientSupport(params: InitializeParams, options: InitializationOptions): ClientSupport {
  const c = params.capabilities ?? {};
  return {
    pullDiagnostics: !!c.textDocument?.diagnostic,
    diagnosticRefresh: !!c.workspace?.diagnostics?.refreshSupport,
    configuration: !!c.workspace?.configuration,
    watchedFilesRegistration: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    completionEditRangeDefault: !!c.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange'),
    completionResolveDocumentation: !!c.textDocument?.completion?.completionItem?.resolveSupport?.properties?.includes('documentation'),
    commands: declaredCommands(options.clientCommands),
  };
}

/** Wires the core into an LSP connection and starts listening. */
export function startServer(connection: Connection): void {
  const edits = new EditTracker();
  const documents = new TextDocuments(edits.configuration);
  let ctx: ServerContext | undefined;
  let validation: Validation | undefined;

  // Last line of defence: a stray exception is logged, the server keeps serving.
  process.on('uncaughtException', (error) => logError(connection, 'server', error));
  process.on('unhandledRejection', (error) => logError(connection, 'server', error));

  connection.onInitialize((params): InitializeResult => {
    const raw: unknown = params.initializationOptions;
    const options: InitializationOptions = raw && typeof raw === 'object' ? (raw as InitializationOptions) : {};
    const support = clientSupport(params, options);
    // Only an explicit `false` restricts: other editors start the server on files they trust.
    const trust: TrustState = { trusted: options.trusted !== false };
    const settings = new SettingsStore(connection, support.configuration);
    if (options.postfixTls !== undefined) settings.changed({ [SETTINGS_SECTION]: options.postfixTls });
    ctx = { connection, documents, analysis: new Analysis(documents, trust, edits), settings, trust, support };
    validation = new Validation(ctx);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        diagnosticProvider: { identifier: DIAGNOSTIC_IDENTIFIER, interFileDependencies: true, workspaceDiagnostics: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: support.completionResolveDocumentation },
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'postfix-tls-language-server' },
    };
  });

  connection.onInitialized(
    guardEvent(connection, 'initialized', async () => {
      if (!ctx?.support.watchedFilesRegistration) return;
      // main.cf / master.cf edited outside the editor change the analysis of the other file.
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/main.cf' }, { globPattern: '**/master.cf' }],
      });
    }),
  );

  documents.onDidChangeContent(guardEvent(connection, 'document change', (e) => validation?.changed(e.document)));
  documents.onDidClose(
    guardEvent(connection, 'document close', (e) => {
      if (!ctx || !validation) return;
      validation.closed(e.document);
      ctx.settings.forget(e.document.uri);
      ctx.analysis.forget(e.document.uri);
    }),
  );

  const revalidateAll = (): void => {
    ctx?.analysis.invalidate();
    validation?.revalidateAll();
  };

  connection.onDidChangeConfiguration(
    guardEvent(connection, 'configuration change', (params) => {
      ctx?.settings.changed(params?.settings);
      revalidateAll();
    }),
  );
  connection.onDidChangeWatchedFiles(guardEvent(connection, 'watched files', () => revalidateAll()));
  connection.onNotification(
    SetTrustedNotification,
    guardEvent(connection, 'trust change', (params) => {
      if (!ctx) return;
      ctx.trust.trusted = params?.trusted === true;
      revalidateAll();
    }),
  );

  connection.languages.diagnostics.on(
    guardRequest<DocumentDiagnosticParams, DocumentDiagnosticReport>(connection, 'diagnostics', emptyReport, (params, token) =>
      validation ? validation.pull(params, token) : emptyReport(),
    ),
  );
  connection.onHover(guardRequest(connection, 'hover', () => null, (params, token) => (ctx ? provideHover(ctx, params, token) : null)));
  connection.onCompletion(
    guardRequest<CompletionParams, CompletionList>(connection, 'completion', emptyList, (params, token) =>
      ctx ? provideCompletion(ctx, params, token) : emptyList(),
    ),
  );
  connection.onCompletionResolve((item, token) =>
    guardRequest<CompletionItem, CompletionItem>(connection, 'completion resolve', () => item, resolveCompletion)(item, token),
  );
  connection.onDefinition(
    guardRequest(connection, 'definition', () => [], (params, token) => (ctx ? provideDefinition(ctx, params, token) : [])),
  );
  connection.onCodeAction(
    guardRequest(connection, 'code actions', () => [], (params, token) =>
      ctx && validation ? provideCodeActions(ctx, validation, params, token) : [],
    ),
  );

  connection.onShutdown(() => validation?.dispose());

  documents.listen(connection);
  connection.listen();
}

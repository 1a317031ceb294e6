/** What every feature of the server shares: the connection, the open documents and the caches. */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis, TrustState } from './analysis';
import type { SettingsStore } from './settings';

/** The client capabilities the server adapts to (read once in `initialize`). */
export interface ClientSupport {
  /** `textDocument.diagnostic`: the client pulls; otherwise the server publishes. */
  pullDiagnostics: boolean;
  /** `workspace.diagnostics.refreshSupport`. */
  diagnosticRefresh: boolean;
  /** `workspace.configuration`: settings per resource; otherwise defaults (or pushed settings). */
  configuration: boolean;
  /** `workspace.didChangeWatchedFiles.dynamicRegistration`. */
  watchedFilesRegistration: boolean;
  /** `completion.completionList.itemDefaults` has `editRange`: one range for all items of a list. */
  completionEditRangeDefault: boolean;
  /** `completion.completionItem.resolveSupport` has `documentation`: sent by `completionItem/resolve`. */
  completionResolveDocumentation: boolean;
  /** `initializationOptions.clientCommands`: command ids the client runs itself. */
  commands: ReadonlySet<string>;
}

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analysis: Analysis;
  settings: SettingsStore;
  trust: TrustState;
  support: ClientSupport;
}

import type { Connection } from 'vscode-languageserver';

/** Wires the core into an LSP connection (placeholder until the server lands). */
export function startServer(connection: Connection): void {
  connection.onInitialize(() => ({ capabilities: {} }));
  connection.listen();
}

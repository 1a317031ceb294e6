#!/usr/bin/env node
'use strict';
// The baseline of bench/lsp.mjs: a minimal vscode-languageserver server with the same
// connection setup as server/main.ts (createConnection(ProposedFeatures.all), transport from the
// command line, e.g. --stdio) and a TextDocuments manager with incremental sync, so it holds the
// same open texts as the real server. It answers initialize and, with empty results, the
// requests the benchmark times (diagnostic, hover, completion): its latencies are the floor set
// by JSON-RPC over stdio, its memory the floor set by Node and the protocol library.
const { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    diagnosticProvider: { identifier: 'bare', interFileDependencies: false, workspaceDiagnostics: false },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['$'] },
  },
  serverInfo: { name: 'bare-server' },
}));
connection.languages.diagnostics.on(() => ({ kind: 'full', items: [] }));
connection.onHover(() => null);
connection.onCompletion(() => ({ isIncomplete: false, items: [] }));

documents.listen(connection);
connection.listen();

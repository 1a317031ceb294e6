/**
 * vscode-languageclient as its own bundle (dist/lc.js), required on the first server start:
 * it is the largest part of the client, and activation (or a log-only session) never needs it.
 */
export * from 'vscode-languageclient/node';

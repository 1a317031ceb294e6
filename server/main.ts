/**
 * Language server entry: the extension runs it over IPC, other editors over --stdio.
 * createConnection() picks the transport from the command line.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));

/**
 * A minimal LSP client for the protocol tests: spawns the built
 * `bin/postfix-tls-language-server.js --stdio` and speaks JSON-RPC over its stdio, answering
 * the server's requests (workspace/configuration, refresh, registration) like an editor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  CompletionItem,
  CompletionList,
  ConfigurationParams,
  Diagnostic,
  DocumentDiagnosticReport,
  Hover,
  InitializeResult,
  Location,
  LogMessageParams,
  Position,
  PublishDiagnosticsParams,
  Range,
  ShowMessageParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver';
import { ensureServerBuilt } from '../helpers/build';
import { REPO_ROOT } from '../helpers/reference';

export { REPO_ROOT };
export const SERVER_BIN = path.join(REPO_ROOT, 'bin', 'postfix-tls-language-server.js');

/** Default time a test waits for the server; generous for slow CI machines. */
export const WAIT_MS = 15_000;

// ---------------------------------------------------------------------------- build

async function until(cond: () => boolean, timeoutMs: number, what: string, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Runs `node scripts/build.mjs` unless dist/server.js is newer than every server/core source,
 * under the build lock shared with the CLI and hardening tests (see test/helpers/build.ts).
 */
export const ensureBuilt = ensureServerBuilt;

// ---------------------------------------------------------------------------- files

/** A fresh temp folder; `files` maps names to contents. */
export function tempFolder(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postfix-tls-lsp-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

// ---------------------------------------------------------------------------- client

export interface ClientOptions {
  /** Advertise `textDocument.diagnostic` (pull). Default true. */
  pull?: boolean;
  /** Advertise `workspace.configuration`. Default true. */
  configuration?: boolean;
  /** Advertise `workspace.diagnostics.refreshSupport`. Default true. */
  refresh?: boolean;
  initializationOptions?: unknown;
  /** The answer to workspace/configuration for `postfixTls` and a scope URI. */
  settings?: (scopeUri: string | undefined) => unknown;
  /** Advertise what VS Code does for completion: `itemDefaults` (editRange) and resolving `documentation`. */
  completionDefaults?: boolean;
}

export class TestClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: LogMessageParams[] = [];
  /** window/showMessage notifications, in order. */
  readonly messages: ShowMessageParams[] = [];
  readonly configurationRequests: ConfigurationParams[] = [];
  refreshRequests = 0;
  stderr = '';
  exitCode: number | null | undefined;
  initializeResult!: InitializeResult;
  settings: (scopeUri: string | undefined) => unknown;
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly child: ChildProcess,
    readonly conn: MessageConnection,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? (() => null);
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('exit', (code) => (this.exitCode = code));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.published.get(p.uri) ?? [];
      list.push(p);
      this.published.set(p.uri, list);
    });
    conn.onNotification('window/logMessage', (p: LogMessageParams) => this.logs.push(p));
    conn.onNotification('window/showMessage', (p: ShowMessageParams) => this.messages.push(p));
    conn.onRequest('workspace/configuration', (p: ConfigurationParams) => {
      this.configurationRequests.push(p);
      return p.items.map((item) => (item.section === 'postfixTls' ? this.settings(item.scopeUri) : null));
    });
    conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests++;
      return null;
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
  }

  /** Spawns the server and completes initialize / initialized. */
  static async start(options: ClientOptions = {}, rootDir?: string): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER_BIN, '--stdio'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(child, conn, options);
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration !== false,
        didChangeConfiguration: { dynamicRegistration: false },
        didChangeWatchedFiles: { dynamicRegistration: true },
        ...(options.refresh !== false ? { diagnostics: { refreshSupport: true } } : {}),
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: options.completionDefaults
          ? {
              completionItem: { snippetSupport: false, documentationFormat: ['markdown'], resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
              completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
            }
          : { completionItem: { snippetSupport: false, documentationFormat: ['markdown'] } },
        definition: {},
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        publishDiagnostics: { versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true },
        ...(options.pull !== false ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
    };
    client.initializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: rootDir ? fileUri(rootDir) : null,
      capabilities,
      initializationOptions: options.initializationOptions,
      workspaceFolders: rootDir ? [{ uri: fileUri(rootDir), name: 'test' }] : null,
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental changes; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async changeConfiguration(settings: unknown = null): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  pull(uri: string): Promise<DocumentDiagnosticReport> {
    return this.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  }

  /** Pulled diagnostics of a document (full reports only). */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.pull(uri);
    if (r.kind !== 'full') throw new Error(`expected a full report, got ${r.kind}`);
    return r.items;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  resolveCompletion(item: CompletionItem): Promise<CompletionItem> {
    return this.conn.sendRequest('completionItem/resolve', item);
  }

  completion(uri: string, position: Position): Promise<CompletionList | null> {
    return this.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Location[] | null> {
    return this.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = []): Promise<CodeAction[] | null> {
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  /** The last publishDiagnostics for `uri` once `pred` holds for it. */
  async waitForPublished(uri: string, pred: (p: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
    let hit: PublishDiagnosticsParams | undefined;
    await until(() => {
      const list = this.published.get(uri);
      const last = list?.[list.length - 1];
      if (last && pred(last)) hit = last;
      return hit !== undefined;
    }, WAIT_MS, what);
    return hit!;
  }

  waitUntil(cond: () => boolean, what: string): Promise<void> {
    return until(cond, WAIT_MS, what);
  }

  /** Errors the server logged (window/logMessage type Error). */
  errorLogs(): string[] {
    return this.logs.filter((l) => l.type === 1).map((l) => l.message);
  }

  /** shutdown + exit; resolves with the process exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode === undefined) {
      const exited = new Promise<void>((resolve) => {
        if (this.exitCode !== undefined) resolve();
        else this.child.once('exit', () => resolve());
      });
      try {
        await this.conn.sendRequest('shutdown');
        await this.conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      await Promise.race([exited, until(() => this.exitCode !== undefined, WAIT_MS, 'server exit')]);
    }
    this.conn.dispose();
    return this.exitCode ?? null;
  }

  /** Last resort in `after` hooks: no server outlives the tests. */
  kill(): void {
    if (this.exitCode === undefined) this.child.kill();
    this.conn.dispose();
  }
}

/** What `serverFixture` hands a test file. */
export interface ServerFixture {
  /** Temp folders removed after the file's tests; push your own. */
  readonly dirs: string[];
  /** Clients killed after the file's tests; push your own. */
  readonly clients: TestClient[];
  /** A temp folder with `files`, and a client started with `options` rooted there (both cleaned up). */
  start(files?: Record<string, string>, options?: ClientOptions): Promise<{ dir: string; client: TestClient }>;
}

/**
 * For a test file whose tests start servers of their own: builds the server before the tests,
 * and after them kills every client and removes every temp folder. Call it at the top level.
 */
export function serverFixture(): ServerFixture {
  const dirs: string[] = [];
  const clients: TestClient[] = [];
  before(() => ensureBuilt());
  after(() => {
    for (const c of clients) c.kill();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const start = async (files: Record<string, string> = {}, options: ClientOptions = {}): Promise<{ dir: string; client: TestClient }> => {
    const dir = tempFolder(files);
    dirs.push(dir);
    const client = await TestClient.start(options, dir);
    clients.push(client);
    return { dir, client };
  };
  return { dirs, clients, start };
}

/** Codes of diagnostics, sorted, for assertions. */
export function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => String(d.code)).sort();
}

/** Position of the first occurrence of `needle` in `text` (plus `offset` characters). */
export function positionOf(text: string, needle: string, offset = 0): Position {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

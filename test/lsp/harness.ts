/**
 * A minimal LSP client for the protocol tests: spawns the built
 * `bin/postfix-tls-language-server.js --stdio` and speaks JSON-RPC over its stdio, answering
 * the server's requests (workspace/configuration, refresh, registration) like an editor would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver';
import { REPO_ROOT } from '../helpers/reference';

export { REPO_ROOT };
export const SERVER_BIN = path.join(REPO_ROOT, 'bin', 'postfix-tls-language-server.js');

/** Default time a test waits for the server; generous for slow CI machines. */
export const WAIT_MS = 15_000;

// ---------------------------------------------------------------------------- build

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|json|mjs|js)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function serverBundleIsFresh(): boolean {
  try {
    const built = statSync(path.join(REPO_ROOT, 'dist', 'server.js')).mtimeMs;
    const sources = Math.max(
      newestMtime(path.join(REPO_ROOT, 'server')),
      newestMtime(path.join(REPO_ROOT, 'core')),
      statSync(path.join(REPO_ROOT, 'scripts', 'build.mjs')).mtimeMs,
    );
    return built > sources;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, timeoutMs: number, what: string, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Runs `node scripts/build.mjs` unless dist/server.js is newer than every server/core source.
 * Test files run in parallel processes: a lock folder serialises the builds, so no server is
 * spawned from a half-written bundle.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = path.join(REPO_ROOT, 'dist', '.lsp-test-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a run that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for another test process to finish the build');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (serverBundleIsFresh()) return;
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status === 0) return;
    // One esbuild run writes every bundle: a broken client/cli entry fails the run although
    // dist/server.js was written. The server tests only need the server bundle.
    if (serverBundleIsFresh()) {
      process.stderr.write(`warning: build reported errors outside the server bundle:\n${r.stderr}\n`);
      return;
    }
    throw new Error(`build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

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
}

export class TestClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: LogMessageParams[] = [];
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
        completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown'] } },
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

/**
 * Helpers for integration suites (they run inside the VS Code extension host under
 * code-server, driven by test/integration/runner.mjs). See test/integration/README.md.
 *
 * Handshakes with the runner (which watches the extension host's console):
 *   `@@SCREENSHOT <name>@@`      -> the runner saves artifacts/screenshots/<name>.png
 *   `@@DOM <id> <css selector>@@` -> the runner writes the matching elements as JSON
 * The helpers below print the marker and wait for the file (poll with a deadline).
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The extension under test, `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'postfix-tls.postfix-tls';

export interface WaitOptions {
  /** Give up after this many milliseconds (default 30 s). */
  timeout?: number;
  /** Pause between attempts (default 100 ms). */
  interval?: number;
  /** What we are waiting for, for the timeout message. */
  message?: string;
}

/**
 * Calls `fn` until it returns something other than undefined/null/false (then returns that),
 * or throws after the deadline. Errors thrown by `fn` count as "not yet"; the last one is
 * reported on timeout. Use this instead of fixed sleeps.
 */
export async function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: WaitOptions = {}): Promise<T> {
  const timeout = opts.timeout ?? 30_000;
  const interval = opts.interval ?? 100;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${opts.message ?? 'condition'}${why}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Root folder of the test workspace (a fresh copy of test/integration/workspace per run). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open (the runner opens a copy of test/integration/workspace)');
  return folder.uri;
}

/** A file in the test workspace, e.g. `workspaceFile('main.cf')`. */
export function workspaceFile(...parts: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...parts);
}

/** Opens a workspace file in an editor and returns the editor (waits until it is active). */
export async function openEditor(relPath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(relPath));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  await waitFor(() => vscode.window.activeTextEditor?.document === doc, { message: `${relPath} to become the active editor` });
  return editor;
}

/** Activates the extension (if the host did not already) and returns it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

/** Waits until diagnostics for `uri` satisfy `pred` (default: at least one) and returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  pred: (d: readonly vscode.Diagnostic[]) => boolean = (d) => d.length > 0,
  opts: WaitOptions = {},
): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const d = vscode.languages.getDiagnostics(uri);
    return pred(d) ? d : undefined;
  }, { message: `diagnostics for ${path.basename(uri.path)}`, ...opts });
}

/** Moves the cursor (and the view) to a position. */
export function placeCursor(editor: vscode.TextEditor, pos: vscode.Position): void {
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
}

function runnerDir(envName: string): string {
  const dir = process.env[envName];
  if (!dir) throw new Error(`${envName} is not set: run the suite with test/integration/runner.mjs`);
  return dir;
}

/** True when running under test/integration/runner.mjs (screenshots and DOM reads work). */
export function hasRunner(): boolean {
  return !!process.env.POSTFIX_TLS_TEST_SCREENSHOTS && !!process.env.POSTFIX_TLS_TEST_EXCHANGE;
}

/**
 * Asks the runner for a screenshot of the whole page and waits until it is written.
 * Returns the PNG's path (artifacts/screenshots/<name>.png in the repository).
 */
export async function screenshot(name: string, opts: WaitOptions = {}): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be [A-Za-z0-9_.-]+: ${name}`);
  const file = path.join(runnerDir('POSTFIX_TLS_TEST_SCREENSHOTS'), `${name}.png`);
  // Remove a stale file from an earlier run so that waiting below means "this run's shot".
  if (existsSync(file)) unlinkSync(file);
  console.log(`@@SCREENSHOT ${name}@@`);
  await waitFor(() => existsSync(file), { message: `screenshot ${name}`, ...opts });
  return file;
}

/** One element as the runner read it from the rendered workbench. */
export interface DomNode {
  tag: string;
  className: string;
  /** textContent, trimmed. */
  text: string;
  /** Computed `content` of the ::before / ::after pseudo elements ('none' when absent). */
  before: string;
  after: string;
  /** Computed colour of ::after (decoration badges are styled there). */
  afterColor: string;
  /** Element is rendered (has a box). */
  visible: boolean;
  rect: { x: number; y: number; width: number; height: number };
  /** aria-label / title attributes, if any. */
  ariaLabel: string | null;
  title: string | null;
}

let domSeq = 0;

/** Reads the elements matching a CSS selector from the rendered page (may be empty). */
export async function readDom(selector: string, opts: WaitOptions = {}): Promise<DomNode[]> {
  if (/@@|[\r\n]/.test(selector)) throw new Error(`selector must not contain '@@' or newlines: ${selector}`);
  const id = `${process.pid}-${Date.now()}-${++domSeq}`;
  const file = path.join(runnerDir('POSTFIX_TLS_TEST_EXCHANGE'), `dom-${id}.json`);
  console.log(`@@DOM ${id} ${selector}@@`);
  const json = await waitFor(() => (existsSync(file) ? readFileSync(file, 'utf8') : undefined), { message: `DOM read of ${selector}`, ...opts });
  unlinkSync(file);
  const parsed = JSON.parse(json) as { error?: string; nodes?: DomNode[] };
  if (parsed.error) throw new Error(`DOM read of ${selector} failed: ${parsed.error}`);
  return parsed.nodes ?? [];
}

/**
 * Polls the rendered page until elements matching `selector` satisfy `pred` (default: at
 * least one visible), and returns them. Use it before a screenshot (squiggles, hovers and
 * decorations render a moment after the API reports them).
 */
export function waitForDom(
  selector: string,
  pred: (nodes: DomNode[]) => boolean = (n) => n.some((x) => x.visible),
  opts: WaitOptions = {},
): Promise<DomNode[]> {
  return waitFor(async () => {
    const nodes = await readDom(selector);
    return pred(nodes) ? nodes : undefined;
  }, { interval: 250, message: `rendered ${selector}`, ...opts });
}

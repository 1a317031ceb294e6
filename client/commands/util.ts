/**
 * Small helpers shared by the Postfix TLS commands: finding main.cf/master.cf, reading their
 * current text (open editors win over the disk, so unsaved changes count), settings per
 * resource, and the edit that sets one main.cf parameter.
 */
import vscode = require('vscode');
import { parseMainCf } from '../../core/config/parse-main';
import { looksBinary } from '../../core/sniff';
import type { MainCf } from '../../core/config/model';
import { DEFAULT_SETTINGS, PROFILE_NAMES, type ProfileName } from '../../core/types';

/** Largest configuration file the commands read (real ones are a few hundred KB). */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** A Uri from a Uri, a `file:` URI string or a plain path. */
export function toUri(v: unknown): vscode.Uri | undefined {
  if (v instanceof vscode.Uri) return v;
  if (v && typeof v === 'object' && typeof (v as { scheme?: unknown }).scheme === 'string' && typeof (v as { path?: unknown }).path === 'string') {
    try {
      return vscode.Uri.from(v as { scheme: string; path: string });
    } catch {
      return undefined;
    }
  }
  if (typeof v === 'string' && v.length > 0) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
      try {
        return vscode.Uri.parse(v, true);
      } catch {
        return undefined;
      }
    }
    return vscode.Uri.file(v);
  }
  return undefined;
}

/** Is this document a main.cf (by language, or by name when the language is not set yet)? */
export function isMainCf(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'postfix-main' || /(^|\/)main\.cf(\.proto|\.default)?$/.test(doc.uri.path);
}

export function isMasterCf(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'postfix-master' || /(^|\/)master\.cf(\.proto)?$/.test(doc.uri.path);
}

/** The open document for a Uri, if any. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const s = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === s);
}

/** The current text of a file: the open editor's (unsaved changes included), else the disk's. */
export async function readText(uri: vscode.Uri): Promise<string> {
  const doc = openDocument(uri);
  if (doc) return doc.getText();
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_CONFIG_BYTES) throw new Error(`${uri.fsPath || uri.path} is too large to be a Postfix configuration (${stat.size} bytes)`);
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (looksBinary(bytes)) throw new Error(`${uri.fsPath || uri.path} looks like a binary file, not a Postfix configuration`);
  return new TextDecoder('utf-8').decode(bytes);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The folder holding a file. */
export function folderOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

/** The main.cf the user means: an argument, else the active editor's main.cf (or the one beside its master.cf). */
export async function resolveMainCf(arg: unknown): Promise<vscode.Uri | undefined> {
  const given = toUri(arg);
  if (given) {
    if (/(^|\/)master\.cf(\.proto)?$/.test(given.path)) return vscode.Uri.joinPath(folderOf(given), 'main.cf');
    try {
      const st = await vscode.workspace.fs.stat(given);
      if (st.type & vscode.FileType.Directory) return vscode.Uri.joinPath(given, 'main.cf');
    } catch {
      // An unsaved or missing file: take it as named.
    }
    return given;
  }
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) return undefined;
  if (isMainCf(doc)) return doc.uri;
  if (isMasterCf(doc)) return vscode.Uri.joinPath(folderOf(doc.uri), 'main.cf');
  return undefined;
}

/** Parses main.cf (current text). */
export async function loadMainCf(uri: vscode.Uri): Promise<{ text: string; main: MainCf }> {
  const text = await readText(uri);
  return { text, main: parseMainCf({ uri: uri.toString(), getText: () => text }) };
}

/** The target Postfix version for a resource (setting postfixTls.postfixVersion). */
export function postfixVersionFor(uri: vscode.Uri | undefined): string {
  const v = vscode.workspace.getConfiguration('postfixTls', uri).get<unknown>('postfixVersion');
  return typeof v === 'string' && /^\d+\.\d+(\.\d+)?$/.test(v.trim()) ? v.trim() : DEFAULT_SETTINGS.postfixVersion;
}

export function opensslVersionFor(uri: vscode.Uri | undefined): string {
  const v = vscode.workspace.getConfiguration('postfixTls', uri).get<unknown>('opensslVersion');
  return typeof v === 'string' && /^\d+\.\d+(\.\d+)?$/.test(v.trim()) ? v.trim() : DEFAULT_SETTINGS.opensslVersion;
}

export function profileFor(uri: vscode.Uri | undefined): ProfileName {
  const v = vscode.workspace.getConfiguration('postfixTls', uri).get<unknown>('profile');
  return typeof v === 'string' && (PROFILE_NAMES as readonly string[]).includes(v) ? (v as ProfileName) : DEFAULT_SETTINGS.profile;
}

export function isProfileName(v: unknown): v is ProfileName {
  return typeof v === 'string' && (PROFILE_NAMES as readonly string[]).includes(v);
}

/** An LSP-style range as a VS Code range. */
export function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/**
 * The edit that makes main.cf set `name = value`: the last definition's value is replaced (no
 * duplicate is ever added), or a new line is appended at the end.
 */
export function setParameterEdit(uri: vscode.Uri, text: string, main: MainCf, name: string, value: string): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const list = main.byName.get(name);
  const last = list && list.length > 0 ? list[list.length - 1] : undefined;
  if (last) {
    const r = last.valueRange;
    const empty = r.start.line === r.end.line && r.start.character === r.end.character;
    const lineText = text.split(/\r\n|\n|\r/)[r.start.line] ?? '';
    const before = lineText.charAt(r.start.character - 1);
    const space = empty && before !== ' ' && before !== '\t' ? ' ' : '';
    edit.replace(uri, toRange(r), space + value);
  } else {
    const lines = text.split(/\r\n|\n|\r/);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lastLine = lines.length - 1;
    const end = new vscode.Position(lastLine, lines[lastLine].length);
    const prefix = text.length === 0 || lines[lastLine] === '' ? '' : eol;
    edit.insert(uri, end, `${prefix}${name} = ${value}${eol}`);
  }
  return edit;
}

/** A cancellation token that fires when any of the given tokens does. */
export function anyToken(...tokens: (vscode.CancellationToken | undefined)[]): vscode.CancellationToken {
  const list = tokens.filter((t): t is vscode.CancellationToken => !!t);
  return {
    get isCancellationRequested() {
      return list.some((t) => t.isCancellationRequested);
    },
    onCancellationRequested: (listener: (e: unknown) => unknown, thisArgs?: unknown, disposables?: vscode.Disposable[]) => {
      const subs = list.map((t) => t.onCancellationRequested(listener, thisArgs));
      const d = new vscode.Disposable(() => subs.forEach((s) => s.dispose()));
      disposables?.push(d);
      return d;
    },
  };
}

/** Is `v` a CancellationToken (for the automation arguments)? */
export function isToken(v: unknown): v is vscode.CancellationToken {
  return !!v && typeof v === 'object' && typeof (v as vscode.CancellationToken).isCancellationRequested === 'boolean' && typeof (v as vscode.CancellationToken).onCancellationRequested === 'function';
}

/** The message of an unknown error. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

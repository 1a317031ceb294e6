/**
 * Lints configuration files on disk (the CLI's `lint`). A PATH is a main.cf, a master.cf, or a
 * folder holding them; the two files of one folder are analysed together. A lone file still
 * gets its sibling (main.cf <-> master.cf in the same folder) as context, but only the files
 * asked for are reported. Each folder's `.postfix-tls.json` layers between the given settings
 * and the flags. Binary, huge and unreadable files become errors, never exceptions.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { lint } from './lint';
import { looksBinary } from './sniff';
import { loadSettingsFile, mergeSettings } from './settings-file';
import type { Finding, Settings, TextDocumentLike } from './types';

/** Configuration files larger than this are refused (real ones are a few hundred KB at most). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** DH parameter files larger than this are not read. */
export const MAX_AUX_BYTES = 1024 * 1024;

export interface LintPathsOptions {
  /** Settings that win over `.postfix-tls.json` (command-line flags). */
  flags?: Partial<Settings>;
  /** Read `.postfix-tls.json` in each configuration folder (default true). */
  settingsFiles?: boolean;
}

export interface LintPathsResult {
  findings: Finding[];
  /** Usage/read problems, each a full sentence naming the path. */
  errors: string[];
  /** The files that were linted, in order. */
  files: string[];
}

type Kind = 'main' | 'master';

/** main.cf or master.cf, by file name (`master.cf`, `master.cf.proto`, `postfix-master.cf` ...). */
export function configKind(file: string): Kind {
  return /master/i.test(path.basename(file)) ? 'master' : 'main';
}

interface Group {
  dir: string;
  main?: string;
  master?: string;
  /** Files whose findings are reported (a context sibling is not). */
  report: Set<string>;
}

function statOrError(p: string, errors: string[]): Stats | undefined {
  try {
    return statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    errors.push(code === 'ENOENT' ? `${p}: no such file or directory` : `${p}: cannot be read (${(err as Error).message})`);
    return undefined;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Reads a configuration file as text, or explains why not. */
export function readConfigFile(p: string): { text: string } | { error: string } {
  try {
    const st = statSync(p);
    if (!st.isFile()) return { error: `${p}: not a regular file` };
    if (st.size > MAX_CONFIG_BYTES) return { error: `${p}: too large to be a Postfix configuration (${st.size} bytes; the limit is ${MAX_CONFIG_BYTES})` };
    const buf = readFileSync(p);
    if (looksBinary(buf)) return { error: `${p}: looks like a binary file (it contains NUL bytes), not a Postfix configuration` };
    return { text: buf.toString('utf8') };
  } catch (err) {
    return { error: `${p}: cannot be read (${(err as Error).message})` };
  }
}

/**
 * A reader for files the configuration names: relative names resolve against `dir`; a missing
 * file is undefined; anything else that stops reading is an Error with a clear message.
 */
export function makeAuxReader(dir: string): (p: string) => Buffer | undefined {
  return (p: string) => {
    const abs = path.isAbsolute(p) ? p : path.resolve(dir, p);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new Error(code === 'EACCES' ? 'permission denied' : (err as Error).message);
    }
    if (st.isDirectory()) throw new Error('it is a directory');
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_AUX_BYTES) throw new Error(`${st.size} bytes, far too large for DH parameters`);
    try {
      return readFileSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'EACCES' ? 'permission denied' : (err as Error).message);
    }
  };
}

/** Groups the paths into configuration folders. */
function groupPaths(paths: string[], errors: string[]): Group[] {
  const groups = new Map<string, Group[]>();
  const order: Group[] = [];
  const add = (dir: string, kind: Kind, file: string, report: boolean) => {
    const list = groups.get(dir) ?? [];
    groups.set(dir, list);
    // One main and one master per group; another file of the same kind starts a new group.
    let g = list.find((x) => x[kind] === undefined || x[kind] === file);
    if (!g) {
      g = { dir, report: new Set() };
      list.push(g);
      order.push(g);
    }
    g[kind] = file;
    if (report) g.report.add(file);
  };
  for (const p of paths) {
    const st = statOrError(p, errors);
    if (!st) continue;
    if (st.isDirectory()) {
      const main = path.join(p, 'main.cf');
      const master = path.join(p, 'master.cf');
      const hasMain = isFile(main);
      const hasMaster = isFile(master);
      if (!hasMain && !hasMaster) {
        errors.push(`${p}: no main.cf or master.cf in this folder`);
        continue;
      }
      if (hasMain) add(p, 'main', main, true);
      if (hasMaster) add(p, 'master', master, true);
    } else {
      add(path.dirname(p), configKind(p), p, true);
    }
  }
  // Context: a lone main.cf gets the master.cf beside it (and the other way round).
  for (const g of order) {
    const base = (f: string | undefined) => (f ? path.basename(f) : undefined);
    if (g.main && !g.master && base(g.main) === 'main.cf' && isFile(path.join(g.dir, 'master.cf'))) g.master = path.join(g.dir, 'master.cf');
    if (g.master && !g.main && base(g.master) === 'master.cf' && isFile(path.join(g.dir, 'main.cf'))) g.main = path.join(g.dir, 'main.cf');
  }
  return order;
}

/** Lints the given paths. Resolves, never rejects, for any file content. */
export async function lintPaths(paths: string[], settings: Settings, options: LintPathsOptions = {}): Promise<LintPathsResult> {
  const errors: string[] = [];
  const findings: Finding[] = [];
  const files: string[] = [];
  const settingsCache = new Map<string, Settings>();
  for (const g of groupPaths(paths, errors)) {
    let effective = settingsCache.get(g.dir);
    if (!effective) {
      const fromFile = options.settingsFiles === false ? undefined : loadSettingsFile(g.dir);
      if (fromFile) errors.push(...fromFile.errors);
      effective = mergeSettings(settings, fromFile?.settings, options.flags);
      settingsCache.set(g.dir, effective);
    }
    const docs: Partial<Record<Kind, TextDocumentLike>> = {};
    for (const kind of ['main', 'master'] as const) {
      const file = g[kind];
      if (!file) continue;
      const r = readConfigFile(file);
      if ('error' in r) {
        // A context sibling that cannot be read is simply left out.
        if (g.report.has(file)) errors.push(r.error);
        continue;
      }
      docs[kind] = { uri: file, getText: () => r.text };
      if (g.report.has(file)) files.push(file);
    }
    if (!docs.main && !docs.master) continue;
    // Yield between folders so a long run does not starve the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const all = lint({ main: docs.main, master: docs.master, configDirectory: g.dir, readFile: makeAuxReader(g.dir) }, effective);
    findings.push(...all.filter((f) => g.report.has(f.file)));
  }
  return { findings, errors, files };
}

/**
 * Which documents the server analyses, and how main.cf and master.cf of one folder find each
 * other (open document first, the file on disk otherwise).
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocumentLike } from '../core/types';
import { looksBinaryText } from '../core/sniff';

/** The two Postfix configuration files the server understands. */
export type ConfigKind = 'main' | 'master';

/**
 * Documents above this many UTF-16 code units are not analysed: one information diagnostic
 * says so instead. 5 Mi characters is some thousand times a large real main.cf, and keeps
 * every request well below a second even for pathological input.
 */
export const MAX_ANALYSED_CHARS = 5 * 1024 * 1024;

/** At most this much of a DH parameter file is read (real ones are a few KiB). */
export const MAX_AUX_FILE_BYTES = 1024 * 1024;

/** Language ids of main.cf: ours, and Vim/Neovim's built-in `pfmain` filetype. */
const MAIN_LANGUAGE_IDS = new Set(['postfix-main', 'pfmain']);
/** Language ids of master.cf. */
const MASTER_LANGUAGE_IDS = new Set(['postfix-master', 'pfmaster']);

/** The last path segment of a URI or path, percent-decoded where possible. */
export function baseName(uri: string): string {
  const noQuery = uri.replace(/[?#].*$/, '');
  const last = noQuery.slice(noQuery.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** The kind a file name implies (`main.cf`, `main.cf.proto`, `master.cf`, ...), if any. */
export function kindFromFileName(uri: string): ConfigKind | undefined {
  const name = baseName(uri);
  if (name === 'main.cf' || name.startsWith('main.cf.')) return 'main';
  if (name === 'master.cf' || name.startsWith('master.cf.')) return 'master';
  return undefined;
}

/**
 * The kind of a document: its language id decides when it is one of ours; otherwise (editors
 * with a generic `conf` mode) the file name does.
 */
export function documentKind(uri: string, languageId: string | undefined): ConfigKind | undefined {
  if (languageId && MAIN_LANGUAGE_IDS.has(languageId)) return 'main';
  if (languageId && MASTER_LANGUAGE_IDS.has(languageId)) return 'master';
  return kindFromFileName(uri);
}

/**
 * The URI of the other file of the pair in the same folder: `main.cf` <-> `master.cf`,
 * `main.cf.proto` <-> `master.cf.proto`; a differently named document pairs with the plain name.
 * Undefined when there is no folder (e.g. `untitled:` documents) or the pair would be itself.
 * The folder part of the URI is kept byte for byte, so the client's own encoding still matches.
 */
export function siblingUri(uri: string, kind: ConfigKind): string | undefined {
  if (/[?#]/.test(uri)) return undefined;
  const slash = uri.lastIndexOf('/');
  if (slash < 0) return undefined;
  const name = baseName(uri);
  // The kind decides the direction (a master.cf opened as main.cf by hand still pairs with master.cf).
  const [own, other] = kind === 'main' ? ['main.cf', 'master.cf'] : ['master.cf', 'main.cf'];
  const suffix = name.startsWith(own + '.') ? name.slice(own.length) : '';
  const sibling = other + suffix;
  if (sibling === name) return undefined;
  return uri.slice(0, slash + 1) + encodeURIComponent(sibling);
}

/** The local path of a `file:` URI, or undefined for any other scheme or a malformed URI. */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** A comparison key for URIs: the normalised path for `file:` URIs (tolerates `%3A` vs `:`), else the URI. */
export function uriKey(uri: string): string {
  const p = fsPathOf(uri);
  if (p === undefined) return uri;
  const n = path.normalize(p);
  return process.platform === 'win32' ? n.toLowerCase() : n;
}

/** A URI for what the core reports as a file: URIs stay, plain paths become `file:` URIs. */
export function toUri(file: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(file)) return file;
  return pathToFileURL(path.resolve(file)).href;
}

/** Why a document is not analysed, or undefined when it is. */
export type SkipReason = 'too-large' | 'binary';

export function skipReason(text: string): SkipReason | undefined {
  if (text.length > MAX_ANALYSED_CHARS) return 'too-large';
  if (looksBinaryText(text)) return 'binary';
  return undefined;
}

/** A document of the pair read from disk, with a stamp that changes when the file does. */
export interface DiskDocument extends TextDocumentLike {
  readonly stamp: string;
}

/**
 * Reads the other file of the pair from disk (only `file:` URIs). Missing, unreadable, too
 * large or binary files count as absent: the analysis then simply has one file. `previous`
 * is returned as is when the file's size, time and inode are unchanged.
 */
export function readDiskDocument(uri: string, previous?: DiskDocument): DiskDocument | undefined {
  const p = fsPathOf(uri);
  if (p === undefined) return undefined;
  try {
    const st = statSync(p);
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so this size bounds the text length.
    if (!st.isFile() || st.size > MAX_ANALYSED_CHARS * 3) return undefined;
    const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    // Hovers come often: an unchanged file is not read again.
    if (previous && previous.uri === uri && previous.stamp === stamp) return previous;
    const text = readFileSync(p, 'utf8');
    if (skipReason(text) !== undefined) return undefined;
    return { uri, stamp, getText: () => text };
  } catch {
    return undefined;
  }
}

/**
 * A `readFile` for the core (DH parameter files) with the contract of LintInput.readFile:
 * `undefined` when the file does not exist, an exception (with the reason) when it exists but
 * cannot be read. At most MAX_AUX_FILE_BYTES + 1 bytes are read: enough for the core to tell
 * that a file is far too large, without loading a huge file into memory.
 */
export function makeReadFile(configDirectory: string): (p: string) => Buffer | undefined {
  return (name: string) => {
    // The core's contract: relative names resolve against the configuration folder.
    const p = path.resolve(configDirectory, name);
    let fd: number;
    try {
      // Opening a FIFO for reading blocks until a writer comes, which would hang the whole
      // (single-threaded) server: refuse anything but a regular file before opening it ...
      if (!statSync(p).isFile()) throw new Error(`'${p}' is not a regular file`);
      // ... and open without blocking anyway, in case the file is swapped for a FIFO in between
      // (the fstat below then refuses it). O_NONBLOCK does not exist on Windows.
      fd = openSync(p, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error(`'${p}' is not a regular file`);
      const buf = Buffer.alloc(Math.min(st.size, MAX_AUX_FILE_BYTES) + 1);
      let n = 0;
      while (n < buf.length) {
        const r = readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
      }
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  };
}

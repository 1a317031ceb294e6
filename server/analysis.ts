/**
 * Runs the core over the main.cf / master.cf pair of a folder. The server owns no analysis of
 * its own: it only decides which texts go in (open documents win over the disk) and caches.
 */
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { MainCf, MasterCf } from '../core/config/model';
import { parseMainCf, parseMainCfIncremental, reparseMainCf } from '../core/config/parse-main';
import { parseMasterCf } from '../core/config/parse-master';
import { LintCache, lintParsed } from '../core/lint';
import type { CancellationTokenLike, Finding, Settings, TextDocumentLike } from '../core/types';
import * as path from 'node:path';
import {
  documentKind,
  fsPathOf,
  makeReadFile,
  readDiskDocument,
  siblingUri,
  skipReason,
  uriKey,
  type ConfigKind,
  type DiskDocument,
  type SkipReason,
} from './documents';
import type { EditTracker } from './edits';

/** Whether files the configuration points at (DH parameter files) may be read. */
export interface TrustState {
  trusted: boolean;
}

/** A document and the other file of its pair, as the analysis sees them. */
export interface Pair {
  kind: ConfigKind;
  doc: TextDocument;
  /** The other file: its open document, else its file on disk, else absent. */
  sibling?: TextDocumentLike;
  /** Changes whenever the sibling's text may have changed. */
  siblingStamp: string;
  /** The folder of main.cf (both files live in it), for `file:` documents. */
  configDirectory?: string;
}

/** What the hover / completion / definition features of the core take. */
export interface FeatureContext {
  main?: MainCf;
  master?: MasterCf;
  doc: TextDocumentLike;
  settings: Settings;
}

/** A small LRU of parse results of files read from disk, keyed by URI and stamp. */
class ParseCache {
  private readonly entries = new Map<string, MainCf | MasterCf>();
  constructor(private readonly max: number) {}

  get<T extends MainCf | MasterCf>(key: string, make: () => T): T {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as T;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}

export class Analysis {
  /** Parses of files read from disk. */
  private readonly parses = new ParseCache(8);
  /** Parses of open documents, dropped with the document object. */
  private readonly openParses = new WeakMap<TextDocumentLike, { version: number; kind: ConfigKind; parsed: MainCf | MasterCf; crFree: boolean }>();
  private readonly docIds = new WeakMap<TextDocument, number>();
  private nextDocId = 0;
  /** The last read of each partner file on disk. */
  private readonly diskDocs = new Map<string, DiskDocument>();
  /** Last findings per URI with the inputs they came from; used by code actions. */
  private readonly lastLint = new Map<string, { key: string; findings: Finding[] }>();

  /** Per-site lint reports kept between runs (keyed by assignment objects, which reparses share). */
  private readonly lintCache = new LintCache();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly trust: TrustState,
    /** Changed lines per document since its last parse; without it every version is parsed in full. */
    private readonly edits?: EditTracker,
  ) {}

  /** The kind of an open document, or undefined when the server does not analyse it. */
  kindOf(doc: TextDocument): ConfigKind | undefined {
    return documentKind(doc.uri, doc.languageId);
  }

  /** Why this document is not analysed (too large, binary), if so. */
  skipped(doc: TextDocument): SkipReason | undefined {
    return skipReason(doc.getText());
  }

  /** The open document of the other file of the pair, if it is open. */
  openSibling(doc: TextDocument): TextDocument | undefined {
    const kind = this.kindOf(doc);
    if (!kind) return undefined;
    const uri = siblingUri(doc.uri, kind);
    if (!uri) return undefined;
    const exact = this.documents.get(uri);
    if (exact) return exact;
    const key = uriKey(uri);
    return this.documents.all().find((d) => d.uri !== doc.uri && uriKey(d.uri) === key);
  }

  /** Collects the inputs of the analysis of `doc`. Undefined for documents that are not ours. */
  pair(doc: TextDocument): Pair | undefined {
    const kind = this.kindOf(doc);
    if (!kind) return undefined;
    const docPath = fsPathOf(doc.uri);
    const configDirectory = docPath !== undefined ? path.dirname(docPath) : undefined;
    const open = this.openSibling(doc);
    if (open) {
      const stamp = `${this.idOf(open)}@${open.version}`;
      if (skipReason(open.getText()) !== undefined) return { kind, doc, siblingStamp: `skip:${stamp}`, configDirectory };
      return { kind, doc, sibling: open, siblingStamp: `open:${stamp}`, configDirectory };
    }
    const uri = siblingUri(doc.uri, kind);
    const disk = uri ? readDiskDocument(uri, this.diskDocs.get(uri)) : undefined;
    if (uri) {
      if (disk) this.diskDocs.set(uri, disk);
      else this.diskDocs.delete(uri);
      if (this.diskDocs.size > 16) this.diskDocs.delete(this.diskDocs.keys().next().value as string);
    }
    if (disk) return { kind, doc, sibling: disk, siblingStamp: `disk:${disk.stamp}`, configDirectory };
    return { kind, doc, siblingStamp: 'none', configDirectory };
  }

  /**
   * Lints the pair of `doc` and returns the findings that lie in `doc`. The findings are also
   * kept for code actions on the same inputs.
   */
  findingsFor(doc: TextDocument, settings: Settings, token: CancellationTokenLike): Finding[] {
    const pair = this.pair(doc);
    if (!pair) return [];
    const parsed = this.parsePair(pair);
    const all = lintParsed(
      {
        ...parsed,
        // Raw texts let rules see what the parsers set aside (postconf -P lines in master.cf).
        texts: pair.kind === 'main'
          ? { main: pair.doc.getText(), master: pair.sibling?.getText() }
          : { master: pair.doc.getText(), main: pair.sibling?.getText() },
        configDirectory: pair.configDirectory,
        readFile: this.trust.trusted && pair.configDirectory !== undefined ? makeReadFile(pair.configDirectory) : undefined,
      },
      settings,
      token,
      this.lintCache,
    );
    const own = uriKey(doc.uri);
    const findings = all.filter((f) => f.file === doc.uri || uriKey(f.file) === own);
    // A run that was cut short is not worth keeping for code actions.
    if (!token.isCancellationRequested) this.lastLint.set(doc.uri, { key: this.lintKey(pair, settings), findings });
    else this.lastLint.delete(doc.uri);
    return findings;
  }

  /** Findings for code actions: the last result when its inputs are unchanged, else a new lint. */
  cachedFindingsFor(doc: TextDocument, settings: Settings, token: CancellationTokenLike): Finding[] {
    const pair = this.pair(doc);
    if (!pair) return [];
    const last = this.lastLint.get(doc.uri);
    if (last && last.key === this.lintKey(pair, settings)) return last.findings;
    return this.findingsFor(doc, settings, token);
  }

  private lintKey(pair: Pair, settings: Settings): string {
    return JSON.stringify([this.idOf(pair.doc), pair.doc.version, pair.siblingStamp, settings, this.trust.trusted]);
  }

  /**
   * A number per open document object: versions restart at 1 when a file is closed and
   * opened again, so version alone does not identify a text.
   */
  private idOf(doc: TextDocument): number {
    let id = this.docIds.get(doc);
    if (id === undefined) this.docIds.set(doc, (id = ++this.nextDocId));
    return id;
  }

  /**
   * The parse of a document as `kind`. Open documents are cached per object and version (a
   * closed and reopened file is a new object, starting again at version 1); files read from
   * disk per URI and stamp. Parsed without the request's token on purpose: a parse cut short
   * would stay in the cache (parsing is linear and fast; the rules are what a budget stops).
   * An edited main.cf is parsed again only around the lines its changes touched (EditTracker).
   */
  private parse(kind: ConfigKind, d: TextDocumentLike, diskStamp?: string): MainCf | MasterCf {
    if (diskStamp !== undefined) return this.parses.get(`${kind}:${d.uri}|${diskStamp}`, () => (kind === 'main' ? parseMainCf(d) : parseMasterCf(d)));
    const doc = d as TextDocument;
    const version = doc.version;
    const hit = this.openParses.get(d);
    if (hit && hit.version === version && hit.kind === kind) return hit.parsed;
    const change = this.edits?.take(doc);
    if (kind === 'master') {
      const parsed = parseMasterCf(d);
      this.openParses.set(d, { version, kind, parsed, crFree: false });
      return parsed;
    }
    const text = d.getText();
    // The parser counts lines at `\n`, the editor also at a lone `\r`: with a `\r` anywhere the
    // change's line numbers may not be the parser's, so such texts are parsed in full.
    const crFree = text.indexOf('\r') < 0;
    const parsed =
      hit && hit.kind === 'main' && hit.crFree && crFree && change && change !== 'all'
        ? reparseMainCf(hit.parsed as MainCf, text, change)
        : parseMainCfIncremental(d.uri, text);
    this.openParses.set(d, { version, kind, parsed, crFree });
    return parsed;
  }

  /** Parsed main.cf and master.cf of the pair. */
  private parsePair(pair: Pair): { main?: MainCf; master?: MasterCf } {
    const { doc, sibling } = pair;
    const other: ConfigKind = pair.kind === 'main' ? 'master' : 'main';
    const out: { main?: MainCf; master?: MasterCf } = {};
    const set = (kind: ConfigKind, p: MainCf | MasterCf) => {
      if (kind === 'main') out.main = p as MainCf;
      else out.master = p as MasterCf;
    };
    set(pair.kind, this.parse(pair.kind, doc));
    if (sibling) set(other, this.parse(other, sibling, pair.siblingStamp.startsWith('disk:') ? pair.siblingStamp : undefined));
    return out;
  }

  /** Parsed main.cf and master.cf of the pair, for hover, completion and definition. */
  featureContext(doc: TextDocument, settings: Settings): FeatureContext | undefined {
    const pair = this.pair(doc);
    if (!pair) return undefined;
    return { ...this.parsePair(pair), doc, settings };
  }

  /** The parse of `doc` itself (for finding the parameter a diagnostic is about). */
  parsed(doc: TextDocument): MainCf | MasterCf | undefined {
    const kind = this.kindOf(doc);
    return kind ? this.parse(kind, doc) : undefined;
  }

  /** Settings, trust or files on disk changed: drop everything cached. */
  invalidate(): void {
    // Parses stay: they depend only on the text, which their keys already capture.
    this.lastLint.clear();
  }

  /** A document closed. */
  forget(uri: string): void {
    this.lastLint.delete(uri);
  }
}

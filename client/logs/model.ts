/**
 * Per-document knowledge about a mail log, shared by decorations, hovers and the status bar:
 * - a cache of classified lines for what is (or was recently) visible, invalidated on edits;
 * - a background scan of the whole document (chunked, cancellable, resumed from the first
 *   edited line) for overview-ruler marks and the forward-secrecy share.
 * Classification always goes through the ONE core classifier (see classifier.ts).
 */
import vscode = require('vscode');
import type { LogRecord } from '../../core/log/record';
import { classifyLines, outcomeOf, type Outcome } from './classifier';
import { runChunked, type ChunkedJob } from '../util/chunked';

/** Languages whose documents get the log features. */
export const LOG_LANGUAGES = ['postfix-log', 'email'] as const;

export function isLogDocument(doc: vscode.TextDocument): boolean {
  return (LOG_LANGUAGES as readonly string[]).includes(doc.languageId);
}

/** How far back an edit can change a record: folded Received: headers start above the edit. */
const FOLD_MARGIN = 30;
/** Beyond this many cached lines the visible cache starts over (memory bound). */
const MAX_CACHED_LINES = 50_000;
/** Lines per slice of the background scan. */
const SCAN_SLICE = 2_000;

/** Counts for the status bar, from the whole-document scan. */
export interface FsCounts {
  /** TLS connections (summary lines and Received: header TLS comments). */
  connections: number;
  fs: number;
  noFs: number;
  unknown: number;
  failures: number;
  inbound: { fs: number; noFs: number; unknown: number };
  outbound: { fs: number; noFs: number; unknown: number };
}

/** What the whole-document scan found so far. */
export interface ScanResult {
  version: number;
  /** True when the scan reached the end of the document. */
  complete: boolean;
  /** Lines (record starts) without forward secrecy, ascending. */
  noFsLines: number[];
  /** Lines with TLS failures, ascending. */
  failureLines: number[];
  counts: FsCounts;
  lineCount: number;
  /** Records scanned so far (any badge class). */
  entryCount: number;
}

/** Compact per-record facts kept by the scan, so an edit can drop the tail and rescan it. */
interface ScanEntry {
  line: number;
  outcome: Outcome;
  role?: 'client' | 'server';
  connection: boolean;
}

interface DocState {
  version: number;
  /** line -> record starting there, or null when the line starts none (classified, nothing). */
  lines: Map<number, LogRecord | null>;
  /** The whole-document scan: entries for lines [0, next), resumable after edits. */
  scan?: {
    version: number;
    entries: ScanEntry[];
    /** Next line to classify. */
    next: number;
    job?: ChunkedJob;
    complete: boolean;
    /** Last computed result, reused while nothing changed (status bar and ruler ask often). */
    memo?: ScanResult;
  };
}

/** Owns the per-document caches and scans. */
export class LogModel implements vscode.Disposable {
  private readonly docs = new Map<string, DocState>();
  private readonly scanEmitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires when a document's whole-document scan finished (or made visible progress). */
  readonly onDidScan = this.scanEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.invalidate(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
    );
  }

  private state(doc: vscode.TextDocument): DocState {
    const key = doc.uri.toString();
    let st = this.docs.get(key);
    if (!st || st.version !== doc.version) {
      // Missed or out-of-order change events: start over for this document.
      if (st?.scan?.job) st.scan.job.cancel();
      st = { version: doc.version, lines: new Map() };
      this.docs.set(key, st);
    }
    return st;
  }

  private invalidate(e: vscode.TextDocumentChangeEvent): void {
    const st = this.docs.get(e.document.uri.toString());
    if (!st) return;
    if (e.contentChanges.length === 0) return;
    let first = Number.MAX_SAFE_INTEGER;
    for (const c of e.contentChanges) first = Math.min(first, c.range.start.line);
    const from = Math.max(0, first - FOLD_MARGIN);
    // Lines may have shifted below the edit: everything from `from` on is stale.
    for (const line of st.lines.keys()) if (line >= from) st.lines.delete(line);
    st.version = e.document.version;
    if (st.scan) {
      st.scan.job?.cancel();
      st.scan.job = undefined;
      const keep = st.scan.entries.findIndex((x) => x.line >= from);
      if (keep >= 0) st.scan.entries.length = keep;
      st.scan.next = Math.min(st.scan.next, from);
      st.scan.complete = false;
      st.scan.version = e.document.version;
    }
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.docs.get(key)?.scan?.job?.cancel();
    this.docs.delete(key);
  }

  /** Classifies lines [from, to) (clamped) where not cached yet; returns the records starting there. */
  records(doc: vscode.TextDocument, from: number, to: number): { line: number; record: LogRecord }[] {
    const st = this.state(doc);
    from = Math.max(0, from);
    to = Math.min(doc.lineCount, to);
    if (from >= to) return [];
    let a = -1;
    let b = -1;
    for (let i = from; i < to; i++) {
      if (!st.lines.has(i)) {
        if (a < 0) a = i;
        b = i + 1;
      }
    }
    if (a >= 0) {
      if (st.lines.size > MAX_CACHED_LINES) st.lines.clear();
      for (const { line, record } of classifyLines(doc, a, b)) st.lines.set(line, record);
      for (let i = a; i < b; i++) if (!st.lines.has(i)) st.lines.set(i, null);
    }
    const out: { line: number; record: LogRecord }[] = [];
    for (let i = from; i < to; i++) {
      const r = st.lines.get(i);
      if (r) out.push({ line: i, record: r });
    }
    return out;
  }

  /** The record covering `line` (a folded Received: header covers several lines). */
  recordAt(doc: vscode.TextDocument, line: number): { line: number; record: LogRecord } | undefined {
    const found = this.records(doc, line - FOLD_MARGIN, line + 1);
    for (let k = found.length - 1; k >= 0; k--) {
      const { line: start, record } = found[k];
      if (start <= line && line < start + Math.max(1, record.lineSpan)) return found[k];
    }
    return undefined;
  }

  /**
   * Starts (or resumes after an edit) the whole-document scan; no-op when it is running or
   * complete for this version. Progress is reported through onDidScan.
   */
  ensureScan(doc: vscode.TextDocument): void {
    const st = this.state(doc);
    // invalidate() keeps an existing scan on the current version (tail dropped, `next` rewound).
    if (!st.scan) st.scan = { version: doc.version, entries: [], next: 0, complete: false };
    const scan = st.scan;
    if (scan.complete || scan.job) return;
    const start = scan.next;
    const total = doc.lineCount - start;
    if (total <= 0) {
      scan.complete = true;
      this.scanEmitter.fire(doc);
      return;
    }
    const version = doc.version;
    let lastReport = Date.now();
    const job = runChunked(
      total,
      (a, b) => {
        if (doc.isClosed || doc.version !== version) return job.cancel();
        const from = start + a;
        const to = start + b;
        const last = scan.entries.length ? scan.entries[scan.entries.length - 1].line : -1;
        for (const { line, record } of classifyLines(doc, from, to)) {
          // A record found again from the next slice (folded header across a boundary).
          if (line <= last) continue;
          const outcome = outcomeOf(record);
          if (!outcome) continue;
          scan.entries.push({
            line,
            outcome,
            role: record.role,
            connection: record.kind === 'tls-summary' || record.kind === 'received-header',
          });
        }
        scan.next = to;
        if (Date.now() - lastReport > 1000) {
          lastReport = Date.now();
          this.scanEmitter.fire(doc);
        }
      },
      { sliceSize: SCAN_SLICE },
    );
    scan.job = job;
    void job.done.then((finished) => {
      if (scan.job === job) scan.job = undefined;
      if (finished && doc.version === version && !doc.isClosed) {
        scan.complete = true;
        this.scanEmitter.fire(doc);
      }
    });
  }

  /** What the scan found so far (undefined before the first ensureScan). */
  scanResult(doc: vscode.TextDocument): ScanResult | undefined {
    const st = this.docs.get(doc.uri.toString());
    const scan = st?.scan;
    if (!scan || st.version !== doc.version) return undefined;
    const m = scan.memo;
    if (m && m.version === scan.version && m.complete === scan.complete && m.entryCount === scan.entries.length && m.lineCount === doc.lineCount) return m;
    const counts: FsCounts = {
      connections: 0,
      fs: 0,
      noFs: 0,
      unknown: 0,
      failures: 0,
      inbound: { fs: 0, noFs: 0, unknown: 0 },
      outbound: { fs: 0, noFs: 0, unknown: 0 },
    };
    const noFsLines: number[] = [];
    const failureLines: number[] = [];
    for (const e of scan.entries) {
      if (e.outcome === 'failure') {
        counts.failures++;
        failureLines.push(e.line);
        continue;
      }
      if (e.outcome === 'no-fs') noFsLines.push(e.line);
      if (!e.connection) continue;
      counts.connections++;
      const key = e.outcome === 'fs' ? 'fs' : e.outcome === 'no-fs' ? 'noFs' : 'unknown';
      counts[key]++;
      // Received: headers describe mail that came in: they count as inbound.
      const side = e.role === 'client' ? counts.outbound : counts.inbound;
      side[key]++;
    }
    scan.memo = {
      version: scan.version,
      complete: scan.complete,
      noFsLines,
      failureLines,
      counts,
      lineCount: doc.lineCount,
      entryCount: scan.entries.length,
    };
    return scan.memo;
  }

  /** Stops a document's scan (e.g. when no feature needs it any more). */
  cancelScan(doc: vscode.TextDocument): void {
    const scan = this.docs.get(doc.uri.toString())?.scan;
    scan?.job?.cancel();
  }

  dispose(): void {
    for (const st of this.docs.values()) st.scan?.job?.cancel();
    this.docs.clear();
    for (const s of this.subscriptions) s.dispose();
    this.scanEmitter.dispose();
  }
}

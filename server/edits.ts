/**
 * Remembers which lines of each open document changed since its last parse, so the analysis
 * re-reads only those (core/config/parse-main.ts reparseMainCf). Sits in the document store's
 * `update`, which sees every incremental change event.
 */
import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LineChange } from '../core/config/parse-main';

/** The lines changed since the last parse: one span covering every change, or "everything". */
export type PendingChange = LineChange | 'all';

export class EditTracker {
  private readonly pending = new WeakMap<TextDocument, PendingChange>();

  /** The document store configuration: the library's documents, with changes noted on the way. */
  readonly configuration: TextDocumentsConfiguration<TextDocument> = {
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (doc, changes, version) => {
      this.note(doc, changes);
      return TextDocument.update(doc, changes, version);
    },
  };

  /** What changed since the last take() (undefined: nothing), and starts over. */
  take(doc: TextDocument): PendingChange | undefined {
    const p = this.pending.get(doc);
    this.pending.delete(doc);
    return p;
  }

  private note(doc: TextDocument, changes: TextDocumentContentChangeEvent[]): void {
    let acc = this.pending.get(doc);
    for (const change of changes) {
      if (acc === 'all') break;
      acc = 'range' in change && change.range ? combine(acc, lineChangeOf(change.range, change.text)) : 'all';
    }
    if (acc !== undefined) this.pending.set(doc, acc);
  }
}

/** The lines one change event replaces, counted at `\n` like the parser; 'all' for a `\r` (other line ends). */
function lineChangeOf(range: { start: { line: number }; end: { line: number } }, text: string): PendingChange {
  if (text.indexOf('\r') >= 0) return 'all';
  const a = range.start.line;
  const b = range.end.line;
  // The library accepts a start after the end (it swaps them); so does this.
  const startLine = Math.max(0, Math.min(a, b));
  const oldEndLine = Math.max(0, a, b);
  let breaks = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks++;
  return { startLine, oldEndLine, newEndLine: startLine + breaks };
}

/**
 * One span for two successive changes: `first` took the parsed text to the current one, `next`
 * edits the current one. The result spans both, in the lines of the parsed text (old end) and
 * of the newest text (new end).
 */
export function combine(first: PendingChange | undefined, next: PendingChange): PendingChange {
  if (first === undefined || next === 'all') return next;
  if (first === 'all') return 'all';
  // Lines after `first` lie this many lines further down in the current text than when parsed.
  const shift = first.newEndLine - first.oldEndLine;
  const end = Math.max(first.newEndLine, next.oldEndLine);
  return {
    startLine: Math.min(first.startLine, next.startLine),
    oldEndLine: end - shift,
    newEndLine: end + (next.newEndLine - next.oldEndLine),
  };
}

/**
 * Positions of the core versus positions of the editor. The core splits lines at LF only, as
 * Postfix does (a CR before the LF is dropped); LSP clients also end a line at a lone CR. For a
 * text with a lone CR the two disagree on line numbers, so every position crossing the server
 * boundary goes through the text offset: core position -> offset (LF-only line starts) ->
 * `positionAt`, and the reverse for positions the client sends. Texts without a lone CR (all
 * real files) take a fast path: the two views are the same and positions pass unchanged.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextDocumentLike } from '../core/types';

/** Converts positions of one text between the core's view and the editor's. */
interface PositionMap {
  toLsp(p: Position): Position;
  toCore(p: Position): Position;
}

/** Whether `text` has a CR that is not followed by LF. */
export function hasLoneCr(text: string): boolean {
  let i = text.indexOf('\r');
  while (i >= 0) {
    if (text.charCodeAt(i + 1) !== 10) return true;
    i = text.indexOf('\r', i + 1);
  }
  return false;
}

/** A finite, non-negative integer (the core never sends anything else, but a bad number must not throw). */
function sane(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}

function makeMap(text: string, lsp: TextDocument): PositionMap {
  // Start offsets of the core's lines (after each LF), and where each line's content ends.
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const contentEnd = (line: number): number => {
    if (line + 1 >= starts.length) return text.length;
    let end = starts[line + 1] - 1; // the LF
    if (end > starts[line] && text.charCodeAt(end - 1) === 13) end--; // CRLF: the CR belongs to the line end
    return end;
  };
  return {
    toLsp(p) {
      const line = sane(p.line);
      if (line >= starts.length) return lsp.positionAt(text.length);
      return lsp.positionAt(Math.min(starts[line] + sane(p.character), contentEnd(line)));
    },
    toCore(p) {
      const offset = lsp.offsetAt({ line: sane(p.line), character: sane(p.character) });
      // The last line start at or before the offset.
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo, character: offset - starts[lo] };
    },
  };
}

/** Maps per document object (and version, for open documents); `null` means no lone CR. */
const cache = new WeakMap<TextDocumentLike, { version: number | undefined; map: PositionMap | null }>();

function mapFor(doc: TextDocumentLike): PositionMap | null {
  const version = (doc as Partial<TextDocument>).version;
  const hit = cache.get(doc);
  if (hit && hit.version === version) return hit.map;
  const text = doc.getText();
  let map: PositionMap | null = null;
  if (hasLoneCr(text)) {
    const lsp = typeof (doc as Partial<TextDocument>).positionAt === 'function'
      ? (doc as TextDocument)
      : TextDocument.create(doc.uri, '', 0, text);
    map = makeMap(text, lsp);
  }
  cache.set(doc, { version, map });
  return map;
}

/** A core position of `doc` as the editor counts it. */
export function toLspPosition(doc: TextDocumentLike, p: Position): Position {
  const map = mapFor(doc);
  return map ? map.toLsp(p) : p;
}

/** A core range of `doc` as the editor counts it. */
export function toLspRange(doc: TextDocumentLike, r: Range): Range {
  const map = mapFor(doc);
  return map ? { start: map.toLsp(r.start), end: map.toLsp(r.end) } : r;
}

/** A position the editor sent, as the core counts it. */
export function toCorePosition(doc: TextDocumentLike, p: Position): Position {
  const map = mapFor(doc);
  return map ? map.toCore(p) : p;
}

/** A range the editor sent, as the core counts it. */
export function toCoreRange(doc: TextDocumentLike, r: Range): Range {
  const map = mapFor(doc);
  return map ? { start: map.toCore(r.start), end: map.toCore(r.end) } : r;
}

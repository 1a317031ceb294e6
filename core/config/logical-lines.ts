/**
 * Postfix's logical-line reader (src/util/readlline.c), shared by main.cf and master.cf.
 *
 * A logical line starts with a physical line whose first character is not white space;
 * following physical lines that start with white space continue it. Blank lines and lines
 * whose first non-white-space character is `#` (flush-left or indented) are discarded and do
 * NOT end a logical line. Continuation text is appended as-is (no newline, leading white space
 * kept), so a logical line is the plain concatenation of its physical pieces — which is what
 * lets every logical offset map back to exactly one file position.
 */
import type { CancellationTokenLike, Position, Range } from '../types';
import type { ParseProblem } from './model';

/** One physical line's contribution to a logical line. */
export interface Piece {
  /** Offset of the piece in the logical text. */
  offset: number;
  /** Zero-based physical line. */
  line: number;
  /** Character (UTF-16 unit) of the piece's first character on that line. */
  character: number;
  length: number;
}

/** A logical line: its text (possibly cut at a NUL byte) and where each piece came from. */
export interface LogicalLine {
  text: string;
  pieces: Piece[];
  /** First physical line (the line Postfix reports). */
  firstLine: number;
  /** From the first character of the first piece to the end of the last piece. */
  range: Range;
}

/** Result of reading a document into logical lines. */
export interface LogicalLines {
  lines: LogicalLine[];
  /** Number of physical lines in the document. */
  lineCount: number;
  /** True when the text started with a UTF-8 byte order mark (stripped from line 0's first piece). */
  bom: boolean;
  /** True when the cancellation token stopped reading early. */
  cancelled: boolean;
}

/** Postfix's ISSPACE (C isspace in the "C" locale). */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Maximum characters of document text copied into a problem's `args.text`. */
export const MAX_ARG_TEXT = 120;

/** Shortens document text for messages so a 10 MB line never becomes a 10 MB diagnostic. */
export function clip(text: string, max = MAX_ARG_TEXT): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/**
 * Maps an offset in a logical line to a file position. `preferEnd` picks the end of the
 * previous piece rather than the start of the next when the offset sits on a boundary, so
 * range ends stay on the line where the text ends.
 */
export function offsetToPosition(pieces: readonly Piece[], offset: number, preferEnd = false): Position {
  if (pieces.length === 0) return { line: 0, character: 0 };
  let lo = 0;
  let hi = pieces.length - 1;
  // Binary search for the last piece whose start is <= offset (or < offset when preferEnd).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const start = pieces[mid].offset;
    if (start < offset || (!preferEnd && start === offset)) lo = mid;
    else hi = mid - 1;
  }
  const p = pieces[lo];
  const within = Math.max(0, Math.min(offset - p.offset, p.length));
  return { line: p.line, character: p.character + within };
}

/** Range of logical offsets [start, end). */
export function offsetsToRange(pieces: readonly Piece[], start: number, end: number): Range {
  const s = offsetToPosition(pieces, start, false);
  const e = end <= start ? s : offsetToPosition(pieces, end, true);
  return { start: s, end: e };
}

const CANCEL_CHECK_EVERY = 512;

/**
 * Splits a document into logical lines. Reports `syntax.leading-whitespace` (continuation with
 * nothing before it) and `syntax.nul-byte` into `problems`. CRLF line ends are accepted; a BOM is
 * stripped from the first line and flagged through `bom` (the caller reports it, knowing the name).
 */
export function readLogicalLines(
  text: string,
  problems: ParseProblem[],
  token?: CancellationTokenLike,
): LogicalLines {
  const lines: LogicalLine[] = [];
  const r = scanLogicalLines(text, {
    token,
    line: (l, found) => {
      lines.push(l);
      for (const p of found) problems.push(p);
    },
    orphan: (p) => problems.push(p),
  });
  return { lines, lineCount: r.lineCount, bom: r.bom, cancelled: r.cancelled };
}

/** Where scanLogicalLines starts, what it calls and when it stops (see there). */
export interface ScanOptions {
  /** Offset of the first physical line to read (the start of a line); default 0. */
  from?: number;
  /** Number of that line; default 0. A text's BOM is only looked for at line 0. */
  lineNo?: number;
  token?: CancellationTokenLike;
  /** A logical line, with the problems found in it (a NUL byte), in file order. */
  line(line: LogicalLine, problems: ParseProblem[]): void;
  /** A continuation line with no logical line before it (its `syntax.leading-whitespace`). */
  orphan(problem: ParseProblem): void;
  /**
   * Asked at each physical line that starts a new logical line (after the previous one was
   * passed on): true stops the scan before that line. What follows such a line never depends
   * on what came before it, which is what lets a parse be redone from there on.
   */
  stopAt?(lineNo: number): boolean;
}

/** What scanLogicalLines read. */
export interface ScanResult {
  /** Lines read up to the end (or the stop line, or where cancellation stopped). */
  lineCount: number;
  bom: boolean;
  cancelled: boolean;
  /** The line where `stopAt` stopped the scan (its offset in `stoppedOffset`), else undefined. */
  stoppedAt?: number;
  stoppedOffset?: number;
}

/**
 * The logical-line reader of readLogicalLines, from any line on which a logical line starts:
 * each logical line goes to `opts.line` as soon as it is complete.
 */
export function scanLogicalLines(text: string, opts: ScanOptions): ScanResult {
  let bom = false;
  let cancelled = false;
  let cur: { parts: string[]; pieces: Piece[]; firstLine: number; length: number } | undefined;
  const { token, stopAt } = opts;

  const flush = (): void => {
    if (!cur) return;
    let t = cur.parts.length === 1 ? cur.parts[0] : cur.parts.join('');
    const nul = t.indexOf('\0');
    const pieces = cur.pieces;
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    const range: Range = {
      start: { line: first.line, character: first.character },
      end: { line: last.line, character: last.character + last.length },
    };
    const found: ParseProblem[] = [];
    if (nul >= 0) {
      // readlline warns "text after null byte may be ignored": C string functions stop at NUL,
      // so everything after it is invisible to split_nameval and the master.cf field splitter.
      const at = offsetToPosition(pieces, nul);
      found.push({
        code: 'syntax.nul-byte',
        range: { start: at, end: { line: at.line, character: at.character + 1 } },
        args: { line: first.line + 1 },
      });
      t = t.slice(0, nul);
    }
    cur = undefined;
    opts.line({ text: t, pieces, firstLine: first.line, range }, found);
  };

  const startLine = opts.lineNo ?? 0;
  let lineNo = startLine;
  let pos = opts.from ?? 0;
  const n = text.length;
  if (lineNo === 0 && n > 0 && text.charCodeAt(0) === 0xfeff) {
    bom = true;
  }
  while (pos <= n) {
    if (((lineNo - startLine) & (CANCEL_CHECK_EVERY - 1)) === 0 && lineNo > startLine && token?.isCancellationRequested) {
      cancelled = true;
      break;
    }
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--; // CRLF
    let start = pos;
    if (lineNo === 0 && bom) start++;
    // Discard blank, white-space-only and comment lines (indented `#` too).
    let k = start;
    while (k < end && isSpace(text.charCodeAt(k))) k++;
    const discard = k === end || text.charCodeAt(k) === 35; /* # */
    if (!discard) {
      const piece: Piece = { offset: 0, line: lineNo, character: start - pos, length: end - start };
      if (k > start) {
        // Starts with white space: continues the current logical line.
        if (cur) {
          piece.offset = cur.length;
          cur.parts.push(text.slice(start, end));
          cur.pieces.push(piece);
          cur.length += piece.length;
        } else {
          const shown = text.slice(start, Math.min(end, start + 30 + 1));
          opts.orphan({
            code: 'syntax.leading-whitespace',
            range: { start: { line: lineNo, character: k - pos }, end: { line: lineNo, character: end - pos } },
            args: { text: clip(shown.trimStart(), 30) },
          });
        }
      } else {
        flush();
        if (stopAt?.(lineNo)) return { lineCount: lineNo, bom, cancelled, stoppedAt: lineNo, stoppedOffset: pos };
        cur = { parts: [text.slice(start, end)], pieces: [piece], firstLine: lineNo, length: piece.length };
      }
    }
    if (nl >= n) {
      lineNo++;
      break;
    }
    pos = nl + 1;
    lineNo++;
  }
  flush();
  return { lineCount: Math.max(1, lineNo), bom, cancelled };
}

/**
 * Position helpers over the config model: value offsets to file positions, range tests.
 */
import type { Position, Range } from '../types';
import type { Assignment } from './model';

/**
 * The file position of `offset` in `a.value` (0 <= offset <= value.length), following the value
 * across continuation lines. Offsets past the end clamp to the end of the value.
 */
export function valueOffsetToPosition(a: Assignment, offset: number): Position {
  const segs = a.segments;
  if (segs.length === 0 || offset <= 0) {
    return segs.length === 0 ? { ...a.valueRange.start } : { ...segs[0].range.start };
  }
  let lo = 0;
  let hi = segs.length - 1;
  // Last segment whose offset is < offset (an offset on a boundary belongs to the end of the
  // previous segment, so ranges ending there stay on the line where the text ends).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].offset < offset) lo = mid;
    else hi = mid - 1;
  }
  const s = segs[lo];
  const within = Math.min(offset - s.offset, s.text.length);
  return { line: s.range.start.line, character: s.range.start.character + within };
}

/** The file range of value offsets [start, end). */
export function valueOffsetsToRange(a: Assignment, start: number, end: number): Range {
  const s = valueOffsetToPosition(a, start);
  // A start on a segment boundary belongs to the next segment.
  let startPos = s;
  for (const seg of a.segments) {
    if (seg.offset === start && start > 0) {
      startPos = { ...seg.range.start };
      break;
    }
  }
  return { start: startPos, end: end <= start ? startPos : valueOffsetToPosition(a, end) };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/** True when `p` lies in `r`; `inclusiveEnd` also accepts the end position (cursor after a word). */
export function rangeContains(r: Range, p: Position, inclusiveEnd = true): boolean {
  if (comparePositions(p, r.start) < 0) return false;
  const c = comparePositions(p, r.end);
  return inclusiveEnd ? c <= 0 : c < 0;
}

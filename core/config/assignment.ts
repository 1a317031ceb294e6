/**
 * Builds an Assignment (name, value, segments, refs) from offsets in a logical line.
 * Shared by the main.cf parser and the master.cf `-o` parser.
 */
import type { Assignment, ParamRef, ParseProblem, ValueSegment } from './model';
import { clip, offsetsToRange, offsetToPosition, type LogicalLine } from './logical-lines';
import { forEachRef, parseMacros } from './macro';
import { RAW_PARAMETERS } from './raw-params';

/** Offsets (into the logical line text) that make up one `name = value`. */
export interface AssignmentOffsets {
  nameStart: number;
  nameEnd: number;
  /** Offset of the `=`. */
  eq: number;
  valueStart: number;
  valueEnd: number;
  /** Whole construct (logical line or the `-o ...` argument(s)). */
  start: number;
  end: number;
}

/** References collected per value at most (a real value has a handful; this bounds memory on garbage). */
export const MAX_REFS_PER_VALUE = 10_000;

export function buildAssignment(line: LogicalLine, o: AssignmentOffsets, problems: ParseProblem[]): Assignment {
  const { pieces, text } = line;
  const name = text.slice(o.nameStart, o.nameEnd);
  const value = text.slice(o.valueStart, o.valueEnd);
  const segments: ValueSegment[] = [];
  for (const p of pieces) {
    const s = Math.max(p.offset, o.valueStart);
    const e = Math.min(p.offset + p.length, o.valueEnd);
    if (e <= s) continue;
    const start = { line: p.line, character: p.character + (s - p.offset) };
    segments.push({
      offset: s - o.valueStart,
      text: text.slice(s, e),
      range: { start, end: { line: p.line, character: start.character + (e - s) } },
    });
  }
  let valueRange;
  if (o.valueEnd > o.valueStart) {
    valueRange = offsetsToRange(pieces, o.valueStart, o.valueEnd);
  } else {
    const at = offsetToPosition(pieces, o.eq + 1, true);
    valueRange = { start: at, end: at };
  }
  const refs: ParamRef[] = [];
  if (!RAW_PARAMETERS.has(name) && value.indexOf('$') >= 0) {
    const parsed = parseMacros(text, o.valueStart, o.valueEnd, { refsOnly: true, maxRefs: MAX_REFS_PER_VALUE });
    forEachRef(parsed.nodes, (r) => {
      refs.push({
        name: r.name,
        nameRange: offsetsToRange(pieces, r.nameStart, r.nameEnd),
        range: offsetsToRange(pieces, r.start, r.end),
        form: r.form,
      });
    });
    if (parsed.error) {
      const e = parsed.error;
      problems.push({
        code: 'syntax.bad-reference',
        range: offsetsToRange(pieces, e.start, Math.max(e.end, e.start + 1)),
        args: { name, reason: e.reason, text: clip(text.slice(e.start, e.end)) },
      });
    }
  }
  return {
    name,
    nameRange: offsetsToRange(pieces, o.nameStart, o.nameEnd),
    value,
    valueRange,
    segments,
    range: offsetsToRange(pieces, o.start, o.end),
    refs,
  };
}

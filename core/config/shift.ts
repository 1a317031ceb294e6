/**
 * Moves parse results by a number of lines, for incremental parsing: the lines after an edit
 * that added or removed line breaks parse exactly as before, only further up or down.
 * Always copies (parse results are shared and never changed).
 */
import type { Position, Range } from '../types';
import type { Assignment, ParamRef, ParseProblem, ValueSegment } from './model';

function pos(p: Position, d: number): Position {
  return { line: p.line + d, character: p.character };
}

function range(r: Range, d: number): Range {
  return { start: pos(r.start, d), end: pos(r.end, d) };
}

/** A copy of `a` moved down by `d` lines (up when negative). */
export function shiftAssignment(a: Assignment, d: number): Assignment {
  return {
    name: a.name,
    nameRange: range(a.nameRange, d),
    value: a.value,
    valueRange: range(a.valueRange, d),
    segments: a.segments.map((s): ValueSegment => ({ offset: s.offset, text: s.text, range: range(s.range, d) })),
    range: range(a.range, d),
    refs: a.refs.map((r): ParamRef => ({ name: r.name, nameRange: range(r.nameRange, d), range: range(r.range, d), form: r.form })),
  };
}

/** A copy of a parse problem moved by `d` lines; a `line` argument (1-based line number) moves along. */
export function shiftProblem(p: ParseProblem, d: number): ParseProblem {
  const args = typeof p.args.line === 'number' ? { ...p.args, line: p.args.line + d } : p.args;
  return { code: p.code, range: range(p.range, d), args };
}

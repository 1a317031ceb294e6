/**
 * Well-formedness checks shared by the fuzz targets and the hardening tests. Each throws an
 * Error naming what is wrong; nothing here depends on the test runner.
 */
import type { Range, Position, Finding } from '../../core/types';
import type { Assignment, MainCf, MasterCf } from '../../core/config/model';
import type { LogRecord } from '../../core/log/record';
import { ALL_CODES } from '../../core/rules/registry';

export class CheckError extends Error {}

export function fail(msg: string): never {
  throw new CheckError(msg);
}

export function ok(cond: unknown, msg: string): asserts cond {
  if (!cond) fail(msg);
}

/** Physical lines as the core counts them: split at `\n`; a CR before the `\n` is not part of the line. */
export class Lines {
  readonly lengths: number[];
  constructor(readonly text: string) {
    const parts = text.split('\n');
    this.lengths = parts.map((p) => (p.endsWith('\r') ? p.length - 1 : p.length));
  }
  get count(): number {
    return this.lengths.length;
  }
  /** The text of line `i` without its line end. */
  line(i: number): string {
    let start = 0;
    for (let k = 0; k < i; k++) start = this.text.indexOf('\n', start) + 1;
    return this.text.slice(start, start + this.lengths[i]);
  }
}

function posOk(p: Position, lines: Lines): boolean {
  return (
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < lines.count &&
    p.character <= lines.lengths[p.line]
  );
}

export function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export function fmtRange(r: Range | undefined): string {
  return r ? `${r.start?.line}:${r.start?.character}-${r.end?.line}:${r.end?.character}` : String(r);
}

/** The range lies within the document and does not run backwards. */
export function checkRange(r: Range | undefined, lines: Lines, what: string): void {
  ok(r && r.start && r.end, `${what}: missing range`);
  ok(posOk(r.start, lines), `${what}: start ${fmtRange(r)} outside the document (${lines.count} lines)`);
  ok(posOk(r.end, lines), `${what}: end ${fmtRange(r)} outside the document (${lines.count} lines, line length ${lines.lengths[r.end.line]})`);
  ok(!before(r.end, r.start), `${what}: range ${fmtRange(r)} ends before it starts`);
}

export function within(inner: Range, outer: Range): boolean {
  return !before(inner.start, outer.start) && !before(outer.end, inner.end);
}

/** Text covered by a single-line range. */
export function sliceOf(lines: Lines, r: Range): string | undefined {
  if (r.start.line !== r.end.line) return undefined;
  return lines.line(r.start.line).slice(r.start.character, r.end.character);
}

export function checkCode(code: string, what: string): void {
  ok(typeof code === 'string' && Object.prototype.hasOwnProperty.call(ALL_CODES, code), `${what}: code '${code}' is not in the registry`);
}

function checkAssignment(a: Assignment, lines: Lines, what: string, exactName: boolean): void {
  ok(typeof a.name === 'string' && a.name.length > 0, `${what}: empty name`);
  // Postfix's white space is ASCII only (a BOM or U+00A0 is part of a name, as in Postfix).
  ok(!/[ \t\n\v\f\r=]/.test(a.name), `${what}: name '${a.name}' contains white space or '='`);
  ok(typeof a.value === 'string', `${what}: value is not a string`);
  checkRange(a.range, lines, `${what} range`);
  checkRange(a.nameRange, lines, `${what} nameRange`);
  checkRange(a.valueRange, lines, `${what} valueRange`);
  ok(within(a.nameRange, a.range), `${what}: nameRange ${fmtRange(a.nameRange)} outside range ${fmtRange(a.range)}`);
  ok(!before(a.valueRange.start, a.nameRange.end), `${what}: value starts before the name ends`);
  if (exactName) {
    const shown = sliceOf(lines, a.nameRange);
    if (shown !== undefined) ok(shown === a.name, `${what}: nameRange covers '${shown}', name is '${a.name}'`);
  }
  let joined = '';
  for (const seg of a.segments) {
    checkRange(seg.range, lines, `${what} segment`);
    ok(seg.offset === joined.length, `${what}: segment offset ${seg.offset}, expected ${joined.length}`);
    const shown = sliceOf(lines, seg.range);
    if (shown !== undefined) ok(shown === seg.text, `${what}: segment range covers '${shown}', text is '${seg.text}'`);
    joined += seg.text;
  }
  if (a.segments.length > 0) ok(joined === a.value, `${what}: segments join to '${joined.slice(0, 80)}', value is '${a.value.slice(0, 80)}'`);
  for (const ref of a.refs) {
    checkRange(ref.range, lines, `${what} ref ${ref.name}`);
    checkRange(ref.nameRange, lines, `${what} ref ${ref.name} nameRange`);
    ok(within(ref.nameRange, ref.range), `${what}: ref nameRange outside its range`);
    ok(within(ref.range, a.valueRange), `${what}: ref ${fmtRange(ref.range)} outside the value ${fmtRange(a.valueRange)}`);
    ok(['plain', 'braces', 'parens', 'conditional'].includes(ref.form), `${what}: ref form ${ref.form}`);
  }
}

export function checkMainCf(text: string, m: MainCf, uri: string): void {
  const lines = new Lines(text);
  ok(m.uri === uri, 'uri changed');
  ok(m.lineCount === lines.count, `lineCount ${m.lineCount}, the text has ${lines.count} lines`);
  let prev: Position | undefined;
  const seen = new Set<Assignment>();
  for (const a of m.entries) {
    checkAssignment(a, lines, `entry ${a.name}`, true);
    if (prev) ok(before(prev, a.range.start), `entries out of order at ${fmtRange(a.range)}`);
    prev = a.range.end;
    seen.add(a);
  }
  let n = 0;
  for (const [name, list] of m.byName) {
    for (const a of list) {
      ok(a.name === name && seen.has(a), `byName['${name}'] holds a foreign entry`);
      n++;
    }
  }
  ok(n === m.entries.length, `byName holds ${n} entries, entries has ${m.entries.length}`);
  for (const p of m.problems) {
    checkCode(p.code, 'parse problem');
    checkRange(p.range, lines, `problem ${p.code}`);
  }
}

export function checkMasterCf(text: string, m: MasterCf, uri: string): void {
  const lines = new Lines(text);
  ok(m.uri === uri, 'uri changed');
  ok(m.lineCount === lines.count, `lineCount ${m.lineCount}, the text has ${lines.count} lines`);
  let prev: Position | undefined;
  for (const s of m.services) {
    checkRange(s.range, lines, 'service range');
    if (prev) ok(before(prev, s.range.start), `services out of order at ${fmtRange(s.range)}`);
    prev = s.range.end;
    const fields = [s.service, s.type, s.private, s.unpriv, s.chroot, s.wakeup, s.maxproc, s.command, ...s.args];
    for (const f of fields) {
      checkRange(f.range, lines, `field '${f.text.slice(0, 40)}'`);
      ok(within(f.range, s.range), `field ${fmtRange(f.range)} outside its service ${fmtRange(s.range)}`);
      ok(f.text.length > 0, 'empty field');
      const shown = sliceOf(lines, f.range);
      if (shown !== undefined) ok(shown === f.text, `field range covers '${shown}', text is '${f.text}'`);
    }
    for (const o of s.overrides) {
      checkAssignment(o, lines, `override ${o.name}`, false);
      ok(['short', 'attached', 'long'].includes(o.form), `override form ${o.form}`);
      ok(within(o.range, s.range), `override ${fmtRange(o.range)} outside its service ${fmtRange(s.range)}`);
    }
  }
  for (const p of m.problems) {
    checkCode(p.code, 'parse problem');
    checkRange(p.range, lines, `problem ${p.code}`);
  }
}

const LEVELS = new Set(['hint', 'info', 'warning', 'error']);
/** Longest message a finding may carry (document text in messages is clipped). */
export const MAX_MESSAGE = 4000;

export function checkFindings(findings: Finding[], docs: Record<string, string>): void {
  ok(Array.isArray(findings), 'lint did not return an array');
  const lineCache = new Map<string, Lines>();
  const linesOf = (file: string): Lines | undefined => {
    if (!(file in docs)) return undefined;
    let l = lineCache.get(file);
    if (!l) lineCache.set(file, (l = new Lines(docs[file])));
    return l;
  };
  for (const f of findings) {
    ok(f.code !== 'internal.rule-failed', `a rule threw: ${f.message}`);
    checkCode(f.code, 'finding');
    ok(LEVELS.has(f.level), `finding ${f.code}: level ${f.level}`);
    ok(typeof f.message === 'string' && f.message.trim().length > 0, `finding ${f.code}: empty message`);
    ok(f.message.length <= MAX_MESSAGE, `finding ${f.code}: message of ${f.message.length} characters`);
    const lines = linesOf(f.file);
    ok(lines, `finding ${f.code} in unknown file '${f.file}'`);
    checkRange(f.range, lines, `finding ${f.code}`);
    for (const fix of f.fixes ?? []) {
      ok(typeof fix.title === 'string' && fix.title.length > 0, `finding ${f.code}: fix without a title`);
      for (const e of fix.edits) {
        const el = linesOf(e.file);
        ok(el, `finding ${f.code}: fix edits unknown file '${e.file}'`);
        checkRange(e.range, el, `fix '${fix.title}' of ${f.code}`);
        ok(typeof e.newText === 'string', `fix '${fix.title}': newText`);
      }
    }
  }
}

const KINDS = new Set(['tls-summary', 'received-header', 'failure', 'other']);
const FS = new Set(['yes', 'no', 'unknown']);
const STATUS = new Set(['Anonymous', 'Untrusted', 'Trusted', 'Verified']);

export function checkRecord(r: LogRecord, input: string): void {
  ok(r && KINDS.has(r.kind), `kind ${r?.kind}`);
  ok(FS.has(r.forwardSecrecy), `forwardSecrecy ${r.forwardSecrecy}`);
  ok(typeof r.postQuantum === 'boolean', 'postQuantum');
  ok(Number.isInteger(r.lineSpan) && r.lineSpan >= 1, `lineSpan ${r.lineSpan}`);
  ok(Number.isInteger(r.messageOffset) && r.messageOffset >= 0 && r.messageOffset <= input.length, `messageOffset ${r.messageOffset} of ${input.length}`);
  if (r.status !== undefined) ok(STATUS.has(r.status), `status ${r.status}`);
  if (r.role !== undefined) ok(r.role === 'client' || r.role === 'server', `role ${r.role}`);
  if (r.kind === 'failure') ok(r.failure !== undefined, 'failure without details');
  if (r.pid !== undefined) ok(Number.isSafeInteger(r.pid) && r.pid >= 0, `pid ${r.pid}`);
  if (r.bits) ok(Number.isFinite(r.bits.used) && Number.isFinite(r.bits.alg), 'bits');
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'string') ok(v.length <= input.length + 64, `field ${k} longer than the input`);
  }
}

/**
 * main.cf parser with Postfix's exact rules (readlline.c + split_nameval.c): logical lines,
 * `name = value` with trimming, no inline comments, empty values allowed, last duplicate wins.
 * Never throws; linear in the input size; honours cancellation by returning what it has.
 */
import type { CancellationTokenLike, TextDocumentLike } from '../types';
import type { Assignment, MainCf, ParseProblem } from './model';
import { buildAssignment } from './assignment';
import { clip, isSpace, scanLogicalLines, type LogicalLine, type ScanOptions, type ScanResult } from './logical-lines';
import { shiftAssignment, shiftProblem } from './shift';

export function parseMainCf(doc: TextDocumentLike, token?: CancellationTokenLike): MainCf {
  let text: string;
  try {
    text = doc.getText();
  } catch {
    text = '';
  }
  const records: LineRecord[] = [];
  const r = scanRecords(text, records, { token });
  return assemble(doc.uri, records, r.lineCount);
}

/**
 * What one logical line (or one continuation line with no logical line before it) gave the
 * parse: kept per parse so that an edit re-reads only the lines it touched (reparseMainCf).
 */
interface LineRecord {
  /** First physical line. */
  first: number;
  /** A continuation line with no logical line before it (only its leading-whitespace problem). */
  orphan: boolean;
  /** Problems of reading the lines (leading white space, NUL byte). */
  scan: ParseProblem[];
  /** Problems of splitting the line into name and value (and the BOM). */
  split: ParseProblem[];
  entry?: Assignment;
}

/** The records of each parse, for reparseMainCf. */
const recordsOf = new WeakMap<MainCf, LineRecord[]>();

/** Reads logical lines from `opts.from` into records (one per logical line / orphan line). */
function scanRecords(text: string, out: LineRecord[], opts: Pick<ScanOptions, 'from' | 'lineNo' | 'token' | 'stopAt'>): ScanResult {
  let count = 0;
  let stop = false;
  const r = scanLogicalLines(text, {
    ...opts,
    line: (line, found) => {
      const rec: LineRecord = { first: line.firstLine, orphan: false, scan: found.length > 0 ? found : NO_PROBLEMS, split: NO_PROBLEMS };
      // parseMainCf looked at the token before every 512th logical line; what was read stays.
      if (!stop && (++count & 511) === 0 && opts.token?.isCancellationRequested) stop = true;
      if (stop) {
        out.push(rec);
        return;
      }
      const split: ParseProblem[] = [];
      const a = parseAssignmentLine(line, split);
      if (a) {
        if (line.firstLine === 0 && line.pieces[0].character === 1 && text.charCodeAt(0) === 0xfeff) {
          // Postfix reads the BOM as part of the first name, so that setting silently does not apply.
          split.push({
            code: 'syntax.bom',
            range: { start: { line: 0, character: 0 }, end: a.nameRange.end },
            args: { name: a.name },
          });
        }
        rec.entry = a;
      }
      if (split.length > 0) rec.split = split;
      out.push(rec);
    },
    orphan: (p) => out.push({ first: p.range.start.line, orphan: true, scan: [p], split: NO_PROBLEMS }),
  });
  return r;
}

/** The problems of the many lines that have none (shared, never changed). */
const NO_PROBLEMS: ParseProblem[] = [];

/** A MainCf of records, in the order a full parse gives: reading problems first, then splitting problems. */
function assemble(uri: string, records: LineRecord[], lineCount: number, keep = false): MainCf {
  const entries: Assignment[] = [];
  const byName = new Map<string, Assignment[]>();
  const problems: ParseProblem[] = [];
  for (const rec of records) {
    for (const p of rec.scan) problems.push(p);
    const a = rec.entry;
    if (!a) continue;
    entries.push(a);
    const list = byName.get(a.name);
    if (list) list.push(a);
    else byName.set(a.name, [a]);
  }
  for (const rec of records) for (const p of rec.split) problems.push(p);
  const main: MainCf = { uri, entries, byName, problems, lineCount };
  if (keep) recordsOf.set(main, records);
  return main;
}

/** One edit of a text, in lines split at `\n` (as the parser counts them), both ends inclusive. */
export interface LineChange {
  /** First changed line (same in the old and the new text). */
  startLine: number;
  /** Last line of the old text the change replaced. */
  oldEndLine: number;
  /** Last line of the new text the change wrote. */
  newEndLine: number;
}

/**
 * A full parse that remembers how each line parsed, so reparseMainCf can build on it.
 * Same result as parseMainCf.
 */
export function parseMainCfIncremental(uri: string, text: string): MainCf {
  const records: LineRecord[] = [];
  const r = scanRecords(text, records, {});
  return assemble(uri, records, r.lineCount, true);
}

/**
 * The parse of `text`, which is the text `prev` was parsed from with the lines of `change`
 * replaced: only the logical lines around the change are read again; the assignments and
 * problems of the other lines are reused (the same objects when the line count is unchanged,
 * moved copies otherwise). Same result as parseMainCf(text). Falls back to a full parse when
 * `prev` was not made by this module.
 */
export function reparseMainCf(prev: MainCf, text: string, change: LineChange): MainCf {
  const old = recordsOf.get(prev);
  if (!old) return parseMainCfIncremental(prev.uri, text);
  const recs = old;
  const delta = change.newEndLine - change.oldEndLine;
  // Start at the last logical line that begins before the change: the changed lines may
  // continue it (blank and comment lines do not end a logical line). Before it nothing changes.
  let lo = 0;
  let hi = recs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (recs[mid].first < change.startLine) lo = mid + 1;
    else hi = mid;
  }
  // recs[lo - 1] is the last record that begins before the change; orphan lines only come
  // before the first logical line, so then everything is read again.
  let i0 = lo - 1;
  if (i0 >= 0 && recs[i0].orphan) i0 = -1;
  let from = 0;
  let fromLine = 0;
  if (i0 >= 0) {
    fromLine = recs[i0].first;
    from = lineOffset(text, fromLine);
    if (from < 0) return parseMainCfIncremental(prev.uri, text);
  } else {
    i0 = 0;
  }
  // Stop at a line that starts a logical line after the change and started one before it too:
  // from there on the old records hold, moved by `delta` lines.
  let j = -1;
  const scanned: LineRecord[] = [];
  const r = scanRecords(text, scanned, {
    from,
    lineNo: fromLine,
    stopAt: (line) => {
      if (line <= change.newEndLine) return false;
      const k = findFirst(recs, line - delta);
      if (k < 0) return false;
      j = k;
      return true;
    },
  });
  const records = recs.slice(0, i0).concat(scanned);
  if (j >= 0) {
    if (delta === 0) for (let k = j; k < recs.length; k++) records.push(recs[k]);
    else for (let k = j; k < recs.length; k++) records.push(shiftRecord(recs[k], delta));
  }
  const lineCount = j >= 0 ? prev.lineCount + delta : r.lineCount;
  return assemble(prev.uri, records, lineCount, true);
}

/** The record moved by `delta` lines (a copy; records of a parse are never changed). */
function shiftRecord(rec: LineRecord, delta: number): LineRecord {
  const shift = (ps: ParseProblem[]) => (ps.length === 0 ? NO_PROBLEMS : ps.map((p) => shiftProblem(p, delta)));
  const out: LineRecord = { first: rec.first + delta, orphan: rec.orphan, scan: shift(rec.scan), split: shift(rec.split) };
  if (rec.entry) out.entry = shiftAssignment(rec.entry, delta);
  return out;
}

/** Index of the record whose first line is `line` and that starts a logical line, or -1. */
function findFirst(recs: LineRecord[], line: number): number {
  let lo = 0;
  let hi = recs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = recs[mid].first;
    if (f === line) return recs[mid].orphan ? -1 : mid;
    if (f < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Offset of the start of line `line` (lines split at `\n`), or -1 past the end. */
function lineOffset(text: string, line: number): number {
  let pos = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return -1;
    pos = nl + 1;
  }
  return pos;
}

/** split_nameval() on one logical line; reports syntax.missing-name / syntax.missing-equals. */
export function parseAssignmentLine(line: LogicalLine, problems: ParseProblem[]): Assignment | undefined {
  const t = line.text;
  const n = t.length;
  let np = 0;
  while (np < n && isSpace(t.charCodeAt(np))) np++;
  if (np >= n || t.charCodeAt(np) === 61 /* = */) {
    problems.push({
      code: 'syntax.missing-name',
      range: line.range,
      args: { text: clip(t), line: line.firstLine + 1 },
    });
    return undefined;
  }
  let ep = np;
  while (ep < n && !isSpace(t.charCodeAt(ep)) && t.charCodeAt(ep) !== 61) ep++;
  let cp = ep;
  while (cp < n && isSpace(t.charCodeAt(cp))) cp++;
  if (cp >= n || t.charCodeAt(cp) !== 61) {
    problems.push({
      code: 'syntax.missing-equals',
      range: line.range,
      args: { text: clip(t), name: clip(t.slice(np, ep)), line: line.firstLine + 1 },
    });
    return undefined;
  }
  let vp = cp + 1;
  while (vp < n && isSpace(t.charCodeAt(vp))) vp++;
  let ve = n;
  while (ve > vp && isSpace(t.charCodeAt(ve - 1))) ve--;
  return buildAssignment(
    line,
    { nameStart: np, nameEnd: ep, eq: cp, valueStart: vp, valueEnd: ve, start: 0, end: n },
    problems,
  );
}


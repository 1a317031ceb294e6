/**
 * master.cf parser with Postfix's rules: the same logical lines as main.cf, whitespace-separated
 * fields where a balanced `{ ... }` group is one argument (mystrtokq + extpar), and the daemon
 * option scan of postconf (pcf_normalize_daemon_args): `-o name=value`, `-oname=value`,
 * `-o { name = value }`, stopping at the first non-option argument or `--`.
 * Never throws; linear in the input size; honours cancellation by returning what it has.
 */
import type { CancellationTokenLike, TextDocumentLike } from '../types';
import type { Field, MasterCf, MasterService, Override, ParseProblem } from './model';
import { buildAssignment } from './assignment';
import { clip, isSpace, offsetsToRange, readLogicalLines, type LogicalLine } from './logical-lines';
import { isNameChar } from './macro';

/** Valid values of the master.cf `type` column. */
export const MASTER_TYPES: readonly string[] = ['inet', 'unix', 'unix-dgram', 'fifo', 'pass'];

/** Column names in order (the 8th is the command). */
export const MASTER_COLUMNS = ['service', 'type', 'private', 'unpriv', 'chroot', 'wakeup', 'maxproc', 'command'] as const;
export type MasterColumn = (typeof MASTER_COLUMNS)[number];

interface Token {
  start: number;
  end: number;
  /** A `{` without its `}` (the token then runs to the end of the line, as in mystrtokq). */
  unbalanced: boolean;
}

/**
 * Arguments kept per service at most. A real service has a few dozen; the cap bounds memory and
 * time on garbage input (a 10 MB line of `-o a=b`). Arguments past it are ignored.
 */
export const MAX_ARGS = 10_000;

/** mystrtokq(CHARS_SPACE, "{}"): whitespace splits, except inside balanced braces. */
function tokenize(t: string): Token[] {
  const out: Token[] = [];
  const n = t.length;
  let p = 0;
  while (out.length < 8 + MAX_ARGS) {
    while (p < n && isSpace(t.charCodeAt(p))) p++;
    if (p >= n) break;
    const start = p;
    let level = 0;
    for (; p < n; p++) {
      const c = t.charCodeAt(p);
      if (c === 123) level++;
      else if (c === 125 && level > 0) level--;
      else if (level === 0 && isSpace(c)) break;
    }
    out.push({ start, end: p, unbalanced: level > 0 });
  }
  return out;
}

function field(line: LogicalLine, tok: Token): Field {
  return { text: line.text.slice(tok.start, tok.end), range: offsetsToRange(line.pieces, tok.start, tok.end) };
}

function validField(name: MasterColumn, v: string): boolean {
  switch (name) {
    case 'type':
      return MASTER_TYPES.includes(v);
    case 'private':
    case 'unpriv':
    case 'chroot':
      return v === 'y' || v === 'n' || v === '-';
    case 'wakeup':
      return v === '-' || /^[0-9]+\??$/.test(v);
    case 'maxproc':
      return v === '-' || /^[0-9]+$/.test(v);
    default:
      return true;
  }
}

export function parseMasterCf(doc: TextDocumentLike, token?: CancellationTokenLike): MasterCf {
  const problems: ParseProblem[] = [];
  const services: MasterService[] = [];
  let text: string;
  try {
    text = doc.getText();
  } catch {
    text = '';
  }
  const ll = readLogicalLines(text, problems, token);
  let i = 0;
  for (const line of ll.lines) {
    if ((++i & 511) === 0 && token?.isCancellationRequested) break;
    const s = parseServiceLine(line, problems);
    if (ll.bom && line.firstLine === 0 && line.pieces[0].character === 1) {
      const end = s ? s.service.range.end : line.range.end;
      problems.push({
        code: 'syntax.bom',
        range: { start: { line: 0, character: 0 }, end },
        args: { name: s ? s.service.text : clip(line.text, 30) },
      });
    }
    if (s) services.push(s);
  }
  return { uri: doc.uri, services, problems, lineCount: ll.lineCount };
}

/** Parses one logical master.cf line; undefined when it has fewer than 8 fields. */
export function parseServiceLine(line: LogicalLine, problems: ParseProblem[]): MasterService | undefined {
  const t = line.text;
  const toks = tokenize(t);
  for (const tok of toks) {
    // Only a group that starts an argument goes through extpar(); a `{` inside a word (e.g.
    // `a=${b`) is not a master.cf error (its macro error is reported as syntax.bad-reference).
    if (t.charCodeAt(tok.start) !== 123) continue;
    if (tok.unbalanced) {
      problems.push({
        code: 'master.unbalanced-brace',
        range: offsetsToRange(line.pieces, tok.start, tok.end),
        args: { text: clip(t.slice(tok.start, tok.end)), reason: 'missing-close' },
      });
    } else {
      // extpar(): the group must end with its matching `}`.
      const close = matchingBrace(t, tok.start, tok.end);
      if (close !== tok.end - 1) {
        problems.push({
          code: 'master.unbalanced-brace',
          range: offsetsToRange(line.pieces, tok.start, tok.end),
          args: { text: clip(t.slice(tok.start, tok.end)), reason: 'text-after-close' },
        });
      }
    }
  }
  if (toks.length < 8) {
    problems.push({
      code: 'master.field-count',
      range: line.range,
      args: { count: toks.length, text: clip(t) },
    });
    return undefined;
  }
  const f = toks.slice(0, 8).map((tk) => field(line, tk));
  for (let c = 1; c < 7; c++) {
    const col = MASTER_COLUMNS[c];
    if (!validField(col, f[c].text)) {
      problems.push({
        code: 'master.bad-field',
        range: f[c].range,
        args: { field: col, value: clip(f[c].text) },
      });
    }
  }
  const argToks = toks.slice(8);
  const svc: MasterService = {
    service: f[0],
    type: f[1],
    private: f[2],
    unpriv: f[3],
    chroot: f[4],
    wakeup: f[5],
    maxproc: f[6],
    command: f[7],
    args: argToks.map((tk) => field(line, tk)),
    overrides: [],
    range: line.range,
  };
  parseOptions(line, argToks, svc.overrides, problems);
  return svc;
}

/** Position of the `}` matching the `{` at `open`, within [open, end), or -1. */
function matchingBrace(t: string, open: number, end: number): number {
  let level = 0;
  for (let p = open; p < end; p++) {
    const c = t.charCodeAt(p);
    if (c === 123) level++;
    else if (c === 125 && --level === 0) return p;
  }
  return -1;
}

/** The daemon option scan: collects `-o` overrides until a non-option argument or `--`. */
function parseOptions(line: LogicalLine, toks: Token[], out: Override[], problems: ParseProblem[]): void {
  const t = line.text;
  let i = 0;
  while (i < toks.length) {
    const tok = toks[i];
    if (t.charCodeAt(tok.start) !== 45 /* - */ || tok.end - tok.start < 2) break;
    if (tok.end - tok.start === 2 && t.charCodeAt(tok.start + 1) === 45) break; // --
    // An option cluster like -v, -o, -vo, -oname=value.
    let p = tok.start + 1;
    while (p < tok.end && t.charCodeAt(p) !== 111 /* o */) p++;
    if (p >= tok.end) {
      i++;
      continue;
    }
    const optStart = tok.start;
    if (p + 1 < tok.end) {
      // -oname=value (or -o{ name = value }): the value is the rest of this argument.
      recordOverride(line, { start: p + 1, end: tok.end, unbalanced: tok.unbalanced }, optStart, 'attached', out, problems);
      i++;
      continue;
    }
    const next = toks[i + 1];
    if (!next) {
      problems.push({
        code: 'master.bad-override',
        range: offsetsToRange(line.pieces, tok.start, tok.end),
        args: { text: clip(t.slice(tok.start, tok.end)), reason: 'missing-value' },
      });
      i++;
      break;
    }
    const nt = t.slice(next.start, next.end);
    if (t.charCodeAt(next.start) !== 123 && nt.indexOf('=') < 0) {
      // `-o name = value` / `-o name =value`: whitespace outside braces splits the argument,
      // so the daemon sees `-o name` and stops with "missing '=' after attribute name".
      const after = toks[i + 2];
      if (after && t.charCodeAt(after.start) === 61 /* = */) {
        let valueTok: Token | undefined;
        let consumed = 3;
        let vStart: number;
        let vEnd: number;
        if (after.end - after.start === 1) {
          valueTok = toks[i + 3];
          if (valueTok && t.charCodeAt(valueTok.start) !== 45) {
            consumed = 4;
            vStart = valueTok.start;
            vEnd = valueTok.end;
          } else {
            vStart = vEnd = after.end;
          }
        } else {
          vStart = after.start + 1;
          vEnd = after.end;
        }
        const a = buildAssignment(
          line,
          { nameStart: next.start, nameEnd: next.end, eq: after.start, valueStart: vStart, valueEnd: vEnd, start: optStart, end: vEnd > after.end ? vEnd : after.end },
          problems,
        );
        problems.push({
          code: 'master.spaced-override',
          range: a.range,
          args: { name: a.name, text: clip(t.slice(optStart, Math.max(vEnd, after.end))) },
        });
        out.push({ ...a, form: 'short' });
        i += consumed;
        continue;
      }
      problems.push({
        code: 'master.bad-override',
        range: offsetsToRange(line.pieces, tok.start, next.end),
        args: { text: clip(t.slice(tok.start, next.end)), reason: 'missing-equals' },
      });
      i += 2;
      continue;
    }
    if (nt.length > 1 && nt.indexOf('=') === nt.length - 1 && isParamName(nt.slice(0, -1))) {
      // `-o name= value`: the value became a separate, non-option argument. Only when the
      // argument's one '=' ends it and what precedes is a parameter name: `-o name=<%=`
      // (templates) is name=value with the value `<%=`, and `-o = x` has no name at all.
      const after = toks[i + 2];
      if (after) {
        const at = t.slice(after.start, after.end);
        if (at[0] !== '-' && at[0] !== '{' && at.indexOf('=') < 0) {
          const eq = next.end - 1;
          const a = buildAssignment(
            line,
            { nameStart: next.start, nameEnd: eq, eq, valueStart: after.start, valueEnd: after.end, start: optStart, end: after.end },
            problems,
          );
          problems.push({
            code: 'master.spaced-override',
            range: a.range,
            args: { name: a.name, text: clip(t.slice(optStart, after.end)) },
          });
          out.push({ ...a, form: 'short' });
          i += 3;
          continue;
        }
      }
    }
    recordOverride(line, next, optStart, t.charCodeAt(next.start) === 123 ? 'long' : 'short', out, problems);
    i += 2;
  }
}

/** Whether `s` looks like a parameter name (letters, digits, underscores), as `$name` references do. */
function isParamName(s: string): boolean {
  if (s.length === 0) return false;
  for (let k = 0; k < s.length; k++) if (!isNameChar(s.charCodeAt(k))) return false;
  return true;
}

/** split_nameval() on an option value (after stripping `{ }` for the long form). */
function recordOverride(
  line: LogicalLine,
  tok: Token,
  optStart: number,
  form: Override['form'],
  out: Override[],
  problems: ParseProblem[],
): void {
  const t = line.text;
  let lo = tok.start;
  let hi = tok.end;
  if (t.charCodeAt(lo) === 123) {
    const close = matchingBrace(t, lo, hi);
    if (close < 0) {
      if (form === 'attached') {
        // `-o{ name = value` (a separate `{` argument was already reported by the field scan).
        problems.push({
          code: 'master.unbalanced-brace',
          range: offsetsToRange(line.pieces, tok.start, tok.end),
          args: { text: clip(t.slice(tok.start, tok.end)), reason: 'missing-close' },
        });
      }
      return;
    }
    form = 'long';
    lo = lo + 1;
    hi = close;
  }
  let np = lo;
  while (np < hi && isSpace(t.charCodeAt(np))) np++;
  if (np >= hi || t.charCodeAt(np) === 61) {
    problems.push({
      code: 'master.bad-override',
      range: offsetsToRange(line.pieces, optStart, tok.end),
      args: { text: clip(t.slice(optStart, tok.end)), reason: 'missing-name' },
    });
    return;
  }
  let ep = np;
  while (ep < hi && !isSpace(t.charCodeAt(ep)) && t.charCodeAt(ep) !== 61) ep++;
  let cp = ep;
  while (cp < hi && isSpace(t.charCodeAt(cp))) cp++;
  if (cp >= hi || t.charCodeAt(cp) !== 61) {
    problems.push({
      code: 'master.bad-override',
      range: offsetsToRange(line.pieces, optStart, tok.end),
      args: { text: clip(t.slice(optStart, tok.end)), reason: 'missing-equals' },
    });
    return;
  }
  let vp = cp + 1;
  while (vp < hi && isSpace(t.charCodeAt(vp))) vp++;
  let ve = hi;
  while (ve > vp && isSpace(t.charCodeAt(ve - 1))) ve--;
  const a = buildAssignment(
    line,
    { nameStart: np, nameEnd: ep, eq: cp, valueStart: vp, valueEnd: ve, start: optStart, end: tok.end },
    problems,
  );
  out.push({ ...a, form });
}

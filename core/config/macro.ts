/**
 * Postfix's `$name` expression syntax (src/util/mac_parse.c + mac_expand.c) as a small tree,
 * shared by the parsers (reference collection, syntax problems) and by expandValue().
 *
 * Bracket matching is precomputed once per string with a stack, so every character is scanned
 * by exactly one nesting level: parsing is linear in the text length, whatever the nesting.
 * Like Postfix, parsing stops at the first error; nodes before the error are kept.
 */

/** A node of a parsed value. Offsets are into the string given to parseMacros(). */
export type MacroNode =
  | { kind: 'text'; start: number; end: number }
  /** `$$`: a literal `$`. */
  | { kind: 'dollar'; start: number; end: number }
  | RefNode
  | RelNode
  | CallNode;

/** `$name`, `${name}`, `$(name)`, `${name?x}`, `${name:x}`, `${name?{x}:{y}}`. */
export interface RefNode {
  kind: 'ref';
  name: string;
  nameStart: number;
  nameEnd: number;
  start: number;
  end: number;
  /** `plain` = `$name`; `braces`/`parens` = `${name}`/`$(name)`; `conditional` = with `?`/`:`. */
  form: 'plain' | 'braces' | 'parens' | 'conditional';
  /** Expansion when the value is non-empty (`?`). */
  ifSet?: MacroNode[];
  /** Expansion when the value is empty or undefined (`:` or the else-part of `?..:..`). */
  ifUnset?: MacroNode[];
  /** Which operator followed the name, if any. */
  op?: '?' | ':';
}

/** `${{left} OP {right}}`, optionally followed by `?`/`:` parts like a named reference. */
export interface RelNode {
  kind: 'rel';
  start: number;
  end: number;
  left: MacroNode[];
  /** `==`, `!=`, `<`, `<=`, `>`, `>=`, or those with the `level` suffix (3.6+). */
  operator: string;
  right: MacroNode[];
  ifSet?: MacroNode[];
  ifUnset?: MacroNode[];
  op?: '?' | ':';
}

/** `${function{text}}` (3.11: domain_to_ascii, domain_to_utf8). Not a parameter reference. */
export interface CallNode {
  kind: 'call';
  name: string;
  start: number;
  end: number;
  arg: MacroNode[];
}

/** Why a value's expression syntax is broken (first error only, as in Postfix). */
export type MacroErrorReason =
  /** `${` or `$(` without its closing bracket ("truncated macro reference"). */
  | 'truncated'
  /** `$` followed by no name, `${}` ("empty macro name"). */
  | 'empty-name'
  /** A `{...}` value without its `}` ("unbalanced {} in attribute expression"). */
  | 'unbalanced'
  /** Name inside `${...}` is not [A-Za-z0-9_] ("attribute name syntax error"). */
  | 'name-syntax'
  /** Text left over where `}` or `:` was expected ("unexpected input", "\":\" expected"). */
  | 'unexpected'
  /** Missing or unknown relational operator. */
  | 'operator'
  /** A relational operand or `?` value without `{}` ("{expression}" expected). */
  | 'expected-braces'
  /** More than 100 nested expressions ("unreasonable macro call nesting"). */
  | 'nesting';

export interface MacroError {
  reason: MacroErrorReason;
  /** The offending reference or construct, [start, end). */
  start: number;
  end: number;
}

export interface MacroParse {
  nodes: MacroNode[];
  error?: MacroError;
  /** Set when parsing stopped at `maxRefs`. */
  limited?: boolean;
}

/** Postfix limits expression nesting to 100 levels. */
export const MAX_NESTING = 100;

const RELATIONAL_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWs(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Sorted open-bracket positions and their matches (-1 when unmatched). */
class Matches {
  private readonly opens: Int32Array;
  private readonly closes: Int32Array;
  constructor(text: string, open: number, close: number, lo: number, hi: number) {
    let count = 0;
    for (let i = lo; i < hi; i++) if (text.charCodeAt(i) === open) count++;
    this.opens = new Int32Array(count);
    this.closes = new Int32Array(count).fill(-1);
    if (count === 0) return;
    const stack = new Int32Array(count);
    let sp = 0;
    let k = 0;
    for (let i = lo; i < hi; i++) {
      const c = text.charCodeAt(i);
      if (c === open) {
        this.opens[k] = i;
        stack[sp++] = k++;
      } else if (c === close && sp > 0) {
        this.closes[stack[--sp]] = i;
      }
    }
  }
  /** Position of the bracket matching the open bracket at `pos`, or -1. */
  match(pos: number): number {
    const a = this.opens;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = a[mid];
      if (v === pos) return this.closes[mid];
      if (v < pos) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

class Failure {
  constructor(readonly error: MacroError) {}
}

/**
 * Parses `text[lo, hi)` as a Postfix value with `$` expressions. Never throws.
 */
export interface MacroParseOptions {
  /** Skip literal text and `$$` nodes (reference collection does not need them). */
  refsOnly?: boolean;
  /**
   * Stop quietly after this many references (bounds memory on pathological values; a real
   * value has a handful). The result then has `limited: true`.
   */
  maxRefs?: number;
}

interface ParseState {
  refsOnly: boolean;
  refsLeft: number;
}

class Limit {}

export function parseMacros(text: string, lo = 0, hi = text.length, opts?: MacroParseOptions): MacroParse {
  const first = text.indexOf('$', lo);
  if (first < 0 || first >= hi) {
    return { nodes: hi > lo && !opts?.refsOnly ? [{ kind: 'text', start: lo, end: hi }] : [] };
  }
  const braces = new Matches(text, 123 /* { */, 125 /* } */, lo, hi);
  const parens = new Matches(text, 40 /* ( */, 41 /* ) */, lo, hi);
  const nodes: MacroNode[] = [];
  const st: ParseState = { refsOnly: !!opts?.refsOnly, refsLeft: opts?.maxRefs ?? Infinity };
  try {
    parseSeq(text, lo, hi, 0, braces, parens, nodes, st);
    return { nodes };
  } catch (e) {
    if (e instanceof Limit) return { nodes, limited: true };
    if (e instanceof Failure) return { nodes, error: e.error };
    // A RangeError (stack) cannot happen with the nesting cap; anything else is a bug we survive.
    return { nodes, error: { reason: 'nesting', start: lo, end: hi } };
  }
}

function fail(reason: MacroErrorReason, start: number, end: number): never {
  throw new Failure({ reason, start, end });
}

/** mac_parse(): literal text, `$$`, `$name`, `${...}`, `$(...)`. Appends to `out`. */
function parseSeq(
  text: string, lo: number, hi: number, depth: number, braces: Matches, parens: Matches, out: MacroNode[], st: ParseState,
): void {
  if (depth > MAX_NESTING) fail('nesting', lo, hi);
  let i = lo;
  let litStart = lo;
  while (i < hi) {
    if (text.charCodeAt(i) !== 36 /* $ */) {
      i++;
      continue;
    }
    if (i > litStart && !st.refsOnly) out.push({ kind: 'text', start: litStart, end: i });
    const j = i + 1;
    const c = j < hi ? text.charCodeAt(j) : -1;
    if (c === 36) {
      if (!st.refsOnly) out.push({ kind: 'dollar', start: i, end: j + 1 });
      i = j + 1;
    } else if (c === 123 || c === 40) {
      const close = (c === 123 ? braces : parens).match(j);
      if (close < 0 || close >= hi) fail('truncated', i, hi);
      if (close === j + 1) fail('empty-name', i, close + 1);
      if (--st.refsLeft < 0) throw new Limit();
      out.push(parseExpr(text, j + 1, close, i, close + 1, c === 123 ? 'braces' : 'parens', depth + 1, braces, parens, st));
      i = close + 1;
    } else {
      let k = j;
      while (k < hi && isNameChar(text.charCodeAt(k))) k++;
      if (k === j) fail('empty-name', i, Math.min(hi, j + 1));
      if (--st.refsLeft < 0) throw new Limit();
      out.push({ kind: 'ref', name: text.slice(j, k), nameStart: j, nameEnd: k, start: i, end: k, form: 'plain' });
      i = k;
    }
    litStart = i;
  }
  if (hi > litStart && !st.refsOnly) out.push({ kind: 'text', start: litStart, end: hi });
}

function skipWs(text: string, p: number, hi: number): number {
  while (p < hi && isWs(text.charCodeAt(p))) p++;
  return p;
}

/** `{payload}` at p: returns [innerStart, innerEnd, after]. Whitespace inside the braces is kept. */
function curly(text: string, p: number, hi: number, braces: Matches): [number, number, number] {
  if (p >= hi || text.charCodeAt(p) !== 123) fail('expected-braces', p, hi);
  const close = braces.match(p);
  if (close < 0 || close >= hi) fail('unbalanced', p, hi);
  return [p + 1, close, close + 1];
}

function sub(text: string, lo: number, hi: number, depth: number, braces: Matches, parens: Matches, st: ParseState): MacroNode[] {
  const nodes: MacroNode[] = [];
  parseSeq(text, lo, hi, depth, braces, parens, nodes, st);
  return nodes;
}

/** mac_expand_callback(): the inside of `${...}` / `$(...)`, text[lo, hi). */
function parseExpr(
  text: string, lo: number, hi: number, start: number, end: number, bracketForm: 'braces' | 'parens',
  depth: number, braces: Matches, parens: Matches, st: ParseState,
): MacroNode {
  if (depth > MAX_NESTING) fail('nesting', start, end);
  let p = skipWs(text, lo, hi);
  let node: RefNode | RelNode;
  if (p < hi && text.charCodeAt(p) === 123) {
    // Relational: {left} OP {right}
    const [l0, l1, la] = curly(text, p, hi, braces);
    const left = sub(text, l0, l1, depth + 1, braces, parens, st);
    p = skipWs(text, la, hi);
    const opStart = p;
    while (p < hi) {
      const c = text.charCodeAt(p);
      if (c === 61 || c === 33 || c === 60 || c === 62) p++; // = ! < >
      else break;
    }
    const sym = text.slice(opStart, p);
    let q = p;
    while (q < hi && isNameChar(text.charCodeAt(q))) q++;
    const suffix = text.slice(p, q);
    if (!RELATIONAL_OPS.has(sym) || (suffix !== '' && suffix !== 'level')) fail('operator', opStart, Math.max(q, opStart + 1));
    p = skipWs(text, q, hi);
    const [r0, r1, ra] = curly(text, p, hi, braces);
    const right = sub(text, r0, r1, depth + 1, braces, parens, st);
    p = ra;
    node = { kind: 'rel', start, end, left, operator: sym + suffix, right };
  } else {
    const nameStart = p;
    while (p < hi && isNameChar(text.charCodeAt(p))) p++;
    const nameEnd = p;
    if (nameEnd === nameStart) fail('name-syntax', start, end);
    const name = text.slice(nameStart, nameEnd);
    if (p < hi && text.charCodeAt(p) === 123) {
      // ${function{text}} (3.11): a call, not a parameter reference.
      const [a0, a1, aa] = curly(text, p, hi, braces);
      const arg = sub(text, a0, a1, depth + 1, braces, parens, st);
      if (skipWs(text, aa, hi) !== hi) fail('unexpected', aa, hi);
      return { kind: 'call', name, start, end, arg };
    }
    node = { kind: 'ref', name, nameStart, nameEnd, start, end, form: bracketForm };
  }
  p = skipWs(text, p, hi);
  if (p >= hi) return node;
  const op = text.charCodeAt(p);
  if (op !== 63 /* ? */ && op !== 58 /* : */) {
    fail(node.kind === 'ref' ? 'name-syntax' : 'unexpected', p, hi);
  }
  if (node.kind === 'ref') node.form = 'conditional';
  node.op = op === 63 ? '?' : ':';
  p = skipWs(text, p + 1, hi);
  if (p < hi && text.charCodeAt(p) === 123) {
    const [v0, v1, va] = curly(text, p, hi, braces);
    const first = sub(text, v0, v1, depth + 1, braces, parens, st);
    if (op === 63) node.ifSet = first;
    else node.ifUnset = first;
    p = skipWs(text, va, hi);
    if (p < hi) {
      if (op !== 63 || text.charCodeAt(p) !== 58) fail('unexpected', p, hi);
      // ?{value1}:{value2} or ?{value1}:value2
      p = skipWs(text, p + 1, hi);
      if (p < hi && text.charCodeAt(p) === 123) {
        const [e0, e1, ea] = curly(text, p, hi, braces);
        node.ifUnset = sub(text, e0, e1, depth + 1, braces, parens, st);
        if (skipWs(text, ea, hi) !== hi) fail('unexpected', ea, hi);
      } else {
        node.ifUnset = sub(text, p, hi, depth + 1, braces, parens, st);
      }
    }
  } else {
    // Legacy form: the rest of the text is the value (2.2+).
    const rest = sub(text, p, hi, depth + 1, braces, parens, st);
    if (op === 63) node.ifSet = rest;
    else node.ifUnset = rest;
  }
  return node;
}

/** Calls `visit` for every parameter reference in the tree, nested ones included, in text order. */
export function forEachRef(nodes: readonly MacroNode[], visit: (ref: RefNode) => void): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'ref':
        visit(n);
        if (n.ifSet) forEachRef(n.ifSet, visit);
        if (n.ifUnset) forEachRef(n.ifUnset, visit);
        break;
      case 'rel':
        forEachRef(n.left, visit);
        forEachRef(n.right, visit);
        if (n.ifSet) forEachRef(n.ifSet, visit);
        if (n.ifUnset) forEachRef(n.ifUnset, visit);
        break;
      case 'call':
        forEachRef(n.arg, visit);
        break;
      default:
        break;
    }
  }
}

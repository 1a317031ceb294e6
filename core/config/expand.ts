/**
 * Recursive `$name` expansion like `postconf -x`: undefined names expand to empty, conditional
 * (`${name?x}`, `${name:x}`, `${name?{x}:{y}}`) and relational (`${{a} == {b} ? {x} : {y}}`)
 * forms, `$$` as a literal `$`. Each name is expanded once (memoised), the output is capped and
 * loops are detected, so expansion is linear and never throws.
 */
import { parseMacros, type MacroErrorReason, type MacroNode } from './macro';

export interface ExpandOptions {
  /** Maximum nesting of named expansions (Postfix gives up at 100). */
  maxDepth?: number;
  /** Maximum length of the result; longer results are cut and `truncated` is set. */
  maxLength?: number;
}

export interface ExpandResult {
  value: string;
  /** Names referenced as `$name`/`${name}` that `lookup` did not know (expanded to empty), first use order. */
  undefined: string[];
  /** A reference cycle (e.g. `['a', 'b', 'a']`) or the chain that hit the depth bound. */
  loop?: string[];
  /** Set when the result hit `maxLength` (or a value had an absurd number of references). */
  truncated?: boolean;
  /** The first expression syntax error met in the value or in a referenced value. */
  error?: { reason: MacroErrorReason; name?: string };
}

const DEFAULT_MAX_DEPTH = 100;
const DEFAULT_MAX_LENGTH = 1 << 20;
/** References evaluated per value at most; more only happens with garbage input (sets `truncated`). */
const MAX_REFS = 100_000;

/**
 * Expands `value`. `lookup(name)` returns the raw (unexpanded) value of a parameter — the user's
 * setting or the built-in default — or undefined when the name has neither.
 */
export function expandValue(
  value: string,
  lookup: (name: string) => string | undefined,
  opts?: ExpandOptions,
): ExpandResult {
  const maxDepth = opts?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxLength = opts?.maxLength ?? DEFAULT_MAX_LENGTH;
  const undef: string[] = [];
  const undefSeen = new Set<string>();
  const memo = new Map<string, string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: ExpandResult = { value: '', undefined: undef };

  const safeLookup = (name: string): string | undefined => {
    try {
      const v = lookup(name);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  };

  const append = (parts: string[], len: { n: number }, s: string): boolean => {
    if (len.n + s.length > maxLength) {
      parts.push(s.slice(0, Math.max(0, maxLength - len.n)));
      len.n = maxLength;
      result.truncated = true;
      return false;
    }
    parts.push(s);
    len.n += s.length;
    return true;
  };

  const expandName = (name: string, raw: string): string => {
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    if (onStack.has(name)) {
      if (!result.loop) result.loop = [...stack.slice(stack.indexOf(name)), name];
      return '';
    }
    if (stack.length >= maxDepth) {
      if (!result.loop) result.loop = [...stack, name];
      return '';
    }
    stack.push(name);
    onStack.add(name);
    const parsed = parseMacros(raw, 0, raw.length, { maxRefs: MAX_REFS });
    if (parsed.error && !result.error) result.error = { reason: parsed.error.reason, name };
    if (parsed.limited) result.truncated = true;
    const v = evalNodes(raw, parsed.nodes);
    stack.pop();
    onStack.delete(name);
    memo.set(name, v);
    return v;
  };

  const lookupExpanded = (name: string, countUndefined: boolean): string => {
    const raw = safeLookup(name);
    if (raw === undefined) {
      if (countUndefined && !undefSeen.has(name)) {
        undefSeen.add(name);
        undef.push(name);
      }
      return '';
    }
    return expandName(name, raw);
  };

  const evalNodes = (text: string, nodes: readonly MacroNode[] | undefined): string => {
    if (!nodes || nodes.length === 0) return '';
    const parts: string[] = [];
    const len = { n: 0 };
    for (const node of nodes) {
      if (result.truncated) break;
      let s: string;
      switch (node.kind) {
        case 'text':
          s = text.slice(node.start, node.end);
          break;
        case 'dollar':
          s = '$';
          break;
        case 'call':
          // Named functions (domain_to_ascii/utf8) are not evaluated: show the argument.
          s = evalNodes(text, node.arg);
          break;
        case 'ref': {
          if (!node.op) {
            s = lookupExpanded(node.name, true);
          } else {
            const raw = safeLookup(node.name);
            const set = raw !== undefined && raw !== '';
            if (node.op === '?') s = set ? evalNodes(text, node.ifSet) : evalNodes(text, node.ifUnset);
            else s = set ? expandName(node.name, raw as string) : evalNodes(text, node.ifUnset);
          }
          break;
        }
        case 'rel': {
          const l = evalNodes(text, node.left);
          const r = evalNodes(text, node.right);
          const truth = relational(l, node.operator, r) ? 'true' : '';
          if (!node.op) s = truth;
          else if (node.op === '?') s = truth ? evalNodes(text, node.ifSet) : evalNodes(text, node.ifUnset);
          else s = truth ? truth : evalNodes(text, node.ifUnset);
          break;
        }
      }
      if (!append(parts, len, s)) break;
    }
    return parts.join('');
  };

  try {
    const parsed = parseMacros(value, 0, value.length, { maxRefs: MAX_REFS });
    if (parsed.error) result.error = { reason: parsed.error.reason };
    if (parsed.limited) result.truncated = true;
    result.value = evalNodes(value, parsed.nodes);
  } catch {
    // Defensive: expansion must never take the caller down.
    result.value = value;
  }
  return result;
}

/** Numeric compare when both sides are all digits, else string compare (mac_expand.c). */
function compareOperands(a: string, b: string): number {
  if (/^[0-9]+$/.test(a) && /^[0-9]+$/.test(b)) {
    const x = a.replace(/^0+(?=.)/, '');
    const y = b.replace(/^0+(?=.)/, '');
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compatibility levels `major[.minor[.patch]]` compare numerically per part (3.10 > 3.9). */
function compareLevels(a: string, b: string): number {
  const re = /^\s*([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?\s*$/;
  const ma = re.exec(a);
  const mb = re.exec(b);
  if (!ma || !mb) return compareOperands(a, b);
  for (let i = 1; i <= 3; i++) {
    const d = Number(ma[i] ?? 0) - Number(mb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function relational(a: string, operator: string, b: string): boolean {
  const level = operator.endsWith('level');
  const op = level ? operator.slice(0, -5) : operator;
  const c = level ? compareLevels(a, b) : compareOperands(a, b);
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return false;
  }
}

/**
 * The one command-line parser of the CLI commands, on Node's `util.parseArgs`: `--flag value`,
 * `--flag=value`, short aliases (`-f value`, `-f=value`), `--` before paths that start with a
 * dash, `-` as a path (stdin). Each command declares its options as data (an `OptionSpec` per
 * flag, with the check that turns the typed text into a value); every problem becomes a
 * `UsageError` with a message that names the flag as the user typed it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { notice, UsageError } from './io';
import { newestKnownPostfixVersion } from '../core/params';
import { compareVersions } from '../core/version';

/** One option of a command. */
export interface OptionSpec<T = unknown> {
  /** 'boolean': a switch that takes no value; 'string': takes a value. */
  type: 'boolean' | 'string';
  /** One-letter alias (`-f`). */
  short?: string;
  /**
   * Checks a value and turns it into what the command stores; throws UsageError. `flag` is the
   * option as typed (`-o` or `--output`). Absent: the text itself. Booleans are always `true`.
   */
  parse?: (value: string, flag: string) => T;
  /** Said after "needs a value: " when the value is missing (e.g. `text or jsonl`). */
  valueHint?: string;
}

/** The command line of one command. */
export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** Options by long name (without `--`). */
  options: O;
  /** Appended to "unknown option '--x'", e.g. `. Usage: postfix-tls log FILE...`. */
  unknownHint: string;
  /**
   * Arguments like `-1` or `-weird.cf` are positionals (or option values), not short options:
   * for commands without short options whose positionals may start with a dash (a log line
   * given as words holds `-1`; lint paths). `--` still ends the options.
   */
  dashWordsArePositionals?: boolean;
}

/** What an option stores: `true` for a switch, else what `parse` returns (the text without it). */
type OptionValue<S> = S extends { type: 'boolean' } ? true : S extends { parse: (value: string, flag: string) => infer T } ? T : string;

/** Parsed command line: each option given (the last one wins), positionals in order. */
export interface ParsedArgs<O extends Record<string, OptionSpec>> {
  values: { -readonly [K in keyof O]?: OptionValue<O[K]> };
  positionals: string[];
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** An option value that looks like an option: parseArgs (strict) refuses it unless given with `=`. */
const optionLike = (v: string): boolean => v.length > 1 && v.startsWith('-');

/** Parses `args` by `spec`; the first problem, in command-line order, is thrown as a UsageError. */
export function parseCommandArgs<O extends Record<string, OptionSpec>>(args: readonly string[], spec: CommandSpec<O>): ParsedArgs<O> {
  const { args: prepared, restore } = prepare(args, spec);
  let tokens: Token[];
  try {
    tokens = tokenize(prepared, spec, true);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw err;
    // parseArgs's messages (ERR_PARSE_ARGS_UNKNOWN_OPTION, ..._INVALID_OPTION_VALUE) name the
    // option but are not meant to be taken apart: a lenient pass over the same arguments finds
    // the offending token, and the values before it are checked first, in order.
    collect(tokenize(prepared, spec, false), prepared, spec, restore);
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const { values, positionals } = collect(tokens, prepared, spec, restore);
  return { values: values as ParsedArgs<O>['values'], positionals };
}

/** Values and positionals of the tokens; throws on the first unknown option or bad value. */
function collect(tokens: Token[], args: readonly string[], spec: CommandSpec, restore: (s: string) => string): { values: Record<string, unknown>; positionals: string[] } {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(restore(t.value));
    if (t.kind !== 'option') continue;
    // A group of short options (`-xyz`) is named whole.
    if (!has(spec.options, t.name)) throw new UsageError(`unknown option '${t.rawName.startsWith('--') ? t.rawName : args[t.index]}'${spec.unknownHint}`);
    const o = spec.options[t.name];
    if (o.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
      values[t.name] = true;
    } else {
      // A dash word after the flag is rather a forgotten value (`--format --all`); `=` allows it.
      if (t.value === undefined || (!t.inlineValue && optionLike(t.value))) throw new UsageError(`${t.rawName} needs a value${o.valueHint ? `: ${o.valueHint}` : ''}`);
      const v = restore(t.value);
      values[t.name] = o.parse ? o.parse(v, t.rawName) : v;
    }
  }
  return { values, positionals };
}

/** The tokens parseArgs returns (`tokens: true`), as far as they are used here. */
type Token =
  | { kind: 'option'; name: string; rawName: string; index: number; value?: string; inlineValue?: boolean }
  | { kind: 'positional'; index: number; value: string }
  | { kind: 'option-terminator'; index: number };

/** parseArgs over `args`; `strict` throws on unknown options and missing or extra values. */
function tokenize(args: string[], spec: CommandSpec, strict: boolean): Token[] {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(spec.options)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  return parseArgs({ args, options, allowPositionals: true, strict, tokens: true }).tokens as Token[];
}

/**
 * Rewrites what parseArgs would read differently from our command lines, up to `--`:
 * `-f=value` of a declared short option becomes `--format=value` (parseArgs would take
 * `=value`), and with `dashWordsArePositionals` each `-word` is hidden behind a placeholder
 * that `restore` turns back into the word.
 */
function prepare(args: readonly string[], spec: CommandSpec): { args: string[]; restore: (s: string) => string } {
  const longOf = new Map(Object.entries(spec.options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  // A placeholder no argument contains (arguments of a real process never hold NUL).
  let tag = '\u0000';
  while (args.some((a) => a.includes(tag))) tag += '\u0000';
  const hidden = new Map<string, string>();
  const out: string[] = [];
  let i = 0;
  for (; i < args.length && args[i] !== '--'; i++) {
    const a = args[i];
    const long = longOf.get(a[1]);
    if (a.length < 2 || a[0] !== '-' || a[1] === '-') out.push(a);
    else if (long !== undefined) out.push(a[2] === '=' ? `--${long}${a.slice(2)}` : a);
    else if (spec.dashWordsArePositionals) {
      const p = `${tag}${hidden.size}`;
      hidden.set(p, a);
      out.push(p);
    } else out.push(a);
  }
  out.push(...args.slice(i));
  return { args: out, restore: (s) => hidden.get(s) ?? s };
}

// ---------------------------------------------------------------------------- value checks

/** One of `choices`; `message` says what is wrong (default: `--x must be one of a, b (got 'v')`). */
export function oneOf<T extends string>(choices: readonly T[], message?: (value: string, flag: string) => string): (value: string, flag: string) => T {
  return (value, flag) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new UsageError(message ? message(value, flag) : `${flag} must be one of ${choices.join(', ')} (got '${value}')`);
  };
}

const VERSION_RE = /^\d+\.\d+(\.\d+)?$/;

/**
 * A Postfix or OpenSSL version like 3.10 or 3.0.2 (surrounding blanks ignored). A Postfix
 * version newer than the parameter data is accepted (as the editor setting accepts it) with a
 * notice that checks follow the newest version known.
 */
export function dottedVersion(value: string, flag: string): string {
  const v = value.trim();
  if (!VERSION_RE.test(v)) throw new UsageError(`${flag} must be a version like 3.10 (got '${v}')`);
  if (flag === '--postfix-version') {
    const newest = newestKnownPostfixVersion();
    if (compareVersions(v, newest) > 0) notice(`${flag} ${v} is newer than the Postfix versions this tool has data for (up to ${newest}); defaults and checks follow ${newest}.`);
  }
  return v;
}


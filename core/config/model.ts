/**
 * The parsed shape of main.cf and master.cf, with ranges on everything.
 * Produced by `parseMainCf` / `parseMasterCf` (core/config/parse-main.ts, parse-master.ts).
 */
import type { Range } from '../types';

/** A piece of a value that lies on one physical line; values may span continuation lines. */
export interface ValueSegment {
  /** Offset of this segment in the logical value string. */
  offset: number;
  /** Text of the segment as it stands in the value. */
  text: string;
  /** Where the segment sits in the file. */
  range: Range;
}

/** A `$name`, `${name}`, `$(name)` or conditional `${name?..}`/`${name:..}` reference inside a value. */
export interface ParamRef {
  name: string;
  /** Range of the name itself (without `$`, braces). */
  nameRange: Range;
  /** Range of the whole reference (`$name`, `${name?x}` ...). */
  range: Range;
  form: 'plain' | 'braces' | 'parens' | 'conditional';
}

/** A problem the parser found in the text (reported by the syntax rules). */
export interface ParseProblem {
  /** Stable code, same namespace as diagnostics (e.g. `syntax.missing-equals`). */
  code: string;
  range: Range;
  /** Facts for the message table (e.g. `{ text: 'foo bar = x' }`). */
  args: Record<string, string | number>;
}

/** One `name = value` logical line of main.cf, or one `-o name=value` of master.cf. */
export interface Assignment {
  name: string;
  nameRange: Range;
  /** The value exactly as Postfix stores it (leading/trailing white space trimmed, continuations joined). */
  value: string;
  /** From the first to the last character of the value (an empty range after `=` for an empty value). */
  valueRange: Range;
  /** Physical pieces of the value, to turn a value offset into a file position. */
  segments: ValueSegment[];
  /** The whole logical line (for main.cf) or the whole `-o ...` argument(s) (for master.cf). */
  range: Range;
  /** References to other parameters in the value. */
  refs: ParamRef[];
}

/** main.cf parse result. */
export interface MainCf {
  uri: string;
  /** Every assignment in file order (duplicates included). */
  entries: Assignment[];
  /** Name -> assignments in file order; the effective one is the last. */
  byName: Map<string, Assignment[]>;
  problems: ParseProblem[];
  /** Number of physical lines. */
  lineCount: number;
}

/** One whitespace-separated master.cf field or command argument. */
export interface Field {
  text: string;
  range: Range;
}

/** A master.cf `-o` override. `form` tells `-o name=value`, `-oname=value` or `-o { name = value }`. */
export interface Override extends Assignment {
  form: 'short' | 'attached' | 'long';
}

/** One master.cf service entry (a logical line). */
export interface MasterService {
  /** Service name column (e.g. `smtp`, `submission`, `127.0.0.1:10025`). */
  service: Field;
  /** type column: inet, unix, unix-dgram, fifo, pass. */
  type: Field;
  private: Field;
  unpriv: Field;
  chroot: Field;
  wakeup: Field;
  maxproc: Field;
  /** The command (e.g. `smtpd`, `smtp`, `pipe`). */
  command: Field;
  /** Arguments after the command, `{ }` groups kept as one argument. */
  args: Field[];
  overrides: Override[];
  range: Range;
}

/** master.cf parse result. */
export interface MasterCf {
  uri: string;
  services: MasterService[];
  problems: ParseProblem[];
  lineCount: number;
}

/** Shared helpers for the rule tests: lint in-memory documents, pick findings, apply fixes. */
import { lint } from '../../../core/lint';
import { formatMessage } from '../../../core/rules/messages';
import { DEFAULT_SETTINGS, type Finding, type Fix, type Settings } from '../../../core/types';

export const MAIN = 'file:///etc/postfix/main.cf';
export const MASTER = 'file:///etc/postfix/master.cf';

export interface RunOptions extends Partial<Settings> {
  /** Files readFile can see (absolute paths); an Error value makes readFile throw it. */
  files?: Record<string, string | Buffer | Error>;
  /** Leave readFile out (untrusted workspace). */
  noRead?: boolean;
  configDirectory?: string;
}

/** Lints main.cf / master.cf texts with default settings plus `opts`. */
export function run(main: string | undefined, master?: string, opts: RunOptions = {}): Finding[] {
  const { files, noRead, configDirectory, ...s } = opts;
  const settings: Settings = { ...DEFAULT_SETTINGS, levels: {}, ...s };
  const readFile = noRead
    ? undefined
    : (p: string): Buffer | undefined => {
        const v = files?.[p];
        if (v instanceof Error) throw v;
        return v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v);
      };
  return lint(
    {
      main: main === undefined ? undefined : { uri: MAIN, getText: () => main },
      master: master === undefined ? undefined : { uri: MASTER, getText: () => master },
      configDirectory: configDirectory ?? '/etc/postfix',
      readFile,
    },
    settings,
  );
}

/** Findings with one code. */
export function withCode(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** The message the table makes for `code` and `args` (tests never spell messages out). */
export const msg = formatMessage;

/** 1-based `line:column` of a finding, for compact assertions. */
export function at(f: Finding): string {
  return `${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

/** Applies a fix's edits (all in one file) to `text`. */
export function applyFix(text: string, fix: Fix): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return Math.min(text.length, o + p.character);
  };
  const edits = [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * `postfix-tls lint PATH...`: the core's lint() over files on disk, printed as text, JSON or
 * SARIF 2.1.0. Settings: defaults < `.postfix-tls.json` in the folder < flags.
 * Exit 0 when nothing is at or above --fail-on (default warning), 1 otherwise, 2 on a usage or
 * read error.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../package.json';
import { lintPaths } from '../core/lint-files';
import { MESSAGES, messageSpec, type MessageSpec } from '../core/rules/messages';
import { ALL_CODES } from '../core/rules/registry';
import { DEFAULT_SETTINGS, PROFILE_NAMES, type Finding, type ProfileName, type Settings, type Severity } from '../core/types';
import { CliCommand, UsageError } from './io';

/** The README section listing every diagnostic code (same target as the language server's links). */
export const README_CODES_URL = 'https://example.invalid/postfix-tls#diagnostic-codes';

type Format = 'text' | 'json' | 'sarif';
const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_LEVELS: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };
const VERSION_RE = /^\d+\.\d+(\.\d+)?$/;

export interface LintOptions {
  paths: string[];
  format: Format;
  failOn: Severity;
  flags: Partial<Settings>;
}

/** Parses the command line of `lint`; throws UsageError with a clear message. */
export function parseLintArgs(args: string[]): LintOptions {
  const opts: LintOptions = { paths: [], format: 'text', failOn: 'warning', flags: {} };
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = args[++i];
    if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  let onlyPaths = false;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (onlyPaths || !arg.startsWith('--') || arg === '-') {
      if (arg !== '') opts.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    switch (flag) {
      case '--postfix-version':
      case '--openssl-version': {
        const v = value(flag, inline).trim();
        if (!VERSION_RE.test(v)) throw new UsageError(`${flag} must be a version like 3.10 (got '${v}')`);
        if (flag === '--postfix-version') opts.flags.postfixVersion = v;
        else opts.flags.opensslVersion = v;
        break;
      }
      case '--profile': {
        const v = value(flag, inline);
        if (!(PROFILE_NAMES as readonly string[]).includes(v)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')} (got '${v}')`);
        opts.flags.profile = v as ProfileName;
        break;
      }
      case '--format': {
        const v = value(flag, inline);
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got '${v}')`);
        opts.format = v as Format;
        break;
      }
      case '--fail-on': {
        const v = value(flag, inline);
        if (!(FAIL_LEVELS as readonly string[]).includes(v)) throw new UsageError(`--fail-on must be one of error, warning, info (got '${v}')`);
        opts.failOn = v as Severity;
        break;
      }
      default:
        throw new UsageError(`unknown option '${flag}'. Options: --postfix-version, --openssl-version, --profile, --format, --fail-on`);
    }
  }
  if (opts.paths.length === 0) throw new UsageError('give at least one main.cf, master.cf or folder holding them');
  return opts;
}

/** How a file is shown: relative to the working directory when inside it, else absolute. */
function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `file:line:column: level code message`, 1-based, one finding per line. */
export function formatText(findings: Finding[], cwd: string, fileCount: number): string {
  const lines = findings.map((f) => `${displayPath(f.file, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.level} ${f.code} ${f.message.replace(/\r?\n/g, ' ')}`);
  const count = (l: Severity) => findings.filter((f) => f.level === l).length;
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  if (findings.length === 0) lines.push(`No findings in ${files}.`);
  else {
    const parts = (['error', 'warning', 'info', 'hint'] as const).map((l) => [l, count(l)] as const).filter(([, n]) => n > 0);
    lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} (${parts.map(([l, n]) => `${n} ${l}${n === 1 || l === 'info' ? '' : 's'}`).join(', ')}).`);
  }
  return lines.join('\n') + '\n';
}

/** JSON findings with 1-based positions. */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  level: Severity;
  code: string;
  message: string;
}

export function toJson(findings: Finding[], cwd: string): JsonFinding[] {
  return findings.map((f) => ({
    file: displayPath(f.file, cwd),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    level: f.level,
    code: f.code,
    message: f.message,
  }));
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The SARIF artifact URI: a relative path with `/` inside the working directory, else a file URI. */
function artifactUri(file: string, cwd: string): string {
  const shown = displayPath(file, cwd);
  return path.isAbsolute(shown) ? pathToFileURL(shown).href : shown.split(path.sep).join('/');
}

/** A SARIF 2.1.0 log: one rule per diagnostic code, one result per finding. */
export function toSarif(findings: Finding[], cwd: string): object {
  const codes = Object.keys(ALL_CODES).sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    const spec: MessageSpec = messageSpec(code);
    return {
      id: code,
      shortDescription: { text: spec.description },
      helpUri: spec.helpUri ?? `${README_CODES_URL}`,
      defaultConfiguration: { level: SARIF_LEVEL[ALL_CODES[code]] },
    };
  });
  const results = findings.map((f) => {
    const r: Record<string, unknown> = {
      ruleId: f.code,
      level: SARIF_LEVEL[f.level],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(f.file, cwd) },
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
        },
      ],
    };
    const i = index.get(f.code);
    if (i !== undefined) r.ruleIndex = i;
    return r;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'postfix-tls', version, informationUri: README_CODES_URL.replace(/#.*$/, ''), rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export const lintCommand: CliCommand = async (args, io) => {
  const opts = parseLintArgs(args);
  const abs = opts.paths.map((p) => path.resolve(io.cwd, p));
  const result = await lintPaths(abs, { ...DEFAULT_SETTINGS, levels: {} }, { flags: opts.flags });
  const shownErrors = result.errors.map((e) => {
    // Errors name absolute paths; show them the way findings are shown.
    let out = e;
    for (const a of abs) if (out.startsWith(a)) out = displayPath(a, io.cwd) + out.slice(a.length);
    return out;
  });
  if (opts.format === 'json') io.stdout.write(JSON.stringify(toJson(result.findings, io.cwd), null, 2) + '\n');
  else if (opts.format === 'sarif') io.stdout.write(JSON.stringify(toSarif(result.findings, io.cwd), null, 2) + '\n');
  else if (result.files.length > 0 || result.findings.length > 0) io.stdout.write(formatText(result.findings, io.cwd, result.files.length));
  for (const e of shownErrors) io.stderr.write(`postfix-tls lint: ${e}\n`);
  if (shownErrors.length > 0) return 2;
  return result.findings.some((f) => RANK[f.level] >= RANK[opts.failOn]) ? 1 : 0;
};

/** Every code with its default level and description, for the README. */
export function codeTable(): { code: string; level: Severity; description: string }[] {
  return Object.keys(ALL_CODES)
    .sort()
    .map((code) => ({ code, level: ALL_CODES[code], description: (MESSAGES as Record<string, MessageSpec>)[code]?.description ?? '' }));
}

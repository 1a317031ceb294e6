/**
 * `postfix-tls lint PATH...`: the core's lint() over files on disk, printed as text, JSON or
 * SARIF 2.1.0. Settings: defaults < `.postfix-tls.json` in the folder < flags.
 * Exit 0 when nothing is at or above --fail-on (default warning), 1 otherwise, 2 on a usage or
 * read error.
 */
import { plainText } from '../core/log/explain';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../package.json';
import { lintPaths } from '../core/lint-files';
import { MESSAGES, messageSpec, type MessageSpec } from '../core/rules/messages';
import { ALL_CODES } from '../core/rules/registry';
import { DEFAULT_SETTINGS, PROFILE_NAMES, type Finding, type ProfileName, type Settings, type Severity } from '../core/types';
import { CliCommand, UsageError } from './io';
import { dottedVersion, oneOf, parseCommandArgs, type CommandSpec } from './args';

/** The README section listing every diagnostic code (same target as the language server's links). */
export const README_CODES_URL = 'https://example.invalid/postfix-tls#diagnostic-codes';

type Format = 'text' | 'json' | 'sarif';
const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_LEVELS: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export interface LintOptions {
  paths: string[];
  format: Format;
  failOn: Severity;
  flags: Partial<Settings>;
}

const LINT_ARGS = {
  options: {
    'postfix-version': { type: 'string', parse: dottedVersion },
    'openssl-version': { type: 'string', parse: dottedVersion },
    profile: { type: 'string', parse: oneOf<ProfileName>(PROFILE_NAMES) },
    format: { type: 'string', parse: oneOf(FORMATS) },
    'fail-on': { type: 'string', parse: oneOf(FAIL_LEVELS, (v, flag) => `${flag} must be one of ${FAIL_LEVELS.join(', ')} (got '${v}')`), valueHint: FAIL_LEVELS.join(', ') },
  },
  unknownHint: '. Options: --postfix-version, --openssl-version, --profile, --format, --fail-on',
  dashWordsArePositionals: true,
} satisfies CommandSpec;

/** Parses the command line of `lint`; throws UsageError with a clear message. */
export function parseLintArgs(args: string[]): LintOptions {
  const { values: v, positionals } = parseCommandArgs(args, LINT_ARGS);
  const flags: Partial<Settings> = {};
  if (v['postfix-version'] !== undefined) flags.postfixVersion = v['postfix-version'];
  if (v['openssl-version'] !== undefined) flags.opensslVersion = v['openssl-version'];
  if (v.profile !== undefined) flags.profile = v.profile;
  const paths = positionals.filter((p) => p !== '');
  if (paths.length === 0) throw new UsageError('give at least one main.cf, master.cf or folder holding them');
  return { paths, format: v.format ?? 'text', failOn: v['fail-on'] ?? 'warning', flags };
}

/** How a file is shown: relative to the working directory when inside it, else absolute. */
function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `file:line:column: level code message`, 1-based, one finding per line. */
export function formatText(findings: Finding[], cwd: string, fileCount: number): string {
  // Messages quote the config: control characters (escape sequences) never reach the terminal.
  const lines = findings.map((f) => `${plainText(displayPath(f.file, cwd), 1000)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.level} ${f.code} ${plainText(f.message, 10_000)}`);
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

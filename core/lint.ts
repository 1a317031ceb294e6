/**
 * The one lint entry point, used by the language server and the CLI: parse main.cf and
 * master.cf, run every rule of the registry, apply the per-code levels from the settings (`off`
 * drops a finding) and format messages from the message table.
 */
import type { MainCf, MasterCf } from './config/model';
import { parseMainCf } from './config/parse-main';
import { parseMasterCf } from './config/parse-master';
import { formatMessage } from './rules/messages';
import { ALL_CODES, RULES } from './rules/registry';
import type { RuleContext, RuleReport } from './rules/rule';
import { NEVER_CANCELLED, type CancellationTokenLike, type Finding, type Settings, type Severity, type TextDocumentLike } from './types';

/** What to lint: one configuration folder's main.cf and/or master.cf. */
export interface LintInput {
  main?: TextDocumentLike;
  master?: TextDocumentLike;
  /** The folder `$config_directory` resolves to; relative DH file names resolve against it. */
  configDirectory?: string;
  /**
   * Reads a file the configuration names (DH parameter files). Return undefined when the file
   * does not exist; throw an Error (its message is shown) when it exists but cannot be read.
   * Leave it out where reading files is not allowed: file checks are then skipped.
   */
  readFile?: (path: string) => Buffer | undefined;
}

/** The level a code gets: the user's setting, else its default; undefined means off. */
export function levelFor(code: string, settings: Settings): Severity | undefined {
  const configured = Object.prototype.hasOwnProperty.call(settings.levels, code) ? settings.levels[code] : undefined;
  const level = configured ?? ALL_CODES[code] ?? 'warning';
  return level === 'off' ? undefined : level;
}

/** Parses and lints. Never throws for any input text; a failing rule is skipped, not fatal. */
export function lint(input: LintInput, settings: Settings, token: CancellationTokenLike = NEVER_CANCELLED): Finding[] {
  const texts = { main: safeText(input.main), master: safeText(input.master) };
  const main: MainCf | undefined = input.main ? parseMainCf({ uri: input.main.uri, getText: () => texts.main ?? '' }, token) : undefined;
  const master: MasterCf | undefined = input.master ? parseMasterCf({ uri: input.master.uri, getText: () => texts.master ?? '' }, token) : undefined;
  return lintParsed({ main, master, configDirectory: input.configDirectory, readFile: input.readFile, texts }, settings, token);
}

function safeText(doc: TextDocumentLike | undefined): string | undefined {
  if (!doc) return undefined;
  try {
    return doc.getText();
  } catch {
    return '';
  }
}

/** Lints already parsed files (callers that keep the parse for hovers reuse it). */
export function lintParsed(
  parsed: Pick<RuleContext, 'main' | 'master' | 'configDirectory' | 'readFile' | 'texts'>,
  settings: Settings,
  token: CancellationTokenLike = NEVER_CANCELLED,
): Finding[] {
  const ctx: RuleContext = { ...parsed, settings, token };
  const reports: RuleReport[] = [];
  for (const rule of RULES) {
    if (token.isCancellationRequested) return [];
    // Skip a rule whose codes are all off.
    if (Object.keys(rule.codes).every((c) => levelFor(c, settings) === undefined)) continue;
    try {
      reports.push(...rule.check(ctx));
    } catch (err) {
      // A bug in one rule must not take the others down; say so in the results.
      reports.push({
        file: parsed.main?.uri ?? parsed.master?.uri ?? '',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        code: 'internal.rule-failed',
        args: { text: `internal error in rule '${rule.id}': ${err instanceof Error ? err.message : String(err)}` },
      });
    }
  }
  const findings: Finding[] = [];
  for (const r of reports) {
    const level = levelFor(r.code, settings);
    if (!level) continue;
    const f: Finding = { file: r.file, range: r.range, level, code: r.code, message: formatMessage(r.code, r.args) };
    if (r.fixes && r.fixes.length > 0) f.fixes = r.fixes;
    if (r.tags && r.tags.length > 0) f.tags = r.tags;
    findings.push(f);
  }
  findings.sort(compareFindings);
  return findings;
}

/** File, then position, then code: a stable order for output and tests. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

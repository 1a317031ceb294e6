/**
 * The one lint entry point, used by the language server and the CLI: parse main.cf and
 * master.cf, run every rule of the registry, apply the per-code levels from the settings (`off`
 * drops a finding) and format messages from the message table.
 */
import type { Assignment, MainCf, MasterCf } from './config/model';
import { parseMainCf } from './config/parse-main';
import { parseMasterCf } from './config/parse-master';
import { formatMessage } from './rules/messages';
import { ALL_CODES, RULES } from './rules/registry';
import type { Rule, RuleContext, RuleReport } from './rules/rule';
import { allSites, effectiveSites, type Site } from './rules/util';
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

/** What the per-site rules of one group reported for one assignment, and under which keys. */
interface SiteMemo {
  /** The group's run key (see SiteRule.prepare) when the reports were made. */
  key: string;
  file: string;
  service: unknown;
  /** Per rule of the group: its site key (left out when '': the reports depend on nothing else). */
  siteKeys: (string | undefined)[];
  /** Per rule of the group: its reports (undefined: none). */
  reports: (RuleReport[] | undefined)[];
}

/**
 * Reports of per-site rules (Rule.perSite) kept per assignment object between lint runs. Pass
 * the same cache to lintParsed for successive versions of a document whose parses share the
 * assignments of unchanged lines (incremental parsing): only new or changed assignments are
 * checked again. Entries go away with their assignments (weak keys).
 */
export class LintCache {
  readonly effective = new WeakMap<Assignment, SiteMemo>();
  readonly all = new WeakMap<Assignment, SiteMemo>();
  /** The last run key per group: an equal key is replaced by this very string, so memos compare by identity. */
  readonly keys = new Map<string, string>();
  /** The finding made of a kept report (callers must not change findings). */
  readonly findings = new WeakMap<RuleReport, Finding>();
  /** What whole-file rules keep between runs (RuleContext.memo). */
  readonly rules = new Map<string, unknown>();
}

/** Reports of a group of per-site rules, or the error that stopped one of them. */
type GroupResult = Map<Rule, RuleReport[] | { error: unknown }>;

/**
 * Runs the per-site rules of one scope in one pass over the sites, reusing the memo of every
 * site whose assignment, run key and site keys are unchanged. The reports per rule come out in
 * the order the rule's own check() gives them. Undefined when cancelled.
 */
function runSiteGroup(rules: Rule[], scope: 'effective' | 'all', ctx: RuleContext, cache: LintCache): GroupResult | undefined {
  const result: GroupResult = new Map();
  if (rules.length === 0) return result;
  const memos = scope === 'all' ? cache.all : cache.effective;
  const failed: (unknown | undefined)[] = rules.map(() => undefined);
  const prepared = rules.map((r, i) => {
    try {
      return r.perSite!.prepare(ctx);
    } catch (error) {
      failed[i] = error ?? new Error(String(error));
      return { key: '\u0003failed', state: undefined };
    }
  });
  // removeFix() reads the line counts (a removal at the end of the file keeps no line break).
  let key = `${prepared.map((p, i) => `${rules[i].id}=${p.key}`).join('\u0000')}\u0000${ctx.main?.lineCount ?? -1}\u0000${ctx.master?.lineCount ?? -1}`;
  const last = cache.keys.get(scope);
  if (last === key) key = last;
  else cache.keys.set(scope, key);
  const out: RuleReport[][] = rules.map(() => []);
  const emptyMemos = new Map<string, SiteMemo>();
  const allNever = rules.every((r) => r.perSite!.never !== undefined);
  const sites = scope === 'all' ? allSites(ctx) : effectiveSites(ctx);
  for (let i = 0; i < sites.length; i++) {
    if ((i & 255) === 255 && ctx.token.isCancellationRequested) return undefined;
    const site = sites[i];
    // Sites none of the rules can report on need neither a check nor a memo.
    if (allNever && rules.every((r) => r.perSite!.never!(site))) continue;
    let memo = memos.get(site.a);
    if (memo && (memo.key !== key || memo.file !== site.file || memo.service !== site.service || !siteKeysMatch(memo, rules, site, prepared))) memo = undefined;
    if (!memo) {
      const fresh: SiteMemo = { key, file: site.file, service: site.service, siteKeys: [], reports: [] };
      // A memo is kept only when every rule of the group answered for the site.
      let ok = true;
      let empty = true;
      for (let r = 0; r < rules.length; r++) {
        if (failed[r] !== undefined) {
          ok = false;
          continue;
        }
        const perSite = rules[r].perSite!;
        try {
          const got = perSite.check(site, ctx, prepared[r].state);
          const siteKey = perSite.siteKey ? perSite.siteKey(site, prepared[r].state) : '';
          if (got && got.length > 0) fresh.reports[r] = got;
          if (siteKey !== '') fresh.siteKeys[r] = siteKey;
          if ((got && got.length > 0) || siteKey !== '') empty = false;
        } catch (error) {
          failed[r] = error ?? new Error(String(error));
          ok = false;
        }
      }
      // Most sites have nothing to report: they share one memo per file and service.
      if (empty && ok && site.service === undefined) memo = nothingFor(site.file, key, emptyMemos);
      else memo = fresh;
      if (ok) memos.set(site.a, memo);
    }
    for (let r = 0; r < rules.length; r++) {
      const got = memo.reports[r];
      if (got) for (const x of got) out[r].push(x);
    }
  }
  rules.forEach((rule, r) => result.set(rule, failed[r] !== undefined ? { error: failed[r] } : out[r]));
  return result;
}

/** The memo of a main.cf site without reports or site keys (one per file and run key). */
function nothingFor(file: string, key: string, emptyMemos: Map<string, SiteMemo>): SiteMemo {
  let memo = emptyMemos.get(file);
  if (!memo) emptyMemos.set(file, (memo = { key, file, service: undefined, siteKeys: [], reports: [] }));
  return memo;
}

/** A site key of '' (left out) was made without looking at the run's state: only the others are asked again. */
function siteKeysMatch(memo: SiteMemo, rules: Rule[], site: Site, prepared: { state: unknown }[]): boolean {
  for (let r = 0; r < rules.length; r++) {
    const k = memo.siteKeys[r];
    if (k !== undefined && rules[r].perSite!.siteKey!(site, prepared[r].state) !== k) return false;
  }
  return true;
}

/**
 * Lints already parsed files (callers that keep the parse for hovers reuse it). With a
 * `cache`, per-site rules reuse what they reported for unchanged assignments (see LintCache);
 * the findings are the same as without it.
 */
export function lintParsed(
  parsed: Pick<RuleContext, 'main' | 'master' | 'configDirectory' | 'readFile' | 'texts'>,
  settings: Settings,
  token: CancellationTokenLike = NEVER_CANCELLED,
  cache?: LintCache,
): Finding[] {
  const ctx: RuleContext = { ...parsed, settings, token };
  if (cache) ctx.memo = cache.rules;
  const reports: RuleReport[] = [];
  // Skip a rule whose codes are all off.
  const active = RULES.filter((rule) => !Object.keys(rule.codes).every((c) => levelFor(c, settings) === undefined));
  let grouped: GroupResult | undefined;
  if (cache) {
    const effective = runSiteGroup(active.filter((r) => r.perSite && r.perSite.scope !== 'all'), 'effective', ctx, cache);
    const all = effective && runSiteGroup(active.filter((r) => r.perSite?.scope === 'all'), 'all', ctx, cache);
    if (!effective || !all) return [];
    grouped = new Map([...effective, ...all]);
  }
  for (const rule of active) {
    if (token.isCancellationRequested) return [];
    try {
      const got = grouped?.get(rule) ?? rule.check(ctx);
      if (!Array.isArray(got)) throw got.error;
      for (const r of got) reports.push(r);
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
    // A report kept by the cache keeps its finding too (the message is formatted once).
    let f = cache?.findings.get(r);
    if (!f || f.level !== level) {
      f = { file: r.file, range: r.range, level, code: r.code, message: formatMessage(r.code, r.args) };
      if (r.fixes && r.fixes.length > 0) f.fixes = r.fixes;
      if (r.tags && r.tags.length > 0) f.tags = r.tags;
      cache?.findings.set(r, f);
    }
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

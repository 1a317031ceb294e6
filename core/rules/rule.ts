/**
 * The contract every rule file under core/rules/ follows. One rule per file; the registry
 * (core/rules/registry.ts) lists them; messages live in core/rules/messages.ts.
 */
import type { MainCf, MasterCf } from '../config/model';
import type { CancellationTokenLike, Fix, Range, Settings, Severity } from '../types';

/** What a rule sees: the main.cf and master.cf of one Postfix configuration folder, analysed together. */
export interface RuleContext {
  /** Parsed main.cf, when one is part of the analysis. */
  main?: MainCf;
  /** Parsed master.cf, when one is part of the analysis. */
  master?: MasterCf;
  settings: Settings;
  /** The folder `$config_directory` resolves to (the folder holding main.cf), when known. */
  configDirectory?: string;
  /** Reads a file the configuration points at (DH parameter files). Absent where reading is not allowed. */
  readFile?: (path: string) => Buffer | undefined;
  token: CancellationTokenLike;
  /**
   * The raw texts, when known, for the rare check that needs what the parsers set aside (e.g.
   * `service/type/name=value` lines of a `postconf -P` override file given as master.cf).
   */
  texts?: { main?: string; master?: string };
  /**
   * What a rule kept from its previous run with the same LintCache (core/lint.ts), by rule id;
   * absent without a cache. A rule must check that its inputs are unchanged before reusing it.
   */
  memo?: Map<string, unknown>;
}

/** A rule's raw report before levels are applied. */
export interface RuleReport {
  file: string;
  range: Range;
  /** A code from this rule's `codes`. */
  code: string;
  /** Arguments for the message template of `code` in core/rules/messages.ts. */
  args?: Record<string, string | number>;
  fixes?: Fix[];
  tags?: ('deprecated' | 'unnecessary')[];
}

/** One rule: a set of related diagnostic codes and the check that reports them. */
export interface Rule {
  /** Rule id (file name without extension). */
  id: string;
  /** The diagnostic codes this rule may report, with their default level. */
  codes: Record<string, Severity>;
  check(ctx: RuleContext): RuleReport[];
  /**
   * Set for rules that look at each effective site on its own: `check` is then exactly
   * `runSiteRule(perSite, ctx)` (core/rules/util.ts), which lets an incremental lint reuse the
   * reports of a site whose assignment object and keys are unchanged.
   */
  perSite?: SiteRule<any>;
}

/** The per-site form of a rule (see Rule.perSite). */
export interface SiteRule<S> {
  /** The sites it looks at: the effective ones (default), or every assignment (duplicates too). */
  scope?: 'effective' | 'all';
  /**
   * What the reports of a site depend on besides the site itself, once per run: `key` must
   * change whenever `state` or anything else read from the context (settings, the other file)
   * could change the reports of an unchanged assignment.
   */
  prepare(ctx: RuleContext): { key: string; state: S };
  /**
   * A key of what one site's reports depend on in `state` beyond `prepare`'s key (e.g. one set
   * membership). Return '' when they depend on nothing more for this site: that answer must
   * follow from the site alone, as it is not asked again while the assignment is unchanged.
   */
  siteKey?(site: import('./util').Site, state: S): string;
  /** True for a site the rule can never report on (checked without a memo, saving memory). */
  never?(site: import('./util').Site): boolean;
  /** The reports for one site (none: undefined or an empty array). */
  check(site: import('./util').Site, ctx: RuleContext, state: S): RuleReport[] | undefined;
}

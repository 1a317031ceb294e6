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
}

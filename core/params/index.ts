/**
 * Postfix parameter knowledge: types, defaults (version-aware for TLS parameters), status,
 * deprecations, allowed values, dynamic names and did-you-mean suggestions.
 * Built lazily from the generated tables in ./generated (see scripts/gen-params.mjs).
 */
// One module for all generated tables (see data.ts: the VSIX ships it once for two bundles).
import { ALLOWED, PARAM_ROWS, POSTCONF_CLASSES, RUNTIME_DEFAULT_MARKERS, TLS_ROWS, DEPRECATION_ROWS, type ParamRow, type HistoryEntry, type TlsRow, type DeprecationRow } from './data';
import { atLeast, compareVersions, formatVersion, parseVersion } from '../version';

export type { HistoryEntry } from './generated/tls';
export { classifyName, SERVICE_SUFFIXES, splitServiceName, collectUsedNames, type NameClass, type ClassifyContext } from './dynamic';
export { suggestNames } from './suggest';

/** Value type as Postfix checks it. `pattern` = documented `transport_*` pattern rows; `pseudo` = not a parameter. */
export type ParamType = 'string' | 'bool' | 'nbool' | 'int' | 'nint' | 'long' | 'time' | 'raw' | 'pattern' | 'pseudo';

/** Lifecycle status (from the `status` column without its version). */
export type ParamStatus =
  | 'active' | 'deprecated' | 'obsolete' | 'removed' | 'read-only' | 'pattern' | 'service-defined' | 'pseudo';

/** Extra facts for TLS parameters (params-tls.tsv). */
export interface TlsExtras {
  /** Finer type: `path`, `enum`, `protocol list`, `OpenSSL cipherlist`, `type:table list`... */
  tlsType: string;
  /** Our own short description (more specific than `summary`). */
  summary: string;
  /** Default changes by version, oldest first. */
  defaultHistory: HistoryEntry[];
  /** Version since which Postfix ignores the parameter (e.g. smtpd_tls_eecdh_grade: 3.6). */
  ignoredSince?: string;
  /** The parameter that replaces it (e.g. smtpd_tls_chain_files). */
  supersededBy?: string;
  /** A per-daemon copy of this parameter (e.g. tlsproxy_tls_eecdh_grade -> smtpd_tls_eecdh_grade). */
  sameAs?: string;
  /** Set for DSA key/cert parameters. */
  obsoleteAlgorithm?: string;
}

export interface ParamInfo {
  name: string;
  type: ParamType;
  /** Built-in default at Postfix 3.12 as `postconf -d` shows it (may contain `$name` expressions). */
  default: string;
  /** Default unit of a time value (`s`, `m`, `h`, `d`, `w`). */
  timeUnit?: string;
  /** Lower/upper bound for int/time (undefined = none). */
  min?: number;
  max?: number;
  /** Minimum string length (1 = must not be empty). */
  minLen?: number;
  /** Postfix version that introduced it (`<=1.0` for the oldest). */
  introduced?: string;
  /** Patch releases that received it earlier (e.g. 3.8.5). */
  backports?: string[];
  status: ParamStatus;
  /** Version in the status (`deprecated(3.9)` -> 3.9, `removed(2.3)` -> 2.3). */
  statusVersion?: string;
  /** postconf's advice (`specify "smtp_tls_security_level"`, `do not specify`). */
  replacement?: string;
  /** Allowed values as documented (free text). */
  allowed?: string;
  /** The words of `allowed` usable for completion. */
  allowedValues: string[];
  /** True when the value is a list of words (`value_mode` = list). */
  list: boolean;
  /** postconf(5) link, when the parameter is documented there. */
  url?: string;
  /** Short own-words description. */
  summary: string;
  /** How postconf registers it. */
  postconfClass: (typeof POSTCONF_CLASSES)[number];
  tls?: TlsExtras;
}

export interface Deprecation {
  name: string;
  /**
   * parameter: postconf warns "will be removed" (still works); removed: no longer recognised;
   * obsolete: documented obsolete or ignored; inactive: table entry disabled in postconf;
   * restriction: a restriction keyword (value, not a name); runtime: a daemon warns at run time.
   */
  kind: DeprecationRow[1];
  deprecatedIn?: string;
  removedIn?: string;
  /** Whether postconf at 3.12 still knows the name. */
  postconfRecognised: boolean;
  /** The advice after "instead, " (e.g. `specify "smtpd_tls_security_level"`). */
  replacement?: string;
}

let index: Map<string, number> | undefined;
let tlsIndex: Map<string, TlsRow> | undefined;
const cache = new Map<string, ParamInfo>();

function rowIndex(): Map<string, number> {
  if (!index) {
    index = new Map();
    for (let i = 0; i < PARAM_ROWS.length; i++) index.set(PARAM_ROWS[i][0], i);
  }
  return index;
}

function tlsRow(name: string): TlsRow | undefined {
  if (!tlsIndex) {
    tlsIndex = new Map();
    for (const r of TLS_ROWS) tlsIndex.set(r[0], r);
  }
  return tlsIndex.get(name);
}

function build(r: ParamRow): ParamInfo {
  const [name, type, def, timeUnit, min, max, minLen, introduced, statusRaw, replacement, allowedIdx, mode, cls, summary, hasUrl, backports] = r;
  const sm = /^([a-z-]+)(?:\(([^)]*)\))?$/.exec(statusRaw);
  const info: ParamInfo = {
    name,
    type: type as ParamType,
    default: def,
    status: (sm ? sm[1] : statusRaw) as ParamStatus,
    allowedValues: allowedIdx >= 0 ? [...ALLOWED[allowedIdx][1]] : [],
    list: mode === 2,
    summary,
    postconfClass: POSTCONF_CLASSES[cls],
  };
  if (timeUnit) info.timeUnit = timeUnit;
  if (min) info.min = min;
  if (max) info.max = max;
  if (minLen) info.minLen = minLen;
  if (introduced) info.introduced = introduced;
  if (backports) info.backports = backports.split(',');
  if (sm?.[2]) info.statusVersion = sm[2];
  if (replacement) info.replacement = replacement;
  if (allowedIdx >= 0) info.allowed = ALLOWED[allowedIdx][0];
  if (hasUrl) info.url = `https://www.postfix.org/postconf.5.html#${name}`;
  const t = tlsRow(name);
  if (t) {
    const [, tlsType, tlsSummary, history, ignoredSince, supersededBy, sameAs, obsoleteAlgorithm] = t;
    info.tls = { tlsType, summary: tlsSummary, defaultHistory: history };
    if (ignoredSince) info.tls.ignoredSince = ignoredSince;
    if (supersededBy) info.tls.supersededBy = supersededBy;
    if (sameAs) info.tls.sameAs = sameAs;
    if (obsoleteAlgorithm) info.tls.obsoleteAlgorithm = obsoleteAlgorithm;
  }
  return info;
}

/** Everything known about a parameter name (case-sensitive), or undefined. Includes removed names. */
export function getParam(name: string): ParamInfo | undefined {
  const hit = cache.get(name);
  if (hit) return hit;
  const i = rowIndex().get(name);
  if (i === undefined) return undefined;
  const info = build(PARAM_ROWS[i]);
  cache.set(name, info);
  return info;
}

/** All 970 names of the table (including removed, pattern and pseudo rows), sorted. */
export function allParamNames(): readonly string[] {
  return PARAM_ROWS.map((r) => r[0]);
}

/**
 * True when postconf at 3.12 registers the name as a built-in (or legacy/read-only) parameter —
 * i.e. setting it never gives "unused parameter". Removed names, `transport_*` patterns and the
 * documented service-defined examples are not built-in.
 */
export function isBuiltinName(name: string): boolean {
  const i = rowIndex().get(name);
  if (i === undefined) return false;
  const cls = POSTCONF_CLASSES[PARAM_ROWS[i][12]];
  return cls === 'builtin' || cls === 'legacy' || cls === 'builtin/raw' || cls === 'builtin/read-only';
}

let depIndex: Map<string, Deprecation> | undefined;

/** Deprecation/removal facts for a name, from deprecations.tsv. */
export function getDeprecation(name: string): Deprecation | undefined {
  if (!depIndex) {
    depIndex = new Map();
    for (const [n, kind, dep, rem, rec, advice] of DEPRECATION_ROWS) {
      if (depIndex.has(n)) continue; // first row wins (e.g. a parameter row before a runtime row)
      const d: Deprecation = { name: n, kind, postconfRecognised: rec === 1 };
      const depV = /^\d+\.\d+/.exec(dep)?.[0];
      const remV = /^\d+\.\d+/.exec(rem)?.[0];
      if (depV) d.deprecatedIn = depV;
      if (remV && !/still accepted/.test(rem)) d.removedIn = remV;
      if (advice) d.replacement = advice;
      depIndex.set(n, d);
    }
  }
  return depIndex.get(name);
}

/** All deprecation rows (parameters, restriction keywords, runtime warnings). */
export function allDeprecations(): Deprecation[] {
  getDeprecation('');
  return [...(depIndex as Map<string, Deprecation>).values()];
}

/** Options for defaultFor(). */
export interface DefaultOptions {
  /** OpenSSL version Postfix is linked with; decides OpenSSL-dependent defaults. Default 3.0. */
  opensslVersion?: string;
}

function evalCondition(cond: string, opts: DefaultOptions | undefined): boolean | undefined {
  const m = /^OpenSSL\s*>=\s*([\d.]+)/.exec(cond);
  if (m) return atLeast(opts?.opensslVersion ?? '3.0', m[1]);
  if (cond === 'built with TLS') return true;
  if (cond === 'snapshot build') return false;
  return undefined;
}

/**
 * The built-in default of `name` in Postfix `postfixVersion` (unexpanded, `$name` expressions
 * kept), or undefined when the parameter does not exist in that version (not yet introduced or
 * removed). Version-aware where params-tls.tsv records a history (e.g. smtpd_tls_eecdh_grade:
 * none/strong/auto; tls_eecdh_auto_curves with OpenSSL >= 3.5); otherwise the 3.12 default.
 */
export function defaultFor(name: string, postfixVersion: string, opts?: DefaultOptions): string | undefined {
  // The rules ask for the same defaults on every lint run: answer from a table per target.
  return defaults.get(postfixVersion, opts?.opensslVersion ?? '', name, () => computeDefault(name, postfixVersion, opts));
}

let newestKnown: string | undefined;

/**
 * The newest Postfix version (x.y) the parameter data speaks of: the latest introduction or
 * status change. A target newer than this is checked as this one.
 */
export function newestKnownPostfixVersion(): string {
  if (newestKnown !== undefined) return newestKnown;
  let best = parseVersion('0.0')!;
  for (const name of allParamNames()) {
    const info = getParam(name)!;
    for (const v of [info.introduced, info.statusVersion].map((x) => (x && !x.startsWith('<') ? parseVersion(x) : undefined))) {
      if (v && compareVersions(v, best) > 0) best = v;
    }
  }
  return (newestKnown = formatVersion({ ...best, patch: 0 }));
}

/** What the run-time default markers of the table (RUNTIME_DEFAULT_MARKERS) stand for, in words. */
const RUNTIME_DEFAULT_TEXT: ReadonlyMap<string, string> = new Map([
  ['(computed)', 'computed by Postfix at run time on the mail server'],
  ['(pid)', 'the process ID, set by Postfix at run time'],
  ['(program name)', 'the name of the running program, set by Postfix at run time'],
]);

/**
 * A default that is no literal value (`(computed)`, `(pid)`, `(program name)`) said in words,
 * for hovers and completion alike; undefined for an ordinary default.
 */
export function runtimeDefaultText(def: string): string | undefined {
  return RUNTIME_DEFAULT_MARKERS.includes(def) ? RUNTIME_DEFAULT_TEXT.get(def) : undefined;
}

/**
 * Answers per (version, second key, name) for lookups that every lint run repeats (the keys:
 * target versions). Bounded: a table is dropped when it grows past what real configurations ask.
 */
export class AnswerTable<T> {
  private readonly tables = new Map<string, Map<string, Map<string, T | null>>>();

  get(version: string, second: string, name: string, compute: () => T | undefined): T | undefined {
    let byVersion = this.tables.get(version);
    if (!byVersion) {
      if (this.tables.size > 8) this.tables.clear();
      this.tables.set(version, (byVersion = new Map()));
    }
    let table = byVersion.get(second);
    if (!table) {
      if (byVersion.size > 8) byVersion.clear();
      byVersion.set(second, (table = new Map()));
    }
    let hit = table.get(name);
    if (hit === undefined) {
      if (table.size > 4096) table.clear();
      table.set(name, (hit = compute() ?? null));
    }
    return hit ?? undefined;
  }
}

const defaults = new AnswerTable<string>();

function computeDefault(name: string, postfixVersion: string, opts?: DefaultOptions): string | undefined {
  const info = getParam(name);
  if (!info || info.type === 'pseudo') return undefined;
  if (info.introduced && !info.introduced.startsWith('<=') && compareVersions(postfixVersion, info.introduced) < 0) {
    const early = info.backports?.some((b) => sameSeriesAtLeast(postfixVersion, b));
    if (!early) return undefined;
  }
  if (info.status === 'removed' && info.statusVersion && atLeast(postfixVersion, info.statusVersion)) return undefined;
  const hist = info.tls?.defaultHistory ?? [];
  let pick: HistoryEntry | undefined;
  let pickIdx = -1;
  for (let i = 0; i < hist.length; i++) {
    if (compareVersions(hist[i][0], postfixVersion) <= 0) {
      pick = hist[i];
      pickIdx = i;
    }
  }
  if (!pick) return info.default;
  if (pick[1] === null) return undefined;
  if (pick.length === 4) {
    const c = evalCondition(pick[2], opts);
    if (c === undefined) return pickIdx === hist.length - 1 ? info.default : pick[1];
    return c ? pick[1] : pick[3];
  }
  return pick[1];
}

/** True when `v` is in the same major.minor series as `b` and at least `b` (backported features). */
function sameSeriesAtLeast(v: string, b: string): boolean {
  const [bm, bn] = b.split('.');
  const [vm, vn] = v.split('.');
  return bm === vm && bn === vn && atLeast(v, b);
}

/**
 * Bits of the DH prime Postfix uses for EDH when no DH parameter file is set: 2048 since 3.1,
 * 1024 before (the name smtpd_tls_dh1024_param_file is historical).
 */
export function builtinDhPrimeBits(postfixVersion: string): 1024 | 2048 {
  return atLeast(postfixVersion, '3.1') ? 2048 : 1024;
}

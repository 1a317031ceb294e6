/**
 * Completion for main.cf and master.cf: parameter names at the start of a main.cf line or after
 * `-o` in master.cf, values after `=` (booleans, enumerations, security levels, protocol lists,
 * cipher grades...), and `$name` references to defined and known parameters.
 */
import type { CancellationTokenLike, Position, Range, Settings } from '../types';
import type { MainCf, MasterService } from '../config/model';
import { entryAt, resolveDocument, serviceAt, type ConfigContext } from '../config/query';
import { allParamNames, defaultFor, getParam, isBuiltinName, runtimeDefaultText } from '../params';
import { atLeast } from '../version';

export interface CompletionItem {
  label: string;
  kind: 'parameter' | 'value' | 'reference';
  detail?: string;
  documentation?: string;
  insertText?: string;
  /** The text the item replaces (the partial word at the cursor). */
  range?: Range;
  /** True for deprecated/obsolete parameters (clients may strike them through). */
  deprecated?: boolean;
  /** Sort key: active names before deprecated ones. */
  sortText?: string;
}

const NAME_CHAR = /[A-Za-z0-9_]/;

/** The physical line `line` of `text` (without its line end). */
function lineText(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(start, end);
}

function clipDetail(s: string): string {
  return s.length > 80 ? s.slice(0, 80) + '…' : s;
}

/** The detail of a built-in name: its default, or what a run-time default stands for (never `= (computed)`). */
function defaultDetail(def: string): string {
  if (def === '') return '(empty by default)';
  const runtime = runtimeDefaultText(def);
  return runtime ? `(default ${runtime})` : `= ${clipDetail(def)}`;
}

/** The documentation of a parameter-name item (clients may ask for it only when it is shown). */
export function parameterDocumentation(name: string): string | undefined {
  const info = getParam(name);
  return info ? info.tls?.summary || info.summary : undefined;
}

/** A parameter-name item without its range and insert text, per target version. */
type ParamRow = Omit<CompletionItem, 'range' | 'insertText'>;

/** The unfiltered name list is the same on every keystroke: built once per target versions. */
const paramRowCache = new Map<string, readonly ParamRow[]>();

function paramRows(settings: Settings): readonly ParamRow[] {
  const key = `${settings.postfixVersion}\u0000${settings.opensslVersion}`;
  const hit = paramRowCache.get(key);
  if (hit) return hit;
  const out: ParamRow[] = [];
  for (const name of allParamNames()) {
    if (!isBuiltinName(name)) continue;
    const info = getParam(name)!;
    if (info.status === 'read-only') continue;
    const def = defaultFor(name, settings.postfixVersion, { opensslVersion: settings.opensslVersion });
    if (def === undefined) continue; // not in the target version
    const deprecated = info.status === 'deprecated' || info.status === 'obsolete' || !!info.tls?.ignoredSince;
    out.push({
      label: name,
      kind: 'parameter',
      detail: defaultDetail(def),
      documentation: parameterDocumentation(name),
      deprecated: deprecated || undefined,
      sortText: (deprecated ? '1' : '0') + name,
    });
  }
  if (paramRowCache.size > 8) paramRowCache.clear();
  paramRowCache.set(key, out);
  return out;
}

function paramItems(settings: Settings, range: Range, withEquals: boolean): CompletionItem[] {
  return paramRows(settings).map((row) => ({
    label: row.label,
    kind: row.kind,
    detail: row.detail,
    documentation: row.documentation,
    insertText: withEquals ? `${row.label} = ` : row.label,
    range,
    deprecated: row.deprecated,
    sortText: row.sortText,
  }));
}

const PROTOCOLS = ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3', 'SSLv2'];

/** The Postfix version from which a value word of a parameter is accepted (older ones reject it). */
function valueSince(name: string, value: string): string | undefined {
  if (/security_level$/.test(name)) return value === 'dane' || value === 'dane-only' ? '2.11' : value === 'fingerprint' ? '2.5' : undefined;
  if (/_eecdh_grade$/.test(name) && value === 'auto') return '3.2';
  return undefined;
}

/** Protocol-list suggestions in the syntax the target version reads (`>=` bounds need 3.6). */
function protocolSuggestions(version: string): { label: string; detail?: string }[] {
  const names = PROTOCOLS.slice(0, 4).map((p) => ({ label: p }));
  const excludes = PROTOCOLS.map((p) => ({ label: `!${p}`, detail: `exclude ${p}` }));
  if (atLeast(version, '3.6')) {
    return [
      { label: '>=TLSv1.2', detail: 'TLS 1.2 and newer' },
      { label: '>=TLSv1.3', detail: 'TLS 1.3 only' },
      { label: '>=TLSv1', detail: 'TLS 1.0 and newer (Postfix default)' },
      ...excludes,
      ...names,
    ];
  }
  return [{ label: '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1', detail: 'TLS 1.2 and newer' }, ...excludes, ...names];
}

/** Value suggestions for a parameter: only forms Postfix `settings.postfixVersion` accepts. */
export function valueSuggestions(name: string, settings: Pick<Settings, 'postfixVersion'>): { label: string; detail?: string }[] {
  const info = getParam(name);
  if (!info) return [];
  const version = settings.postfixVersion;
  if (info.type === 'bool' || info.type === 'nbool') return [{ label: 'yes' }, { label: 'no' }];
  if (/_tls_(mandatory_)?protocols$/.test(name)) return protocolSuggestions(version);
  const levelHelp: Record<string, string> = {
    none: 'no TLS',
    may: 'opportunistic TLS, no authentication',
    encrypt: 'mandatory TLS, no authentication',
    dane: 'DANE when TLSA records exist, else opportunistic',
    'dane-only': 'mandatory DANE authentication',
    fingerprint: 'certificate/key fingerprint authentication',
    verify: 'mandatory TLS with certificate name check',
    secure: 'mandatory TLS with secure-channel name check',
  };
  const weak = atLeast(version, '3.8') ? 'same as medium since Postfix 3.8' : 'weak ciphers, no forward secrecy guarantee';
  const gradeHelp: Record<string, string> = {
    high: 'only HIGH-grade ciphers',
    medium: 'MEDIUM or better (default)',
    low: weak,
    export: weak,
    null: 'authentication without encryption',
  };
  return info.allowedValues
    .filter((v) => {
      const since = valueSince(name, v);
      return !since || atLeast(version, since);
    })
    .map((v) => ({ label: v, detail: levelHelp[v] && /security_level$/.test(name) ? levelHelp[v] : /_tls_(mandatory_)?ciphers$/.test(name) ? gradeHelp[v] : undefined }));
}

function valueItems(name: string, settings: Settings, range: Range): CompletionItem[] {
  return valueSuggestions(name, settings).map((v) => ({ label: v.label, kind: 'value' as const, detail: v.detail, insertText: v.label, range }));
}

function refItems(main: MainCf | undefined, service: MasterService | undefined, settings: Settings, range: Range): CompletionItem[] {
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  const add = (name: string, detail: string | undefined, sort: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ label: name, kind: 'reference', detail, insertText: name, range, sortText: sort + name });
  };
  for (const o of service?.overrides ?? []) add(o.name, `-o ${clipDetail(o.value)}`, '0');
  for (const a of main?.entries ?? []) add(a.name, `= ${clipDetail(a.value)}`, '1');
  for (const name of allParamNames()) {
    if (!isBuiltinName(name)) continue;
    const def = defaultFor(name, settings.postfixVersion, { opensslVersion: settings.opensslVersion });
    if (def === undefined) continue;
    add(name, defaultDetail(def), '2');
  }
  return out;
}

/** The word being typed at `ch` in `line`: [start, end) of the run of characters matching `re`. */
function wordAround(line: string, ch: number, re: RegExp): [number, number] {
  let s = Math.min(ch, line.length);
  while (s > 0 && re.test(line[s - 1])) s--;
  let e = Math.min(ch, line.length);
  while (e < line.length && re.test(line[e])) e++;
  return [s, e];
}

function rng(line: number, s: number, e: number): Range {
  return { start: { line, character: s }, end: { line, character: e } };
}

/** A `$name`, `${name` or `$(name` being typed right before `ch`: where the name starts. */
function refStart(line: string, ch: number): { start: number } | undefined {
  let s = ch;
  while (s > 0 && NAME_CHAR.test(line[s - 1])) s--;
  if (s > 0 && line[s - 1] === '$' && !(s > 1 && line[s - 2] === '$')) return { start: s };
  if (s > 1 && (line[s - 1] === '{' || line[s - 1] === '(') && line[s - 2] === '$') return { start: s };
  return undefined;
}

/** Completion items at a position of main.cf or master.cf. Never throws. */
export function completeConfig(ctx: ConfigContext, position: Position, token?: CancellationTokenLike): CompletionItem[] {
  if (token?.isCancellationRequested) return [];
  try {
    const text = ctx.doc.getText();
    const line = lineText(text, position.line);
    const ch = Math.min(position.character, line.length);
    const d = resolveDocument(ctx);
    if (d.kind === 'main') return completeMain(d.main, ctx.settings, line, position.line, ch);
    const svc = serviceAt(d.master, { line: position.line, character: ch }) ??
      (ch === line.length ? serviceAt(d.master, { line: position.line, character: Math.max(0, ch - 1) }) : undefined);
    return completeMaster(ctx.main, svc, ctx.settings, line, position.line, ch);
  } catch {
    return [];
  }
}

function completeMain(main: MainCf, settings: Settings, line: string, lineNo: number, ch: number): CompletionItem[] {
  const before = line.slice(0, ch);
  if (/^[A-Za-z0-9_]*$/.test(before)) {
    // First word of a logical line: a parameter name.
    const [s, e] = wordAround(line, ch, NAME_CHAR);
    const rest = line.slice(e);
    return paramItems(settings, rng(lineNo, s, e), !/^\s*=/.test(rest));
  }
  const r = refStart(line, ch);
  if (r) {
    const e = wordAround(line, ch, NAME_CHAR)[1];
    return refItems(main, undefined, settings, rng(lineNo, r.start, e));
  }
  // A value: find the parameter of this logical line (continuation lines included).
  const entry = entryAt(main, { line: lineNo, character: ch });
  let name: string | undefined;
  if (entry && !(entry.nameRange.start.line === lineNo && ch <= entry.nameRange.end.character)) {
    name = entry.name;
    if (lineNo === entry.nameRange.start.line && before.indexOf('=') < 0) name = undefined;
  } else if (!entry) {
    const m = /^([A-Za-z0-9_]+)\s*=/.exec(line);
    if (m && before.length > m[0].length - 1) name = m[1];
    else if (/^\s/.test(line)) {
      // A white-space-only line being typed is not part of any logical line yet: it will
      // continue the entry above it.
      name = lastEntryBefore(main, lineNo)?.name;
    }
  }
  if (!name) return [];
  const [s, e] = wordAround(line, ch, /[^\s,=]/);
  return valueItems(name, settings, rng(lineNo, s, e));
}

function lastEntryBefore(main: MainCf, lineNo: number): MainCf['entries'][number] | undefined {
  let lo = 0;
  let hi = main.entries.length - 1;
  let best: MainCf['entries'][number] | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (main.entries[mid].range.start.line < lineNo) {
      best = main.entries[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function completeMaster(
  main: MainCf | undefined, svc: MasterService | undefined, settings: Settings, line: string, lineNo: number, ch: number,
): CompletionItem[] {
  const before = line.slice(0, ch);
  const r = refStart(line, ch);
  if (r) {
    const e = wordAround(line, ch, NAME_CHAR)[1];
    return refItems(main, svc, settings, rng(lineNo, r.start, e));
  }
  // -o name (short, attached or long form)
  if (/(?:^|\s)-o\s*(?:\{\s*)?[A-Za-z0-9_]*$/.test(before)) {
    const [s, e] = wordAround(line, ch, NAME_CHAR);
    return paramItems(settings, rng(lineNo, s, e), false).map((it) => ({ ...it, insertText: `${it.label}=` }));
  }
  // -o name=value / -o { name = value
  const m = /(?:^|\s)-o\s*(\{\s*)?([A-Za-z0-9_]+)\s*=\s*([^\s]*)$/.exec(before);
  if (m) {
    const [s, e] = wordAround(line, ch, /[^\s,={}]/);
    return valueItems(m[2], settings, rng(lineNo, s, e));
  }
  return [];
}

/**
 * Helpers shared by the rules: walking main.cf entries and master.cf `-o` overrides alike,
 * value positions, list tokens, versions and the common quick fixes.
 */
import type { Assignment, MainCf, MasterService } from '../config/model';
import { valueOffsetsToRange } from '../config/position';
import type { Fix, Range, Severity } from '../types';
import { defaultFor } from '../params';
import { atLeast } from '../version';
import type { Rule, RuleContext, RuleReport, SiteRule } from './rule';

/** One assignment with where it lives: a main.cf line, or an `-o` override of a master.cf service. */
export interface Site {
  a: Assignment;
  /** URI/path of the file. */
  file: string;
  /** Set for master.cf overrides. */
  service?: MasterService;
}

/** Sites of one lint run, computed once per context and shared by the rules (they never change them). */
const allMemo = new WeakMap<RuleContext, readonly Site[]>();
const effectiveMemo = new WeakMap<RuleContext, readonly Site[]>();
/** Effective main.cf sites per parse (a parse never changes once made). */
const mainEffectiveMemo = new WeakMap<MainCf, readonly Site[]>();

/** Sites of every main.cf entry per parse. */
const mainAllMemo = new WeakMap<MainCf, readonly Site[]>();

function mainAll(main: MainCf): readonly Site[] {
  let out = mainAllMemo.get(main);
  if (!out) mainAllMemo.set(main, (out = main.entries.map((a): Site => ({ a, file: main.uri }))));
  return out;
}

/** Every main.cf entry (duplicates included) and every master.cf override, in file order. Shared: do not change it. */
export function allSites(ctx: RuleContext): readonly Site[] {
  const hit = allMemo.get(ctx);
  if (hit) return hit;
  const main = ctx.main ? mainAll(ctx.main) : [];
  let out = main;
  if (ctx.master && ctx.master.services.some((s) => s.overrides.length > 0)) {
    const all = main.slice();
    for (const service of ctx.master.services) for (const a of service.overrides) all.push({ a, file: ctx.master.uri, service });
    out = all;
  }
  allMemo.set(ctx, out);
  return out;
}

/** The last override per name of a master.cf service, in the order the names first appear. */
function lastOverrides(service: MasterService, only: ReadonlySet<string> | undefined): Assignment[] {
  const last = new Map<string, Assignment>();
  for (const o of service.overrides) if (!only || only.has(o.name)) last.set(o.name, o);
  return [...last.values()];
}

/** Site order of effectiveSites: main.cf first, then master.cf, each by position. */
function compareSites(x: Site, y: Site): number {
  return x.file === y.file ? x.a.range.start.line - y.a.range.start.line || x.a.range.start.character - y.a.range.start.character : x.service ? 1 : -1;
}

/** The effective main.cf sites, in file order (entries are in file order; the last of each name wins). */
function mainEffective(main: MainCf): readonly Site[] {
  let out = mainEffectiveMemo.get(main) as Site[] | undefined;
  if (out) return out;
  // The same Site objects as allSites (one per assignment and parse).
  out = [];
  for (const site of mainAll(main)) {
    const list = main.byName.get(site.a.name);
    if (list && list[list.length - 1] === site.a) out.push(site);
  }
  mainEffectiveMemo.set(main, out);
  return out;
}

/**
 * The assignments that take effect: the last main.cf entry per name and the last override per
 * name in each service (Postfix applies them in order, the last wins). Value rules look at these
 * so an overridden earlier line is reported once, as a duplicate, not for its value too.
 * Without `names` the list is computed once per lint run and shared: do not change it.
 */
export function effectiveSites(ctx: RuleContext, names?: Iterable<string>): readonly Site[] {
  if (!names) {
    const hit = effectiveMemo.get(ctx);
    if (hit) return hit;
  }
  const only = names ? new Set(names) : undefined;
  const master: Site[] = [];
  if (ctx.master) {
    for (const service of ctx.master.services) {
      if (service.overrides.length === 0) continue;
      for (const a of lastOverrides(service, only)) master.push({ a, file: ctx.master.uri, service });
    }
  }
  let out: Site[];
  if (ctx.main && ctx.master && ctx.main.uri === ctx.master.uri) {
    // Both parses claim the same file: order everything by position together, as always.
    const main = only ? [...only].flatMap((n) => lastOf(ctx.main!, n)) : [...mainEffective(ctx.main)];
    out = main.concat(master).sort(compareSites);
  } else {
    let main: readonly Site[] = [];
    if (ctx.main) {
      if (!only) main = mainEffective(ctx.main);
      else {
        const picked: Site[] = [];
        for (const n of only) picked.push(...lastOf(ctx.main, n));
        main = picked.sort(compareSites);
      }
    }
    if (master.length === 0) {
      if (!names) effectiveMemo.set(ctx, main);
      return main;
    }
    out = main.concat(master.sort(compareSites));
  }
  if (!names) effectiveMemo.set(ctx, out);
  return out;
}

function lastOf(main: MainCf, name: string): Site[] {
  const list = main.byName.get(name);
  return list ? [{ a: list[list.length - 1], file: main.uri }] : [];
}

/** A rule made of its per-site form: check() runs it over the sites, lint caches may reuse it per site. */
export function perSiteRule<S>(id: string, codes: Record<string, Severity>, perSite: SiteRule<S>): Rule {
  return { id, codes, check: (ctx) => runSiteRule(perSite, ctx), perSite };
}

/** Runs a per-site rule over its sites (the plain, uncached form of Rule.check). */
export function runSiteRule<S>(rule: SiteRule<S>, ctx: RuleContext): RuleReport[] {
  const { state } = rule.prepare(ctx);
  const out: RuleReport[] = [];
  const sites = rule.scope === 'all' ? allSites(ctx) : effectiveSites(ctx);
  for (let i = 0; i < sites.length; i++) {
    if ((i & 255) === 255 && ctx.token.isCancellationRequested) break;
    const r = rule.check(sites[i], ctx, state);
    if (r) for (const x of r) out.push(x);
  }
  return out;
}

/** The names of an assignment's references, in order, equal. */
export function sameRefNames(a: Assignment, b: Assignment): boolean {
  if (a.refs.length !== b.refs.length) return false;
  for (let i = 0; i < a.refs.length; i++) if (a.refs[i].name !== b.refs[i].name) return false;
  return true;
}

/**
 * Whether two site lists are the same but for sites that `similar` accepts: what a whole-file
 * rule computed from `prev` then still holds for `next` (an edit replaces a few assignment
 * objects; the others are the very same).
 */
export function sameSites(prev: readonly Site[], next: readonly Site[], similar: (p: Site, n: Site) => boolean): boolean {
  if (prev.length !== next.length) return false;
  for (let i = 0; i < prev.length; i++) {
    const p = prev[i];
    const n = next[i];
    if (p === n || (p.a === n.a && p.file === n.file && p.service === n.service)) continue;
    if (p.file !== n.file || p.service !== n.service || p.a.name !== n.a.name || !similar(p, n)) return false;
  }
  return true;
}

/** The effective main.cf assignment of `name`, if set. */
export function mainValue(ctx: RuleContext, name: string): Assignment | undefined {
  const list = ctx.main?.byName.get(name);
  return list ? list[list.length - 1] : undefined;
}

/** The assignment of `name` that applies in a site's scope: the service's own override, else main.cf. */
export function scopedValue(ctx: RuleContext, name: string, service?: MasterService): Assignment | undefined {
  if (service) {
    for (let i = service.overrides.length - 1; i >= 0; i--) if (service.overrides[i].name === name) return service.overrides[i];
  }
  return mainValue(ctx, name);
}

/**
 * The raw value of a parameter in a site's scope, as `$name` expansion reads it: the service's
 * override, else main.cf's setting, else the target version's built-in default.
 */
export function scopedRaw(ctx: RuleContext, name: string, service?: MasterService): string | undefined {
  return scopedValue(ctx, name, service)?.value ?? defaultFor(name, ctx.settings.postfixVersion, { opensslVersion: ctx.settings.opensslVersion });
}

/** True when the target Postfix version is `min` or later. */
export function postfixAtLeast(ctx: RuleContext, min: string): boolean {
  return atLeast(ctx.settings.postfixVersion, min);
}

/** True when the target OpenSSL version is `min` or later. */
export function opensslAtLeast(ctx: RuleContext, min: string): boolean {
  return atLeast(ctx.settings.opensslVersion, min);
}

/** A token of a list value with its offsets in the value. */
export interface ListToken {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits a list value like Postfix does (white space and commas; `colon` adds `:` as OpenSSL
 * group lists and protocol lists allow). `{ ... }` groups stay one token.
 */
export function listTokens(value: string, colon = false): ListToken[] {
  const out: ListToken[] = [];
  const isSep = (c: string) => c === ' ' || c === '\t' || c === ',' || c === '\n' || c === '\r' || c === '\v' || c === '\f' || (colon && c === ':');
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && isSep(value[i])) i++;
    if (i >= n) break;
    const start = i;
    let depth = 0;
    while (i < n && (depth > 0 || !isSep(value[i]))) {
      if (value[i] === '{') depth++;
      else if (value[i] === '}' && depth > 0) depth--;
      i++;
    }
    out.push({ text: value.slice(start, i), start, end: i });
  }
  return out;
}

/** File range of value offsets [start, end) of an assignment. */
export function valueRange(a: Assignment, start: number, end: number): Range {
  return valueOffsetsToRange(a, start, end);
}

/** Whole-value range, or the name when the value is empty (so the finding is visible). */
export function valueOrName(a: Assignment): Range {
  return a.value.length > 0 ? a.valueRange : a.nameRange;
}

/**
 * Whether the target Postfix version has the built-in parameter `name` at all (it has a
 * built-in default there; the test `postconf.parameter-too-new` uses). A rule about a value stays
 * silent when it does not: parameter-too-new / removed-parameter already say it is ignored.
 */
export function targetHasParam(ctx: RuleContext, name: string): boolean {
  const { postfixVersion, opensslVersion } = ctx.settings;
  return defaultFor(name, postfixVersion, { opensslVersion }) !== undefined;
}

/** True when the value has `$` expansions, so its literal text is not what Postfix uses. */
export function hasExpansion(value: string): boolean {
  return value.includes('$');
}

/** The range that deletes a site completely (see removalRange). */
export function removeFix(ctx: RuleContext, site: Site, title: string, preferred = true): Fix {
  return { title, edits: [{ file: site.file, range: removalRange(ctx, site), newText: '' }], isPreferred: preferred };
}

/**
 * The range to delete to remove a setting. main.cf: the whole logical line with its
 * continuation lines and the line break. master.cf: the override, and its line when nothing
 * else is on it, else from the end of the previous argument (keeps the columns intact).
 */
export function removalRange(ctx: RuleContext, site: Site): Range {
  const r = site.a.range;
  if (!site.service) {
    const lineCount = ctx.main?.lineCount ?? r.end.line + 1;
    if (r.end.line + 1 < lineCount) return { start: { line: r.start.line, character: 0 }, end: { line: r.end.line + 1, character: 0 } };
    return { start: { line: r.start.line, character: 0 }, end: r.end };
  }
  const svc = site.service;
  const others: Range[] = [svc.service, svc.type, svc.private, svc.unpriv, svc.chroot, svc.wakeup, svc.maxproc, svc.command]
    .map((f) => f.range)
    .concat(svc.args.map((f) => f.range))
    .concat(svc.overrides.filter((o) => o !== site.a).map((o) => o.range))
    .filter((x) => !within(x, r));
  const sharesLine = others.some((x) => x.start.line <= r.end.line && x.end.line >= r.start.line);
  const lineCount = ctx.master?.lineCount ?? r.end.line + 1;
  if (!sharesLine && r.end.line + 1 < lineCount) return { start: { line: r.start.line, character: 0 }, end: { line: r.end.line + 1, character: 0 } };
  // Start right after the closest element that ends before the override on its line.
  let start = r.start;
  for (const x of others) {
    if (x.end.line === r.start.line && x.end.character <= r.start.character && (start === r.start || x.end.character > start.character)) start = x.end;
  }
  return { start, end: r.end };
}

function within(inner: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

/** Replaces a setting's value. */
export function replaceValueFix(site: Site, newValue: string, title: string, preferred = true): Fix {
  return { title, edits: [{ file: site.file, range: site.a.valueRange, newText: newValue }], isPreferred: preferred };
}

/** Renames a setting, keeping its value. */
export function renameFix(site: Site, newName: string, title: string, preferred = true): Fix {
  return { title, edits: [{ file: site.file, range: site.a.nameRange, newText: newName }], isPreferred: preferred };
}

/** Where a site lives, for messages: `main.cf` or `master.cf service smtp/inet`. */
export function whereText(site: Site): string {
  return site.service ? `master.cf service ${site.service.service.text}/${site.service.type.text}` : 'main.cf';
}

/** Quoted list for messages: `'a', 'b' and 'c'`. */
export function quoteList(items: readonly string[]): string {
  const q = items.map((x) => `'${x}'`);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

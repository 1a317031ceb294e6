/**
 * Helpers shared by the rules: walking main.cf entries and master.cf `-o` overrides alike,
 * value positions, list tokens, versions and the common quick fixes.
 */
import type { Assignment, MasterService } from '../config/model';
import { valueOffsetsToRange } from '../config/position';
import type { Fix, Range } from '../types';
import { atLeast } from '../version';
import type { RuleContext } from './rule';

/** One assignment with where it lives: a main.cf line, or an `-o` override of a master.cf service. */
export interface Site {
  a: Assignment;
  /** URI/path of the file. */
  file: string;
  /** Set for master.cf overrides. */
  service?: MasterService;
}

/** Every main.cf entry (duplicates included) and every master.cf override, in file order. */
export function allSites(ctx: RuleContext): Site[] {
  const out: Site[] = [];
  if (ctx.main) for (const a of ctx.main.entries) out.push({ a, file: ctx.main.uri });
  if (ctx.master) for (const service of ctx.master.services) for (const a of service.overrides) out.push({ a, file: ctx.master.uri, service });
  return out;
}

/**
 * The assignments that take effect: the last main.cf entry per name and the last override per
 * name in each service (Postfix applies them in order, the last wins). Value rules look at these
 * so an overridden earlier line is reported once, as a duplicate, not for its value too.
 */
export function effectiveSites(ctx: RuleContext, names?: Iterable<string>): Site[] {
  const only = names ? new Set(names) : undefined;
  const out: Site[] = [];
  if (ctx.main) {
    for (const [name, list] of ctx.main.byName) {
      if (only && !only.has(name)) continue;
      out.push({ a: list[list.length - 1], file: ctx.main.uri });
    }
  }
  if (ctx.master) {
    for (const service of ctx.master.services) {
      const last = new Map<string, Assignment>();
      for (const o of service.overrides) if (!only || only.has(o.name)) last.set(o.name, o);
      for (const a of last.values()) out.push({ a, file: ctx.master.uri, service });
    }
  }
  // File order: main.cf first, then master.cf, each by position.
  return out.sort((x, y) => (x.file === y.file ? x.a.range.start.line - y.a.range.start.line || x.a.range.start.character - y.a.range.start.character : x.service ? 1 : -1));
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

/**
 * Lookups over parsed main.cf / master.cf used by hovers, completion, definitions and rules:
 * what is at a position, and where/what a parameter's value is (master.cf service override,
 * then main.cf, then the built-in default of the target version).
 */
import type { Position, Settings, TextDocumentLike } from '../types';
import type { Assignment, MainCf, MasterCf, MasterService, Override, ParamRef } from './model';
import { comparePositions, rangeContains } from './position';
import { parseMainCf } from './parse-main';
import { parseMasterCf } from './parse-master';
import { expandValue, type ExpandResult } from './expand';
import { defaultFor } from '../params';

/** Context shared by the config features. */
export interface ConfigContext {
  main?: MainCf;
  master?: MasterCf;
  /** The document the request is about (main.cf or master.cf). */
  doc: TextDocumentLike;
  settings: Settings;
}

/** Decides whether `doc` is the master.cf or the main.cf of the context, parsing it if the context lacks it. */
export function resolveDocument(ctx: ConfigContext): { kind: 'main'; main: MainCf } | { kind: 'master'; master: MasterCf } {
  if (ctx.master && ctx.master.uri === ctx.doc.uri) return { kind: 'master', master: ctx.master };
  if (ctx.main && ctx.main.uri === ctx.doc.uri) return { kind: 'main', main: ctx.main };
  if (looksLikeMaster(ctx.doc.uri)) return { kind: 'master', master: parseMasterCf(ctx.doc) };
  return { kind: 'main', main: parseMainCf(ctx.doc) };
}

function looksLikeMaster(uri: string): boolean {
  const base = uri.replace(/[?#].*$/, '').split(/[\\/]/).pop() ?? '';
  return /master/i.test(base);
}

/** Binary search for the item whose range contains `p` (items in file order, ranges disjoint). */
function findAt<T extends { range: { start: Position; end: Position } }>(items: readonly T[], p: Position): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = items[mid].range;
    if (comparePositions(p, r.start) < 0) hi = mid - 1;
    else if (comparePositions(p, r.end) > 0) lo = mid + 1;
    else return items[mid];
  }
  return undefined;
}

/** The main.cf assignment whose logical line contains `p` (end inclusive). */
export function entryAt(main: MainCf, p: Position): Assignment | undefined {
  return findAt(main.entries, p);
}

/** The master.cf service whose logical line contains `p` (end inclusive). */
export function serviceAt(master: MasterCf, p: Position): MasterService | undefined {
  return findAt(master.services, p);
}

/** The reference whose range contains `p`. */
export function refAt(a: Assignment, p: Position): ParamRef | undefined {
  // Innermost first: nested refs come later in text order but inside earlier ones.
  let best: ParamRef | undefined;
  for (const r of a.refs) {
    if (rangeContains(r.range, p)) {
      if (!best || comparePositions(r.range.start, best.range.start) >= 0) best = r;
    }
  }
  return best;
}

/** The `-o` override of a service whose range contains `p`. */
export function overrideAt(s: MasterService, p: Position): Override | undefined {
  for (const o of s.overrides) if (rangeContains(o.range, p)) return o;
  return undefined;
}

/** The effective (last) main.cf assignment of `name`. */
export function lastAssignment(main: MainCf | undefined, name: string): Assignment | undefined {
  const list = main?.byName.get(name);
  return list && list.length > 0 ? list[list.length - 1] : undefined;
}

/** The effective (last) `-o` of `name` in a service. */
export function lastOverride(service: MasterService | undefined, name: string): Override | undefined {
  if (!service) return undefined;
  for (let i = service.overrides.length - 1; i >= 0; i--) if (service.overrides[i].name === name) return service.overrides[i];
  return undefined;
}

/** Where the raw value of a name comes from. */
export type ValueSource =
  | { kind: 'override'; file: string; assignment: Override; service: MasterService }
  | { kind: 'main'; file: string; assignment: Assignment }
  | { kind: 'default'; version: string }
  | { kind: 'undefined' };

/** Finds the raw value of `name` as Postfix would for a daemon of `service` (or for main.cf). */
export function resolveName(
  name: string,
  main: MainCf | undefined,
  settings: Settings,
  service?: MasterService,
  masterUri?: string,
): { raw: string | undefined; source: ValueSource } {
  const o = lastOverride(service, name);
  if (o && service) return { raw: o.value, source: { kind: 'override', file: masterUri ?? '', assignment: o, service } };
  const a = lastAssignment(main, name);
  if (a && main) return { raw: a.value, source: { kind: 'main', file: main.uri, assignment: a } };
  const d = defaultFor(name, settings.postfixVersion, { opensslVersion: settings.opensslVersion });
  if (d !== undefined) return { raw: d, source: { kind: 'default', version: settings.postfixVersion } };
  return { raw: undefined, source: { kind: 'undefined' } };
}

/**
 * Expands a value like `postconf -x` for main.cf (or for one master.cf service, whose `-o`
 * settings win over main.cf), with built-in defaults of the target version.
 */
export function expandInContext(value: string, main: MainCf | undefined, settings: Settings, service?: MasterService): ExpandResult {
  return expandValue(value, (n) => resolveName(n, main, settings, service).raw);
}

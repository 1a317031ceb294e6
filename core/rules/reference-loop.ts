/**
 * `$name` references that come back to where they started (a = $b, b = $a), also through
 * built-in defaults (smtpd_tls_cert_file = $smtpd_tls_key_file, whose default is
 * $smtpd_tls_cert_file). Postfix gives up expanding them with a fatal error.
 *
 * One strongly-connected-components pass over the reference graph per scope (main.cf, then each
 * master.cf service with overrides), so the cost stays linear in the configuration size.
 */
import type { Assignment, MasterService } from '../config/model';
import { defaultFor } from '../params';
import { defaultLevels } from './messages';
import { referencedNames } from './postconf-p';
import type { Rule, RuleContext, RuleReport } from './rule';
import { effectiveSites, sameRefNames, sameSites, scopedValue, type Site } from './util';

/** Longest cycle spelled out in full in a message; longer ones are shortened in the middle. */
const MAX_PATH_NAMES = 8;

/** Names each name refers to, in one scope (a service's overrides first, then main.cf, then defaults). */
function makeEdges(ctx: RuleContext, service: MasterService | undefined): (name: string) => string[] {
  const cache = new Map<string, string[]>();
  const version = ctx.settings.postfixVersion;
  const opts = { opensslVersion: ctx.settings.opensslVersion };
  return (name) => {
    let e = cache.get(name);
    if (!e) {
      const a = scopedValue(ctx, name, service);
      if (a) e = a.refs.map((r) => r.name);
      else {
        const d = defaultFor(name, version, opts);
        e = d && d.includes('$') ? referencedNames(d) : [];
      }
      cache.set(name, e);
    }
    return e;
  };
}

/** Tarjan's algorithm, iterative: the components (of size > 1, or with a self reference) reachable from `roots`. */
function cyclicComponents(roots: string[], edges: (n: string) => string[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comp = new Map<string, number>();
  let next = 0;
  let compId = 0;
  for (const root of roots) {
    if (index.has(root)) continue;
    const work: { n: string; i: number }[] = [{ n: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const out = edges(top.n);
      if (top.i < out.length) {
        const m = out[top.i++];
        if (!index.has(m)) {
          index.set(m, next);
          low.set(m, next++);
          stack.push(m);
          onStack.add(m);
          work.push({ n: m, i: 0 });
        } else if (onStack.has(m)) {
          low.set(top.n, Math.min(low.get(top.n)!, index.get(m)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].n;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.n)!));
      }
      if (low.get(top.n) === index.get(top.n)) {
        const members: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          members.push(m);
        } while (m !== top.n);
        if (members.length > 1 || edges(top.n).includes(top.n)) {
          for (const x of members) comp.set(x, compId);
          compId++;
        }
      }
    }
  }
  return comp;
}

/** A shortest cycle from `start` back to it, inside its component (breadth-first). */
function cycleThrough(start: string, edges: (n: string) => string[], comp: Map<string, number>): string[] {
  const id = comp.get(start);
  const prev = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q];
    for (const m of edges(n)) {
      if (m === start) {
        const back: string[] = [];
        for (let x = n; x !== start; x = prev.get(x)!) back.push(x);
        return [start, ...back.reverse(), start];
      }
      if (comp.get(m) === id && !prev.has(m)) {
        prev.set(m, n);
        queue.push(m);
      }
    }
  }
  return [start, start];
}

/** A cycle as a ring of distinct names and the member it starts from. */
interface Cycle {
  ring: string[];
  at: number;
}

/** The i-th name along the cycle (0 = the start; ring.length = the start again). */
function nth(c: Cycle, i: number): string {
  return c.ring[(c.at + i) % c.ring.length];
}

/**
 * Cycles for many members of one component without a search per member: members on an
 * already found cycle reuse it, starting from themselves.
 */
function cycleFinder(edges: (n: string) => string[], comp: Map<string, number>): (name: string) => Cycle {
  const known = new Map<string, Cycle>();
  return (name) => {
    const hit = known.get(name);
    if (hit) return hit;
    const ring = cycleThrough(name, edges, comp).slice(0, -1);
    ring.forEach((n, i) => {
      if (!known.has(n)) known.set(n, { ring, at: i });
    });
    return known.get(name)!;
  };
}

/** `a -> b -> a`, shortened in the middle for long cycles. */
function pathText(c: Cycle): string {
  const len = c.ring.length;
  if (len + 1 <= MAX_PATH_NAMES) return Array.from({ length: len + 1 }, (_, i) => nth(c, i)).join(' -> ');
  const head = Array.from({ length: MAX_PATH_NAMES - 3 }, (_, i) => nth(c, i));
  return [...head, `… (${len} parameters in all)`, nth(c, len - 1), nth(c, len)].join(' -> ');
}

/** The last run: its inputs (the effective sites, the versions for defaults) and its reports. */
interface LoopMemo {
  version: string;
  openssl: string;
  sites: readonly Site[];
  /** Assignments a report points into. */
  reported: Set<Assignment>;
  reports: RuleReport[];
}

export const referenceLoopRule: Rule = {
  id: 'reference-loop',
  codes: defaultLevels('value.reference-loop'),
  check(ctx) {
    const all = effectiveSites(ctx);
    const { postfixVersion: version, opensslVersion: openssl } = ctx.settings;
    // The graph is the same when every effective site is, or refers to the same names and was
    // not reported (a reported one's ranges are in the report).
    const memo = ctx.memo?.get(referenceLoopRule.id) as LoopMemo | undefined;
    if (memo && memo.version === version && memo.openssl === openssl && sameSites(memo.sites, all, (p, n) => !memo.reported.has(p.a) && sameRefNames(p.a, n.a))) {
      memo.sites = all;
      return memo.reports;
    }
    const out: RuleReport[] = [];
    const reported = new Set<Assignment>();
    // Group the sites with references by scope.
    const scopes = new Map<MasterService | undefined, Site[]>();
    for (const site of all) {
      if (site.a.refs.length === 0) continue;
      const list = scopes.get(site.service) ?? [];
      list.push(site);
      scopes.set(site.service, list);
    }
    for (const [service, sites] of scopes) {
      if (ctx.token.isCancellationRequested) break;
      const edges = makeEdges(ctx, service);
      const comp = cyclicComponents(
        sites.map((s) => s.a.name),
        edges,
      );
      if (comp.size === 0) continue;
      const find = cycleFinder(edges, comp);
      for (const site of sites) {
        if (!comp.has(site.a.name)) continue;
        const cycle = find(site.a.name);
        const second = nth(cycle, 1);
        const ref = site.a.refs.find((r) => r.name === second) ?? site.a.refs[0];
        out.push({ file: site.file, range: ref.range, code: 'value.reference-loop', args: { name: site.a.name, path: pathText(cycle) } });
        reported.add(site.a);
      }
    }
    if (!ctx.token.isCancellationRequested) ctx.memo?.set(referenceLoopRule.id, { version, openssl, sites: all, reported, reports: out } satisfies LoopMemo);
    return out;
  },
};

/**
 * tls_eecdh_auto_curves / tls_ffdhe_auto_groups: every name should be a group the target
 * OpenSSL knows and none should be weak. OpenSSL 3.5 syntax is understood: `?name` (optional),
 * `*name` (key share), `-name` (removal), `/` between tuples and the `DEFAULT` keyword.
 *
 * Postfix joins both lists into one and skips names OpenSSL does not support without a word;
 * only when nothing in the joined list is usable does it warn and fall back to its built-in
 * default lists (fs-ciphers.md §2). So "nothing usable" is judged on both lists together.
 */
import type { Assignment } from '../config/model';
import { defaultFor } from '../params';
import { defaultLevels } from './messages';
import type { Rule, RuleContext, RuleReport } from './rule';
import { DEFAULT_KEYWORD_SINCE, GROUP_EXAMPLES, impliedWeakness, lookupGroup } from './groups';
import { effectiveSites, listTokens, opensslAtLeast, scopedValue, valueRange, type Site, targetHasParam } from './util';
import { atLeast } from '../version';

/** The group-list settings. */
export const GROUP_LIST_PARAMS = ['tls_eecdh_auto_curves', 'tls_ffdhe_auto_groups'];

/** What one group list amounts to for the target OpenSSL. */
interface ListEval {
  reports: RuleReport[];
  /** Names that count (removals `-name` do not). */
  total: number;
  /** Names the target OpenSSL supports. */
  usable: number;
}

/** Evaluates a list value; reports are made only with `where` (the other list of a pair is only counted). */
function evaluateList(ctx: RuleContext, value: string, name: string, where?: { a: Assignment; file: string }): ListEval {
  const openssl = ctx.settings.opensslVersion;
  let usable = 0;
  let total = 0;
  const reports: RuleReport[] = [];
  for (const tok of listTokens(value, true)) {
    // Tuples (OpenSSL 3.5): `X25519MLKEM768 / X25519:secp256r1` — `/` separates like ':'.
    for (const part of splitSlash(tok.text, tok.start)) {
      let { text, start } = part;
      let optional = false;
      let removal = false;
      while (text.length > 0 && (text[0] === '?' || text[0] === '*' || text[0] === '-')) {
        if (text[0] === '?') optional = true;
        if (text[0] === '-') removal = true;
        text = text.slice(1);
        start++;
      }
      if (text === '') continue;
      if (removal) continue; // removing a group from DEFAULT never weakens anything
      total++;
      const report = (code: string, args: Record<string, string>) => {
        if (where) reports.push({ file: where.file, range: valueRange(where.a, start, start + text.length), code, args: { group: text, name, ...args } });
      };
      if (text.toUpperCase() === 'DEFAULT') {
        if (opensslAtLeast(ctx, DEFAULT_KEYWORD_SINCE)) usable++;
        else report('fs.group-needs-newer-openssl', { needed: DEFAULT_KEYWORD_SINCE, openssl });
        continue;
      }
      const info = lookupGroup(text);
      if (!info) {
        const weak = impliedWeakness(text);
        if (weak) report('fs.weak-group', { why: weak });
        else report('fs.unknown-group', { openssl, examples: GROUP_EXAMPLES });
        continue;
      }
      if (!atLeast(openssl, info.since)) {
        if (optional) continue; // `?` exists for exactly this case
        report('fs.group-needs-newer-openssl', { needed: info.since, openssl });
        continue;
      }
      usable++;
      if (info.weak) report('fs.weak-group', { why: info.weak });
    }
  }
  return { reports, total, usable };
}

/**
 * How many usable names the other list of the pair gives in a site's scope: its own setting,
 * else the built-in default; 0 when the target version lacks it, undefined when unknowable ($).
 */
function otherUsable(ctx: RuleContext, site: Site, other: string): number | undefined {
  if (!targetHasParam(ctx, other)) return 0;
  const a = scopedValue(ctx, other, site.service);
  if (a) {
    if (a.value.includes('$')) return undefined;
    return evaluateList(ctx, a.value, other).usable;
  }
  const { postfixVersion, opensslVersion } = ctx.settings;
  const value = defaultFor(other, postfixVersion, { opensslVersion }) ?? '';
  if (value.includes('$')) return undefined;
  return evaluateList(ctx, value, other).usable;
}

export const curvesRule: Rule = {
  id: 'curves',
  codes: defaultLevels('fs.unknown-group', 'fs.weak-group', 'fs.group-needs-newer-openssl', 'fs.no-usable-groups'),
  check(ctx) {
    const out: RuleReport[] = [];
    const openssl = ctx.settings.opensslVersion;
    for (const site of effectiveSites(ctx, GROUP_LIST_PARAMS)) {
      const { a } = site;
      if (a.value.includes('$') || !targetHasParam(ctx, a.name)) continue;
      const own = evaluateList(ctx, a.value, a.name, { a, file: site.file });
      out.push(...own.reports);
      if (own.total === 0 || own.usable > 0) continue;
      const otherName = GROUP_LIST_PARAMS.find((n) => n !== a.name)!;
      const other = otherUsable(ctx, site, otherName);
      // The other list still supplies groups: Postfix uses those and says nothing.
      if (other === undefined || other > 0) continue;
      const also = targetHasParam(ctx, otherName) ? ` (nor in '${otherName}', which Postfix uses together with it)` : '';
      out.push({ file: site.file, range: a.valueRange, code: 'fs.no-usable-groups', args: { name: a.name, openssl, also } });
    }
    return out;
  },
};

function splitSlash(text: string, start: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let s = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '/') {
      if (i > s) out.push({ text: text.slice(s, i), start: start + s });
      s = i + 1;
    }
  }
  return out;
}

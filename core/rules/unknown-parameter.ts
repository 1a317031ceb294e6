/**
 * Names postconf would call "unused parameter": not built in, not a per-service name of a
 * master.cf service, not a user-defined name something references. Also names the target
 * version does not have yet. Deprecated/removed names are left to the deprecation rule and
 * read-only names to their own rule.
 */
import { classifyName, collectUsedNames, defaultFor, getParam, isBuiltinName, suggestNames, type ClassifyContext } from '../params';
import { defaultLevels } from './messages';
import { lifecycle } from './deprecated';
import { READ_ONLY_PARAMS } from './read-only';
import type { Rule, RuleContext, SiteRule } from './rule';
import { allSites, perSiteRule, renameFix, sameRefNames, sameSites, type Site } from './util';
import { postconfPLines, referencedNames } from './postconf-p';
import type { Fix } from '../types';

interface UnknownState {
  version: string;
  openssl: string;
  classify: ClassifyContext;
}

/** The last run's referenced names and what they were collected from. */
interface UsedMemo {
  sites: readonly Site[];
  masterText: string | undefined;
  used: Set<string>;
}

/** What of an assignment besides its name and references collectUsedNames reads: restriction classes, `type:table` lookups. */
const readsValue = (a: Site['a']): boolean => a.name === 'smtpd_restriction_classes' || a.value.indexOf(':') >= 0;

/** The names something references (computed only when a name is neither built in nor per-service). */
function usedNames(ctx: RuleContext): Set<string> {
  const sites = allSites(ctx);
  const masterText = ctx.texts?.master;
  // Unchanged when every assignment is, or has the same name and references and no value that counts.
  const memo = ctx.memo?.get(USED_MEMO) as UsedMemo | undefined;
  if (memo && memo.masterText === masterText && sameSites(memo.sites, sites, (p, n) => sameRefNames(p.a, n.a) && (p.a.value === n.a.value || (!readsValue(p.a) && !readsValue(n.a))))) {
    memo.sites = sites;
    return memo.used;
  }
  const used = collectUsedNames(ctx.main, ctx.master);
  // `postconf -P` override lines given as master.cf use names too.
  for (const p of postconfPLines(masterText)) for (const n of referencedNames(p.value)) used.add(n);
  ctx.memo?.set(USED_MEMO, { sites, masterText, used } satisfies UsedMemo);
  return used;
}

const USED_MEMO = 'unknown-parameter/used';

const unknownSites: SiteRule<UnknownState> = {
  prepare(ctx) {
    const masterServices = ctx.master ? ctx.master.services.map((s) => s.service.text) : undefined;
    let used: Set<string> | undefined;
    const classify: ClassifyContext = {
      masterServices,
      get userDefinedUsed() {
        return (used ??= usedNames(ctx));
      },
    };
    const { postfixVersion: version, opensslVersion: openssl } = ctx.settings;
    return { key: `${version}\u0000${openssl}\u0000${masterServices ? masterServices.join('\u0001') : '\u0002'}`, state: { version, openssl, classify } };
  },
  // Only for names outside the tables does the verdict depend on what the rest of the files reference.
  siteKey: (site, state) => (isBuiltinName(site.a.name) ? '' : state.classify.userDefinedUsed.has(site.a.name) ? 'u' : 'n'),
  check(site, _ctx, { version, openssl, classify }) {
    const { a } = site;
    if (READ_ONLY_PARAMS.has(a.name) || lifecycle(a.name, version)) return undefined;
    const cls = classifyName(a.name, classify);
    if (cls === 'builtin') {
      const info = getParam(a.name);
      if (info && defaultFor(a.name, version, { opensslVersion: openssl }) === undefined && info.introduced && !info.introduced.startsWith('<=')) {
        return [{ file: site.file, range: a.nameRange, code: 'postconf.parameter-too-new', args: { name: a.name, introduced: info.introduced, version } }];
      }
      return undefined;
    }
    if (cls !== 'unknown') return undefined;
    const suggestions = suggestNames(a.name, 3);
    const fixes: Fix[] = suggestions.map((s, i) => renameFix(site, s, `Change to '${s}'`, i === 0));
    const hint =
      suggestions.length > 0
        ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`
        : " Check the spelling; if it is your own variable, it only counts when a value refers to it as $" + a.name + '.';
    return [{ file: site.file, range: a.nameRange, code: 'postconf.unused-parameter', args: { name: a.name, hint }, fixes, tags: ['unnecessary'] }];
  },
};

export const unknownParameterRule: Rule = perSiteRule('unknown-parameter', defaultLevels('postconf.unused-parameter', 'postconf.parameter-too-new'), unknownSites);

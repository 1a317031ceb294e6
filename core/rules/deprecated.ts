/**
 * Deprecated, removed and obsolete parameters for the target Postfix version, with the
 * replacement postconf names (deprecations.tsv). Quick fixes: rename to the replacement when
 * it takes the same kind of value; a removal only for settings the target version ignores.
 */
import { AnswerTable, getDeprecation, getParam } from '../params';
import { atLeast } from '../version';
import { defaultLevels } from './messages';
import { OWNED_BY_SPECIFIC_RULES } from './owned-names';
import type { Rule, SiteRule } from './rule';
import { mainValue, perSiteRule, removeFix, renameFix, type Site } from './util';
import type { Fix } from '../types';

/** What the target version makes of a parameter name, when it is not simply current. */
export type Lifecycle =
  | { kind: 'deprecated'; since: string; replacement?: string; advice: string }
  | { kind: 'removed'; removedIn?: string; replacement?: string; advice: string }
  | { kind: 'obsolete'; reason: string };

/** The parameter a postconf advice names (`specify "smtp_tls_policy_maps"` or a bare name). */
export function replacementName(advice: string | undefined): string | undefined {
  if (!advice) return undefined;
  const m = /^specify "([a-z0-9_]+)"$/.exec(advice.trim()) ?? /^([a-z][a-z0-9_]+)$/.exec(advice.trim());
  return m ? m[1] : undefined;
}

/** postconf's advice in our words. */
export function adviceText(advice: string | undefined): string {
  const r = replacementName(advice);
  if (r) return `use '${r}' instead`;
  if (!advice || /^do not specify/.test(advice)) return 'remove the setting and leave the default';
  return advice;
}

/** The lifecycle state of `name` in `version`, or undefined when it is current (or unknown). */
/** lifecycle() answers per target version; the tables never change at run time. */
const lifecycles = new AnswerTable<Lifecycle>();

export function lifecycle(name: string, version: string): Lifecycle | undefined {
  return lifecycles.get(version, '', name, () => computeLifecycle(name, version));
}

function computeLifecycle(name: string, version: string): Lifecycle | undefined {
  const d = getDeprecation(name);
  if (d) {
    if (d.kind === 'parameter') {
      if (d.removedIn && atLeast(version, d.removedIn)) return { kind: 'removed', removedIn: d.removedIn, replacement: replacementName(d.replacement), advice: adviceText(d.replacement) };
      if (d.deprecatedIn && atLeast(version, d.deprecatedIn)) return { kind: 'deprecated', since: d.deprecatedIn, replacement: replacementName(d.replacement), advice: adviceText(d.replacement) };
      return undefined;
    }
    if (d.kind === 'removed') {
      if (!d.removedIn || atLeast(version, d.removedIn)) return { kind: 'removed', removedIn: d.removedIn, replacement: replacementName(d.replacement), advice: adviceText(d.replacement) };
      return undefined;
    }
    if (d.kind === 'obsolete') {
      if (d.deprecatedIn && !atLeast(version, d.deprecatedIn)) return undefined;
      return { kind: 'obsolete', reason: d.deprecatedIn ? `it is ignored since Postfix ${d.deprecatedIn}` : 'it is documented as obsolete' };
    }
    return undefined;
  }
  const info = getParam(name);
  if (info?.status === 'removed' && (!info.statusVersion || atLeast(version, info.statusVersion))) {
    return { kind: 'removed', removedIn: info.statusVersion, replacement: replacementName(info.replacement), advice: adviceText(info.replacement) };
  }
  return undefined;
}

/** Replacements that take a different kind of value, so a plain rename would break the setting. */
const RENAME_UNSAFE = /_per_site$/;

/** The DNS switches that take over from `disable_dns_lookups` (it decides only while both are empty). */
const DNS_LEVELS = ['smtp_dns_support_level', 'lmtp_dns_support_level'] as const;

/** What a site's fixes depend on besides the site: the target version and the DNS levels being set. */
interface DeprecatedState {
  version: string;
  dnsLevelSet: boolean;
}

/** A rename to the replacement, when it takes the same kind of value (so the setting keeps working). */
function safeRename(site: Site, replacement: string | undefined): Fix | undefined {
  const from = getParam(site.a.name);
  const to = replacement ? getParam(replacement) : undefined;
  if (!replacement || !to || !from || from.type !== to.type || from.type === 'bool' || from.type === 'nbool' || RENAME_UNSAFE.test(site.a.name)) return undefined;
  return renameFix(site, replacement, `Rename to '${replacement}'`);
}

/**
 * The replacement for a deprecated setting that still works: only a mechanical one that keeps
 * what Postfix does, never a removal (that would silently change behaviour). `disable_dns_lookups
 * = yes` in main.cf becomes the two DNS levels it stands for, while neither is set.
 */
function deprecatedFixes(site: Site, replacement: string | undefined, state: DeprecatedState): Fix[] {
  const rename = safeRename(site, replacement);
  if (rename) return [rename];
  const { a } = site;
  if (a.name === 'disable_dns_lookups' && !site.service && !state.dnsLevelSet && a.value.trim().toLowerCase() === 'yes') {
    const text = DNS_LEVELS.map((n) => `${n} = disabled`).join('\n');
    return [{ title: `Replace with '${DNS_LEVELS[0]} = disabled' (and the LMTP equivalent)`, edits: [{ file: site.file, range: a.range, newText: text }], isPreferred: true }];
  }
  return [];
}

/** Fixes for a setting the target version no longer has: the replacement, or removing it. */
function removedFixes(ctx: Parameters<Rule['check']>[0], site: Site, replacement: string | undefined): Fix[] {
  const rename = safeRename(site, replacement);
  if (rename) return [rename, removeFix(ctx, site, `Remove '${site.a.name}'`, false)];
  return [removeFix(ctx, site, `Remove '${site.a.name}'`, !replacement)];
}

const deprecatedSites: SiteRule<DeprecatedState> = {
  prepare: (ctx) => {
    const version = ctx.settings.postfixVersion;
    const dnsLevelSet = DNS_LEVELS.some((n) => mainValue(ctx, n) !== undefined);
    return { key: `${version}|${dnsLevelSet}`, state: { version, dnsLevelSet } };
  },
  check(site, ctx, state) {
    const { a } = site;
    const { version } = state;
    if (OWNED_BY_SPECIFIC_RULES.has(a.name)) return undefined;
    const l = lifecycle(a.name, version);
    if (!l) return undefined;
    if (l.kind === 'deprecated') {
      const fixes = deprecatedFixes(site, l.replacement, state);
      return [{ file: site.file, range: a.nameRange, code: 'postconf.deprecated-parameter', args: { name: a.name, since: l.since, advice: l.advice }, ...(fixes.length ? { fixes } : {}), tags: ['deprecated'] }];
    }
    if (l.kind === 'removed') {
      return [
        {
          file: site.file,
          range: a.nameRange,
          code: 'postconf.removed-parameter',
          args: { name: a.name, version, removed: l.removedIn ? ` (removed in ${l.removedIn})` : '', advice: l.advice },
          fixes: removedFixes(ctx, site, l.replacement),
          tags: ['deprecated'],
        },
      ];
    }
    return [{ file: site.file, range: a.range, code: 'postconf.obsolete-parameter', args: { name: a.name, version, reason: l.reason }, fixes: [removeFix(ctx, site, `Remove '${a.name}'`)], tags: ['unnecessary'] }];
  },
};

export const deprecatedRule: Rule = perSiteRule('deprecated', defaultLevels('postconf.deprecated-parameter', 'postconf.removed-parameter', 'postconf.obsolete-parameter'), deprecatedSites);

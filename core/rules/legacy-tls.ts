/**
 * The pre-2.3 TLS switches *_use_tls / *_enforce_tls, replaced by *_tls_security_level
 * (use_tls = yes is `may`; enforce_tls = yes is `encrypt` for the server and `verify` for the
 * SMTP/LMTP client unless *_tls_enforce_peername = no). Postfix ignores them when the security
 * level is non-empty after `$name` expansion, and reports them as deprecated from 3.9.
 * Quick fixes never change what Postfix does: the line is rewritten to the level setting only
 * when no level is set at all, and removed only when that leaves the effective level as it is.
 */
import { expandValue } from '../config/expand';
import type { MasterService } from '../config/model';
import { defaultFor } from '../params';
import { defaultLevels } from './messages';
import type { Rule, RuleContext, RuleReport } from './rule';
import { effectiveSites, postfixAtLeast, removeFix, scopedRaw, scopedValue, targetHasParam } from './util';

interface LegacyInfo {
  /** The security-level parameter that replaces it. */
  replacement: string;
  /** The sibling switch (use <-> enforce) of the same program. */
  sibling: string;
  kind: 'use' | 'enforce';
  /** Client side: the peer-name switch that makes enforce_tls = yes mean `verify`. */
  peername?: string;
}

const PROGRAMS: [prefix: string, level: string, peername?: string][] = [
  ['smtpd', 'smtpd_tls_security_level'],
  ['smtp', 'smtp_tls_security_level', 'smtp_tls_enforce_peername'],
  ['lmtp', 'lmtp_tls_security_level', 'lmtp_tls_enforce_peername'],
  ['postscreen', 'postscreen_tls_security_level'],
  ['tlsproxy', 'tlsproxy_tls_security_level'],
  // (tlsproxy's client side follows the SMTP client's settings by default.)
  ['tlsproxy_client', 'tlsproxy_client_security_level', 'smtp_tls_enforce_peername'],
];

/** Legacy switch name -> what replaces it. */
export const LEGACY_TLS_SWITCHES: ReadonlyMap<string, LegacyInfo> = new Map<string, LegacyInfo>(
  PROGRAMS.flatMap(([p, level, peername]): [string, LegacyInfo][] => [
    [`${p}_use_tls`, { replacement: level, sibling: `${p}_enforce_tls`, kind: 'use', peername }],
    [`${p}_enforce_tls`, { replacement: level, sibling: `${p}_use_tls`, kind: 'enforce', peername }],
  ]),
);

const isYes = (v: string | undefined) => v !== undefined && v.trim().toLowerCase() === 'yes';

/** A parameter's value as Postfix uses it in this scope: set or default, `$name` expanded, trimmed. */
function effective(ctx: RuleContext, name: string, service: MasterService | undefined, raw?: string): string {
  const lookup = (n: string): string | undefined => scopedRaw(ctx, n, service);
  const value = raw ?? lookup(name) ?? '';
  return (value.includes('$') ? expandValue(value, lookup).value : value).trim();
}

/** The level a use/enforce pair amounts to (enforce wins over use). */
function pairLevel(useYes: boolean, enforceYes: boolean, enforced: string): string {
  return enforceYes ? enforced : useYes ? 'may' : 'none';
}

export const legacyTlsRule: Rule = {
  id: 'legacy-tls',
  codes: defaultLevels('tls.legacy-tls-switch'),
  check(ctx) {
    const out: RuleReport[] = [];
    const deprecated = postfixAtLeast(ctx, '3.9') ? '; Postfix 3.9 and later report the old switch as deprecated' : '';
    for (const site of effectiveSites(ctx, LEGACY_TLS_SWITCHES.keys())) {
      const { a } = site;
      const info = LEGACY_TLS_SWITCHES.get(a.name)!;
      // Before the security level existed (2.3) the switch is the only way to turn TLS on.
      if (!targetHasParam(ctx, a.name) || !targetHasParam(ctx, info.replacement)) continue;
      const levelSetting = scopedValue(ctx, info.replacement, site.service);
      // The switches count only while the level is empty after expansion (set, default or not).
      const levelValue = effective(ctx, info.replacement, site.service);
      const levelSet = levelValue !== '';
      const yes = isYes(effective(ctx, a.name, site.service, a.value));
      const siblingYes = isYes(effective(ctx, info.sibling, site.service));
      const enforced = info.peername && effective(ctx, info.peername, site.service).toLowerCase() !== 'no' ? 'verify' : 'encrypt';
      const [useYes, enforceYes] = info.kind === 'use' ? [yes, siblingYes] : [siblingYes, yes];
      const level = pairLevel(useYes, enforceYes, enforced);
      const args = {
        name: a.name,
        replacement: info.replacement,
        level: levelSet ? levelValue : level,
        ignored: levelSet ? ` and is ignored because '${info.replacement}' is set` : '',
        deprecated,
      };
      const fixes = [];
      // Without the line, the switch falls back to main.cf's value (a master.cf override) or its default.
      const fallback = isYes(effective(ctx, a.name, undefined, (site.service ? scopedRaw(ctx, a.name) : defaultFor(a.name, ctx.settings.postfixVersion)) ?? ''));
      const levelWithout = info.kind === 'use' ? pairLevel(fallback, enforceYes, enforced) : pairLevel(useYes, fallback, enforced);
      // Rewrite the line that carries the level, when no level setting exists that would win over it.
      const carries = !levelSet && levelSetting === undefined && !a.value.includes('$') && yes && !(info.kind === 'use' && siblingYes);
      if (carries) {
        fixes.push({
          title: `Replace with '${info.replacement} = ${level}'`,
          edits: [{ file: site.file, range: { start: a.nameRange.start, end: a.valueRange.end }, newText: site.service ? `${info.replacement}=${level}` : `${info.replacement} = ${level}` }],
          isPreferred: true,
        });
      } else if (levelSet || levelWithout === level) {
        fixes.push(removeFix(ctx, site, `Remove '${a.name}'`));
      }
      out.push({ file: site.file, range: a.nameRange, code: 'tls.legacy-tls-switch', args, fixes, tags: ['deprecated'] });
    }
    return out;
  },
};

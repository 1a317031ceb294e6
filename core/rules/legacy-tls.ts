/**
 * The pre-2.3 TLS switches *_use_tls / *_enforce_tls, replaced by *_tls_security_level
 * (use_tls = yes is `may`, enforce_tls = yes is `encrypt`). They are ignored once the security
 * level is set, and deprecated from 3.9. The quick fix rewrites the line to the level setting.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, postfixAtLeast, removeFix, scopedValue, targetHasParam } from './util';

interface LegacyInfo {
  /** The security-level parameter that replaces it. */
  replacement: string;
  /** The sibling switch (use <-> enforce) of the same program. */
  sibling: string;
  kind: 'use' | 'enforce';
}

const PROGRAMS: [prefix: string, level: string][] = [
  ['smtpd', 'smtpd_tls_security_level'],
  ['smtp', 'smtp_tls_security_level'],
  ['lmtp', 'lmtp_tls_security_level'],
  ['postscreen', 'postscreen_tls_security_level'],
  ['tlsproxy', 'tlsproxy_tls_security_level'],
  ['tlsproxy_client', 'tlsproxy_client_security_level'],
];

/** Legacy switch name -> what replaces it. */
export const LEGACY_TLS_SWITCHES: ReadonlyMap<string, LegacyInfo> = new Map<string, LegacyInfo>(
  PROGRAMS.flatMap(([p, level]): [string, LegacyInfo][] => [
    [`${p}_use_tls`, { replacement: level, sibling: `${p}_enforce_tls`, kind: 'use' }],
    [`${p}_enforce_tls`, { replacement: level, sibling: `${p}_use_tls`, kind: 'enforce' }],
  ]),
);

const isYes = (v: string | undefined) => v !== undefined && v.trim().toLowerCase() === 'yes';

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
      const levelSet = levelSetting !== undefined && levelSetting.value.trim() !== '';
      const yes = isYes(a.value);
      const siblingYes = isYes(scopedValue(ctx, info.sibling, site.service)?.value);
      // The level the pair of switches amounts to: enforce wins over use.
      const level = info.kind === 'enforce' ? (yes ? 'encrypt' : siblingYes ? 'may' : 'none') : siblingYes ? 'encrypt' : yes ? 'may' : 'none';
      const args = {
        name: a.name,
        replacement: info.replacement,
        level: levelSet ? levelSetting.value.trim() : level,
        ignored: levelSet ? ` and is ignored because '${info.replacement}' is set` : '',
        deprecated,
      };
      const fixes = [];
      // Rewrite this line when it is the one that carries the level; otherwise remove it.
      const carries = !levelSet && a.value.trim() !== '' && !a.value.includes('$') && yes && !(info.kind === 'use' && siblingYes);
      if (carries) {
        fixes.push({
          title: `Replace with '${info.replacement} = ${level}'`,
          edits: [{ file: site.file, range: { start: a.nameRange.start, end: a.valueRange.end }, newText: site.service ? `${info.replacement}=${level}` : `${info.replacement} = ${level}` }],
          isPreferred: true,
        });
      } else {
        fixes.push(removeFix(ctx, site, `Remove '${a.name}'`));
      }
      out.push({ file: site.file, range: a.nameRange, code: 'tls.legacy-tls-switch', args, fixes, tags: ['deprecated'] });
    }
    return out;
  },
};

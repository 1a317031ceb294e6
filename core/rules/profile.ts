/**
 * Profile-dependent expectations (settings.profile), kept deliberately small: the mandatory
 * TLS protocols. mozilla-intermediate and ncsc expect TLS 1.2 or newer, mozilla-modern TLS 1.3
 * only; postfix-defaults expects nothing beyond Postfix's own defaults.
 * Checked: smtpd_tls_mandatory_protocols and smtp_tls_mandatory_protocols where set (also in
 * master.cf), and smtpd_tls_mandatory_protocols when left at its default.
 */
import type { ProfileName } from '../types';
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, mainValue, postfixAtLeast, quoteList, replaceValueFix } from './util';
import { PROTOCOLS, evaluateProtocols, protocolsFrom, type Protocol } from './protocol-list';

/** The oldest protocol each profile accepts for mandatory TLS. */
export const PROFILE_MIN_PROTOCOL: Record<ProfileName, Protocol | undefined> = {
  'postfix-defaults': undefined,
  'mozilla-intermediate': 'TLSv1.2',
  'mozilla-modern': 'TLSv1.3',
  ncsc: 'TLSv1.2',
};

const CHECKED = ['smtpd_tls_mandatory_protocols', 'smtp_tls_mandatory_protocols'];

/** The built-in default of the mandatory protocol lists, by version. */
function defaultMandatory(ctx: Parameters<Rule['check']>[0]): string {
  if (postfixAtLeast(ctx, '3.6')) return '>=TLSv1';
  if (postfixAtLeast(ctx, '3.1')) return '!SSLv2, !SSLv3';
  return '!SSLv2';
}

export const profileRule: Rule = {
  id: 'profile',
  codes: defaultLevels('profile.protocols-below-profile', 'profile.protocols-default-below-profile'),
  check(ctx) {
    const out: RuleReport[] = [];
    const min = PROFILE_MIN_PROTOCOL[ctx.settings.profile];
    if (!min) return out;
    const bounds = postfixAtLeast(ctx, '3.6');
    const recommended = protocolsFrom(min, bounds);
    const expected = min === 'TLSv1.3' ? 'TLS 1.3 only' : `${min.replace('TLSv', 'TLS ')} or newer`;
    const tooOld = (allowed: Protocol[]) => allowed.filter((p) => PROTOCOLS.indexOf(p) < PROTOCOLS.indexOf(min));
    for (const site of effectiveSites(ctx, CHECKED)) {
      const { a } = site;
      if (a.value.includes('$')) continue;
      const r = evaluateProtocols(a.value, bounds);
      if (r.invalid) continue; // the protocols rule reports it
      const low = tooOld(r.allowed);
      if (low.length === 0) continue;
      out.push({
        file: site.file,
        range: a.value.length > 0 ? a.valueRange : a.nameRange,
        code: 'profile.protocols-below-profile',
        args: { profile: ctx.settings.profile, expected, name: a.name, allowed: quoteList(low), recommended },
        fixes: [replaceValueFix(site, recommended, `Set '${recommended}'`)],
      });
    }
    const main = ctx.main;
    if (main && !mainValue(ctx, 'smtpd_tls_mandatory_protocols')) {
      const name = 'smtpd_tls_mandatory_protocols';
      const low = tooOld(evaluateProtocols(defaultMandatory(ctx), bounds).allowed);
      if (low.length > 0) {
        const last = main.entries[main.entries.length - 1];
        const at = last ? last.range.end : { line: 0, character: 0 };
        const newText = last ? `\n${name} = ${recommended}` : `${name} = ${recommended}\n`;
        out.push({
          file: main.uri,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          code: 'profile.protocols-default-below-profile',
          args: { profile: ctx.settings.profile, expected, name, allowed: quoteList(low), recommended },
          fixes: [{ title: `Add '${name} = ${recommended}'`, edits: [{ file: main.uri, range: { start: at, end: at }, newText }], isPreferred: true }],
        });
      }
    }
    return out;
  },
};

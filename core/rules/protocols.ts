/**
 * TLS protocol settings: SSLv2/SSLv3 still allowed (warning), TLSv1/TLSv1.1 allowed (info),
 * and lists Postfix rejects (then it turns TLS off). Both the `!SSLv3` exclusion syntax and the
 * 3.6 `>=TLSv1` bounds are understood.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, postfixAtLeast, quoteList, replaceValueFix, valueRange, targetHasParam } from './util';
import { evaluateProtocols, protocolsFrom } from './protocol-list';

const PREFIXES = ['smtpd', 'smtp', 'lmtp', 'postscreen', 'tlsproxy', 'tlsproxy_client'];

/** Every protocol-list setting. */
export const PROTOCOL_PARAMS = PREFIXES.flatMap((p) => [`${p}_tls_protocols`, `${p}_tls_mandatory_protocols`]);

export const protocolsRule: Rule = {
  id: 'protocols',
  codes: defaultLevels('tls.bad-protocol-list', 'tls.ssl-protocols-allowed', 'tls.legacy-tls-protocols'),
  check(ctx) {
    const out: RuleReport[] = [];
    const bounds = postfixAtLeast(ctx, '3.6');
    for (const site of effectiveSites(ctx, PROTOCOL_PARAMS)) {
      const { a } = site;
      if (a.value.includes('$') || !targetHasParam(ctx, a.name)) continue;
      const r = evaluateProtocols(a.value, bounds);
      if (r.invalid) {
        const fix =
          r.invalid.why === 'bounds-need-3.6'
            ? `The '>=' and '<=' forms need Postfix 3.6; write '${protocolsFrom('TLSv1.2', false)}' instead.`
            : 'Use SSLv3, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3 (case matters), each optionally preceded by \'!\'' + (bounds ? ", or '>=TLSv1.2'." : '.');
        out.push({
          file: site.file,
          range: valueRange(a, r.invalid.token.start, r.invalid.token.end),
          code: 'tls.bad-protocol-list',
          args: { item: r.invalid.token.text, name: a.name, version: ctx.settings.postfixVersion, fix },
        });
        continue;
      }
      const ssl = r.allowed.filter((p) => p === 'SSLv2' || p === 'SSLv3');
      const range = a.value.length > 0 ? a.valueRange : a.nameRange;
      if (ssl.length > 0) {
        out.push({
          file: site.file,
          range,
          code: 'tls.ssl-protocols-allowed',
          args: { name: a.name, protocols: quoteList(ssl) },
          fixes: [replaceValueFix(site, protocolsFrom('TLSv1', bounds), `Set '${protocolsFrom('TLSv1', bounds)}'`)],
        });
      }
      const old = r.allowed.filter((p) => p === 'TLSv1' || p === 'TLSv1.1');
      if (old.length > 0) {
        const suggestion = `'${protocolsFrom('TLSv1.2', bounds)}'`;
        out.push({ file: site.file, range, code: 'tls.legacy-tls-protocols', args: { name: a.name, protocols: quoteList(old), suggestion } });
      }
    }
    return out;
  },
};

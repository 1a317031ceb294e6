/**
 * tls_*_cipherlist: the OpenSSL lists behind the grades. Redefining them is strongly
 * discouraged (the defaults put forward-secret suites first). The low/export lists are ignored
 * from 3.8; the obsolete-parameter check reports those.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, postfixAtLeast, removeFix, targetHasParam } from './util';

/** The grade-backing cipher lists. */
export const CIPHERLIST_PARAMS = ['tls_high_cipherlist', 'tls_medium_cipherlist', 'tls_low_cipherlist', 'tls_export_cipherlist', 'tls_null_cipherlist'];

/** Lists Postfix ignores from 3.8 (low and export became medium). */
const IGNORED_FROM_38 = new Set(['tls_low_cipherlist', 'tls_export_cipherlist']);

export const cipherlistRedefinedRule: Rule = {
  id: 'cipherlist-redefined',
  codes: defaultLevels('fs.cipherlist-redefined'),
  check(ctx) {
    const out: RuleReport[] = [];
    for (const site of effectiveSites(ctx, CIPHERLIST_PARAMS)) {
      if (IGNORED_FROM_38.has(site.a.name) && postfixAtLeast(ctx, '3.8')) continue;
      // A version without the list at all: parameter-too-new says the setting is ignored.
      if (!targetHasParam(ctx, site.a.name)) continue;
      out.push({
        file: site.file,
        range: site.a.nameRange,
        code: 'fs.cipherlist-redefined',
        args: { name: site.a.name },
        fixes: [removeFix(ctx, site, `Remove '${site.a.name}' (use the built-in list)`, false)],
      });
    }
    return out;
  },
};

/** tls_preempt_cipherlist = yes: server cipher order wins; older Exchange servers break. */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, targetHasParam } from './util';

export const preemptCipherlistRule: Rule = {
  id: 'preempt-cipherlist',
  codes: defaultLevels('fs.preempt-cipherlist'),
  check(ctx) {
    const out: RuleReport[] = [];
    for (const site of effectiveSites(ctx, ['tls_preempt_cipherlist'])) {
      if (site.a.value.trim().toLowerCase() !== 'yes' || !targetHasParam(ctx, site.a.name)) continue;
      out.push({
        file: site.file,
        range: site.a.valueRange,
        code: 'fs.preempt-cipherlist',
        args: { name: site.a.name },
        fixes: [{ title: "Set it to 'no'", edits: [{ file: site.file, range: site.a.valueRange, newText: 'no' }], isPreferred: false }],
      });
    }
    return out;
  },
};

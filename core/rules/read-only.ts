/** process_name, process_id, service_name: set by Postfix per process; assignments are discarded. */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { allSites, removeFix } from './util';

/** The read-only parameters postconf complains about. */
export const READ_ONLY_PARAMS = new Set(['process_name', 'process_id', 'service_name']);

export const readOnlyRule: Rule = {
  id: 'read-only',
  codes: defaultLevels('postconf.read-only-parameter'),
  check(ctx) {
    const out: RuleReport[] = [];
    for (const site of allSites(ctx)) {
      if (!READ_ONLY_PARAMS.has(site.a.name)) continue;
      out.push({ file: site.file, range: site.a.nameRange, code: 'postconf.read-only-parameter', args: { name: site.a.name }, fixes: [removeFix(ctx, site, `Remove '${site.a.name}'`)], tags: ['unnecessary'] });
    }
    return out;
  },
};

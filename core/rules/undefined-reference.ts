/**
 * `$name` references to parameters that have no value anywhere and no built-in default
 * (postconf's "undefined parameter"): they silently expand to nothing. Names postconf knows
 * (legacy names such as $virtual_maps included), per-service names and names set in main.cf or
 * any master.cf override are defined.
 */
import type { Assignment } from '../config/model';
import { classifyName, getParam, suggestNames } from '../params';
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { allSites } from './util';

export const undefinedReferenceRule: Rule = {
  id: 'undefined-reference',
  codes: defaultLevels('postconf.undefined-parameter'),
  check(ctx) {
    const out: RuleReport[] = [];
    const setNames = new Set<string>();
    for (const s of allSites(ctx)) setNames.add(s.a.name);
    const classify = {
      masterServices: ctx.master ? ctx.master.services.map((s) => s.service.text) : undefined,
      userDefinedUsed: new Set<string>(),
    };
    const known = (name: string): boolean => {
      if (setNames.has(name)) return true;
      const cls = classifyName(name, classify);
      if (cls === 'builtin' || cls === 'per-service' || cls === 'per-transport') return true;
      // Documented service-defined names have defaults only with their service; the classifier said no.
      return getParam(name)?.type === 'pseudo';
    };
    const seen = new Set<Assignment>();
    for (const site of allSites(ctx)) {
      if (seen.has(site.a)) continue;
      seen.add(site.a);
      for (const ref of site.a.refs) {
        if (known(ref.name)) continue;
        const sugg = suggestNames(ref.name, 1);
        const hint = sugg.length > 0 ? ` Did you mean '$${sugg[0]}'?` : ` Define '${ref.name}' or fix the spelling.`;
        out.push({
          file: site.file,
          range: ref.nameRange,
          code: 'postconf.undefined-parameter',
          args: { name: ref.name, hint },
          fixes: sugg.length > 0 ? [{ title: `Change to '$${sugg[0]}'`, edits: [{ file: site.file, range: ref.nameRange, newText: sugg[0] }], isPreferred: true }] : undefined,
        });
      }
    }
    return out;
  },
};

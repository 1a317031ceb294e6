/**
 * `$name` references to parameters that have no value anywhere and no built-in default
 * (postconf's "undefined parameter"): they silently expand to nothing. Names postconf knows
 * (legacy names such as $virtual_maps included), per-service names and names set in main.cf or
 * any master.cf override are defined.
 */
import { classifyName, getParam, isBuiltinName, suggestNames } from '../params';
import { defaultLevels } from './messages';
import type { Rule, RuleReport, SiteRule } from './rule';
import { perSiteRule } from './util';

/** Names known whatever the files set: built-in ones and documented pseudo names. */
function knownAlways(name: string): boolean {
  return isBuiltinName(name) || getParam(name)?.type === 'pseudo';
}

const undefinedSites: SiteRule<(name: string) => boolean> = {
  scope: 'all',
  never: (site) => site.a.refs.length === 0,
  prepare(ctx) {
    const masterServices = ctx.master ? ctx.master.services.map((s) => s.service.text) : undefined;
    const classify = { masterServices, userDefinedUsed: new Set<string>() };
    let masterNames: Set<string> | undefined;
    const answers = new Map<string, boolean>();
    const known = (name: string): boolean => {
      let k = answers.get(name);
      if (k === undefined) {
        masterNames ??= new Set(ctx.master?.services.flatMap((s) => s.overrides.map((o) => o.name)));
        const cls = classifyName(name, classify);
        // Documented service-defined names have defaults only with their service; the classifier said no.
        k = !!ctx.main?.byName.has(name) || masterNames.has(name) || cls === 'builtin' || cls === 'per-service' || cls === 'per-transport' || getParam(name)?.type === 'pseudo';
        answers.set(name, k);
      }
      return k;
    };
    return { key: masterServices ? masterServices.join('\u0001') : '\u0002', state: known };
  },
  // Which of the other names are set decides; built-in names are known whatever is set.
  siteKey(site, known) {
    let key = '';
    for (const ref of site.a.refs) if (!knownAlways(ref.name)) key += known(ref.name) ? '1' : '0';
    return key;
  },
  check(site, _ctx, known) {
    const out: RuleReport[] = [];
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
    return out;
  },
};

export const undefinedReferenceRule: Rule = perSiteRule('undefined-reference', defaultLevels('postconf.undefined-parameter'), undefinedSites);

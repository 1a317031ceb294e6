/**
 * Names postconf would call "unused parameter": not built in, not a per-service name of a
 * master.cf service, not a user-defined name something references. Also names the target
 * version does not have yet. Deprecated/removed names are left to the deprecation rule and
 * read-only names to their own rule.
 */
import { classifyName, collectUsedNames, defaultFor, getParam, suggestNames } from '../params';
import { defaultLevels } from './messages';
import { lifecycle } from './deprecated';
import { READ_ONLY_PARAMS } from './read-only';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, renameFix } from './util';
import { postconfPLines, referencedNames } from './postconf-p';
import type { Fix } from '../types';

export const unknownParameterRule: Rule = {
  id: 'unknown-parameter',
  codes: defaultLevels('postconf.unused-parameter', 'postconf.parameter-too-new'),
  check(ctx) {
    const out: RuleReport[] = [];
    const version = ctx.settings.postfixVersion;
    const classify = {
      masterServices: ctx.master ? ctx.master.services.map((s) => s.service.text) : undefined,
      userDefinedUsed: collectUsedNames(ctx.main, ctx.master),
    };
    // `postconf -P` override lines given as master.cf use names too.
    for (const p of postconfPLines(ctx.texts?.master)) for (const n of referencedNames(p.value)) classify.userDefinedUsed.add(n);
    for (const site of effectiveSites(ctx)) {
      if (ctx.token.isCancellationRequested) break;
      const { a } = site;
      if (READ_ONLY_PARAMS.has(a.name) || lifecycle(a.name, version)) continue;
      const cls = classifyName(a.name, classify);
      if (cls === 'builtin') {
        const info = getParam(a.name);
        if (info && defaultFor(a.name, version, { opensslVersion: ctx.settings.opensslVersion }) === undefined && info.introduced && !info.introduced.startsWith('<=')) {
          out.push({ file: site.file, range: a.nameRange, code: 'postconf.parameter-too-new', args: { name: a.name, introduced: info.introduced, version } });
        }
        continue;
      }
      if (cls !== 'unknown') continue;
      const suggestions = suggestNames(a.name, 3);
      const fixes: Fix[] = suggestions.map((s, i) => renameFix(site, s, `Change to '${s}'`, i === 0));
      const hint =
        suggestions.length > 0
          ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`
          : " Check the spelling; if it is your own variable, it only counts when a value refers to it as $" + a.name + '.';
      out.push({ file: site.file, range: a.nameRange, code: 'postconf.unused-parameter', args: { name: a.name, hint }, fixes, tags: ['unnecessary'] });
    }
    return out;
  },
};

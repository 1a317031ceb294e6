/**
 * master.cf `-o name = value`: white space outside `{ }` splits the option into separate
 * arguments and the daemon dies with "missing '='". The parser spots it; this rule reports it
 * with a fix that writes the override the way Postfix reads it.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';

export const masterSpacedOverrideRule: Rule = {
  id: 'master-spaced-override',
  codes: defaultLevels('master.spaced-override'),
  check(ctx) {
    const out: RuleReport[] = [];
    const master = ctx.master;
    if (!master) return out;
    for (const p of master.problems) {
      if (p.code !== 'master.spaced-override') continue;
      const same = (r: typeof p.range) =>
        r.start.line === p.range.start.line && r.start.character === p.range.start.character && r.end.line === p.range.end.line && r.end.character === p.range.end.character;
      let override;
      for (const s of master.services) for (const o of s.overrides) if (same(o.range)) override = o;
      const report: RuleReport = { file: master.uri, range: p.range, code: 'master.spaced-override', args: { ...p.args } };
      if (override) {
        const v = override.value;
        const text = /\s/.test(v) || v.length === 0 ? `-o { ${override.name} = ${v} }` : `-o ${override.name}=${v}`;
        report.fixes = [{ title: `Write '${text}'`, edits: [{ file: master.uri, range: override.range, newText: text }], isPreferred: true }];
      }
      out.push(report);
    }
    return out;
  },
};

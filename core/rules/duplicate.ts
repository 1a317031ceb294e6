/**
 * Duplicates. main.cf: the last setting wins; postconf warns when a later value differs from the
 * one before it (reported at the later line, naming the earlier one; the fix removes the earlier
 * line). The same value twice is only redundant (a hint). master.cf: a second service with the
 * same name and type replaces the first.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { removeFix } from './util';

export const duplicateRule: Rule = {
  id: 'duplicate',
  codes: defaultLevels('postconf.overriding-earlier-entry', 'postconf.repeated-entry', 'master.duplicate-service'),
  check(ctx) {
    const out: RuleReport[] = [];
    const main = ctx.main;
    if (main) {
      for (const list of main.byName.values()) {
        for (let i = 1; i < list.length; i++) {
          const prev = list[i - 1];
          const cur = list[i];
          const line = prev.range.start.line + 1;
          if (cur.value !== prev.value) {
            out.push({
              file: main.uri,
              range: cur.nameRange,
              code: 'postconf.overriding-earlier-entry',
              args: { name: cur.name, previous: prev.value.length > 80 ? prev.value.slice(0, 80) + '…' : prev.value, line },
              fixes: [removeFix(ctx, { a: prev, file: main.uri }, `Remove the earlier '${cur.name}' on line ${line}`)],
            });
          } else {
            out.push({
              file: main.uri,
              range: cur.range,
              code: 'postconf.repeated-entry',
              args: { name: cur.name, line },
              fixes: [removeFix(ctx, { a: cur, file: main.uri }, 'Remove this repeated line')],
              tags: ['unnecessary'],
            });
          }
        }
      }
    }
    const master = ctx.master;
    if (master) {
      const seen = new Map<string, number>();
      for (const s of master.services) {
        const key = `${s.service.text}\u0000${s.type.text}`;
        const before = seen.get(key);
        if (before !== undefined) {
          out.push({
            file: master.uri,
            range: { start: s.service.range.start, end: s.type.range.end },
            code: 'master.duplicate-service',
            args: { name: s.service.text, type: s.type.text, line: before + 1 },
          });
        }
        seen.set(key, s.range.start.line);
      }
    }
    return out;
  },
};

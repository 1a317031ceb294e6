/**
 * tls_eecdh_strong_curve / tls_eecdh_ultra_curve: the curves behind the strong/ultra grades.
 * Best left at their defaults while they are used (before 3.6); unused from 3.6.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, postfixAtLeast, removeFix } from './util';

/** Each curve setting with its long-standing default. */
export const EECDH_CURVE_DEFAULTS: Record<string, string> = {
  tls_eecdh_strong_curve: 'prime256v1',
  tls_eecdh_ultra_curve: 'secp384r1',
};

export const eecdhCurveRule: Rule = {
  id: 'eecdh-curve',
  codes: defaultLevels('fs.eecdh-curve-changed', 'fs.eecdh-curve-ignored'),
  check(ctx) {
    const out: RuleReport[] = [];
    for (const site of effectiveSites(ctx, Object.keys(EECDH_CURVE_DEFAULTS))) {
      const { a } = site;
      const dflt = EECDH_CURVE_DEFAULTS[a.name];
      const fixes = [removeFix(ctx, site, `Remove '${a.name}'`)];
      if (postfixAtLeast(ctx, '3.6')) {
        out.push({ file: site.file, range: a.range, code: 'fs.eecdh-curve-ignored', args: { name: a.name, version: ctx.settings.postfixVersion }, fixes, tags: ['unnecessary'] });
      } else if (a.value.trim() !== dflt) {
        out.push({ file: site.file, range: a.valueRange.start.line === a.valueRange.end.line && a.value ? a.valueRange : a.nameRange, code: 'fs.eecdh-curve-changed', args: { name: a.name, value: a.value, default: dflt }, fixes });
      }
    }
    return out;
  },
};

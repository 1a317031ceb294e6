/**
 * smtpd_tls_eecdh_grade across versions: `none` turns ECDHE off; strong/ultra were only needed
 * on 2.6-2.7 (and pin one curve where 3.2+ with OpenSSL 1.0.2+ negotiates); ignored from 3.6,
 * deprecated from 3.9.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, opensslAtLeast, postfixAtLeast, removeFix, targetHasParam } from './util';

/** The grade setting and its mirrors (the mirrors default to the smtpd value). */
export const EECDH_GRADE_PARAMS = ['smtpd_tls_eecdh_grade', 'postscreen_tls_eecdh_grade', 'tlsproxy_tls_eecdh_grade'];

export const eecdhGradeRule: Rule = {
  id: 'eecdh-grade',
  codes: defaultLevels('fs.eecdh-grade-none', 'fs.eecdh-grade-unneeded', 'fs.eecdh-grade-ignored', 'fs.eecdh-grade-deprecated'),
  check(ctx) {
    const out: RuleReport[] = [];
    const version = ctx.settings.postfixVersion;
    for (const site of effectiveSites(ctx, EECDH_GRADE_PARAMS)) {
      const { a } = site;
      if (!targetHasParam(ctx, a.name)) continue;
      const value = a.value.trim();
      const remove = [removeFix(ctx, site, `Remove '${a.name}'`)];
      if (postfixAtLeast(ctx, '3.9') && a.name === 'smtpd_tls_eecdh_grade') {
        out.push({ file: site.file, range: a.nameRange, code: 'fs.eecdh-grade-deprecated', args: { name: a.name }, fixes: remove, tags: ['deprecated'] });
        continue;
      }
      if (postfixAtLeast(ctx, '3.6')) {
        out.push({ file: site.file, range: a.range, code: 'fs.eecdh-grade-ignored', args: { name: a.name, version }, fixes: remove, tags: ['unnecessary'] });
        continue;
      }
      if (value.includes('$')) continue;
      // Before 3.6 the grade still matters.
      const negotiates = postfixAtLeast(ctx, '3.2') && opensslAtLeast(ctx, '1.0.2');
      if (value === 'none') {
        let fix: string;
        let fixes = remove;
        if (negotiates) fix = "Remove the setting: the default 'auto' negotiates a curve both sides support.";
        else if (postfixAtLeast(ctx, '2.8')) fix = "Remove the setting: the default is 'strong'.";
        else {
          fix = "Set it to 'strong'.";
          fixes = [{ title: "Set it to 'strong'", edits: [{ file: site.file, range: a.valueRange, newText: 'strong' }], isPreferred: true }];
        }
        out.push({ file: site.file, range: a.valueRange, code: 'fs.eecdh-grade-none', args: { name: a.name, fix }, fixes });
      } else if ((value === 'strong' || value === 'ultra') && postfixAtLeast(ctx, '2.8')) {
        let reason: string | undefined;
        if (negotiates) {
          reason = `from Postfix 3.2 with OpenSSL 1.0.2 or later the default 'auto' negotiates the best curve both sides support, while '${value}' pins a single curve.`;
        } else if (value === 'strong') {
          reason = "from Postfix 2.8 'strong' is the default anyway.";
        }
        if (reason) out.push({ file: site.file, range: a.valueRange, code: 'fs.eecdh-grade-unneeded', args: { name: a.name, value, reason }, fixes: remove, tags: ['unnecessary'] });
      }
    }
    return out;
  },
};

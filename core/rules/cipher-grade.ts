/**
 * Cipher grades (*_tls_ciphers, *_tls_mandatory_ciphers): export/low are weak before 3.8 and
 * mere aliases of medium from 3.8; null means no encryption; `high` for opportunistic client TLS
 * shuts out peers (use the policy table per destination instead).
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, postfixAtLeast, replaceValueFix, targetHasParam } from './util';

const PREFIXES = ['smtpd', 'smtp', 'lmtp', 'postscreen', 'tlsproxy', 'tlsproxy_client'];

/** Every cipher-grade setting. */
export const CIPHER_GRADE_PARAMS = PREFIXES.flatMap((p) => [`${p}_tls_ciphers`, `${p}_tls_mandatory_ciphers`]);

/** Opportunistic client grades, where `high` turns peers away. */
const CLIENT_OPPORTUNISTIC = new Set(['smtp_tls_ciphers', 'lmtp_tls_ciphers', 'tlsproxy_client_tls_ciphers']);

const WEAK_WHAT: Record<string, string> = {
  export: 'export-grade ciphers (keys cut to 40 or 56 bits)',
  low: 'low-grade ciphers (single DES and other 56/64-bit ciphers)',
};

export const cipherGradeRule: Rule = {
  id: 'cipher-grade',
  codes: defaultLevels('fs.weak-cipher-grade', 'fs.cipher-grade-alias', 'fs.null-cipher-grade', 'fs.client-cipher-grade-high'),
  check(ctx) {
    const out: RuleReport[] = [];
    for (const site of effectiveSites(ctx, CIPHER_GRADE_PARAMS)) {
      const { a } = site;
      if (!targetHasParam(ctx, a.name)) continue;
      const value = a.value.trim();
      const base = { file: site.file, range: a.valueRange };
      if (value === 'export' || value === 'low') {
        if (postfixAtLeast(ctx, '3.8')) {
          out.push({ ...base, code: 'fs.cipher-grade-alias', args: { name: a.name, value }, fixes: [replaceValueFix(site, 'medium', "Write 'medium'")] });
        } else {
          out.push({ ...base, code: 'fs.weak-cipher-grade', args: { name: a.name, value, what: WEAK_WHAT[value] }, fixes: [replaceValueFix(site, 'medium', "Use 'medium'")] });
        }
      } else if (value === 'null') {
        out.push({ ...base, code: 'fs.null-cipher-grade', args: { name: a.name }, fixes: [replaceValueFix(site, 'medium', "Use 'medium'")] });
      } else if (value === 'high' && CLIENT_OPPORTUNISTIC.has(a.name)) {
        out.push({ ...base, code: 'fs.client-cipher-grade-high', args: { name: a.name }, fixes: [replaceValueFix(site, 'medium', "Use 'medium'", false)] });
      }
    }
    return out;
  },
};

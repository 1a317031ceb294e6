/**
 * *_tls_exclude_ciphers / *_tls_mandatory_exclude_ciphers that take out ephemeral key exchange
 * remove forward secrecy for TLS 1.2 and older. Items joined with `+` only remove an
 * intersection (e.g. kEDH+aDSS) and are left alone.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, listTokens, valueRange } from './util';

const PREFIXES = ['smtpd', 'smtp', 'lmtp', 'postscreen', 'tlsproxy', 'tlsproxy_client'];

/** The exclusion settings. */
export const EXCLUDE_PARAMS = PREFIXES.flatMap((p) => [`${p}_tls_exclude_ciphers`, `${p}_tls_mandatory_exclude_ciphers`]);

/** OpenSSL cipher-string words that select all ephemeral EC or finite-field key exchange. */
const FS_WORDS: Record<string, string> = {
  kEECDH: 'ECDHE',
  kECDHE: 'ECDHE',
  ECDHE: 'ECDHE',
  EECDH: 'ECDHE',
  ECDH: 'ECDHE',
  kEDH: 'DHE',
  kDHE: 'DHE',
  DHE: 'DHE',
  EDH: 'DHE',
  DH: 'DHE',
};

export const excludeCiphersRule: Rule = {
  id: 'exclude-ciphers',
  codes: defaultLevels('fs.exclude-removes-fs'),
  check(ctx) {
    const out: RuleReport[] = [];
    for (const site of effectiveSites(ctx, EXCLUDE_PARAMS)) {
      const { a } = site;
      if (a.value.includes('$')) continue;
      const tokens = listTokens(a.value, true);
      for (const tok of tokens) {
        const kind = FS_WORDS[tok.text];
        if (!kind) continue;
        const rest = tokens.filter((t) => t !== tok).map((t) => t.text).join(', ');
        out.push({
          file: site.file,
          range: valueRange(a, tok.start, tok.end),
          code: 'fs.exclude-removes-fs',
          args: { item: tok.text, name: a.name, kind },
          fixes: [{ title: `Remove '${tok.text}' from the list`, edits: [{ file: site.file, range: a.valueRange, newText: rest }], isPreferred: true }],
        });
      }
    }
    return out;
  },
};

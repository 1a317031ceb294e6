/**
 * *_tls_exclude_ciphers / *_tls_mandatory_exclude_ciphers that take out ephemeral key exchange
 * (ECDHE and/or DHE) for TLS 1.2 and older. The message says what the whole list leaves: the
 * other forward-secret family, anonymous suites only, static RSA only, or nothing. Items joined
 * with `+` only remove an intersection (e.g. kEDH+aDSS) and are left alone. TLS 1.3 always
 * uses an ephemeral key exchange (FORWARD_SECRECY_README), whatever the list says.
 */
import { EXCLUDE_TEXTS, defaultLevels, fillText } from './messages';
import type { Rule, RuleReport } from './rule';
import { effectiveSites, listTokens, opensslAtLeast, scopedValue, valueRange, targetHasParam } from './util';

const PREFIXES = ['smtpd', 'smtp', 'lmtp', 'postscreen', 'tlsproxy', 'tlsproxy_client'];

/** The exclusion settings. */
export const EXCLUDE_PARAMS = PREFIXES.flatMap((p) => [`${p}_tls_exclude_ciphers`, `${p}_tls_mandatory_exclude_ciphers`]);

/** Key-exchange kinds an exclusion can take away (authenticated ECDHE/DHE, their anonymous forms, static RSA). */
type Kx = 'ECDHE' | 'AECDH' | 'DHE' | 'ADH' | 'RSA';

/**
 * OpenSSL cipher-string words (case matters, as in OpenSSL) and what they select. `EECDH`/`ECDHE`
 * and `EDH`/`DHE` leave the anonymous suites out; the `k` forms and `ECDH`/`DH` take them too.
 * Static ECDH/DH (`kECDH`, `kDH`, `aECDH`) never had forward secrecy and do not count.
 */
const ALIASES: [words: string[], kinds: Kx[]][] = [
  [['kEECDH', 'kECDHE', 'ECDH'], ['ECDHE', 'AECDH']],
  [['EECDH', 'ECDHE'], ['ECDHE']],
  [['AECDH'], ['AECDH']],
  [['kEDH', 'kDHE', 'DH'], ['DHE', 'ADH']],
  [['EDH', 'DHE'], ['DHE']],
  [['ADH'], ['ADH']],
  [['aNULL'], ['AECDH', 'ADH']],
  [['kRSA', 'RSA'], ['RSA']],
];
const WORDS: ReadonlyMap<string, readonly Kx[]> = new Map(ALIASES.flatMap(([words, kinds]) => words.map((w): [string, Kx[]] => [w, kinds])));

function excluded(value: string): Set<Kx> {
  const out = new Set<Kx>();
  for (const t of listTokens(value, true)) for (const k of WORDS.get(t.text) ?? []) out.add(k);
  return out;
}

/** What the exclusions leave for TLS 1.2 and older, as message text. */
function remainingText(gone: ReadonlySet<Kx>): string {
  const rsa = !gone.has('RSA');
  const left = (['ECDHE', 'DHE'] as const).filter((k) => !gone.has(k));
  if (left.length > 0) {
    return fillText(EXCLUDE_TEXTS.oneLeft, { left: left[0], fallback: rsa ? EXCLUDE_TEXTS.fallbackRsa : EXCLUDE_TEXTS.fallbackNone });
  }
  const anon = (['AECDH', 'ADH'] as const).filter((k) => !gone.has(k)).join('/');
  if (anon) return fillText(rsa ? EXCLUDE_TEXTS.anonAndRsa : EXCLUDE_TEXTS.anonOnly, { anon });
  return rsa ? EXCLUDE_TEXTS.rsaOnly : EXCLUDE_TEXTS.nothing;
}

export const excludeCiphersRule: Rule = {
  id: 'exclude-ciphers',
  codes: defaultLevels('fs.exclude-removes-fs'),
  check(ctx) {
    const out: RuleReport[] = [];
    const tls13 = opensslAtLeast(ctx, '1.1.1') ? EXCLUDE_TEXTS.tls13 : '';
    for (const site of effectiveSites(ctx, EXCLUDE_PARAMS)) {
      const { a } = site;
      if (a.value.includes('$') || !targetHasParam(ctx, a.name)) continue;
      const tokens = listTokens(a.value, true);
      const hits = tokens.filter((t) => (WORDS.get(t.text) ?? []).some((k) => k === 'ECDHE' || k === 'DHE'));
      if (hits.length === 0) continue;
      // Where TLS is mandatory, the general list applies as well.
      const mandatory = a.name.includes('_mandatory_');
      const gone = excluded(a.value);
      if (mandatory) {
        const general = scopedValue(ctx, a.name.replace('_mandatory_', '_'), site.service);
        if (general && !general.value.includes('$')) for (const k of excluded(general.value)) gone.add(k);
      }
      const remaining = remainingText(gone);
      for (const tok of hits) {
        const kinds = WORDS.get(tok.text)!;
        const fam = kinds.includes('ECDHE') ? 'ECDHE' : 'DHE';
        const removed = EXCLUDE_TEXTS.removed[kinds.length > 1 ? (`${fam}+anon` as const) : fam];
        const rest = tokens.filter((t) => t !== tok).map((t) => t.text).join(', ');
        out.push({
          file: site.file,
          range: valueRange(a, tok.start, tok.end),
          code: 'fs.exclude-removes-fs',
          args: { item: tok.text, name: a.name, removed, scope: mandatory ? EXCLUDE_TEXTS.mandatory : '', remaining, tls13 },
          fixes: [{ title: `Remove '${tok.text}' from the list`, edits: [{ file: site.file, range: a.valueRange, newText: rest }], isPreferred: true }],
        });
      }
    }
    return out;
  },
};

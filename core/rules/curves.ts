/**
 * tls_eecdh_auto_curves / tls_ffdhe_auto_groups: every name should be a group the target
 * OpenSSL knows and none should be weak. OpenSSL 3.5 syntax is understood: `?name` (optional),
 * `*name` (key share), `-name` (removal), `/` between tuples and the `DEFAULT` keyword.
 */
import { defaultLevels } from './messages';
import type { Rule, RuleReport } from './rule';
import { DEFAULT_KEYWORD_SINCE, GROUP_EXAMPLES, impliedWeakness, lookupGroup } from './groups';
import { effectiveSites, listTokens, opensslAtLeast, valueRange } from './util';
import { atLeast } from '../version';

/** The group-list settings. */
export const GROUP_LIST_PARAMS = ['tls_eecdh_auto_curves', 'tls_ffdhe_auto_groups'];

export const curvesRule: Rule = {
  id: 'curves',
  codes: defaultLevels('fs.unknown-group', 'fs.weak-group', 'fs.group-needs-newer-openssl', 'fs.no-usable-groups'),
  check(ctx) {
    const out: RuleReport[] = [];
    const openssl = ctx.settings.opensslVersion;
    for (const site of effectiveSites(ctx, GROUP_LIST_PARAMS)) {
      const { a } = site;
      if (a.value.includes('$')) continue;
      let usable = 0;
      let total = 0;
      const reports: RuleReport[] = [];
      for (const tok of listTokens(a.value, true)) {
        // Tuples (OpenSSL 3.5): `X25519MLKEM768 / X25519:secp256r1` — `/` separates like ':'.
        for (const part of splitSlash(tok.text, tok.start)) {
          let { text, start } = part;
          let optional = false;
          let removal = false;
          while (text.length > 0 && (text[0] === '?' || text[0] === '*' || text[0] === '-')) {
            if (text[0] === '?') optional = true;
            if (text[0] === '-') removal = true;
            text = text.slice(1);
            start++;
          }
          if (text === '') continue;
          const range = valueRange(a, start, start + text.length);
          if (removal) continue; // removing a group from DEFAULT never weakens anything
          total++;
          if (text.toUpperCase() === 'DEFAULT') {
            if (opensslAtLeast(ctx, DEFAULT_KEYWORD_SINCE)) usable++;
            else reports.push({ file: site.file, range, code: 'fs.group-needs-newer-openssl', args: { group: text, name: a.name, needed: DEFAULT_KEYWORD_SINCE, openssl } });
            continue;
          }
          const info = lookupGroup(text);
          if (!info) {
            const weak = impliedWeakness(text);
            if (weak) reports.push({ file: site.file, range, code: 'fs.weak-group', args: { group: text, name: a.name, why: weak } });
            else
              reports.push({
                file: site.file,
                range,
                code: 'fs.unknown-group',
                args: { group: text, name: a.name, openssl, optional: optional ? " silently (it is marked optional with '?')" : ' with a warning', examples: GROUP_EXAMPLES },
              });
            continue;
          }
          if (!atLeast(openssl, info.since)) {
            if (optional) continue; // `?` exists for exactly this case
            reports.push({ file: site.file, range, code: 'fs.group-needs-newer-openssl', args: { group: text, name: a.name, needed: info.since, openssl } });
            continue;
          }
          usable++;
          if (info.weak) reports.push({ file: site.file, range, code: 'fs.weak-group', args: { group: text, name: a.name, why: info.weak } });
        }
      }
      out.push(...reports);
      if (total > 0 && usable === 0) out.push({ file: site.file, range: a.valueRange, code: 'fs.no-usable-groups', args: { name: a.name, openssl } });
    }
    return out;
  },
};

function splitSlash(text: string, start: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let s = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '/') {
      if (i > s) out.push({ text: text.slice(s, i), start: start + s });
      s = i + 1;
    }
  }
  return out;
}

/**
 * Values Postfix rejects at run time (most of them fatally): booleans other than yes/no,
 * integers that are not numbers or out of bounds, times with a bad number or unit, empty values
 * where one is required, and words outside a parameter's fixed set. Values with `$` expansions
 * are not checked (their text is not what Postfix uses).
 */
import { getParam, type ParamInfo } from '../params';
import { defaultLevels } from './messages';
import type { Rule, RuleReport, SiteRule } from './rule';
import { listTokens, perSiteRule, targetHasParam, valueOrName, valueRange } from './util';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Allowed-value texts we trust as a complete set: `a|b|c`, optionally with `(empty)` and a
 * parenthesised remark whose words are accepted too (`... (fingerprint|verify|secure accepted
 * with a warning)`). Texts with more prose, or remarks saying the set is open (platform or
 * build dependent, unknown words ignored ...), are not checked, to avoid false alarms.
 */
const SET_TEXT = /^((?:\(empty\)\|)?[A-Za-z0-9_.+-]+(?:\|[A-Za-z0-9_.+-]+)*(?:\|\(empty\))?)(?: \(([^()]*)\))?$/;
const OPEN_SET = /dependent|unknown|known levels|leading zeros|see postconf|also accepts/i;

/** The accepted words (lower case) of a parameter, or undefined when its set is not closed. */
const closedSets = new WeakMap<ParamInfo, Set<string> | null>();

/** The closed set of allowed values (lower case), computed once per parameter. */
export function closedValueSet(info: ParamInfo): Set<string> | undefined {
  let hit = closedSets.get(info);
  if (hit === undefined) closedSets.set(info, (hit = buildClosedValueSet(info) ?? null));
  return hit ?? undefined;
}

function buildClosedValueSet(info: ParamInfo): Set<string> | undefined {
  if (!info.allowed || info.allowedValues.length === 0) return undefined;
  const m = SET_TEXT.exec(info.allowed);
  if (!m || (m[2] !== undefined && OPEN_SET.test(m[2]))) return undefined;
  const ok = new Set(info.allowedValues.map((w) => w.toLowerCase()));
  for (const w of m[1].split('|')) if (w !== '(empty)') ok.add(w.toLowerCase());
  if (m[2]) for (const w of m[2].match(/[A-Za-z0-9_.+-]+/g) ?? []) ok.add(w.toLowerCase());
  return ok;
}

function enumCheck(info: ParamInfo, value: string): { bad: string; start: number; end: number } | undefined {
  const ok = closedValueSet(info);
  // Table lookups, inline tables and paths are never enumeration words.
  if (!ok || /[:{}/]/.test(value)) return undefined;
  const tokens = info.list ? listTokens(value) : value === '' ? [] : [{ text: value, start: 0, end: value.length }];
  for (const t of tokens) if (!ok.has(t.text.toLowerCase())) return { bad: t.text, start: t.start, end: t.end };
  return undefined;
}

const valueTypeSites: SiteRule<undefined> = {
  // The site, the parameter table and (whether the parameter exists) the target versions decide.
  prepare: (ctx) => ({ key: `${ctx.settings.postfixVersion}|${ctx.settings.opensslVersion}`, state: undefined }),
  check(site, ctx) {
    const out: RuleReport[] = [];
    const { a } = site;
    const info = getParam(a.name);
    if (!info || a.value.includes('$')) return undefined;
    // A parameter the target version lacks is ignored there; parameter-too-new already says so.
    if (!targetHasParam(ctx, a.name)) return undefined;
    const v = a.value;
    const base = { file: site.file, range: valueOrName(a) };
    switch (info.type) {
      case 'bool':
      case 'nbool': {
        const l = v.toLowerCase();
        if (l !== 'yes' && l !== 'no') out.push({ ...base, code: 'value.bad-boolean', args: { name: a.name, value: v } });
        break;
      }
      case 'int':
      case 'nint':
      case 'long': {
        if (!/^[+-]?\d+$/.test(v)) {
          out.push({ ...base, code: 'value.bad-integer', args: { name: a.name, value: v } });
          break;
        }
        const n = Number(v);
        if (info.min !== undefined && n < info.min) out.push({ ...base, code: 'value.out-of-range', args: { name: a.name, value: v, bound: 'at least', limit: info.min, unit: '' } });
        else if (info.max !== undefined && n > info.max) out.push({ ...base, code: 'value.out-of-range', args: { name: a.name, value: v, bound: 'at most', limit: info.max, unit: '' } });
        break;
      }
      case 'time': {
        // conv_time(): digits, then an optional unit letter (Postfix ignores what follows the unit).
        const m = /^(\d+)([smhdw])?/.exec(v);
        if (!m || (v.length > m[0].length && !m[2])) {
          out.push({ ...base, code: 'value.bad-time', args: { name: a.name, value: v } });
          break;
        }
        const secs = Number(m[1]) * UNIT_SECONDS[m[2] ?? info.timeUnit ?? 's'];
        if (info.min !== undefined && secs < info.min) out.push({ ...base, code: 'value.out-of-range', args: { name: a.name, value: v, bound: 'at least', limit: info.min, unit: ' seconds' } });
        else if (info.max !== undefined && secs > info.max) out.push({ ...base, code: 'value.out-of-range', args: { name: a.name, value: v, bound: 'at most', limit: info.max, unit: ' seconds' } });
        break;
      }
      default: {
        if (v === '' && (info.minLen ?? 0) >= 1) {
          out.push({ ...base, code: 'value.empty-not-allowed', args: { name: a.name } });
          break;
        }
        const bad = enumCheck(info, v);
        if (bad) {
          out.push({
            file: site.file,
            range: valueRange(a, bad.start, bad.end),
            code: 'value.bad-enum',
            args: { name: a.name, value: bad.bad, allowed: info.allowedValues.join(', ') },
          });
        }
      }
    }
    return out;
  },
};

export const valueTypeRule: Rule = perSiteRule('value-type', defaultLevels('value.bad-boolean', 'value.bad-integer', 'value.out-of-range', 'value.bad-time', 'value.bad-enum', 'value.empty-not-allowed'), valueTypeSites);

/**
 * Evaluates a Postfix TLS protocol list (tls_protocol_mask + the 3.6 `>=`/`<=` bounds) to the
 * set of protocol versions it allows. Shared by the protocol and profile rules.
 */
import type { ListToken } from './util';
import { listTokens } from './util';

/** Protocol versions in order, oldest first. */
export const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Names the `>=`/`<=` syntax accepts besides hex codes. */
const BOUND_NAMES: Record<string, number> = { SSLv3: 1, TLSv1: 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5 };
const HEX_VERSIONS: Record<number, number> = { 0x0300: 1, 0x0301: 2, 0x0302: 3, 0x0303: 4, 0x0304: 5 };

export interface ProtocolEval {
  /** Allowed versions (ignoring what the library supports). */
  allowed: Protocol[];
  /** The first token Postfix rejects, with why. */
  invalid?: { token: ListToken; why: 'unknown' | 'bounds-need-3.6' };
}

/**
 * `boundsSupported`: Postfix 3.6+ understands `>=VER` / `<=VER`. Names are case-sensitive, as
 * in Postfix. An empty list allows everything.
 */
export function evaluateProtocols(value: string, boundsSupported: boolean): ProtocolEval {
  const tokens = listTokens(value, true);
  const include = new Set<number>();
  const exclude = new Set<number>();
  let min = 0;
  let max = PROTOCOLS.length - 1;
  for (const tok of tokens) {
    const t = tok.text;
    const bound = /^([<>]=)(.*)$/.exec(t);
    if (bound) {
      if (!boundsSupported) return { allowed: [...PROTOCOLS], invalid: { token: tok, why: 'bounds-need-3.6' } };
      let idx: number | undefined;
      const v = bound[2];
      if (Object.prototype.hasOwnProperty.call(BOUND_NAMES, v)) idx = BOUND_NAMES[v];
      else if (/^0x[0-9a-fA-F]+$/.test(v)) idx = HEX_VERSIONS[parseInt(v, 16)];
      else if (v === 'None' || v === '') idx = bound[1] === '>=' ? 0 : PROTOCOLS.length - 1;
      if (idx === undefined) return { allowed: [...PROTOCOLS], invalid: { token: tok, why: 'unknown' } };
      if (bound[1] === '>=') min = Math.max(min, idx);
      else max = Math.min(max, idx);
      continue;
    }
    const neg = t.startsWith('!');
    const name = neg ? t.slice(1) : t;
    const idx = (PROTOCOLS as readonly string[]).indexOf(name);
    if (idx < 0) return { allowed: [...PROTOCOLS], invalid: { token: tok, why: 'unknown' } };
    (neg ? exclude : include).add(idx);
  }
  const allowed: Protocol[] = [];
  for (let i = 0; i < PROTOCOLS.length; i++) {
    if (include.size > 0 && !include.has(i)) continue;
    if (exclude.has(i) || i < min || i > max) continue;
    allowed.push(PROTOCOLS[i]);
  }
  return { allowed };
}

/** The list that allows `min` and newer, in the syntax the target version understands. */
export function protocolsFrom(min: Protocol, boundsSupported: boolean): string {
  if (boundsSupported) return `>=${min}`;
  const idx = PROTOCOLS.indexOf(min);
  return PROTOCOLS.slice(0, idx).map((p) => `!${p}`).join(', ');
}

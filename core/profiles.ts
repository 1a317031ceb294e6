/**
 * Recommended TLS settings per profile, for "Insert Recommended TLS Settings".
 *
 * `recommendedEdits` compares main.cf with a profile for one target Postfix version and returns
 * only what needs to change: a parameter is touched when its effective value (the last
 * definition, or the version's default) does not already satisfy the profile. It never asks
 * for a duplicate (a set parameter is updated at its last definition) and never removes a line;
 * the only way it changes what the user wrote is by replacing a value.
 *
 * The profiles (own summary of the sources they are named after):
 * - postfix-defaults: opportunistic TLS on both sides, TLS summaries in the log, and on old
 *   versions what later became Postfix's own defaults (no SSL, no export ciphers, 2048-bit DH).
 * - mozilla-intermediate: additionally TLS 1.2 or newer on the server and for mandatory TLS, and
 *   only forward-secret key exchange (no static RSA) where TLS is mandatory.
 * - mozilla-modern: TLS 1.3 only where TLS is mandatory (TLS 1.2+ for opportunistic port 25,
 *   because a peer without TLS 1.3 would otherwise fall back to plain text).
 * - ncsc: like intermediate, with a 3072-bit DH group (NCSC-NL "good") where Postfix reads one.
 * Settings Postfix ignores or deprecates on the target version are never recommended
 * (smtpd_tls_eecdh_grade from 3.6, smtpd_tls_dh1024_param_file from 3.9).
 *
 * Pure: no I/O.
 */
import { expandValue } from './config/expand';
import type { MainCf } from './config/model';
import { defaultFor } from './params';
import type { ProfileName, Range, TextEdit } from './types';
import { atLeast } from './version';

// ---------------------------------------------------------------------------------------------
// Reading TLS values the way Postfix does (also used by core/effective.ts)

/** Protocol names Postfix knows, oldest first. */
export const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/** Protocols too old to accept today (everything before TLS 1.2). */
export const LEGACY_PROTOCOLS: readonly ProtocolName[] = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1'];

/** What a protocol list leaves enabled. */
export interface ProtocolEval {
  /** Enabled protocols, oldest first. */
  enabled: ProtocolName[];
  /** Tokens Postfix would reject ("Invalid TLS protocol list"). */
  invalid: string[];
}

/**
 * Evaluates a protocol list (`!SSLv2, !SSLv3`, `>=TLSv1.2`, `TLSv1.2 TLSv1.3`, `<=TLSv1.2`):
 * separators are white space, commas and colons; listing plain names means "only those",
 * `!name` excludes one, `>=`/`<=` bound the range (Postfix 3.6+).
 */
export function evalProtocols(value: string): ProtocolEval {
  const tokens = value.split(/[\s,:]+/).filter(Boolean);
  const include = new Set<ProtocolName>();
  const exclude = new Set<ProtocolName>();
  const invalid: string[] = [];
  let min = 0;
  let max = PROTOCOLS.length - 1;
  const idx = (name: string): number => (PROTOCOLS as readonly string[]).indexOf(name);
  for (const tok of tokens) {
    const m = /^(>=|<=)(.*)$/.exec(tok);
    if (m) {
      if (m[2] === 'None' || m[2] === '') continue;
      const i = idx(m[2]);
      if (i < 0) invalid.push(tok);
      else if (m[1] === '>=') min = Math.max(min, i);
      else max = Math.min(max, i);
    } else if (tok.startsWith('!')) {
      const i = idx(tok.slice(1));
      if (i < 0) invalid.push(tok);
      else exclude.add(PROTOCOLS[i]);
    } else {
      const i = idx(tok);
      if (i < 0) invalid.push(tok);
      else include.add(PROTOCOLS[i]);
    }
  }
  const enabled = PROTOCOLS.filter((p, i) => i >= min && i <= max && !exclude.has(p) && (include.size === 0 || include.has(p)));
  return { enabled, invalid };
}

/** Splits a Postfix list value on white space and commas. */
export function listTokens(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** OpenSSL cipher-string words that, excluded, take away every forward-secret key exchange of TLS <= 1.2. */
const FS_KEY_EXCHANGE_WORDS = new Set(['kEECDH', 'kECDHE', 'EECDH', 'ECDHE', 'kEDH', 'kDHE', 'EDH', 'DHE']);

/** The tokens of an `*_exclude_ciphers` value that remove forward-secret key exchanges. */
export function fsKillingExclusions(value: string): string[] {
  return listTokens(value).filter((t) => FS_KEY_EXCHANGE_WORDS.has(t));
}

/** Does an exclusion list already take out static RSA key exchange (`kRSA`, or its alias `RSA`)? */
export function excludesStaticRsa(value: string): boolean {
  return listTokens(value).some((t) => t === 'kRSA' || t === 'RSA');
}

/** TLS security levels that mean "TLS is used" for the server (smtpd) and the client (smtp). */
const SERVER_TLS_LEVELS = new Set(['may', 'encrypt']);
const CLIENT_TLS_LEVELS = new Set(['may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure']);

// ---------------------------------------------------------------------------------------------
// Recommendations

/** One change the profile asks for. */
export interface RecommendedEdit {
  name: string;
  /** The current raw value of the last definition; absent when main.cf does not set the name. */
  from?: string;
  to: string;
  /** Why, in plain words. */
  reason: string;
  /** Value range of the last definition (present exactly when `from` is). */
  range?: Range;
}

/** What the profile wants for one parameter. */
interface Want {
  name: string;
  to: string;
  /** Is the effective (expanded) value already good enough? */
  ok: (value: string) => boolean;
  reason: string;
}

/** The first Postfix version with `>=TLSv1.2` protocol syntax. */
const RANGE_SYNTAX = '3.6';
/** The first version where the TLSv1.3 protocol name is safe to use. */
const TLS13_NAME = '3.4';

function protocolsAtLeast(v: string, floor: 'TLSv1' | 'TLSv1.2' | 'TLSv1.3'): string {
  if (atLeast(v, RANGE_SYNTAX)) return `>=${floor}`;
  const below = PROTOCOLS.slice(0, PROTOCOLS.indexOf(floor));
  return below.map((p) => `!${p}`).join(', ');
}

function noneBelow(floor: ProtocolName): (value: string) => boolean {
  const fi = PROTOCOLS.indexOf(floor);
  return (value) => {
    const r = evalProtocols(value);
    return r.invalid.length === 0 && r.enabled.length > 0 && r.enabled.every((p) => PROTOCOLS.indexOf(p) >= fi);
  };
}

const isYes = (v: string | undefined): boolean => (v ?? '').trim().toLowerCase() === 'yes';

/** Effective values of main.cf for one version: the last definition, else the default; expanded. */
class Values {
  constructor(
    private readonly main: MainCf,
    private readonly version: string,
  ) {}

  raw(name: string): string | undefined {
    const list = this.main.byName.get(name);
    if (list && list.length > 0) return list[list.length - 1].value;
    return safeDefault(name, this.version);
  }

  isSet(name: string): boolean {
    return (this.main.byName.get(name)?.length ?? 0) > 0;
  }

  expanded(name: string): string {
    const raw = this.raw(name);
    if (raw === undefined) return '';
    return expandValue(raw, (n) => this.raw(n)).value.trim();
  }
}

function safeDefault(name: string, version: string): string | undefined {
  try {
    const d = defaultFor(name, version) as unknown;
    return typeof d === 'string' ? d : undefined;
  } catch {
    return undefined;
  }
}

function wants(main: MainCf, profile: ProfileName, v: string): Want[] {
  const val = new Values(main, v);
  const out: Want[] = [];
  const strict = profile !== 'postfix-defaults';

  // --- Opportunistic TLS on both sides: forward secrecy needs TLS in the first place.
  const hasCert =
    ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file'].some((n) => val.expanded(n) !== '');
  const serverLegacyEnforce = val.expanded('smtpd_tls_security_level') === '' && isYes(val.expanded('smtpd_enforce_tls'));
  out.push({
    name: 'smtpd_tls_security_level',
    to: serverLegacyEnforce ? 'encrypt' : 'may',
    ok: (x) => SERVER_TLS_LEVELS.has(x),
    reason:
      (serverLegacyEnforce
        ? 'States the mandatory TLS of the old smtpd_enforce_tls switch with the current setting.'
        : 'Offers STARTTLS to every SMTP client without requiring it (RFC 3207 forbids requiring TLS on a public port 25); without TLS there is no forward secrecy at all.') +
      (hasCert ? '' : ' The server also needs a certificate and key (smtpd_tls_chain_files, or smtpd_tls_cert_file and smtpd_tls_key_file), otherwise it does not offer TLS.'),
  });
  const clientLegacyEnforce = val.expanded('smtp_tls_security_level') === '' && isYes(val.expanded('smtp_enforce_tls'));
  const clientTarget = clientLegacyEnforce ? (val.expanded('smtp_tls_enforce_peername').toLowerCase() === 'no' ? 'encrypt' : 'verify') : 'may';
  out.push({
    name: 'smtp_tls_security_level',
    to: clientTarget,
    ok: (x) => CLIENT_TLS_LEVELS.has(x),
    reason: clientLegacyEnforce
      ? 'States the mandatory TLS of the old smtp_enforce_tls switch with the current setting.'
      : 'Uses TLS for outgoing mail whenever the receiving server offers it (opportunistic TLS), so those deliveries can have forward secrecy.',
  });
  for (const name of ['smtpd_tls_loglevel', 'smtp_tls_loglevel']) {
    out.push({
      name,
      to: '1',
      ok: (x) => /^[0-9]+$/.test(x) && Number(x) >= 1,
      reason: 'Logs one summary line per TLS connection (protocol, cipher, key exchange), which is how you can see whether a connection had forward secrecy.',
    });
  }

  // --- What later versions do by default, for old versions.
  for (const name of ['smtpd_tls_ciphers', 'smtp_tls_ciphers']) {
    out.push({
      name,
      to: 'medium',
      ok: (x) => x !== 'export' && x !== 'low',
      reason: 'The export and low grades allow ciphers that can be broken; medium is the default since the mid-2015 releases.',
    });
  }
  const noSsl = noneBelow('TLSv1');
  for (const name of ['smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols', 'smtp_tls_protocols', 'smtp_tls_mandatory_protocols']) {
    out.push({
      name,
      to: protocolsAtLeast(v, 'TLSv1'),
      ok: noSsl,
      reason: 'SSLv2 and SSLv3 are broken; Postfix has disabled them by default since the mid-2015 releases.',
    });
  }
  // Exclusions that take out ECDHE/DHE remove forward secrecy from every TLS 1.2 connection.
  for (const name of ['smtpd_tls_exclude_ciphers', 'smtpd_tls_mandatory_exclude_ciphers', 'smtp_tls_exclude_ciphers', 'smtp_tls_mandatory_exclude_ciphers']) {
    if (!val.isSet(name)) continue;
    const raw = val.raw(name) ?? '';
    const killers = fsKillingExclusions(raw);
    if (killers.length === 0) continue;
    const kept = listTokens(raw).filter((t) => !killers.includes(t));
    out.push({
      name,
      to: kept.join(', '),
      ok: (x) => fsKillingExclusions(x).length === 0,
      reason: `Excluding ${killers.join(', ')} removes the ephemeral (forward-secret) key exchanges for TLS 1.2 and older; these words are taken out of the list.`,
    });
  }
  // Server ECDHE: off by default in 2.6-2.7; the setting is ignored from 3.6 (never recommended there).
  if (atLeast(v, '2.6') && !atLeast(v, '3.6')) {
    out.push({
      name: 'smtpd_tls_eecdh_grade',
      to: atLeast(v, '3.4') ? 'auto' : 'strong',
      ok: (x) => x === 'strong' || x === 'ultra' || x === 'auto',
      reason: 'Lets the server use ephemeral elliptic-curve key exchange (ECDHE), the most common source of forward secrecy.',
    });
  }
  // DH parameters: the built-in prime is 1024 bits before 3.1; the setting is deprecated from 3.9.
  if (!atLeast(v, '3.9')) {
    const weakFile = (x: string) => x === '' || x === 'auto' || /(?:^|[^0-9])(512|768|1024)(?:[^0-9]|$)/.test(x.split('/').pop() ?? '');
    if (!atLeast(v, '3.1')) {
      out.push({
        name: 'smtpd_tls_dh1024_param_file',
        to: '${config_directory}/ffdhe2048.pem',
        ok: (x) => !weakFile(x),
        reason:
          'Before Postfix 3.1 the built-in DHE prime has only 1024 bits. Create the file first with "Postfix TLS: Generate DH Parameters…" (RFC 7919 group ffdhe2048).',
      });
    } else if (profile === 'ncsc') {
      out.push({
        name: 'smtpd_tls_dh1024_param_file',
        to: '${config_directory}/ffdhe3072.pem',
        ok: (x) => !weakFile(x) && !/(?:^|[^0-9])2048(?:[^0-9]|$)/.test(x.split('/').pop() ?? ''),
        reason:
          'The NCSC guidelines rate DHE groups of 3072 bits or more as good (2048 bits only as sufficient). Create the file first with "Postfix TLS: Generate DH Parameters…" (RFC 7919 group ffdhe3072).',
      });
    }
  }

  if (!strict) return out;

  // --- mozilla-intermediate, mozilla-modern, ncsc: TLS 1.2+, forward secrecy where TLS is mandatory.
  const modern = profile === 'mozilla-modern' && atLeast(v, TLS13_NAME);
  const tls12 = noneBelow('TLSv1.2');
  out.push({
    name: 'smtpd_tls_protocols',
    to: protocolsAtLeast(v, 'TLSv1.2'),
    ok: tls12,
    reason:
      profile === 'mozilla-modern'
        ? 'TLS 1.2 or newer for opportunistic STARTTLS. Not TLS 1.3 only: an SMTP client without TLS 1.3 would then send its mail unencrypted.'
        : 'TLS 1.0 and 1.1 are deprecated (RFC 8996); TLS 1.2 and 1.3 remain.',
  });
  for (const name of ['smtpd_tls_mandatory_protocols', 'smtp_tls_mandatory_protocols']) {
    out.push(
      modern
        ? {
            name,
            to: protocolsAtLeast(v, 'TLSv1.3'),
            ok: noneBelow('TLSv1.3'),
            reason: 'Where TLS is mandatory, allow only TLS 1.3: every TLS 1.3 connection has forward secrecy and only modern ciphers.',
          }
        : {
            name,
            to: protocolsAtLeast(v, 'TLSv1.2'),
            ok: tls12,
            reason:
              profile === 'mozilla-modern'
                ? `TLS 1.2 or newer where TLS is mandatory (TLS 1.3 only needs Postfix ${TLS13_NAME} or later).`
                : 'Where TLS is mandatory, allow only TLS 1.2 and 1.3 (TLS 1.0 and 1.1 are deprecated by RFC 8996).',
          },
    );
  }
  if (!modern) {
    out.push({
      name: 'smtpd_tls_mandatory_ciphers',
      to: 'high',
      ok: (x) => x === 'high',
      reason: 'Where TLS is mandatory (submission), clients are modern mail programs: the high grade leaves out the weaker legacy ciphers.',
    });
    const cur = val.isSet('smtpd_tls_mandatory_exclude_ciphers') ? (val.raw('smtpd_tls_mandatory_exclude_ciphers') ?? '') : '';
    const base = listTokens(cur).filter((t) => !FS_KEY_EXCHANGE_WORDS.has(t));
    out.push({
      name: 'smtpd_tls_mandatory_exclude_ciphers',
      to: [...base, 'kRSA'].join(', '),
      ok: (x) => excludesStaticRsa(x) && fsKillingExclusions(x).length === 0,
      reason: 'Where TLS is mandatory, leave out static RSA key exchange, the remaining TLS 1.2 ciphers without forward secrecy (TLS 1.3 is not affected).',
    });
  }
  return out;
}

/**
 * The edits that bring main.cf in line with `profile` for Postfix `postfixVersion`: only the
 * parameters whose effective value does not already satisfy the profile, each once, in a
 * stable order. Pure.
 */
export function recommendedEdits(main: MainCf, profile: ProfileName, postfixVersion: string): RecommendedEdit[] {
  const val = new Values(main, postfixVersion);
  const seen = new Set<string>();
  const out: RecommendedEdit[] = [];
  for (const w of wants(main, profile, postfixVersion)) {
    // A later, stricter want for the same name replaces an earlier one (e.g. TLS 1.2 over "no SSL").
    if (seen.has(w.name)) {
      const i = out.findIndex((e) => e.name === w.name);
      if (i >= 0) out.splice(i, 1);
    }
    seen.add(w.name);
    if (w.ok(val.expanded(w.name))) continue;
    const list = main.byName.get(w.name);
    const last = list && list.length > 0 ? list[list.length - 1] : undefined;
    if (last && last.value === w.to) continue;
    const e: RecommendedEdit = { name: w.name, to: w.to, reason: w.reason };
    if (last) {
      e.from = last.value;
      e.range = last.valueRange;
    }
    out.push(e);
  }
  return out;
}

/**
 * Turns recommended edits into text edits on the main.cf text: a set parameter gets its last
 * value replaced, new parameters are appended at the end under one comment line.
 */
export function recommendationTextEdits(text: string, main: MainCf, edits: readonly RecommendedEdit[], header: string): TextEdit[] {
  const out: TextEdit[] = [];
  const added: string[] = [];
  for (const e of edits) {
    if (e.range) {
      const empty = e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character;
      out.push({ file: main.uri, range: e.range, newText: (empty && needsSpace(text, e.range) ? ' ' : '') + e.to });
    } else {
      added.push(`${e.name} = ${e.to}`);
    }
  }
  if (added.length > 0) {
    const lines = text.split(/\r\n|\n|\r/);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lastLine = lines.length - 1;
    const end = { line: lastLine, character: lines[lastLine].length };
    const endsWithNewline = lines[lastLine] === '';
    const prefix = text.length === 0 ? '' : endsWithNewline ? eol : eol + eol;
    const body = [`# ${header.replace(/[\r\n]+/g, ' ')}`, ...added].join(eol) + eol;
    // A value replaced at the very end of the file (no final newline) and the appended block
    // would be two inserts at one position, whose order editors do not promise: make them one.
    const atEnd = out.find((e) => e.range.end.line === end.line && e.range.end.character === end.character);
    if (atEnd) atEnd.newText += prefix + body;
    else out.push({ file: main.uri, range: { start: end, end }, newText: prefix + body });
  }
  return out;
}

/** True when the character before an empty value range is not white space (`name =` + value). */
function needsSpace(text: string, range: Range): boolean {
  const line = text.split(/\r\n|\n|\r/)[range.start.line] ?? '';
  const before = line.charAt(range.start.character - 1);
  return before !== ' ' && before !== '\t';
}

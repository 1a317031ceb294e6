/**
 * Every diagnostic code with its message template, a one-line description (SARIF rule
 * text, README) and its default level. Templates use `{name}` placeholders filled from a
 * rule's report arguments; tests build expected messages with `formatMessage` from this table,
 * so wording lives in exactly one place.
 */
import type { Severity } from '../types';

/** One diagnostic code's texts. */
export interface MessageSpec {
  /** Message with `{arg}` placeholders. Specific, and names the fix. */
  template: string;
  /** One sentence on what the code is about (SARIF shortDescription, README table). */
  description: string;
  /** Level when the user configured nothing. */
  defaultLevel: Severity;
  /** Where to read more, when a Postfix document is more useful than our README. */
  helpUri?: string;
}

const FS_README = 'https://www.postfix.org/FORWARD_SECRECY_README.html';
const TLS_README = 'https://www.postfix.org/TLS_README.html';
const DEPRECATION_README = 'https://www.postfix.org/DEPRECATION_README.html';
const POSTCONF5 = 'https://www.postfix.org/postconf.5.html';
const MASTER5 = 'https://www.postfix.org/master.5.html';

/** Code → texts. Keep codes stable: users reference them in `diagnostics.levels`. */
export const MESSAGES = {
  // ---------------------------------------------------------------- parser (syntax.*, master.*)
  'syntax.missing-equals': {
    template: "This line has no '=' after the parameter name '{name}'; Postfix refuses to start with it. Write it as 'name = value', or start the line with '#' to make it a comment.",
    description: "A main.cf line without '=' (a fatal error in Postfix and postconf).",
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'syntax.missing-name': {
    template: "This line starts with '=' and has no parameter name; Postfix refuses to start with it. Put the parameter name before '='.",
    description: "A main.cf line with nothing before '=' (fatal in Postfix).",
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'syntax.leading-whitespace': {
    template: 'This line is indented but nothing comes before it to continue, so Postfix skips it with a warning. Remove the indentation if it is meant to start a setting.',
    description: 'A continuation line (starting with white space) with no logical line before it.',
    defaultLevel: 'warning',
  },
  'syntax.bom': {
    template: "The file starts with a byte order mark; Postfix reads it as part of the name '{name}', so this setting does not apply. Save the file as UTF-8 without BOM.",
    description: 'A UTF-8 byte order mark at the start of main.cf or master.cf.',
    defaultLevel: 'warning',
  },
  'syntax.nul-byte': {
    template: 'This line contains a NUL byte; Postfix may ignore the text after it. Remove the NUL byte.',
    description: 'A NUL byte inside a configuration line.',
    defaultLevel: 'warning',
  },
  'syntax.bad-reference': {
    template: "Postfix cannot parse the expression '{text}': {detail}. Check the brackets and operators of the conditional or comparison.",
    description: 'A ${...} expression Postfix cannot parse.',
    defaultLevel: 'error',
  },
  'syntax.problem': {
    template: '{text}',
    description: 'Another problem the parser found in the text.',
    defaultLevel: 'warning',
  },
  'master.field-count': {
    template: 'This master.cf entry has {count#field|fields}; a service needs at least 8 (service, type, private, unpriv, chroot, wakeup, maxproc, command). Add the missing fields, using - for defaults.',
    description: 'A master.cf service line with fewer than 8 fields.',
    defaultLevel: 'error',
    helpUri: MASTER5,
  },
  'master.bad-field': {
    template: "'{value}' is not valid in the {field} column; master refuses the entry. {expected}",
    description: 'A master.cf column (type, private, unpriv, chroot, wakeup, maxproc) with a bad value.',
    defaultLevel: 'error',
    helpUri: MASTER5,
  },
  'master.unbalanced-brace': {
    template: "The argument '{text}' {detail}; master refuses the entry. {fix}",
    description: "A '{ }' argument in master.cf without its closing brace, or with text glued after it.",
    defaultLevel: 'error',
    helpUri: MASTER5,
  },
  'master.bad-override': {
    template: "The override '{text}' {detail}, so the service stops with a fatal error when it starts. Write it as '-o name=value'.",
    description: "A master.cf '-o' without a value, a name or an '='.",
    defaultLevel: 'error',
    helpUri: MASTER5,
  },
  'master.spaced-override': {
    template: "White space around '=' splits '{text}' into separate arguments, so the service stops with a fatal error when it starts. Write '-o {name}=value' without spaces, or '-o { {name} = value }' (Postfix 3.0+).",
    description: "A master.cf '-o name = value' with white space outside { } (fatal at service start).",
    defaultLevel: 'error',
    helpUri: MASTER5,
  },
  'master.postconf-p-line': {
    template: "This is a 'postconf -P' setting ({service}/{type}/{name}=...), not a master.cf line: master does not read this form. Apply it with postconf -P, or write it as '-o {name}=...' under the {service} service.",
    description: "A 'service/type/name=value' line (postconf -P syntax) in a master.cf file.",
    defaultLevel: 'info',
    helpUri: MASTER5,
  },
  'master.duplicate-service': {
    template: "The service '{name}' ({type}) is defined again here; master uses only the last entry and ignores the one on line {line}. Remove or rename one of them.",
    description: 'Two master.cf entries with the same service name and type.',
    defaultLevel: 'warning',
    helpUri: MASTER5,
  },

  'internal.rule-failed': {
    template: '{text}',
    description: 'A check crashed on this input (a bug in postfix-tls; please report it).',
    defaultLevel: 'error',
  },

  // ---------------------------------------------------------------- postconf-equivalent checks
  'postconf.unused-parameter': {
    template: "Postfix does not know the parameter '{name}', so it has no effect (postconf reports it as unused).{hint}",
    description: 'A parameter name Postfix does not know and nothing references (typo or leftover).',
    defaultLevel: 'warning',
    helpUri: POSTCONF5,
  },
  'postconf.parameter-too-new': {
    template: "'{name}' arrived in Postfix {introduced}; Postfix {version} does not know it and ignores it. Remove it, or set postfixVersion to the version the server really runs.",
    description: 'A parameter that the target Postfix version does not have yet.',
    defaultLevel: 'warning',
    helpUri: POSTCONF5,
  },
  'postconf.deprecated-parameter': {
    template: "'{name}' is deprecated since Postfix {since} and will be removed; {advice}.",
    description: 'A parameter that postconf reports as deprecated for the target version, with its replacement.',
    defaultLevel: 'warning',
    helpUri: DEPRECATION_README,
  },
  'postconf.removed-parameter': {
    template: "Postfix {version} no longer supports '{name}'{removed}, so it has no effect; {advice}.",
    description: 'A parameter the target Postfix version no longer has.',
    defaultLevel: 'warning',
    helpUri: DEPRECATION_README,
  },
  'postconf.obsolete-parameter': {
    template: "Postfix {version} ignores '{name}' ({reason}). Remove the setting.",
    description: 'A parameter the target Postfix version still accepts but no longer uses.',
    defaultLevel: 'info',
    helpUri: POSTCONF5,
  },
  'postconf.overriding-earlier-entry': {
    template: "'{name}' is set a second time; this value replaces '{previous}' from line {line}. Only the last setting counts: remove the one you do not want.",
    description: 'A main.cf parameter set twice with different values (the later one wins).',
    defaultLevel: 'warning',
    helpUri: POSTCONF5,
  },
  'postconf.repeated-entry': {
    template: "'{name}' is already set to the same value on line {line}. Remove one of the two lines.",
    description: 'A main.cf parameter set twice with the same value.',
    defaultLevel: 'hint',
  },
  'postconf.undefined-parameter': {
    template: "'${name}' refers to a parameter that is neither built in nor defined here, so it expands to nothing.{hint}",
    description: 'A $name reference to a parameter that has no value and no built-in default.',
    defaultLevel: 'warning',
    helpUri: POSTCONF5,
  },
  'postconf.read-only-parameter': {
    template: "'{name}' is read-only: Postfix sets it for every process and discards this assignment. Remove it.",
    description: 'An assignment to process_name, process_id or service_name.',
    defaultLevel: 'warning',
    helpUri: POSTCONF5,
  },
  'value.reference-loop': {
    template: "'{name}' refers back to itself ({path}); expanding it never ends and Postfix stops with a fatal error. Break the loop by giving one of these parameters a literal value.",
    description: 'Parameters whose $references form a cycle.',
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'value.bad-boolean': {
    template: "'{name}' takes yes or no, not '{value}'; Postfix stops with a fatal error on this value. Write yes or no.",
    description: 'A boolean parameter with a value other than yes/no (fatal in Postfix).',
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'value.bad-integer': {
    template: "'{name}' takes a whole number, not '{value}'; Postfix stops with a fatal error on this value. Write digits only.",
    description: 'An integer parameter with a non-numeric value (fatal in Postfix).',
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'value.out-of-range': {
    template: "'{name}' must be {bound} {limit}{unit}; '{value}' is out of range and Postfix stops with a fatal error. Use a value within the limit.",
    description: 'An integer or time value outside the bounds Postfix accepts (fatal).',
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'value.bad-time': {
    template: "'{name}' takes a time: a number with an optional unit s, m, h, d or w (e.g. 300s, 5m); '{value}' is not one and Postfix stops with a fatal error.",
    description: 'A time parameter with a bad number or unit (fatal in Postfix).',
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'value.bad-enum': {
    template: "'{value}' is not a value '{name}' accepts. Use one of: {allowed}.",
    description: 'A value outside the fixed set a parameter accepts.',
    defaultLevel: 'warning',
    helpUri: POSTCONF5,
  },
  'value.empty-not-allowed': {
    template: "'{name}' must not be empty; Postfix stops with a fatal error. Give it a value or remove the line to use the default.",
    description: 'An empty value for a parameter that requires one (fatal in Postfix).',
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'value.inline-comment': {
    template: "main.cf has no comments at the end of a line: '{comment}' is part of the value of '{name}'. {effect} Move the comment to its own line starting with '#'.",
    description: "A '#' after other text in a value: main.cf only has whole-line comments.",
    defaultLevel: 'warning',
    helpUri: POSTCONF5,
  },

  // ---------------------------------------------------------------- forward secrecy: DH parameters
  'fs.dh-file-missing': {
    template: "The DH parameter file '{path}' set in '{name}' does not exist; the server logs a warning and falls back to its built-in parameters. Generate the file (openssl dhparam -out {path} 2048) or remove the setting.",
    description: 'A DH parameter file that does not exist.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.dh-file-unreadable': {
    template: "The DH parameter file '{path}' set in '{name}' cannot be read ({reason}). Check the path, or regenerate the file.",
    description: 'A DH parameter file that cannot be read.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.dh-file-not-dh': {
    template: "'{path}' set in '{name}' holds {found}, not DH parameters; the server ignores it and uses its built-in parameters. Point '{name}' at a file made with 'openssl dhparam 2048'.",
    description: "A DH parameter setting that points at something else (a certificate, a key, a binary file).",
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.dh-file-malformed': {
    template: "The DH parameters in '{path}' are damaged ({reason}); the server cannot load them. Regenerate the file with 'openssl dhparam -out {path} 2048'.",
    description: 'A DH PARAMETERS block that cannot be decoded.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.dh-prime-too-small': {
    template: "'{path}' holds a {bits}-bit DH prime; many clients now refuse DHE with primes under 2048 bits and fall back to ciphers without forward secrecy or fail. Generate at least 2048 bits (openssl dhparam -out {path} 2048){default}.",
    description: 'A DH parameter file with a prime shorter than 2048 bits.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.dh512-obsolete': {
    template: "'{name}' only served the long-obsolete export ciphers{ignored}. Remove the setting.",
    description: '512-bit export DH parameters (ignored since Postfix 3.6).',
    defaultLevel: 'info',
    helpUri: FS_README,
  },
  'fs.dh1024-deprecated': {
    template: "'{name}' is deprecated since Postfix 3.9: the built-in 2048-bit group{auto} is the better choice. Remove the setting and leave it at its default.",
    description: 'smtpd_tls_dh1024_param_file is deprecated from Postfix 3.9 (leave at default).',
    defaultLevel: 'warning',
    helpUri: DEPRECATION_README,
  },

  // ---------------------------------------------------------------- forward secrecy: EC curves and groups
  'fs.eecdh-grade-none': {
    template: "'{name} = none' turns off elliptic-curve key exchange in the server, so most clients get no forward secrecy or only slower DHE. {fix}",
    description: 'smtpd_tls_eecdh_grade = none disables ECDHE forward secrecy.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.eecdh-grade-unneeded': {
    template: "'{name} = {value}' is only needed with Postfix 2.6 and 2.7; {reason} Remove the setting.",
    description: 'An explicit strong/ultra EECDH grade where the default is already as good or better.',
    defaultLevel: 'info',
    helpUri: FS_README,
  },
  'fs.eecdh-grade-ignored': {
    template: "Postfix {version} ignores '{name}' (since 3.6 the server always negotiates the curve with the client). Remove the setting.",
    description: 'smtpd_tls_eecdh_grade has no effect from Postfix 3.6.',
    defaultLevel: 'info',
    helpUri: FS_README,
  },
  'fs.eecdh-grade-deprecated': {
    template: "'{name}' is deprecated since Postfix 3.9 and has no effect; remove it and leave curve selection at its default.",
    description: 'smtpd_tls_eecdh_grade is deprecated from Postfix 3.9.',
    defaultLevel: 'warning',
    helpUri: DEPRECATION_README,
  },
  'fs.eecdh-curve-changed': {
    template: "'{name}' is changed from its default '{default}' to '{value}'; this curve is best left alone, since clients that lack it get no ECDHE. Remove the setting.",
    description: 'tls_eecdh_strong_curve / tls_eecdh_ultra_curve changed from the default.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.eecdh-curve-ignored': {
    template: "Postfix {version} no longer uses '{name}' (curves are negotiated from tls_eecdh_auto_curves since 3.6). Remove the setting.",
    description: 'tls_eecdh_strong_curve / tls_eecdh_ultra_curve have no effect from Postfix 3.6.',
    defaultLevel: 'info',
    helpUri: FS_README,
  },
  'fs.unknown-group': {
    template: "OpenSSL {openssl} does not know the group '{group}' in '{name}'. Postfix drops names the library does not support without logging anything, so a typo here goes unnoticed. Check the spelling ({examples}).",
    description: 'A name in tls_eecdh_auto_curves / tls_ffdhe_auto_groups that OpenSSL does not know (Postfix skips it silently).',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.weak-group': {
    template: "The group '{group}' in '{name}' is too weak ({why}) and gives only nominal forward secrecy. Remove it from the list.",
    description: 'A weak curve or FFDHE group (e.g. secp192r1, secp224r1, small primes) offered for key exchange.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.group-needs-newer-openssl': {
    template: "The group '{group}' in '{name}' needs OpenSSL {needed} or later; with OpenSSL {openssl} it is skipped. Prefix it with '?' to mark it optional, or set opensslVersion to the library Postfix really uses.",
    description: 'A key-exchange group the target OpenSSL version does not have yet.',
    defaultLevel: 'info',
    helpUri: FS_README,
  },
  'fs.no-usable-groups': {
    template: "No group in '{name}'{also} is usable with OpenSSL {openssl}. Postfix then logs a warning that none of the configured key exchange groups is supported and goes back to its built-in default groups, so this setting has no effect. List groups this OpenSSL knows, such as X25519 and prime256v1.",
    description: 'Group lists where no entry is usable: Postfix warns and uses its built-in defaults instead.',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },

  // ---------------------------------------------------------------- forward secrecy: ciphers
  'fs.preempt-cipherlist': {
    template: "'tls_preempt_cipherlist = yes' makes the server pick ciphers by its own order; older Exchange servers are known to fail with it. Keep the default (no) unless you have checked your peers.",
    description: 'tls_preempt_cipherlist = yes (interoperability risk with older Exchange servers).',
    defaultLevel: 'info',
    helpUri: FS_README,
  },
  'fs.weak-cipher-grade': {
    template: "'{name} = {value}' allows {what}, which give little or no real secrecy. Use 'medium' (the default) or 'high'.",
    description: 'export or low cipher grade (Postfix before 3.8).',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.cipher-grade-alias': {
    template: "Since Postfix 3.8 the '{value}' cipher grade is only another name for 'medium'. Write 'medium' (or remove the line) to say what happens.",
    description: 'export/low cipher grade, treated as medium from Postfix 3.8.',
    defaultLevel: 'info',
    helpUri: FS_README,
  },
  'fs.null-cipher-grade': {
    template: "'{name} = null' allows only cipher suites without encryption: mail would travel in clear text inside TLS. Use 'medium' or 'high'.",
    description: 'The null cipher grade (no encryption at all).',
    defaultLevel: 'error',
    helpUri: TLS_README,
  },
  'fs.client-cipher-grade-high': {
    template: "'{name} = high' applies to every opportunistic TLS peer and shuts out servers that only offer medium ciphers (they fall back to plain text or fail). Keep 'medium' here and require 'high' per destination in smtp_tls_policy_maps.",
    description: "'high' cipher grade for opportunistic client TLS.",
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.cipherlist-redefined': {
    template: "'{name}' redefines the OpenSSL cipher list behind a cipher grade; the defaults are ordered to prefer forward secrecy and changing them is strongly discouraged. Remove it and choose a grade with *_tls_ciphers / *_tls_mandatory_ciphers instead.",
    description: 'A redefined tls_*_cipherlist (strongly discouraged).',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },
  'fs.exclude-removes-fs': {
    template: "Excluding '{item}' in '{name}' takes {removed} out of TLS 1.2 and older{scope}: {remaining}{tls13} Remove '{item}' from the list.",
    description: '*_tls_exclude_ciphers that removes ECDHE and/or DHE key exchange (says what is left for TLS 1.2 and older).',
    defaultLevel: 'warning',
    helpUri: FS_README,
  },

  // ---------------------------------------------------------------- protocols and legacy switches
  'tls.bad-protocol-list': {
    template: "Postfix {version} does not understand '{item}' in '{name}' and turns TLS off for this setting. {fix}",
    description: 'A protocol list Postfix rejects (TLS is then disabled).',
    defaultLevel: 'error',
    helpUri: POSTCONF5,
  },
  'tls.ssl-protocols-allowed': {
    template: "'{name}' still allows {protocols}; SSL 2 and 3 are broken and no mail peer needs them. Exclude them with '>=TLSv1' (Postfix 3.6+) or '!SSLv2, !SSLv3'.",
    description: 'A protocol setting that allows SSLv2 or SSLv3.',
    defaultLevel: 'warning',
    helpUri: TLS_README,
  },
  'tls.legacy-tls-protocols': {
    template: "'{name}' allows {protocols}: acceptable for opportunistic TLS, but weak. Consider {suggestion} where all peers support TLS 1.2.",
    description: 'A protocol setting that allows TLSv1 or TLSv1.1.',
    defaultLevel: 'info',
    helpUri: TLS_README,
  },
  'tls.legacy-tls-switch': {
    template: "'{name}' is the old on/off switch for TLS{ignored}. Use '{replacement} = {level}' instead{deprecated}.",
    description: '*_use_tls / *_enforce_tls legacy switches (replaced by *_tls_security_level).',
    defaultLevel: 'warning',
    helpUri: TLS_README,
  },
  'profile.protocols-below-profile': {
    template: "The {profile} profile expects mandatory TLS to use {expected}, but '{name}' allows {allowed}. Set '{name} = {recommended}'.",
    description: 'Mandatory protocols that allow versions below the chosen profile.',
    defaultLevel: 'warning',
  },
  'profile.protocols-default-below-profile': {
    template: "The {profile} profile expects mandatory TLS to use {expected}, but '{name}' is not set and its default allows {allowed}. Add '{name} = {recommended}'.",
    description: 'Default mandatory protocols below the chosen profile.',
    defaultLevel: 'info',
  },
} satisfies Record<string, MessageSpec>;

/**
 * Pieces of the `fs.exclude-removes-fs` message, chosen by what the whole exclusion list leaves
 * (core/rules/exclude-ciphers.ts). `{x}` placeholders are filled with {@link fillText}.
 */
export const EXCLUDE_TEXTS = {
  removed: {
    ECDHE: 'ECDHE key exchange',
    DHE: 'DHE key exchange',
    'ECDHE+anon': 'ECDHE key exchange (the anonymous AECDH suites included)',
    'DHE+anon': 'DHE key exchange (the anonymous ADH suites included)',
  },
  mandatory: ' where TLS is mandatory',
  /** One of ECDHE / DHE is still there. */
  oneLeft: '{left} still gives forward secrecy, but peers without {left} {fallback}.',
  fallbackRsa: 'get static RSA key exchange, which has none',
  fallbackNone: 'cannot use TLS 1.2 or older at all, since static RSA is excluded too',
  /** Neither is left for authenticated connections, anonymous suites remain. */
  anonAndRsa: 'apart from the anonymous {anon} suites (no certificate, so only used where nobody checks one), only static RSA key exchange, without forward secrecy, remains.',
  anonOnly: 'only the anonymous {anon} suites remain (no certificate, so only used where nobody checks one).',
  rsaOnly: 'only static RSA key exchange, which has no forward secrecy, remains.',
  nothing: 'no key exchange at all remains, so TLS 1.2 and older handshakes fail.',
  tls13: ' TLS 1.3 connections keep forward secrecy: TLS 1.3 always uses an ephemeral key exchange.',
} as const;

/**
 * Fills `{name}` placeholders of a text piece (like formatMessage, for the pieces above).
 * `{name#one|many}` is a count with its noun in the right number: `1 field`, `2 fields`.
 */
export function fillText(text: string, args: Record<string, string | number>, show: (v: string | number) => string = String): string {
  return text.replace(/\{([A-Za-z0-9_]+)(?:#([^|{}]*)\|([^{}]*))?\}/g, (_m, k: string, one?: string, many?: string) => {
    if (args[k] === undefined) return '';
    const v = show(args[k]);
    return one === undefined ? v : `${v} ${Number(args[k]) === 1 ? one : many}`;
  });
}

/** A unit after a number, singular when the number is 1 (`1 second`, `2 seconds`). */
function unitFor(limit: string | number | undefined, unit: string): string {
  return Number(limit) === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit;
}

/** A known diagnostic code. */
export type MessageCode = keyof typeof MESSAGES;

/** The spec for a code, also for codes not in the table (e.g. a new parser code): a generic fallback. */
export function messageSpec(code: string): MessageSpec {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code) ? (MESSAGES as Record<string, MessageSpec>)[code] : MESSAGES['syntax.problem'];
}

/** Fills `{arg}` placeholders; a missing argument becomes empty text, never `undefined`. */
export function formatMessage(code: string, args: Record<string, string | number> = {}): string {
  const spec = messageSpec(code);
  if (spec === MESSAGES['syntax.problem'] && code !== 'syntax.problem') {
    const text = args.text ?? args.message;
    return text !== undefined ? `${code}: ${clip(String(text))}` : code;
  }
  // Arguments whose wording depends on a number (rules pass the plural unit).
  const fixed = code === 'value.out-of-range' && typeof args.unit === 'string' ? { ...args, unit: unitFor(args.limit, args.unit) } : args;
  return fillText(spec.template, fixed, (v) => clip(String(v)));
}

/** Longest piece of document text quoted in a message: a message names the problem, it does not echo megabytes. */
export const MAX_QUOTED = 200;

/** Shortens quoted document text to MAX_QUOTED characters (keeping whole UTF-16 pairs). */
export function clip(text: string): string {
  if (text.length <= MAX_QUOTED) return text;
  let end = MAX_QUOTED;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length} characters)`;
}

/** `{ code: defaultLevel }` for a rule's `codes`, read from this table (one source of truth). */
export function defaultLevels(...codes: MessageCode[]): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  for (const c of codes) out[c] = MESSAGES[c].defaultLevel as Severity;
  return out;
}

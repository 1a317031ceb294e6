/**
 * Short forward-secrecy (FS) notes for the parameters that influence it, written in our own
 * words from the facts in Postfix's FORWARD_SECRECY_README. Shown in config hovers.
 */
import { atLeast } from '../version';

/** Which FS topic a parameter belongs to. */
export type FsTopic =
  | 'dh-file'
  | 'dh512-file'
  | 'ffdhe-groups'
  | 'eecdh-grade'
  | 'eecdh-curves'
  | 'eecdh-curve-name'
  | 'cipher-grade'
  | 'cipher-exclude'
  | 'cipher-definition'
  | 'protocols'
  | 'preempt'
  | 'security-level'
  | 'loglevel'
  | 'received-header';

/** Said with every note: the one thing FS never gives you. */
export const FS_ACTIVE_ATTACK_NOTE =
  'Forward secrecy keeps recorded traffic safe if a long-term private key leaks later. It does **not** ' +
  'protect against an active man-in-the-middle (forged DNS answers, a forged certificate): only ' +
  'authenticating the peer does that (client security levels `verify`, `secure`, `dane`, `dane-only` or `fingerprint`).';

// Daemon prefixes that have their own copy of the TLS settings.
const ROLE = '(?:smtpd|smtp|lmtp|postscreen|tlsproxy|tlsproxy_client)';

const TOPICS: [RegExp, FsTopic][] = [
  [new RegExp(`^${ROLE}_tls_dh1024_param_file$`), 'dh-file'],
  [new RegExp(`^${ROLE}_tls_dh512_param_file$`), 'dh512-file'],
  [/^tls_ffdhe_auto_groups$/, 'ffdhe-groups'],
  [new RegExp(`^${ROLE}_tls_eecdh_grade$`), 'eecdh-grade'],
  [/^tls_eecdh_auto_curves$/, 'eecdh-curves'],
  [/^tls_eecdh_(strong|ultra)_curve$/, 'eecdh-curve-name'],
  [new RegExp(`^${ROLE}_tls_(mandatory_)?ciphers$`), 'cipher-grade'],
  [new RegExp(`^${ROLE}_tls_(mandatory_)?exclude_ciphers$`), 'cipher-exclude'],
  [/^tls_(high|medium|low|export|null)_cipherlist$/, 'cipher-definition'],
  [new RegExp(`^${ROLE}_tls_(mandatory_)?protocols$`), 'protocols'],
  [/^tls_preempt_cipherlist$/, 'preempt'],
  [new RegExp(`^${ROLE}_(tls_)?security_level$`), 'security-level'],
  [new RegExp(`^${ROLE}_tls_loglevel$`), 'loglevel'],
  [/^smtpd_tls_received_header$/, 'received-header'],
];

/** The FS topic of a parameter name, or undefined when it does not influence forward secrecy. */
export function fsTopic(name: string): FsTopic | undefined {
  for (const [re, topic] of TOPICS) if (re.test(name)) return topic;
  return undefined;
}

/**
 * The forward-secrecy note (Markdown, no document text) for a parameter, adapted to the
 * target Postfix version; undefined for parameters that do not influence FS.
 */
export function fsNoteFor(name: string, postfixVersion: string): string | undefined {
  const topic = fsTopic(name);
  if (!topic) return undefined;
  const v31 = atLeast(postfixVersion, '3.1');
  const v36 = atLeast(postfixVersion, '3.6');
  let text: string;
  switch (topic) {
    case 'dh-file':
      text =
        'Prime-field Diffie-Hellman (DHE, also called EDH) gives forward secrecy to TLS 1.2-and-older ' +
        'cipher suites whose name starts with `DHE`/`EDH`. Leaving this empty is fine: Postfix has a ' +
        `built-in prime (${v31 ? '2048 bits in your version; it was 1024 bits before Postfix 3.1' : '1024 bits in your version; 2048 bits from Postfix 3.1'}). ` +
        'Your own file (made with `openssl dhparam`) lets you use a fresh prime, which helps against ' +
        'precomputation attacks; use at least 2048 bits, as many clients now reject smaller primes. The ' +
        'file is public data, so mode 0644 is fine. Despite the "1024" in the name, the prime may be any size. ' +
        'ECDHE key exchange and TLS 1.3 do not use this file.';
      break;
    case 'dh512-file':
      text =
        'Parameters for the "export" cipher suites only, which are long obsolete and no longer used with ' +
        `the default cipher grades${v36 ? '; Postfix 3.6 and later ignore this setting' : ''}. ` +
        'It plays no part in forward secrecy for normal connections.';
      break;
    case 'ffdhe-groups':
      text =
        'Named prime-field groups (FFDHE, RFC 7919) offered for DHE key agreement, most preferred first. ' +
        'They give forward secrecy like ECDHE, only slower. With Postfix 3.11+ and OpenSSL 3.5+ the default ' +
        'is empty and the groups come from `tls_eecdh_auto_curves` instead.';
      break;
    case 'eecdh-grade':
      text =
        'Elliptic-curve Diffie-Hellman (ECDHE) is the usual source of forward secrecy with TLS 1.2. This ' +
        'setting once picked the single curve the server offered (`strong` = P-256, `ultra` = P-384; with ' +
        'Postfix 2.6-2.7 it had to be `strong` to enable ECDHE at all). With Postfix 3.2+ and OpenSSL 1.0.2+ ' +
        'the default `auto` lets client and server agree on a curve from `tls_eecdh_auto_curves`' +
        `${v36 ? '. Your version ignores this setting; remove it' : ''}.`;
      break;
    case 'eecdh-curves':
      text =
        'The elliptic-curve groups (and, with OpenSSL 3.5+, hybrid post-quantum groups such as ' +
        'X25519MLKEM768) that the SMTP client and server offer for ECDHE key agreement, most preferred ' +
        'first. Every group here gives forward secrecy. The default suits almost everyone; if no ' +
        'group is shared with a peer, TLS 1.2 falls back to key exchange without forward secrecy or the ' +
        'handshake fails. Names the OpenSSL library does not support are dropped without a warning; only ' +
        'when none of this list and `tls_ffdhe_auto_groups` is usable does Postfix log a warning and use ' +
        'its built-in default groups.';
      break;
    case 'eecdh-curve-name':
      text =
        'The curve behind the `strong`/`ultra` grade of `smtpd_tls_eecdh_grade`, used only where a single ' +
        `server curve could be configured${v36 ? ' (not used by your version)' : ''}. Best left at its default.`;
      break;
    case 'cipher-grade':
      text =
        'The minimum cipher grade. It does not change the preference order: the built-in lists already ' +
        'put forward-secret suites (names starting with `ECDHE`, `DHE`/`EDH`, or anonymous `AECDH`/`ADH`) ' +
        'first, and every TLS 1.3 suite is forward secret. Grades above `medium` lock out some older peers, ' +
        'so for opportunistic TLS keep `medium` and require more per destination in a TLS policy table.';
      break;
    case 'cipher-exclude':
      text =
        'Ciphers removed from the chosen grade. Excluding `kRSA` (RSA key transport) leaves only ' +
        'forward-secret key exchange for TLS 1.2 and older, at the cost of peers that can do neither ' +
        'ECDHE nor DHE. Excluding `kEECDH`/`EECDH` removes ECDHE and excluding `kEDH`/`EDH` removes DHE; ' +
        'with both gone TLS 1.2 and older have no forward secrecy left (TLS 1.3 always keeps it).';
      break;
    case 'cipher-definition':
      text =
        'The OpenSSL cipher list behind a cipher grade. The built-in definitions already prefer ' +
        'forward-secret suites; changing them is strongly discouraged — choose a grade or exclude ' +
        'ciphers instead.';
      break;
    case 'protocols':
      text =
        'TLS 1.3 always uses forward-secret key exchange. With TLS 1.2 and older, forward secrecy depends ' +
        'on the negotiated cipher (ECDHE/DHE suites have it, RSA key transport does not). Disabling old ' +
        'protocols alone does not guarantee forward secrecy, and for opportunistic TLS a too-strict list ' +
        'makes some peers fall back to plaintext.';
      break;
    case 'preempt':
      text =
        'With `yes` the server picks the cipher by its own order instead of the client\'s, so a client ' +
        'that supports forward-secret suites but prefers others still gets one. It only affects the ' +
        'server role and may upset some very old peers.';
      break;
    case 'security-level':
      text =
        'The level decides whether TLS is used and how the peer is authenticated. Forward secrecy comes ' +
        'from the key exchange and is the same at every level that encrypts; `may` and `encrypt` protect ' +
        'only against passive eavesdroppers.';
      break;
    case 'loglevel':
      text =
        'At level 1 or higher Postfix logs one summary line per TLS session (protocol, cipher and, in ' +
        'newer versions, the key exchange) — that line is how you can tell whether a connection had ' +
        'forward secrecy. Level 0 logs nothing about TLS; levels above 1 are for debugging.';
      break;
    case 'received-header':
      text =
        'With `yes` the server records the protocol and cipher (and, for TLS 1.3, the key exchange) in a ' +
        'comment in the Received: header, so forward secrecy can be checked on each message.';
      break;
  }
  return `${text}\n\n${FS_ACTIVE_ATTACK_NOTE}`;
}

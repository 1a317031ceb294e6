/**
 * Short texts about classified log records: the badge shown after a TLS line, and the shared
 * wording (status meaning per side, forward-secrecy reasons, key-exchange notes, failure
 * advice) that the hover (core/features/log-hover.ts) and the CLI build on.
 * Pure functions over LogRecord; every piece of text taken from a log goes through mdCode /
 * mdEscape before it reaches Markdown.
 */
import type { FailureCause, FailureKind, KeyExchange, LogRecord, StatusWord } from './record';
import { formatKeyExchange } from './classify';
import { mdCode, plainText } from '../markdown';

// The escapers live in core/markdown.ts; re-exported for the modules that import them from here.
export { mdCode, mdEscape, plainText } from '../markdown';

/** Badge class; the client maps each to a theme colour. */
export type BadgeOutcome = 'fs' | 'no-fs' | 'failure' | 'unknown';

export interface BadgeOptions {
  showKeyExchange: boolean;
  showStatus: boolean;
  showProtocol: boolean;
}

export interface Badge {
  text: string;
  outcome: BadgeOutcome;
}

const SEP = ' · ';
/** Badges stay short whatever the log says (a group name is at most a few dozen chars). */
const MAX_BADGE_PART = 40;

/** A key exchange for humans: `X25519`, `ECDHE (P-256)`, `DHE (2048 bits)`. */
export function keyExchangeLabel(kex: KeyExchange | undefined): string | undefined {
  return formatKeyExchange(kex);
}

/** Label of a non-forward-secret key exchange, for the badge (`RSA key exchange`). */
function noFsLabel(rec: LogRecord): string | undefined {
  switch (rec.fsReason) {
    case 'static-rsa':
      return 'RSA key exchange';
    case 'static-ecdh':
      return 'static ECDH key exchange';
    case 'static-dh':
      return 'static DH key exchange';
    case 'export':
      return 'export-grade cipher';
    case 'psk':
      return 'PSK key exchange';
    case 'srp':
      return 'SRP key exchange';
    case 'static-krb5':
      return 'Kerberos key exchange';
    case 'no-kx':
      return 'no key exchange';
    default:
      return rec.keyExchange ? `${plainText(rec.keyExchange.name, MAX_BADGE_PART)} key exchange` : undefined;
  }
}

/** The short failure label used in the badge, the CLI and the hover title. */
export function failureLabel(kind: FailureKind, cause?: FailureCause): string {
  switch (kind) {
    case 'handshake':
      return cause === 'peer-alert' ? 'TLS handshake rejected by peer' : 'TLS handshake failed';
    case 'tls-library':
      if (cause === 'config') return 'TLS setup problem (local files)';
      if (cause === 'eof') return 'TLS peer hung up';
      if (cause === 'peer-alert') return 'TLS alert from peer';
      return 'TLS library error';
    case 'cert-verification':
      if (cause === 'dane') return 'DANE/TLSA problem';
      if (cause === 'client-cert') return 'client certificate rejected';
      if (cause === 'peer-alert') return 'peer rejected our certificate';
      if (cause === 'tlsrpt') return 'TLS report: verification failed';
      return 'certificate verification failed';
    case 'server-cert-untrusted':
      return 'server certificate not verified';
    case 'lost-after-starttls':
      return cause === 'timeout' ? 'timeout after STARTTLS' : 'lost connection after STARTTLS';
    case 'tls-not-offered':
      return cause === 'refused' ? 'TLS required but refused' : 'TLS required but not offered';
    case 'no-shared-cipher':
      return 'no shared cipher';
    case 'protocol':
      return 'TLS protocol mismatch';
    default:
      if (cause === 'config') return 'TLS configuration problem';
      if (cause === 'rate-limit') return 'TLS session rate limit';
      if (cause === 'tlsrpt') return 'TLS report: failure';
      return 'TLS problem';
  }
}

/**
 * The badge after a TLS line: `FS ✓ X25519 · Verified`, `no FS · RSA key exchange · Untrusted`,
 * `✗ TLS handshake failed`. Undefined for records that are not about TLS connections.
 */
export function badgeFor(record: LogRecord, opts: BadgeOptions): Badge | undefined {
  try {
    if (record.kind === 'failure') {
      const f = record.failure;
      return { text: `✗ ${failureLabel(f?.kind ?? 'other', f?.cause)}`, outcome: 'failure' };
    }
    if (record.kind !== 'tls-summary' && record.kind !== 'received-header') return undefined;
    const parts: string[] = [];
    const tls13 = record.protocol !== undefined && record.protocol.toUpperCase() === 'TLSV1.3';
    if (record.forwardSecrecy === 'yes') {
      let head = 'FS ✓';
      if (opts.showKeyExchange) {
        const kex = keyExchangeLabel(record.keyExchange);
        if (kex !== undefined) head += ` ${plainText(kex, MAX_BADGE_PART)}`;
        else if (tls13 && !opts.showProtocol) head += ' TLS 1.3';
        if (record.postQuantum) head += ' (PQ)';
      } else if (record.postQuantum) head += ' PQ';
      parts.push(head);
    } else if (record.forwardSecrecy === 'no') {
      parts.push('no FS');
      if (opts.showKeyExchange) {
        const label = noFsLabel(record);
        if (label !== undefined) parts.push(label);
      }
    } else {
      parts.push('FS ?');
    }
    if (opts.showProtocol && record.protocol !== undefined) parts.push(plainText(record.protocol, MAX_BADGE_PART));
    if (opts.showStatus && record.status !== undefined) parts.push(record.status);
    const outcome: BadgeOutcome = record.forwardSecrecy === 'yes' ? 'fs' : record.forwardSecrecy === 'no' ? 'no-fs' : 'unknown';
    return { text: parts.join(SEP), outcome };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared wording (own words; facts from the Postfix forward-secrecy guide and logformats.md)

/** What a status word means on the side that logged it. */
export function statusMeaning(status: StatusWord, role: 'client' | 'server' | undefined): string {
  if (role === 'client') {
    switch (status) {
      case 'Anonymous':
        return 'The remote server showed no certificate: an anonymous cipher suite was chosen. Postfix prefers those at the opportunistic level `may`, where nothing is checked anyway. The traffic is encrypted, but the server is not authenticated.';
      case 'Untrusted':
        return 'The remote server sent a certificate, but it could not be traced to a CA this client trusts. Normal for opportunistic TLS: encrypted, not authenticated.';
      case 'Trusted':
        return 'The remote server certificate chains to a trusted CA, but its name was not checked against the destination (or did not match), e.g. at level `may`, or `dane` without usable TLSA records.';
      case 'Verified':
        return 'The remote server was authenticated: its certificate name matched the destination at a verifying level (`verify`, `secure`), or its key matched a configured fingerprint or a DANE TLSA record.';
    }
  }
  if (role === 'server') {
    switch (status) {
      case 'Anonymous':
        return 'The client sent no certificate. This is the normal case for inbound mail: client certificates are optional and are only asked for with `smtpd_tls_ask_ccert = yes`. It says nothing about the cipher, the session is still encrypted.';
      case 'Untrusted':
        return 'The client sent a certificate (or a raw public key), but this server could not validate it against its CAs.';
      case 'Trusted':
        return 'The client certificate chains to a CA this server trusts (`smtpd_tls_CAfile` / `smtpd_tls_CApath`). The server never checks the client name.';
      case 'Verified':
        return 'Unusual: Postfix never logs `Verified` for inbound connections, since the server has no expected name or fingerprint for a client.';
    }
  }
  switch (status) {
    case 'Anonymous':
      return 'The peer sent no certificate.';
    case 'Untrusted':
      return 'The peer sent a certificate that could not be validated.';
    case 'Trusted':
      return 'The peer certificate chains to a trusted CA; the name was not verified.';
    default:
      return 'The peer was authenticated by name or fingerprint.';
  }
}

/** Why a record does or does not have forward secrecy, from fsReason. */
export function fsReasonText(rec: LogRecord): string {
  const reason = rec.fsReason ?? '';
  if (reason === 'tls13') {
    return 'TLS 1.3 only has ephemeral key exchanges: every connection agrees on a fresh key that is thrown away afterwards, so recorded traffic stays private even if a private key leaks later.';
  }
  if (reason === 'tls13-cipher') return 'The cipher is a TLS 1.3 suite, and TLS 1.3 only has ephemeral key exchanges.';
  if (reason.startsWith('key-exchange:')) return 'The logged key exchange is an ephemeral group: a fresh key per connection.';
  if (reason.startsWith('cipher-prefix:') || reason.startsWith('cipher:')) {
    const prefix = reason.slice(reason.indexOf(':') + 1);
    const anon = prefix === 'ADH' || prefix === 'AECDH';
    const ec = prefix === 'ECDHE' || prefix === 'AECDH' || prefix === 'EECDH';
    let t = `The cipher name starts with ${mdCode(prefix)}: ${ec ? 'elliptic-curve ' : ''}Diffie-Hellman with a fresh (ephemeral) key per connection.`;
    if (anon) {
      t += ' It is an anonymous suite: no certificate is involved, so the peer is not authenticated (forward secrecy, but no protection against an active attacker).';
    }
    return t;
  }
  switch (reason) {
    case 'static-rsa':
      return 'The cipher name has none of the ephemeral prefixes (`ECDHE`, `DHE`, `EDH`, `AECDH`, `ADH`): the session key travelled encrypted with the server\u2019s long-term RSA key. Anyone who obtains that key later can decrypt recorded sessions.';
    case 'static-ecdh':
      return 'Static ECDH (`ECDH-`, not `ECDHE-`): the server\u2019s share is fixed in its certificate, so it is not ephemeral.';
    case 'static-dh':
      return 'Static DH (`DH-`, not `DHE-`): the server\u2019s share is fixed in its certificate, so it is not ephemeral.';
    case 'export':
      return 'An export suite: deliberately weakened keys of at most 512 bits. It does not count as forward secrecy.';
    case 'psk':
      return 'A pre-shared key without an ephemeral exchange: if the key leaks, recorded sessions can be decrypted.';
    case 'srp':
      return 'SRP key exchange is not counted as forward secrecy here.';
    case 'static-krb5':
      return 'A Kerberos suite: the session secret comes from a Kerberos ticket, not from an ephemeral exchange.';
    case 'no-kx':
      return 'A suite without any key exchange (and without encryption).';
    case 'unknown-cipher':
      return 'This tool does not know the cipher name, so it cannot tell the key exchange from it, and hence not whether the connection had forward secrecy.';
    case 'not-logged':
      return 'The line does not show the protocol and cipher (it may be cut short), so forward secrecy cannot be told.';
    default:
      return 'Not enough was logged to tell.';
  }
}

/** Notes about a key exchange (group, strength, post-quantum). */
export function keyExchangeText(kex: KeyExchange): string[] {
  const out: string[] = [];
  const label = keyExchangeLabel(kex) ?? kex.name;
  const up = kex.name.toUpperCase();
  if (!kex.logged) {
    out.push(
      `Key exchange ${mdCode(label)}, read from the cipher name: TLS 1.2 and older lines never name the group or curve.`,
    );
    return out;
  }
  let what: string;
  if (up.indexOf('MLKEM') >= 0 || up.indexOf('ML-KEM') >= 0 || up.indexOf('KYBER') >= 0) {
    what =
      up.startsWith('MLKEM') || up.startsWith('ML-KEM')
        ? 'ML-KEM alone, a post-quantum key encapsulation'
        : 'a hybrid: a classic elliptic-curve exchange combined with ML-KEM, a post-quantum key encapsulation. The key stays secret as long as either part holds';
  } else if (up === 'X25519') what = 'elliptic-curve Diffie-Hellman on Curve25519';
  else if (up === 'X448') what = 'elliptic-curve Diffie-Hellman on Curve448';
  else if (up === 'ECDHE') what = `elliptic-curve Diffie-Hellman${kex.curve !== undefined ? ` on ${mdCode(kex.curve)}` : ''}`;
  else if (up === 'DHE') what = `finite-field Diffie-Hellman${kex.bits !== undefined ? ` with a ${kex.bits}-bit group` : ''}`;
  else if (/^FFDHE\d{3,5}$/.test(up)) what = `finite-field Diffie-Hellman with the ${Number(up.slice(5))}-bit RFC 7919 group`;
  else if (/^(SECP|PRIME|P-|BRAINPOOL)/.test(up)) what = 'elliptic-curve Diffie-Hellman on this curve';
  else what = 'an ephemeral group named by OpenSSL';
  out.push(`Key exchange ${mdCode(label)}: ${what}.`);
  const bits = kex.bits ?? (/^FFDHE\d{3,5}$/.test(up) ? Number(up.slice(5)) : undefined);
  if (bits !== undefined && Number.isFinite(bits) && bits < 2048) {
    out.push(`A ${bits}-bit Diffie-Hellman group is weak by today\u2019s standards; use 2048 bits or more.`);
  }
  return out;
}

/** What to do about a connection without forward secrecy, per side. */
export function noFsAdvice(rec: LogRecord): string[] {
  const out: string[] = [];
  if (rec.fsReason === 'export') {
    out.push('Export suites are broken; Postfix 3.6 and later no longer support export-grade DHE. Keep them excluded (they are, with the default cipher grades).');
  } else if (rec.fsReason === 'static-ecdh' || rec.fsReason === 'static-dh') {
    out.push('Postfix 3.8 and later exclude static DH/ECDH suites by default (`!kDH:!kECDH`); with older versions add them to the exclude list.');
  }
  if (rec.role === 'server') {
    out.push(
      'Inbound: the client picked a suite without ephemeral key exchange. Make sure this server offers ECDHE (EECDH) and DHE (EDH) suites: check that `smtpd_tls_exclude_ciphers` / `smtpd_tls_mandatory_exclude_ciphers` do not remove them, that `smtpd_tls_ciphers` is not too narrow, that the DH parameters (`smtpd_tls_dh1024_param_file`, or automatic with OpenSSL 3) and the curves (`tls_eecdh_auto_curves`) are usable.',
      'If the client only prefers such suites, `tls_preempt_cipherlist = yes` makes the server\u2019s order win (very old clients may then fail). Some old clients (e.g. the Windows XP / Exchange 2003 TLS stack) know nothing better.',
    );
  } else if (rec.role === 'client') {
    out.push(
      'Outbound: the remote server only offers (or prefers) suites without ephemeral key exchange. Nothing on this server causes it. Options: a per-destination policy in `smtp_tls_policy_maps` with stricter ciphers (mail to that site may then be deferred), or contacting the receiving site.',
    );
  } else {
    out.push('Check which side chose this suite: inbound, make sure ECDHE/DHE suites are enabled; outbound, the remote server offers nothing better.');
  }
  return out;
}

/** Explanation and advice for a failure, per kind/cause and side. */
export function failureText(kind: FailureKind, cause: FailureCause | undefined, role: 'client' | 'server' | undefined): string[] {
  const inbound = role === 'server';
  const outbound = role === 'client';
  const out: string[] = [];
  switch (kind) {
    case 'handshake':
      out.push('The TLS handshake did not complete. `-1` or `0` only means the library gave up; the `TLS library problem` line logged right after it usually names the reason.');
      if (cause === 'eof') out.push('`lost connection`: the peer hung up during the handshake. Scanners and probes do this a lot; a real mail client doing it repeatedly may not accept the certificate or protocol versions offered.');
      if (cause === 'timeout') out.push('The peer stopped answering during the handshake.');
      if (cause === 'peer-alert') out.push('The peer sent a handshake-failure alert: it found no acceptable parameters (protocol, cipher, certificate type) in what was offered.');
      if (outbound) out.push('Outbound, Postfix falls back to plain text only at level `may` (after a retry); at `encrypt` and stricter levels the mail is deferred.');
      break;
    case 'tls-library':
      if (cause === 'config') out.push('OpenSSL could not read a file: check the paths and permissions of `smtpd_tls_cert_file`, `smtpd_tls_key_file`, `smtpd_tls_chain_files`, `smtpd_tls_CAfile` (and the `smtp_` equivalents).');
      else if (cause === 'eof') out.push('The peer closed the connection without a proper TLS shutdown. Usually harmless (scanners, clients that give up).');
      else if (cause === 'peer-alert') out.push('The peer sent a TLS alert (the alert name is in the message).');
      else out.push('An error reported by OpenSSL. The text after `TLS library problem:` names the OpenSSL function and reason.');
      break;
    case 'cert-verification':
      if (cause === 'dane') out.push('DANE: the TLSA records for this destination could not be used (lookup error or unusable records). Depending on the level, delivery falls back to unauthenticated TLS or is deferred.');
      else if (cause === 'client-cert') out.push('This server requires a trusted client certificate (`smtpd_tls_req_ccert`) and the client did not provide one that validates.');
      else if (cause === 'peer-alert') {
        // The alert came from the peer: it was checking OUR certificate.
        if (outbound) {
          out.push(
            'The remote server sent an alert about the certificate this Postfix client presented (e.g. `bad certificate`, `unknown ca`): it did not accept it. Check `smtp_tls_cert_file` / `smtp_tls_chain_files` (complete chain, not expired), or whether that server wants a client certificate from a CA it trusts.',
          );
        } else {
          out.push(
            `The ${inbound ? 'client' : 'peer'} sent an alert about the certificate this server presented (e.g. \`unknown ca\`, \`bad certificate\`, \`certificate expired\`): it does not trust it. Serve the complete chain (leaf plus intermediates, e.g. with \`smtpd_tls_chain_files\`) and check that the certificate is current.`,
          );
        }
      } else if (cause === 'tlsrpt') out.push('A TLS report (TLSRPT) records that the remote server certificate could not be validated.');
      else if (inbound) out.push('This server checked the certificate the client presented and could not validate it against its own CAs (`smtpd_tls_CAfile` / `smtpd_tls_CApath`). Nothing is wrong with this server\u2019s own certificate.');
      else out.push('This Postfix client checked the remote server\u2019s certificate and could not validate it: self-signed, unknown issuer, expired, or a name that does not match. Nothing is wrong with this server\u2019s own certificate. At verifying levels (`verify`, `secure`, `dane`, `fingerprint`) the mail is deferred.');
      break;
    case 'server-cert-untrusted':
      out.push(
        'Delivery was deferred because the policy for this destination requires an authenticated server and its certificate did not pass. Check `smtp_tls_security_level`, the entry in `smtp_tls_policy_maps`, and the CA file (`smtp_tls_CAfile`).',
      );
      break;
    case 'lost-after-starttls':
      out.push(
        'The client asked for STARTTLS and then went away (or stopped responding) before finishing the handshake. Often a scanner, or a client that does not accept the offered protocol versions, ciphers or certificate; look for an `SSL_accept error` line just before.',
      );
      break;
    case 'tls-not-offered':
      if (cause === 'refused') out.push('TLS is required for this destination, but the remote server refused the STARTTLS command.');
      else out.push('TLS is required for this destination (level `encrypt` or stricter, or a policy entry), but the remote server did not announce STARTTLS. The mail stays deferred.');
      out.push('The remote server may have no TLS, or something between (a firewall or "SMTP fixup") removes STARTTLS. Relax the policy for that destination only if plain text is acceptable.');
      break;
    case 'no-shared-cipher':
      out.push(
        inbound
          ? 'The client and this server have no cipher suite in common. Common causes: no usable certificate/key for the suites the client supports (e.g. only an ECDSA key), cipher lists narrowed too much (`smtpd_tls_ciphers`, exclude lists), or a very old client.'
          : 'The two sides have no cipher suite in common: the cipher settings on one side exclude everything the other side offers.',
      );
      break;
    case 'protocol':
      out.push(
        'The two sides did not agree on a protocol version (for example the peer only speaks TLS 1.0 while `smtpd_tls_protocols` / `smtp_tls_protocols` exclude it), or the data was not TLS at all (`wrong version number`: plain text on a TLS port, e.g. implicit TLS on 465 versus STARTTLS on 587).',
      );
      break;
    default:
      if (cause === 'config') out.push('A local TLS configuration problem: TLS is disabled or cannot start. Check the certificate, key and CA files named in main.cf and that they are readable by Postfix.');
      else if (cause === 'rate-limit') out.push('A client opened new TLS sessions faster than `smtpd_client_new_tls_session_rate_limit` allows; further STARTTLS requests are refused for a while.');
      else if (cause === 'tlsrpt') out.push('A TLS report (TLSRPT) entry for a failed delivery attempt.');
      else out.push('A TLS-related problem reported by Postfix or the remote side.');
      break;
  }
  return out;
}

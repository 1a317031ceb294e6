/**
 * Explains a TLS cipher suite in plain words: key exchange, authentication, encryption,
 * integrity, and above all whether it gives forward secrecy.
 *
 * Accepts an OpenSSL name (`ECDHE-RSA-AES256-GCM-SHA384`, `EXP-EDH-RSA-DES-CBC-SHA`), an
 * IANA/RFC name (`TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`, `SSL_RSA_WITH_RC4_128_MD5`), a TLS 1.3
 * suite (`TLS_AES_256_GCM_SHA384`) or a whole log line / Received: header, which goes through
 * the one log classifier (core/log/classify.ts) — this module never matches log text itself.
 *
 * Pure: no I/O. The names are decoded by core/cipher-suite.ts, which the log classifier uses
 * too, so an explanation and a log verdict never disagree.
 */
import { mdEscape } from './markdown';
import { classifyLine } from './log/classify';
import type { LogRecord } from './log/record';
import { decodeCipherName as decodeName, suiteForwardSecrecy as fsOf, type CipherForwardSecrecy, type Kx, type Suite } from './cipher-suite';

export type { CipherForwardSecrecy } from './cipher-suite';

/** The result of {@link explainCipher}. */
export interface CipherExplanation {
  /** The input, trimmed. */
  input: string;
  /** How the input was read. */
  kind: 'openssl' | 'iana' | 'tls13' | 'log-line' | 'unrecognised';
  /** The cipher name that was explained (from the log line for `log-line`). */
  cipher?: string;
  /** The TLS protocol from a log line (`TLSv1.2`). */
  protocol?: string;
  forwardSecrecy: CipherForwardSecrecy;
  /** Short label, e.g. `ECDHE`, `DHE (2048 bits)`, `X25519`, `RSA (static)`. */
  keyExchange: string;
  /** Short label, e.g. `RSA`, `ECDSA`, `none (anonymous)`. */
  authentication: string;
  /** Short label, e.g. `AES-256-GCM`, `3DES-EDE-CBC`, `none`. */
  encryption: string;
  /** Short label, e.g. `AEAD (built into AES-GCM)`, `HMAC-SHA1`. */
  mac: string;
  /** Plain-language remarks: why FS is (not) given, weaknesses, what Postfix does with it. */
  notes: string[];
  /** The whole explanation as Markdown; every piece of input text in it is escaped. */
  markdown: string;
}

// ---------------------------------------------------------------------------------------------
// Wording

const KX_LABEL: Record<Kx, string> = {
  ECDHE: 'ECDHE',
  DHE: 'DHE',
  ECDH: 'ECDH (static)',
  DH: 'DH (static)',
  RSA: 'RSA',
  PSK: 'PSK',
  'ECDHE-PSK': 'ECDHE-PSK',
  'DHE-PSK': 'DHE-PSK',
  'RSA-PSK': 'RSA-PSK',
  SRP: 'SRP',
  KRB5: 'Kerberos',
  GOST: 'GOST',
  TLS13: 'ephemeral (TLS 1.3)',
  NULL: 'none',
  unknown: 'unknown',
};

const KX_WORDS: Record<Kx, string> = {
  ECDHE: 'ephemeral elliptic-curve Diffie-Hellman: both sides make a fresh key pair for this connection and throw it away afterwards',
  DHE: 'ephemeral finite-field Diffie-Hellman: both sides make fresh secrets for this connection and throw them away afterwards',
  ECDH: 'static elliptic-curve Diffie-Hellman: the server\'s half of the key agreement is the fixed key in its certificate',
  DH: 'static finite-field Diffie-Hellman: the server\'s half of the key agreement is the fixed key in its certificate',
  RSA: 'RSA key transport: the client encrypts the session secret with the server\'s long-term RSA key',
  PSK: 'a pre-shared key only: both sides derive the session keys from a secret they already share',
  'ECDHE-PSK': 'ephemeral elliptic-curve Diffie-Hellman mixed with a pre-shared key',
  'DHE-PSK': 'ephemeral finite-field Diffie-Hellman mixed with a pre-shared key',
  'RSA-PSK': 'RSA key transport mixed with a pre-shared key',
  SRP: 'SRP, a password-based key agreement with fresh random values per connection',
  KRB5: 'a Kerberos ticket carries the session secret',
  GOST: 'a Russian GOST key agreement',
  TLS13: 'TLS 1.3 always agrees on the key with ephemeral (EC)DHE or a hybrid post-quantum group; the suite name leaves the group out',
  NULL: 'no key exchange at all',
  unknown: 'not identifiable from the name',
};


function authLabel(auth: string): string {
  switch (auth) {
    case 'none':
      return 'none (anonymous)';
    case 'DSS':
      return 'DSA (DSS)';
    case 'certificate':
      return 'certificate signature (negotiated separately in TLS 1.3)';
    case 'KRB5':
      return 'Kerberos';
    default:
      return auth;
  }
}

function macLabel(s: Suite): string {
  if (s.enc.aead) {
    const base = s.enc.family === 'CHACHA20' ? 'AEAD (Poly1305)' : `AEAD (${s.enc.mode === 'CCM8' ? 'CCM-8' : s.enc.mode})`;
    return s.hash ? `${base}; ${s.hash} for key derivation` : base;
  }
  if (!s.hash) return s.enc.family === 'NULL' ? 'none' : 'unknown';
  if (s.hash === 'GOST') return 'GOST MAC';
  return `HMAC-${s.hash}`;
}

function suiteNotes(s: Suite, fs: CipherForwardSecrecy): string[] {
  const notes: string[] = [];
  // Forward secrecy first: it is what the user asked about.
  if (s.exportGrade) {
    notes.push(
      s.kx === 'DHE'
        ? 'Export-grade suite: the Diffie-Hellman exchange is ephemeral but limited to at most 512 bits, which can be broken, so it gives no meaningful forward secrecy. Postfix 3.6 and later no longer offer export-grade DH.'
        : 'Export-grade suite: keys were cut short on purpose for 1990s export rules and can be broken today. No forward secrecy.',
    );
  } else if (fs === 'yes') {
    if (s.kx === 'TLS13') notes.push('Forward secrecy: yes. Every TLS 1.3 handshake uses an ephemeral key exchange; the group (e.g. X25519) is logged separately by Postfix 3.4 and later.');
    else notes.push('Forward secrecy: yes. The session keys come from ephemeral secrets that are discarded, so recorded traffic stays private even if the server\'s private key leaks later.');
  } else if (fs === 'no') {
    if (s.kx === 'RSA' || s.kx === 'RSA-PSK') notes.push('Forward secrecy: no. Anyone who records the traffic and later obtains the server\'s RSA private key can decrypt it.');
    else if (s.kx === 'ECDH' || s.kx === 'DH') notes.push('Forward secrecy: no. Despite the similar name this is not ECDHE/DHE: the server\'s Diffie-Hellman key is fixed in its certificate. Postfix 3.8 and later exclude these suites (!kDH:!kECDH).');
    else if (s.kx === 'PSK') notes.push('Forward secrecy: no. Whoever learns the pre-shared key can decrypt recorded sessions.');
    else if (s.kx === 'NULL') notes.push('Forward secrecy: no. There is no key exchange and no encryption.');
    else if (s.kx === 'SRP') notes.push('Forward secrecy: counted as no, following Postfix\'s rule that only ECDHE, DHE, EDH, AECDH and ADH names are forward secret. SRP is a password-based exchange that Postfix never negotiates.');
    else notes.push('Forward secrecy: no.');
  } else {
    notes.push('Forward secrecy: unknown. The key exchange cannot be told from this name.');
  }
  if (s.auth === 'none') {
    notes.push('Anonymous suite: the server shows no certificate, so the peer cannot be authenticated and an active attacker could sit in the middle. Postfix\'s SMTP client prefers these with opportunistic TLS (level may) and then logs "Anonymous".');
  }
  if (s.auth === 'DSS') notes.push('DSA certificates are obsolete; Postfix 3.8 and later exclude DSS suites (!aDSS).');
  switch (s.enc.family) {
    case 'NULL':
      notes.push('No encryption: the messages travel in clear text; only their integrity is protected.');
      break;
    case 'RC4':
      notes.push('RC4 has known biases and is forbidden in TLS (RFC 7465).');
      break;
    case 'DES':
      notes.push('DES keys are far too short and can be searched exhaustively.');
      break;
    case '3DES':
      notes.push('3DES has a 64-bit block size and is open to the Sweet32 attack on long connections; Postfix 3.8 and later exclude it.');
      break;
    case 'RC2':
    case 'IDEA':
    case 'SEED':
      notes.push(`${s.enc.family} is a legacy cipher; Postfix 3.8 and later exclude it.`);
      break;
    default:
      break;
  }
  if (s.hash === 'MD5') notes.push('MD5 is broken as a hash; Postfix 3.8 and later exclude MD5 suites.');
  if (!s.enc.aead && s.enc.mode === 'CBC' && s.enc.family !== 'NULL' && !s.exportGrade) {
    notes.push('CBC mode with a separate HMAC is older and more fragile than AEAD modes (GCM, CCM, ChaCha20-Poly1305), but still sound with current TLS libraries.');
  }
  if (s.kx === 'TLS13') notes.push('TLS 1.3 suites name only the encryption and the hash; the key exchange and the certificate signature are negotiated on their own.');
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Markdown (every piece of input is escaped: it is untrusted text from a document)

/** Input text, escaped (core/markdown.ts) and cut at 10,000 characters: an explanation stays readable whatever it is given. */
const md = (text: string): string => mdEscape(text, 10_000);

function render(e: Omit<CipherExplanation, 'markdown'>): string {
  const fsText = e.forwardSecrecy === 'yes' ? 'yes' : e.forwardSecrecy === 'no' ? 'no' : 'unknown';
  const title = e.cipher ?? e.input;
  const lines = [
    `### ${md(title.length > 200 ? title.slice(0, 200) + '…' : title)}`,
    '',
    `**Forward secrecy: ${fsText}**`,
    '',
    '| | |',
    '|---|---|',
  ];
  if (e.protocol) lines.push(`| Protocol | ${md(e.protocol)} |`);
  lines.push(
    `| Key exchange | ${md(e.keyExchange)} |`,
    `| Authentication | ${md(e.authentication)} |`,
    `| Encryption | ${md(e.encryption)} |`,
    `| Integrity | ${md(e.mac)} |`,
    '',
  );
  for (const n of e.notes) lines.push(`- ${md(n)}`);
  return lines.join('\n') + '\n';
}

function finish(e: Omit<CipherExplanation, 'markdown'>): CipherExplanation {
  return { ...e, markdown: render(e) };
}

function explainSuite(input: string, kind: CipherExplanation['kind'], cipher: string, s: Suite): Omit<CipherExplanation, 'markdown'> {
  const fs = fsOf(s);
  const notes = [`Key exchange: ${KX_WORDS[s.kx]}.`, ...suiteNotes(s, fs)];
  return {
    input,
    kind,
    cipher,
    forwardSecrecy: fs,
    keyExchange: KX_LABEL[s.kx] + (s.exportGrade ? ' (export grade)' : ''),
    authentication: authLabel(s.auth),
    encryption: s.enc.label,
    mac: macLabel(s),
    notes,
  };
}


function unrecognised(input: string, note: string): CipherExplanation {
  return finish({
    input,
    kind: 'unrecognised',
    forwardSecrecy: 'unknown',
    keyExchange: 'unknown',
    authentication: 'unknown',
    encryption: 'unknown',
    mac: 'unknown',
    notes: [note],
  });
}

/** Longest input looked at; longer text is cut (a 10 MB "line" must not cost more). */
const MAX_INPUT = 64 * 1024;

function explainLogLine(input: string): CipherExplanation {
  let rec: LogRecord;
  try {
    rec = classifyLine(input);
  } catch {
    return unrecognised(input, 'This line could not be read as a Postfix log line.');
  }
  if (!rec.cipher) {
    return unrecognised(
      input,
      rec.kind === 'failure'
        ? `This is a TLS failure line (${rec.failure?.kind ?? 'other'}); no cipher was negotiated, so there is nothing to explain.`
        : 'No cipher was found in this text. Paste a cipher name or a "TLS connection established" line or a Received: header with "using TLS...".',
    );
  }
  let decoded: ReturnType<typeof decodeName>;
  try {
    decoded = decodeName(rec.cipher);
  } catch {
    decoded = undefined;
  }
  const tls13 = rec.protocol === 'TLSv1.3';
  const base: Omit<CipherExplanation, 'markdown'> = decoded
    ? explainSuite(input, 'log-line', rec.cipher, decoded.suite)
    : {
        input,
        kind: 'log-line',
        cipher: rec.cipher,
        forwardSecrecy: 'unknown',
        keyExchange: 'unknown',
        authentication: 'unknown',
        encryption: 'unknown',
        mac: 'unknown',
        notes: ['The cipher name is not one this tool can decode.'],
      };
  base.protocol = rec.protocol;
  // The classifier's verdict is the one the decorations and reports show; keep them in step.
  base.forwardSecrecy = rec.forwardSecrecy;
  if (rec.keyExchange) {
    const kx = rec.keyExchange;
    const detail = kx.curve ? ` (${kx.curve})` : kx.bits ? ` (${kx.bits} bits)` : '';
    if (kx.logged || !decoded) base.keyExchange = `${kx.name}${detail}`;
    if (kx.logged) base.notes.unshift(`Postfix logged the key exchange group: ${kx.name}${detail}.`);
  } else if (tls13) {
    base.notes.push('This Postfix version did not log the TLS 1.3 key exchange group; it is ephemeral all the same.');
  }
  if (rec.postQuantum) base.notes.push('A post-quantum (ML-KEM) or hybrid group was used: the exchange also resists a future quantum computer, and it is ephemeral, so forward secrecy holds.');
  if (rec.serverSignature) {
    const sig = rec.serverSignature;
    base.authentication = `${sig.name}${sig.detail ? ` (${sig.detail})` : ''}${sig.digest ? `, digest ${sig.digest}` : ''}`;
  }
  if (rec.status) {
    base.notes.push(
      `Peer verification: ${rec.status}. This is separate from forward secrecy: it says whether the ${rec.role === 'server' ? 'client' : 'server'} certificate was checked, not whether the traffic can be decrypted later.`,
    );
  }
  if (rec.forwardSecrecy !== (decoded ? fsOf(decoded.suite) : 'unknown') && rec.fsReason) {
    base.notes.push(`Verdict from the log line: ${rec.fsReason}.`);
  }
  return finish(base);
}

/**
 * Explains a cipher name or a log line. Never throws.
 * Input with white space in it is taken as a log line and read by the one log classifier.
 */
export function explainCipher(input: string): CipherExplanation {
  try {
    return explainUnguarded(input);
  } catch {
    return unrecognised(String(input ?? '').slice(0, 200), 'This text could not be explained.');
  }
}

function explainUnguarded(input: string): CipherExplanation {
  let text = String(input ?? '').replace(/\0/g, '');
  if (text.length > MAX_INPUT) text = text.slice(0, MAX_INPUT);
  text = text.trim();
  if (text === '') return unrecognised('', 'Nothing to explain: give a cipher name or a TLS log line.');
  if (/\s/.test(text)) return explainLogLine(text);
  let decoded: ReturnType<typeof decodeName>;
  try {
    decoded = decodeName(text);
  } catch {
    decoded = undefined; // defensive: a name this decoder trips over is simply not recognised
  }
  if (!decoded) {
    return unrecognised(
      text,
      'This is not a cipher suite name this tool recognises. Try an OpenSSL name (ECDHE-RSA-AES256-GCM-SHA384), an IANA name (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) or a whole log line.',
    );
  }
  return finish(explainSuite(text, decoded.kind, text, decoded.suite));
}

/**
 * Hover text for a classified log record (a TLS summary line, a Received: header, a failure, a
 * delivery line with a `tls=` field): what it means on that side, why it has forward secrecy or
 * not, the key exchange, the post-quantum situation, and what to do.
 * Markdown in our own words. Every value taken from the log is wrapped with mdCode (a code span:
 * no links, no HTML, no command links can be formed); nothing here is trusted Markdown.
 */
import type { LogRecord } from '../log/record';
import { formatPeer } from '../log/classify';
import {
  failureLabel,
  failureText,
  fsReasonText,
  keyExchangeLabel,
  keyExchangeText,
  noFsAdvice,
  statusMeaning,
} from '../log/explain';
import { mdCode } from '../markdown';

function sideText(rec: LogRecord): string | undefined {
  const peer = formatPeer(rec.peer);
  const p = peer !== undefined ? ` ${mdCode(peer)}` : '';
  if (rec.kind === 'received-header') {
    return `Inbound: a Received: header written by the Postfix SMTP server that accepted the message${peer !== undefined ? ` from${p}` : ''}.`;
  }
  if (rec.role === 'client') return `Outbound: this Postfix acted as the TLS client${peer !== undefined ? `, connected to${p}` : ''}.`;
  if (rec.role === 'server') return `Inbound: this Postfix acted as the TLS server${peer !== undefined ? `, connection from${p}` : ''}.`;
  return peer !== undefined ? `Peer:${p}.` : undefined;
}

function detailLines(rec: LogRecord): string[] {
  const out: string[] = [];
  if (rec.protocol !== undefined) out.push(`- Protocol: ${mdCode(rec.protocol)}`);
  if (rec.cipher !== undefined) {
    const bits = rec.bits ? ` (${rec.bits.used === rec.bits.alg ? rec.bits.used : `${rec.bits.used} of ${rec.bits.alg}`}-bit key)` : '';
    out.push(`- Cipher: ${mdCode(rec.cipher)}${bits}`);
  }
  const kex = keyExchangeLabel(rec.keyExchange);
  if (kex !== undefined) out.push(`- Key exchange: ${mdCode(kex)}${rec.keyExchange?.logged ? '' : ' (from the cipher name)'}`);
  for (const [label, sig] of [
    ['Server signature', rec.serverSignature],
    ['Client signature', rec.clientSignature],
  ] as const) {
    if (!sig) continue;
    const name = sig.name.length > 0 ? mdCode(sig.detail !== undefined ? `${sig.name} (${sig.detail})` : sig.name) : '';
    const digest = sig.digest !== undefined ? `${name.length > 0 ? ', ' : ''}digest ${mdCode(sig.digest)}` : '';
    out.push(`- ${label}: ${name}${digest}`);
  }
  if (rec.sni !== undefined) out.push(`- SNI: the client asked for ${mdCode(rec.sni)} and this server used the certificate chain chosen for it`);
  if (rec.event === 'reused') out.push('- `reused`: an already open TLS connection was taken from the connection cache (no new handshake)');
  const cc = rec.clientCertificate;
  if (cc) {
    if (cc.state === 'not-requested') out.push('- Client certificate: not requested by the server');
    else if (cc.state === 'not-presented') out.push('- Client certificate: requested, but the client sent none');
    else if (cc.state === 'rpk') out.push('- Client certificate: a raw public key');
    else {
      const who = cc.cn !== undefined ? ` for ${mdCode(cc.cn)}` : '';
      const issuer = cc.issuer !== undefined ? `, issued by ${mdCode(cc.issuer)}` : '';
      out.push(`- Client certificate${who}${issuer}: ${cc.state === 'verified' ? 'validated against the server\u2019s CAs' : 'not validated'}`);
    }
  }
  return out;
}

function connectionHover(rec: LogRecord): string {
  const parts: string[] = [];
  const fs = rec.forwardSecrecy;
  const title = fs === 'yes' ? 'Forward secrecy: yes' : fs === 'no' ? 'Forward secrecy: no' : 'Forward secrecy: unknown';
  parts.push(`**${title}**${rec.postQuantum ? ' \u00b7 post-quantum key exchange' : ''}`);
  parts.push(fsReasonText(rec));
  if (rec.keyExchange) parts.push(keyExchangeText(rec.keyExchange).join(' '));

  // Post-quantum note: only where the group is known or TLS 1.3 makes it a question.
  const tls13 = rec.protocol !== undefined && rec.protocol.toUpperCase() === 'TLSV1.3';
  if (rec.postQuantum) {
    parts.push(
      'Post-quantum: the exchange includes ML-KEM, so traffic recorded today should stay private even against a future quantum computer ("harvest now, decrypt later").',
    );
  } else if (tls13 && rec.keyExchange?.logged) {
    parts.push(
      'Not post-quantum: a large quantum computer could one day break this group and decrypt recordings. Postfix 3.11 and later, built with OpenSSL 3.5 or later, can negotiate the hybrid `X25519MLKEM768` when the peer supports it.',
    );
  }

  const side = sideText(rec);
  if (side !== undefined) parts.push(side);
  if (rec.status !== undefined) {
    const role = rec.kind === 'received-header' ? 'server' : rec.role;
    const derived = rec.kind === 'received-header' ? ' (derived from the client-certificate comment)' : '';
    parts.push(`**${rec.status}**${derived}: ${statusMeaning(rec.status, role)}`);
  }
  const details = detailLines(rec);
  if (details.length > 0) parts.push(details.join('\n'));
  if (fs === 'no') parts.push(['**What to do**', ...noFsAdvice(rec).map((t) => `- ${t}`)].join('\n'));
  // A cipher that was logged but is not known needs no advice about log levels.
  if (fs === 'unknown' && rec.fsReason !== 'unknown-cipher') {
    parts.push('To see the cipher and key exchange, log complete TLS summaries with `smtp_tls_loglevel = 1` and `smtpd_tls_loglevel = 1`.');
  }
  return parts.join('\n\n');
}

function failureHover(rec: LogRecord): string {
  const f = rec.failure;
  const parts: string[] = [];
  parts.push(`**${failureLabel(f?.kind ?? 'other', f?.cause)}**`);
  const side = sideText(rec);
  if (side !== undefined) parts.push(side);
  parts.push(failureText(f?.kind ?? 'other', f?.cause, rec.role).join('\n\n'));
  if (f?.text) parts.push(`Logged: ${mdCode(f.text, 300)}`);
  return parts.join('\n\n');
}

function featureHover(rec: LogRecord): string {
  const t = rec.tlsFeature;
  if (!t) return '';
  const parts: string[] = [];
  parts.push(`**TLS policy of this delivery:** ${mdCode(t.raw)}`);
  parts.push(`The security level in force was ${mdCode(t.level)}.`);
  if (t.final !== undefined) {
    parts.push(
      t.final === 'none'
        ? `It was downgraded to ${mdCode(t.final)}: the message went **without TLS**.`
        : `It was downgraded to ${mdCode(t.final)} for this delivery.`,
    );
  }
  if (t.violated) parts.push('A `!` marks a requirement that was not met; that connection was not used for delivery.');
  if (t.undecided) parts.push('A `?` marks something not yet decided when the line was written.');
  parts.push('This field does not name the cipher; the `TLS connection established` line of the same delivery does, and tells about forward secrecy.');
  return parts.join('\n\n');
}

/**
 * Markdown hover for a record; empty string for records with nothing to explain. Never throws.
 */
export function hoverLog(record: LogRecord): string {
  try {
    if (record.kind === 'tls-summary' || record.kind === 'received-header') return connectionHover(record);
    if (record.kind === 'failure') return failureHover(record);
    if (record.tlsFeature) return featureHover(record);
    return '';
  } catch {
    return '';
  }
}

/**
 * Every TLS line of the reference corpus (shared/reference/corpus/logs), classified.
 * The expected numbers and values below were written down by hand from the files (counted with
 * grep and read line by line), not generated from the classifier.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpusFiles } from '../../helpers/reference';
import { classifyText, formatKeyExchange, formatPeer, type LineRecord } from '../../../core/log/classify';
import type { LogRecord } from '../../../core/log/record';

/** The fields a spot check can name (flattened; kex and peer as logged strings). */
interface Flat {
  kind: string;
  role: string;
  status: string;
  event: string;
  protocol: string;
  cipher: string;
  kex: string;
  kexLogged: boolean;
  fs: string;
  fsReason: string;
  pq: boolean;
  peer: string;
  sni: string;
  daemon: string;
  pid: number;
  timestamp: string;
  host: string;
  queueId: string;
  severity: string;
  failure: string;
  cause: string;
  lineSpan: number;
  clientCert: string;
  bits: string;
  serverSig: string;
  clientSig: string;
  tls: string;
}

function flat(r: LogRecord): Partial<Flat> {
  const sig = (s: LogRecord['serverSignature']): string | undefined =>
    s ? `${s.name}${s.detail !== undefined ? ` (${s.detail})` : ''}${s.digest !== undefined ? ` ${s.digest}` : ''}` : undefined;
  const f: Partial<Flat> = {
    kind: r.kind,
    role: r.role,
    status: r.status,
    event: r.event,
    protocol: r.protocol,
    cipher: r.cipher,
    kex: formatKeyExchange(r.keyExchange),
    kexLogged: r.keyExchange?.logged,
    fs: r.forwardSecrecy,
    fsReason: r.fsReason,
    pq: r.postQuantum,
    peer: formatPeer(r.peer),
    sni: r.sni,
    daemon: r.daemon,
    pid: r.pid,
    timestamp: r.timestamp,
    host: r.host,
    queueId: r.queueId,
    severity: r.severity,
    failure: r.failure?.kind,
    cause: r.failure?.cause,
    lineSpan: r.lineSpan,
    clientCert: r.clientCertificate?.state,
    bits: r.bits ? `${r.bits.used}/${r.bits.alg}` : undefined,
    serverSig: sig(r.serverSignature),
    clientSig: sig(r.clientSignature),
    tls: r.tlsFeature?.raw,
  };
  return f;
}

interface Expect {
  /** Records by kind (`other` = delivery lines with a tls= field). */
  kinds: Partial<Record<LogRecord['kind'], number>>;
  /** Forward secrecy over connection records (summary + Received:). */
  fs?: Partial<Record<'yes' | 'no' | 'unknown', number>>;
  /** Roles over connection records. */
  roles?: Partial<Record<'client' | 'server' | 'none', number>>;
  /** Status words over connection records. */
  statuses?: Partial<Record<string, number>>;
  /** Protocols over connection records. */
  protocols?: Record<string, number>;
  /** Failure kinds. */
  failures?: Partial<Record<string, number>>;
  /** Connection records with a post-quantum key exchange. */
  pq?: number;
  /** 1-based line -> expected fields of the record starting there. */
  spots?: Record<number, Partial<Flat>>;
}

const LM = 'lightmeterio__ControlCenter__test_files__postfix_logs__';
const LIST = 'linux-mailinglist-archives__';

const EXPECT: Record<string, Expect> = {
  'Mailu__Mailu__issue-1973.log': {
    kinds: { failure: 1 },
    failures: { other: 1 },
    spots: { 1: { kind: 'failure', failure: 'other', cause: 'config' } },
  },
  'YunoHost__yunohost__pr-949.log': {
    kinds: { failure: 1 },
    spots: { 1: { failure: 'handshake', cause: 'peer-alert', severity: 'warning' } },
  },
  'Zuplu__postfix-tlspol__issue-142.log': {
    kinds: { 'tls-summary': 1, failure: 3 },
    fs: { yes: 1 },
    failures: { 'server-cert-untrusted': 1, 'cert-verification': 2 },
    spots: {
      1: {
        kind: 'tls-summary', role: 'client', status: 'Untrusted', event: 'established', protocol: 'TLSv1.3',
        cipher: 'TLS_AES_256_GCM_SHA384', kex: 'secp384r1', kexLogged: true, fs: 'yes', fsReason: 'tls13', pq: false,
        peer: 'outlook-com.olc.protection.outlook.com[52.101.73.5]:25', daemon: 'postfix/smtp', pid: 5297,
        timestamp: 'Apr 20 09:17:44', host: 'mail', serverSig: 'RSA-PSS (2048 bits) SHA256', bits: '256/256',
      },
      2: { failure: 'server-cert-untrusted', role: 'client', queueId: 'CB3EC208B2' },
      3: { failure: 'cert-verification', role: 'client', peer: 'outlook-com.olc.protection.outlook.com[52.101.73.0]:25' },
      4: { failure: 'cert-verification', cause: 'tlsrpt', peer: 'outlook-com.olc.protection.outlook.com[52.101.73.0]' },
    },
  },
  'alterrebe__docker-mail-relay__pr-2.log': {
    kinds: { failure: 1 },
    spots: { 1: { failure: 'tls-not-offered', role: 'client', peer: 'mail.myhost.net[x.x.x.x]' } },
  },
  'arcage__crystal-email__issue-6.log': {
    kinds: { failure: 1 },
    spots: { 1: { failure: 'cert-verification', cause: 'peer-alert' } },
  },
  'bokysan__docker-postfix__issue-167.log': {
    kinds: { failure: 3 },
    failures: { handshake: 1, 'cert-verification': 1, 'lost-after-starttls': 1 },
    spots: {
      2: {
        failure: 'handshake', role: 'server', peer: 'unknown[10.0.1.22]', daemon: 'postfix/smtpd', pid: 481,
        timestamp: '2023-12-30T21:20:26.625152+00:00', severity: 'info', host: undefined,
      },
      3: { failure: 'cert-verification', cause: 'peer-alert', severity: 'warning', role: 'server' },
      4: { failure: 'lost-after-starttls', peer: 'unknown[10.0.1.22]' },
    },
  },
  'bokysan__docker-postfix__issue-221.log': {
    kinds: { failure: 2 },
    failures: { handshake: 1, protocol: 1 },
    spots: {
      6: { failure: 'handshake', role: 'client', peer: 'smtp.gmail.com[142.250.110.108]:587', timestamp: '2024-12-30T12:16:32.052659+01:00' },
      7: { failure: 'protocol', role: 'client' },
    },
  },
  'bokysan__docker-postfix__issue-51.log': {
    // docker compose `postfix         | ` prefix in front of an RFC 3339 timestamp and a severity column.
    kinds: { 'tls-summary': 2, failure: 3 },
    fs: { yes: 2 },
    failures: { 'cert-verification': 2, 'server-cert-untrusted': 1 },
    spots: {
      1: { failure: 'cert-verification', role: 'client', peer: 'gmail-smtp-in.l.google.com[108.177.126.26]:25' },
      2: {
        kind: 'tls-summary', role: 'client', status: 'Untrusted', protocol: 'TLSv1.3', kex: 'X25519', fs: 'yes',
        peer: 'gmail-smtp-in.l.google.com[108.177.126.26]:25', daemon: 'postfix/smtp', pid: 138,
        timestamp: '2021-01-24T14:43:33.171270+00:00', severity: 'info', serverSig: 'ECDSA (P-256) SHA256',
      },
      3: { failure: 'server-cert-untrusted', queueId: '3C1D8C1D28' },
      5: { peer: 'alt1.gmail-smtp-in.l.google.com[142.250.4.27]:25', status: 'Untrusted' },
    },
  },
  'catatnight__docker-postfix__issue-12.log': {
    kinds: { failure: 1 },
    spots: { 1: { failure: 'other' } },
  },
  'chatmail__relay__issue-523.log': {
    kinds: { failure: 1 },
    spots: { 1: { failure: 'cert-verification', role: 'client', peer: 'example.org[A.B.C.D]:25' } },
  },
  'ddavness__power-mailinabox__issue-34.log': {
    kinds: { failure: 1 },
    spots: {
      1: {
        failure: 'tls-not-offered', role: 'client', peer: 'hotmail-com.olc.protection.outlook.com[104.47.2.33]',
        queueId: '7356ABD12E', daemon: 'postfix/smtp', host: 'box',
      },
    },
  },
  'digineo__postfix_exporter__testdata__mail.log.log': {
    kinds: { 'tls-summary': 3 },
    fs: { yes: 3 },
    roles: { client: 3 },
    statuses: { Verified: 3 },
    protocols: { 'TLSv1.2': 1, 'TLSv1.3': 2 },
    spots: {
      39: { protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384', kex: 'ECDHE', kexLogged: false, fsReason: 'cipher-prefix:ECDHE', peer: 'mx2.comcast.net[2001:558:fe21:2a::6]:25' },
      51: { protocol: 'TLSv1.3', kex: 'X25519', serverSig: 'ECDSA (P-256)', pid: 3646046 },
    },
  },
  'docker-mailserver__docker-mailserver__docs__content__config__advanced__mail-forwarding__aws-ses.md.log': {
    // A documentation sample wrapped onto an indented second line: one record over two lines.
    kinds: { 'tls-summary': 1 },
    fs: { yes: 1 },
    spots: { 7: { lineSpan: 2, status: 'Trusted', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384', peer: 'email-smtp.us-west-1.amazonaws.com[107.20.142.169]:25', daemon: 'postfix/smtp', pid: 692 } },
  },
  'docker-mailserver__docker-mailserver__docs__content__config__advanced__mail-forwarding__gmail-smtp.md.log': {
    kinds: { 'tls-summary': 1 },
    fs: { yes: 1 },
    spots: { 7: { lineSpan: 2, protocol: 'TLSv1.3', fsReason: 'tls13', kex: undefined, peer: 'smtp.gmail.com[64.233.188.109]:587' } },
  },
  'docker-mailserver__docker-mailserver__issue-1369.log': {
    kinds: { failure: 2 },
    failures: { handshake: 1, 'no-shared-cipher': 1 },
    spots: { 3: { failure: 'handshake', peer: 'www6.checktls.com[159.89.187.50]' }, 4: { failure: 'no-shared-cipher', role: 'server' } },
  },
  'docker-mailserver__docker-mailserver__issue-1411.log': {
    kinds: { failure: 4 },
    failures: { 'lost-after-starttls': 2, handshake: 1, protocol: 1 },
    spots: { 1: { failure: 'lost-after-starttls', peer: 'internet.nl[62.204.66.10]', timestamp: 'Mar  3 11:45:48' }, 7: { failure: 'protocol' } },
  },
  'docker-mailserver__docker-mailserver__issue-2766.log': {
    kinds: { failure: 1 },
    spots: { 4: { failure: 'handshake', cause: 'eof', daemon: 'postfix/smtps/smtpd', host: 'mail-server' } },
  },
  'docker-mailserver__docker-mailserver__issue-3441.log': {
    kinds: { failure: 1 },
    spots: { 1: { failure: 'protocol', daemon: 'postfix/smtps/smtpd' } },
  },
  'docker-mailserver__docker-mailserver__issue-354.log': {
    // No timestamp or host: the line starts with the program tag.
    kinds: { failure: 1 },
    spots: { 1: { failure: 'tls-library', cause: 'peer-alert', daemon: 'postfix/submission/smtpd', pid: 1359, timestamp: undefined } },
  },
  'docker-mailserver__docker-mailserver__issue-620.log': {
    kinds: { failure: 3 },
    failures: { handshake: 1, 'no-shared-cipher': 1, 'lost-after-starttls': 1 },
  },
  'eduardsui__tlse__issue-63.log': {
    // The poster elided the peer: "established ...: TLSv1.3 ...".
    kinds: { 'tls-summary': 1, failure: 1 },
    fs: { yes: 1 },
    spots: {
      1: { kind: 'tls-summary', status: 'Anonymous', peer: '...', protocol: 'TLSv1.3', kex: 'ECDHE (P-256)', kexLogged: true, fs: 'yes', serverSig: 'RSA-PSS (2048 bits) SHA256' },
      2: { failure: 'tls-library', cause: 'peer-alert' },
    },
  },
  'fail2ban__fail2ban__fail2ban__tests__files__logs__postfix.log': {
    kinds: { failure: 1 },
    spots: { 176: { failure: 'lost-after-starttls', peer: 'spammer.example.com[192.0.2.42]', host: 'xxx' } },
  },
  'fonylew__config-mailgateway__maillog.log': {
    kinds: { failure: 12 },
    failures: { other: 3, 'tls-library': 9 },
    spots: {
      6: undefined as unknown as Partial<Flat>, // tlsmgr config warning: not a TLS record (checked below)
      7: { failure: 'other', cause: 'config', role: 'server' },
      8: { failure: 'tls-library', cause: 'config' },
    },
  },
  'gitlabhq__gitlabhq__issue-10479.log': {
    kinds: { 'tls-summary': 1 },
    fs: { yes: 1 },
    spots: { 2: { role: 'server', status: 'Anonymous', daemon: 'postfix/smtps/smtpd', peer: 'unknown[192.168.12.10]', host: 'username' } },
  },
  'hardware__mailserver__test__share__tests__clamav__test1.eml.log': {
    kinds: { 'received-header': 1 },
    fs: { yes: 1 },
    spots: {
      4: {
        kind: 'received-header', lineSpan: 5, role: 'server', status: 'Anonymous', clientCert: 'not-requested',
        protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384', peer: 'mail.domain.tld[IPv6:::1]', host: 'mail.domain.tld', queueId: '59C511680F',
      },
    },
  },
  'iredmail__iRedMail__issue-156.log': {
    kinds: { 'tls-summary': 1 },
    fs: { yes: 1 },
    spots: { 2: { host: 'Pixel-games', daemon: 'postfix/smtps/smtpd', kex: 'X25519' } },
  },
  'iredmail__iRedMail__issue-209.log': {
    kinds: { failure: 2 },
    spots: { 2: { failure: 'handshake', peer: 'mail.xgpuc.com[127.0.0.1]' }, 3: { failure: 'tls-library', cause: 'eof' } },
  },
  'iredmail__iRedMail__issue-265.log': {
    kinds: { 'tls-summary': 1 },
    fs: { yes: 1 },
    spots: { 3: { daemon: 'postfix/submission/smtpd', pid: 1395622, serverSig: 'RSA-PSS (4096 bits) SHA256' } },
  },
  'jsoref__logwatch-mirror__scripts__services__postfix.log': {
    // Message-only samples, including the 2.2-2.4 formats without a status word.
    kinds: { 'tls-summary': 5, failure: 5 },
    fs: { yes: 4, no: 1 },
    roles: { client: 2, server: 3 },
    statuses: { none: 2, Untrusted: 1, Anonymous: 1, Verified: 1 },
    failures: { handshake: 2, other: 3 },
    spots: {
      215: { kind: 'tls-summary', status: undefined, role: 'server', protocol: 'TLSv1', cipher: 'DHE-RSA-AES256-SHA', kex: 'DHE', fs: 'yes', fsReason: 'cipher-prefix:DHE', peer: 'example.com[192.168.0.1]', daemon: undefined },
      218: { kind: 'tls-summary', status: undefined, role: 'client', peer: 'example.com', cipher: 'AES256-SHA', kex: 'RSA', kexLogged: false, fs: 'no', fsReason: 'static-rsa' },
      219: { status: 'Verified', cipher: 'DHE-DSS-AES256-SHA', peer: '127.0.0.1[127.0.0.1]:26' },
      228: { failure: 'handshake', role: 'client' },
      229: { failure: 'other', cause: 'config' },
      230: { failure: 'handshake', peer: 'mail.example.com' },
      332: { failure: 'other', cause: 'rate-limit', role: 'server', peer: 'example.com[10.0.0.1]' },
      334: { failure: 'other', cause: 'config' },
    },
  },
  'kumina__postfix_exporter__postfix_exporter_test.go.log': {
    kinds: { 'tls-summary': 2 },
    fs: { yes: 2 },
    statuses: { Verified: 2 },
  },
  'kumina__postfix_exporter__pr-58.log': {
    kinds: { 'tls-summary': 1 },
    spots: { 1: { role: 'server', peer: 'host.example.com[1.2.3.4]', daemon: undefined, kex: 'X25519' } },
  },
  [`${LM}complete.tar.gz__logs_sample__mail.log.1.log`]: {
    kinds: { 'tls-summary': 154, failure: 2 },
    fs: { yes: 154 },
    roles: { server: 125, client: 29 },
    statuses: { Anonymous: 125, Trusted: 5, Untrusted: 24 },
    protocols: { 'TLSv1.2': 101, 'TLSv1.3': 53 },
    failures: { 'lost-after-starttls': 2 },
    spots: {
      9: { role: 'server', kex: 'X25519', peer: 'h-8b2e253a1c318debb1f26a9[147.224.63.58]', pid: 25160 },
      1184: { role: 'client', status: 'Trusted', protocol: 'TLSv1.3', peer: 'gmail-smtp-in.h-1e99c9eeac07[170.26.26.68]:25' },
      2920: { failure: 'lost-after-starttls', daemon: 'postfix/submission/smtpd' },
      // postscreen's STARTTLS goes through tlsproxy: server role, peer without a name.
      3101: { daemon: 'postfix/tlsproxy', role: 'server', peer: '[180.43.30.135]:47992', cipher: 'ECDHE-RSA-AES256-SHA' },
      // dovecot also logs "no shared cipher": not a Postfix line.
      4391: undefined as unknown as Partial<Flat>,
    },
  },
  [`${LM}complete.tar.gz__logs_sample__mail.log.log`]: {
    kinds: { 'tls-summary': 66 },
    fs: { yes: 66 },
    roles: { server: 55, client: 11 },
    statuses: { Anonymous: 55, Trusted: 1, Untrusted: 10 },
    protocols: { 'TLSv1.2': 31, 'TLSv1.3': 35 },
    spots: { 2084: { status: 'Trusted', role: 'client', peer: 'h-f555f47838b65402fc06[26.172.185.1]:25' } },
  },
  [`${LM}complete.tar.gz__logs_sample__mail.warn.1.log`]: {
    kinds: { failure: 24 },
    failures: { protocol: 22, 'no-shared-cipher': 2 },
    spots: {
      3: { failure: 'protocol', role: 'server', daemon: 'postfix/submission/smtpd', severity: 'warning' },
      5: { failure: 'protocol', daemon: 'postfix/tlsproxy', role: undefined },
      15: { failure: 'no-shared-cipher' },
    },
  },
  [`${LM}complete.tar.gz__logs_sample__mail.warn.log`]: {
    kinds: { failure: 6 },
    failures: { protocol: 6 },
  },
  [`${LM}individual_files__11_single_successful_delivery.log.log`]: {
    kinds: { 'tls-summary': 2 },
    fs: { yes: 2 },
    roles: { server: 1, client: 1 },
    spots: { 15: { status: 'Trusted', peer: 'aspmx.l.google.com[74.125.143.26]:25', timestamp: 'Dec  9 10:18:24' } },
  },
  [`${LM}individual_files__14_reuse_of_queueid.log.log`]: {
    // Multi-instance program tag `postfix-170.55.103.23/smtp`.
    kinds: { 'tls-summary': 32 },
    fs: { yes: 32 },
    roles: { client: 32 },
    statuses: { Trusted: 32 },
    spots: { 16: { daemon: 'postfix-170.55.103.23/smtp', role: 'client', cipher: 'ECDHE-RSA-CHACHA20-POLY1305', kex: 'ECDHE' } },
  },
  [`${LM}individual_files__21_deliveries_with_local_daemon.log.log`]: {
    kinds: { 'tls-summary': 6 },
    fs: { yes: 6 },
    roles: { server: 3, client: 3 },
    // Client-side Anonymous: an anonymous (ADH) suite, still forward secret.
    spots: { 25: { role: 'client', status: 'Anonymous', cipher: 'ADH-AES256-GCM-SHA384', kex: 'DHE', fs: 'yes', fsReason: 'cipher-prefix:ADH' } },
  },
  [`${LM}individual_files__25_authclean_cleanup.log.log`]: {
    // cleanup logs the Received: header it rewrote (with `??` for the folding): one line.
    kinds: { 'tls-summary': 1, 'received-header': 1 },
    fs: { yes: 2 },
    spots: {
      2: { timestamp: '2022-01-08T19:42:12.941563+00:00', host: 'mail', daemon: 'postfix/submission/smtpd' },
      4: { kind: 'received-header', lineSpan: 1, daemon: 'postfix/authclean/cleanup', peer: 'client.example.com[1.2.3.4]', clientCert: 'not-requested' },
    },
  },
  [`${LM}individual_files__29_inbound_relayed_message_server_1.log.log`]: {
    kinds: { 'tls-summary': 2 },
    fs: { yes: 2 },
    spots: { 8: { role: 'client', peer: 'mail2.example.com[33.33.33.33]:587', kex: 'X25519' } },
  },
  [`${LM}individual_files__29_inbound_relayed_message_server_2.log.log`]: {
    kinds: { 'tls-summary': 2 },
    fs: { yes: 2 },
  },
  [`${LM}individual_files__2_multiple_recipients_some_bounces.log.log`]: {
    kinds: { 'tls-summary': 4 },
    fs: { yes: 4 },
    protocols: { 'TLSv1.2': 1, 'TLSv1.3': 3 },
    spots: { 26: { cipher: 'ECDHE-RSA-AES256-SHA', peer: 'mx.zoho.com[136.143.191.44]:25' } },
  },
  [`${LM}individual_files__31_inbound_reply.log.log`]: {
    kinds: { 'tls-summary': 3 },
    fs: { yes: 3 },
    spots: { 13: { cipher: 'TLS_AES_128_GCM_SHA256', bits: '128/128' } },
  },
  [`${LM}individual_files__4_lost_queue.log.log`]: {
    kinds: { 'tls-summary': 8 },
    fs: { yes: 8 },
    roles: { server: 4, client: 4 },
    spots: { 64: { status: 'Anonymous', role: 'client', cipher: 'ADH-AES256-GCM-SHA384' } },
  },
  [`${LM}individual_files__5_zimbra_amavisd.log.log`]: { kinds: { 'tls-summary': 1 }, fs: { yes: 1 } },
  [`${LM}individual_files__6_deferred_message_retry.log.log`]: {
    kinds: { 'tls-summary': 4 },
    fs: { yes: 4 },
    spots: { 25: { cipher: 'DHE-RSA-AES256-GCM-SHA384', kex: 'DHE', kexLogged: false, fsReason: 'cipher-prefix:DHE' } },
  },
  [`${LM}individual_files__7_only_connections_and_disconnections.log.log`]: { kinds: { 'tls-summary': 2 }, fs: { yes: 2 } },
  [`${LM}individual_files__9_mixed_messages.log.log`]: {
    kinds: { 'tls-summary': 6 },
    fs: { yes: 6 },
    roles: { server: 2, client: 4 },
  },
  [`${LIST}ecryptfs.vger.kernel.org.0__m__Received-TLS-fields.log`]: {
    kinds: { 'received-header': 48 },
    fs: { yes: 47, no: 1 },
    roles: { server: 48 },
    statuses: { Anonymous: 45, none: 3 },
    spots: {
      1: { lineSpan: 5, cipher: 'DHE-RSA-AES256-SHA', fsReason: 'cipher-prefix:DHE', peer: 'smtp25.cstnet.cn[159.226.251.25]', host: 'smtp.subspace.kernel.org', queueId: 'EA52C35F5F7' },
      41: { lineSpan: 6, protocol: 'TLSv1.3', kex: 'X25519', serverSig: 'RSA-PSS (4096 bits) SHA256', peer: 'imap1.dmz-prg2.suse.org[IPv6:2a07:de40:b281:104:10:150:64:97]' },
      // Lower-case OpenSSL group name, client did not present a certificate.
      71: { lineSpan: 7, kex: 'x25519', kexLogged: true, clientCert: 'not-presented', status: 'Anonymous' },
      // `(using TLS with cipher ...)` (Symantec gateway) and `(using TLS: TLSv1.2, AES256-SHA)`.
      165: { protocol: 'TLS', cipher: 'ECDHE-RSA-AES256-SHA', fs: 'yes' },
      220: { lineSpan: 2, protocol: 'TLSv1.2', cipher: 'AES256-SHA', fs: 'no', fsReason: 'static-rsa', kex: 'RSA', status: undefined },
      // Kerio: `(256 bits)` without the algorithm bits.
      222: { lineSpan: 4, protocol: 'TLSv1', bits: '256/256' },
      249: { cipher: 'ADH-AES256-GCM-SHA384', fsReason: 'cipher-prefix:ADH' },
    },
  },
  [`${LIST}linux-aspeed.lists.ozlabs.org.0__m@1b6fc3fdb5a7.headers.log`]: {
    kinds: { 'received-header': 1 },
    fs: { yes: 1 },
    spots: { 30: { lineSpan: 6, kex: 'x25519', peer: 'smtpout1.mo534.mail-out.ovh.net[51.210.94.140]', queueId: '4gKNQz6N9Sz2yCM' } },
  },
  [`${LIST}linux-aspeed.lists.ozlabs.org.0__m@44b32ea03cb8.headers.log`]: {
    kinds: { 'received-header': 1 },
    fs: { yes: 1 },
  },
  [`${LIST}linux-aspeed.lists.ozlabs.org.0__m__Received-TLS-fields.log`]: {
    kinds: { 'received-header': 37 },
    fs: { yes: 37 },
    protocols: { 'TLSv1.3': 34, 'TLSv1.2': 3 },
    statuses: { Anonymous: 37 },
    spots: {
      13: { kex: 'secp256r1', peer: 'mail-japanwestazlp170120003.outbound.protection.outlook.com[IPv6:2a01:111:f403:c406::3]' },
      94: { lineSpan: 7, kex: 'ECDHE (prime256v1)' },
      182: { clientCert: 'not-presented' },
      194: { kex: 'ECDHE (secp384r1)' },
    },
  },
  [`${LIST}usrp-users.lists.ettus.com.0__m__Received-TLS-fields.log`]: {
    kinds: { 'received-header': 30 },
    fs: { yes: 27, no: 3 },
    statuses: { Anonymous: 22, Trusted: 3, Untrusted: 2, none: 3 },
  },
  [`${LIST}various-lists__m__Received-X25519MLKEM768-and-client-cert.log`]: {
    kinds: { 'received-header': 7 },
    fs: { yes: 7 },
    pq: 3,
    statuses: { Anonymous: 6, Trusted: 1 },
    spots: {
      1: {
        lineSpan: 8, protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', kex: 'X25519MLKEM768', pq: true, fs: 'yes',
        serverSig: 'ECDSA (prime256v1) SHA256', clientSig: 'ECDSA (prime256v1) SHA256', clientCert: 'verified', status: 'Trusted',
        peer: 'unknown[85.206.91.33]', host: 'star.nullroute.lt', queueId: 'B78112007E6',
      },
      9: { kex: 'X25519MLKEM768', pq: true, clientCert: 'not-requested' },
      15: { kex: 'X25519MLKEM768', pq: true, clientCert: 'not-presented', lineSpan: 7 },
      22: { protocol: 'TLSv1.1', cipher: 'ECDHE-RSA-AES256-SHA', pq: false },
      34: { cipher: 'TLS_CHACHA20_POLY1305_SHA256', kex: undefined, fsReason: 'tls13' },
    },
  },
  'louisitvn__pflgviewer__postfix.log.log': {
    // CSV export: trailing commas after the bits.
    kinds: { 'tls-summary': 12 },
    fs: { yes: 12 },
    spots: { 5: { bits: '256/256', cipher: 'ECDHE-RSA-AES256-GCM-SHA384', peer: 'cluster-c.mailcontrol.com[116.50.59.190]' } },
  },
  'mail-in-a-box__mailinabox__issue-124.log': {
    // Truncated by the poster: no protocol, no cipher.
    kinds: { 'tls-summary': 2 },
    fs: { unknown: 2 },
    spots: { 1: { status: 'Untrusted', role: 'client', peer: 'ackroyd.harvard.edu', fs: 'unknown', fsReason: 'not-logged', lineSpan: 1 } },
  },
  'mailcow__mailcow-dockerized__issue-2397.log': {
    kinds: { failure: 4 },
    failures: { 'lost-after-starttls': 1, handshake: 2, protocol: 1 },
  },
  'mailcow__mailcow-dockerized__issue-2398.log': {
    // Copied from a web UI table (`date | level | message`), doubled spaces.
    kinds: { failure: 3 },
    failures: { 'lost-after-starttls': 1, protocol: 1, handshake: 1 },
  },
  'mailcow__mailcow-dockerized__issue-787.log': { kinds: { failure: 1 }, spots: { 1: { failure: 'tls-library' } } },
  'mlan__docker-postfix__issue-1.log': {
    // Syslog line without a hostname.
    kinds: { failure: 1 },
    spots: { 1: { daemon: 'postfix/smtps/smtpd', host: undefined, timestamp: 'Jan 15 01:26:17', failure: 'tls-library', cause: 'eof' } },
  },
  'modoboa__modoboa__issue-1428.log': {
    // pid redacted as `xxxxx`.
    kinds: { 'tls-summary': 1 },
    spots: { 1: { daemon: 'postfix/smtp', pid: undefined, peer: 'xyz.domain.tld[xx.yyy.xx.xx]:25', fs: 'yes' } },
  },
  'modoboa__modoboa__issue-2537.log': { kinds: { 'tls-summary': 1 }, fs: { yes: 1 } },
  'pages__blog.jj5.net__blog-2012-02-01.log': {
    kinds: { failure: 5 },
    failures: { handshake: 4, 'lost-after-starttls': 1 },
    spots: {
      6: { failure: 'handshake', role: 'client', peer: '127.0.0.1[127.0.0.1]:10025', timestamp: 'Feb 1 03:52:19' },
      7: { failure: 'handshake', queueId: 'B97C42542CE' },
    },
  },
  'postfixadmin__postfixadmin__issue-139.log': { kinds: { 'tls-summary': 1 }, fs: { yes: 1 } },
  'sovereign__sovereign__pr-26.log': {
    kinds: { 'tls-summary': 2 },
    fs: { unknown: 2 },
    spots: { 2: { status: 'Trusted', peer: 'gmail-smtp-in.l.google.com', daemon: 'postfix/smtp', host: 'vps1' } },
  },
  'systemli__mail-tls-helper__tests__assets__postfix_count_sent_with_tls.log.log': {
    kinds: { 'tls-summary': 1 },
    spots: { 1: { status: 'Anonymous', role: 'client', protocol: 'TLSv1', cipher: 'ADH-AES256-SHA', fs: 'yes', kex: 'DHE' } },
  },
  'triplea-game__triplea__issue-3374.log': {
    kinds: { failure: 1 },
    spots: { 1: { failure: 'tls-not-offered', daemon: 'postfix/error', peer: 'smtp.tin.it[xx.xxx.72.32]' } },
  },
  'vdukhovni__postfix__postfix__README_FILES__FORWARD_SECRECY_README.log': {
    // Documentation examples folded for readability.
    kinds: { 'tls-summary': 8, 'received-header': 4 },
    // The four `cipher-name` placeholders are no cipher the tables know: unknown, not "static RSA".
    fs: { yes: 8, unknown: 4 },
    spots: {
      9: { lineSpan: 3, status: 'Untrusted', role: 'client', protocol: 'TLSv1', cipher: 'cipher-name', bits: undefined, fs: 'unknown', fsReason: 'unknown-cipher', kex: undefined },
      23: { kind: 'received-header', lineSpan: 5, clientCert: 'not-verified', status: 'Untrusted' },
      44: { kind: 'received-header', lineSpan: 7, kex: 'X25519', clientSig: 'ECDSA (P-256) SHA256' },
      69: { lineSpan: 4, kex: 'ECDHE (P-256)', serverSig: 'ECDSA (P-256) SHA256' },
      95: { lineSpan: 3, serverSig: 'ED25519', kex: undefined },
      106: { lineSpan: 6, role: 'server', peer: 'client.example[192.0.2.1]', sni: 'server.example', kex: 'X25519' },
    },
  },
  'wader__postfix-relay__issue-230.log': {
    kinds: { failure: 2 },
    failures: { 'cert-verification': 1, 'server-cert-untrusted': 1 },
    spots: { 1: { daemon: 'postfix/smtp', pid: undefined } },
  },
  'whyscream__postfix-grok-patterns__issue-197.log': { kinds: { 'tls-summary': 1 }, fs: { yes: 1 } },
  'whyscream__postfix-grok-patterns__pr-133.log': {
    kinds: { failure: 2 },
    spots: { 1: { failure: 'cert-verification', role: 'client', peer: 'webmail.schleunungdruck.de[117.243.191.210]:25', host: 'node1' } },
  },
  'whyscream__postfix-grok-patterns__test__ALL.log': {
    kinds: { 'tls-summary': 8, failure: 9, other: 6 },
    fs: { yes: 8 },
    roles: { client: 6, server: 2 },
    failures: { 'cert-verification': 2, handshake: 6, 'lost-after-starttls': 1 },
    spots: {
      109: { cipher: 'AECDH-AES256-SHA', kex: 'ECDHE', fsReason: 'cipher-prefix:AECDH', peer: '127.0.0.1[127.0.0.1]:2525' },
      114: { status: 'Verified', protocol: 'TLSv1', peer: 'mail.sys4.de[2001:1578:400:111::7]:25' },
      134: { serverSig: 'RSA-PSS (4096 bits)' },
      166: { failure: 'handshake', cause: 'timeout' },
      183: { kind: 'other', tls: 'dane', role: 'client', peer: 'mail.example.com[1.2.3.4]:25', fs: 'unknown' },
      185: { tls: 'may:none' },
      187: { tls: 'dane/!requiretls:nocertmatch' },
    },
  },
};

/** Files with no TLS record at all (verbose dialogues, state traces, non-TLS samples). */
const NONE = [
  'bokysan__docker-postfix__issue-159.log',
  'infohtreasure__Postfix-Maillog-Dump__mailog2.log',
  `${LM}individual_files__8_weird_log_file.log.log`,
  'rspamd__rspamd__issue-1842.log',
  'systemli__mail-tls-helper__tests__assets__postfix_count_sent.log.log',
  'systemli__mail-tls-helper__tests__assets__postfix_count_sent_with_tor.log.log',
];

function count<T extends string>(values: (T | undefined)[], none = 'none'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const k = v ?? none;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function clean(o: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== 0)) as Record<string, number>;
}

const files = corpusFiles('logs');

describe('corpus: every TLS line classified', () => {
  test('every corpus file is in a table', () => {
    const names = files.map((f) => path.basename(f));
    for (const n of names) assert.ok(n in EXPECT || NONE.includes(n), `corpus file without expectations: ${n}`);
    for (const n of [...Object.keys(EXPECT), ...NONE]) assert.ok(names.includes(n), `expected file missing from corpus: ${n}`);
  });

  for (const file of files) {
    const name = path.basename(file);
    const exp = EXPECT[name];
    test(name, () => {
      const text = readFileSync(file, 'utf8');
      const recs: LineRecord[] = classifyText(text);
      if (!exp) {
        assert.deepEqual(recs.map((r) => [r.line + 1, r.record.kind]), [], 'no TLS records expected');
        return;
      }
      assert.deepEqual(count(recs.map((r) => r.record.kind)), clean(exp.kinds), 'records by kind');
      const conns = recs.filter((r) => r.record.kind === 'tls-summary' || r.record.kind === 'received-header').map((r) => r.record);
      if (exp.fs) assert.deepEqual(count(conns.map((r) => r.forwardSecrecy)), clean(exp.fs), 'forward secrecy');
      if (exp.roles) assert.deepEqual(count(conns.map((r) => r.role)), clean(exp.roles), 'roles');
      if (exp.statuses) assert.deepEqual(count(conns.map((r) => r.status)), clean(exp.statuses), 'statuses');
      if (exp.protocols) assert.deepEqual(count(conns.map((r) => r.protocol)), exp.protocols, 'protocols');
      if (exp.failures) {
        assert.deepEqual(count(recs.filter((r) => r.record.kind === 'failure').map((r) => r.record.failure?.kind)), clean(exp.failures), 'failures');
      }
      assert.equal(conns.filter((r) => r.postQuantum).length, exp.pq ?? 0, 'post-quantum');
      const byLine = new Map(recs.map((r) => [r.line + 1, r.record]));
      for (const [lineStr, want] of Object.entries(exp.spots ?? {})) {
        const line = Number(lineStr);
        const got = byLine.get(line);
        if (want === undefined) {
          assert.equal(got, undefined, `line ${line}: no record expected`);
          continue;
        }
        assert.ok(got, `line ${line}: a record expected`);
        const f = flat(got);
        for (const [k, v] of Object.entries(want)) assert.deepEqual(f[k as keyof Flat], v, `line ${line}: ${k}`);
      }
      // Every record is well-formed, whatever the file.
      for (const { record } of recs) {
        assert.ok(record.lineSpan >= 1);
        if (record.kind === 'failure') assert.ok(record.failure && record.failure.text.length > 0);
        if (record.kind !== 'tls-summary' && record.kind !== 'received-header') assert.equal(record.forwardSecrecy, 'unknown');
      }
    });
  }

  test('every "TLS connection established/reused" line is inside a summary record', () => {
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const recs = classifyText(lines.join('\n')).filter((r) => r.record.kind === 'tls-summary');
      lines.forEach((l, i) => {
        if (!/TLS connection (established|reused)/.test(l)) return;
        assert.ok(
          recs.some((r) => r.line <= i && i < r.line + r.record.lineSpan),
          `${path.basename(file)}:${i + 1} not classified as a summary`,
        );
      });
    }
  });

  test('every "(using " comment is inside a Received: record', () => {
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const recs = classifyText(lines.join('\n')).filter((r) => r.record.kind === 'received-header');
      lines.forEach((l, i) => {
        if (!l.includes('(using ')) return;
        assert.ok(
          recs.some((r) => r.line <= i && i < r.line + r.record.lineSpan),
          `${path.basename(file)}:${i + 1} not in a Received: record`,
        );
      });
    }
  });
});

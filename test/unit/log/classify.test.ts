/**
 * The log classifier line by line: every prefix style, every summary format since Postfix 2.2,
 * the forward-secrecy rules, every failure kind, folded Received: headers and classifyRange.
 * Lines are built from the format strings in logformats.md.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyLine,
  classifyRange,
  classifyText,
  cipherForwardSecrecy,
  formatKeyExchange,
  formatPeer,
  isPostQuantumGroup,
  LogFolder,
  MAX_FOLD_LINES,
  mightBeTls,
  type LineRecord,
} from '../../../core/log/classify';
import { explainCipher } from '../../../core/cipher';

const MSG =
  'Verified TLS connection established to mx.example.net[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256';

function expectSummary(line: string): void {
  const r = classifyLine(line);
  assert.equal(r.kind, 'tls-summary', line);
  assert.equal(r.role, 'client');
  assert.equal(r.status, 'Verified');
  assert.equal(r.event, 'established');
  assert.equal(formatPeer(r.peer), 'mx.example.net[192.0.2.1]:25');
  assert.equal(r.protocol, 'TLSv1.3');
  assert.equal(r.cipher, 'TLS_AES_256_GCM_SHA384');
  assert.deepEqual(r.bits, { used: 256, alg: 256 });
  assert.deepEqual(r.keyExchange, { name: 'X25519', logged: true });
  assert.deepEqual(r.serverSignature, { name: 'RSA-PSS', detail: '2048 bits', digest: 'SHA256' });
  assert.equal(r.forwardSecrecy, 'yes');
  assert.equal(r.fsReason, 'tls13');
  assert.equal(r.postQuantum, false);
  assert.equal(line.slice(r.messageOffset, r.messageOffset + 8), 'Verified', `messageOffset of ${line}`);
}

describe('prefix styles', () => {
  const cases: { name: string; prefix: string; ts?: string; host?: string; daemon?: string; pid?: number; severity?: string }[] = [
    { name: 'classic syslog', prefix: 'Nov 28 12:00:00 mail postfix/smtp[123]: ', ts: 'Nov 28 12:00:00', host: 'mail', daemon: 'postfix/smtp', pid: 123 },
    { name: 'single-digit day', prefix: 'Nov  8 12:00:00 mail postfix/smtp[123]: ', ts: 'Nov  8 12:00:00', host: 'mail', daemon: 'postfix/smtp', pid: 123 },
    { name: 'single-space day', prefix: 'Feb 1 03:51:16 sixsigma postfix/smtp[8]: ', ts: 'Feb 1 03:51:16', host: 'sixsigma', pid: 8 },
    { name: 'FQDN host', prefix: 'Sep 22 04:31:32 mail.example.com postfix/smtp[1]: ', host: 'mail.example.com' },
    { name: 'no hostname', prefix: 'Jan 15 01:26:17 postfix/smtp[1681]: ', ts: 'Jan 15 01:26:17', host: undefined, pid: 1681 },
    { name: 'RFC 3339', prefix: '2024-01-02T03:04:05.123456+00:00 mail postfix/smtp[123]: ', ts: '2024-01-02T03:04:05.123456+00:00', host: 'mail' },
    { name: 'RFC 3339 with facility.severity', prefix: '2024-01-02T03:04:05+01:00 mail mail.info postfix/smtp[123]: ', host: 'mail', severity: 'info' },
    { name: 'RFC 3339 with severity column, no host', prefix: '2023-12-30T21:20:26.625152+00:00 INFO    postfix/smtp[481]: ', host: undefined, severity: 'info', pid: 481 },
    { name: 'docker compose', prefix: 'mailserver  | Nov 28 12:00:00 mail postfix/smtp[123]: ', ts: 'Nov 28 12:00:00', host: 'mail' },
    { name: 'docker compose v2 + RFC 3339', prefix: 'mailserver-1  | 2021-01-24T14:43:33.171270+00:00 INFO    postfix/smtp[138]: ', ts: '2021-01-24T14:43:33.171270+00:00' },
    { name: 'kubernetes CRI', prefix: '2024-01-02T03:04:05.123456789Z stdout F Nov 28 12:00:00 mail postfix/smtp[123]: ', ts: 'Nov 28 12:00:00', host: 'mail' },
    { name: 'kubectl --prefix', prefix: '[pod/mail-0/postfix] Nov 28 12:00:00 mail postfix/smtp[123]: ', ts: 'Nov 28 12:00:00' },
    { name: 'kubectl --timestamps', prefix: '2024-01-02T03:04:05.123456789Z 2024-01-02T03:04:05.000001+00:00 mail postfix/smtp[9]: ', ts: '2024-01-02T03:04:05.000001+00:00', pid: 9 },
    { name: 'journalctl short-iso', prefix: '2024-01-02T03:04:05+0100 mail postfix/smtp[123]: ', ts: '2024-01-02T03:04:05+0100' },
    { name: 'journalctl short-precise', prefix: 'Nov 28 12:00:00.123456 mail postfix/smtp[123]: ', ts: 'Nov 28 12:00:00.123456' },
    { name: 'journalctl short-full', prefix: 'Thu 2024-01-02 03:04:05 CET mail postfix/smtp[123]: ', ts: 'Thu 2024-01-02 03:04:05 CET', host: 'mail' },
    { name: 'journalctl short-monotonic', prefix: '[ 1234.567890] mail postfix/smtp[123]: ', ts: '[ 1234.567890]', host: 'mail' },
    { name: 'journalctl short-unix', prefix: '1704164645.123456 mail postfix/smtp[123]: ', ts: '1704164645.123456', host: 'mail' },
    { name: 'RFC 5424', prefix: '<22>1 2024-01-02T03:04:05.123Z mail postfix/smtp 123 - - ', ts: '2024-01-02T03:04:05.123Z', host: 'mail', daemon: 'postfix/smtp', pid: 123 },
    { name: 'tag only', prefix: 'postfix/smtp[123]: ', ts: undefined, daemon: 'postfix/smtp', pid: 123 },
    { name: 'pid placeholder', prefix: 'postfix/smtp[process-id]: ', daemon: 'postfix/smtp', pid: undefined },
    { name: 'bracketed tag', prefix: 'Dec 18 16:15:27 [postfix/smtp] ', daemon: 'postfix/smtp', pid: undefined },
    { name: 'multi-instance', prefix: 'Nov 28 12:00:00 mail postfix-out/smtp[5]: ', daemon: 'postfix-out/smtp' },
    { name: 'message only', prefix: '', daemon: undefined, ts: undefined },
    { name: 'leading space', prefix: ' ', daemon: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const line = c.prefix + MSG;
      expectSummary(line);
      const r = classifyLine(line);
      if ('ts' in c) assert.equal(r.timestamp, c.ts, 'timestamp');
      if ('host' in c) assert.equal(r.host, c.host, 'host');
      if ('daemon' in c) assert.equal(r.daemon, c.daemon, 'daemon');
      if ('pid' in c) assert.equal(r.pid, c.pid, 'pid');
      if ('severity' in c) assert.equal(r.severity, c.severity, 'severity');
    });
  }

  test('posttls-finger', () => {
    const r = classifyLine(`posttls-finger: ${MSG}`);
    expectSummary(`posttls-finger: ${MSG}`);
    assert.equal(r.daemon, 'posttls-finger');
  });

  test('CRLF line end', () => expectSummary(`Nov 28 12:00:00 mail postfix/smtp[1]: ${MSG}\r`));

  test('custom syslog_name keeps the whole tag', () => {
    const r = classifyLine('Nov 28 12:00:00 mail postfix/submission/smtpd[7]: Anonymous TLS connection established from c.example[192.0.2.9]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)');
    assert.equal(r.daemon, 'postfix/submission/smtpd');
    assert.equal(r.role, 'server');
  });

  test('other programs saying TLS are not Postfix records', () => {
    for (const line of [
      'Jan 27 22:30:07 mail dovecot: pop3-login: Disconnected: TLS handshaking: SSL_accept() failed: error:1417A0C1:SSL routines:tls_post_process_client_hello:no shared cipher',
      'Jan 28 06:21:19 mail opendkim[123]: 3F5A2194AA9: s=x d=example.com SSL error:04091068:rsa routines:int_rsa_verify:bad signature',
      'Jan 28 06:21:19 mail dovecot: imap-login: Login: user=<a@b>, method=PLAIN, rip=1.2.3.4, lip=5.6.7.8, mpid=1, TLS, session=<x>',
    ]) {
      assert.equal(classifyLine(line).kind, 'other', line);
    }
  });
});

describe('summary formats by Postfix version', () => {
  test('2.2-2.4 client: no status word, peer name only', () => {
    const r = classifyLine('postfix/smtp[1]: TLS connection established to mail.example.com: TLSv1 with cipher DHE-RSA-AES256-SHA (256/256 bits)');
    assert.equal(r.kind, 'tls-summary');
    assert.equal(r.status, undefined);
    assert.equal(r.role, 'client');
    assert.deepEqual(r.peer, { name: 'mail.example.com' });
    assert.equal(r.forwardSecrecy, 'yes');
    assert.equal(r.fsReason, 'cipher-prefix:DHE');
  });
  test('2.2-2.4 server: name[addr], EDH cipher', () => {
    const r = classifyLine('postfix/smtpd[1]: TLS connection established from client.example[192.0.2.9]: TLSv1 with cipher EDH-RSA-DES-CBC3-SHA (168/168 bits)');
    assert.equal(r.role, 'server');
    assert.deepEqual(r.peer, { name: 'client.example', address: '192.0.2.9' });
    assert.deepEqual(r.bits, { used: 168, alg: 168 });
    assert.equal(r.fsReason, 'cipher-prefix:EDH');
    assert.deepEqual(r.keyExchange, { name: 'DHE', logged: false });
  });
  test('2.5-3.3: status word; SSLv3 with RC4 has no forward secrecy', () => {
    const r = classifyLine('postfix/smtpd[1]: Anonymous TLS connection established from c.example[192.0.2.9]: SSLv3 with cipher RC4-SHA (128/128 bits)');
    assert.equal(r.status, 'Anonymous');
    assert.equal(r.protocol, 'SSLv3');
    assert.equal(r.forwardSecrecy, 'no');
    assert.equal(r.fsReason, 'static-rsa');
    assert.deepEqual(r.keyExchange, { name: 'RSA', logged: false });
  });
  test('export cipher with actual/raw bits differing', () => {
    const r = classifyLine('postfix/smtp[1]: Untrusted TLS connection established to mx[192.0.2.1]:25: TLSv1 with cipher EXP-EDH-RSA-DES-CBC-SHA (40/56 bits)');
    assert.deepEqual(r.bits, { used: 40, alg: 56 });
    assert.equal(r.forwardSecrecy, 'no');
    assert.equal(r.fsReason, 'export');
  });
  test('3.4+: reused', () => {
    const r = classifyLine('postfix/smtp[1]: Trusted TLS connection reused to mx.example.net[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)');
    assert.equal(r.event, 'reused');
    assert.equal(r.forwardSecrecy, 'yes');
    assert.equal(r.keyExchange, undefined);
  });
  test('3.4+: server SNI, hybrid ML-KEM group, client signature', () => {
    const r = classifyLine(
      'postfix/smtpd[2]: Untrusted TLS connection established from c.example[192.0.2.9] to mail.example.org: TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519MLKEM768 server-signature ECDSA (prime256v1) server-digest SHA256 client-signature ECDSA (prime256v1) client-digest SHA256',
    );
    assert.equal(r.role, 'server');
    assert.equal(r.sni, 'mail.example.org');
    assert.deepEqual(r.peer, { name: 'c.example', address: '192.0.2.9' });
    assert.equal(r.keyExchange?.name, 'X25519MLKEM768');
    assert.equal(r.postQuantum, true);
    assert.deepEqual(r.serverSignature, { name: 'ECDSA', detail: 'prime256v1', digest: 'SHA256' });
    assert.deepEqual(r.clientSignature, { name: 'ECDSA', detail: 'prime256v1', digest: 'SHA256' });
  });
  test('3.4-3.9 key exchange forms: DHE (bits), ECDHE (curve), X448', () => {
    const base = 'postfix/smtp[1]: Untrusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange ';
    assert.deepEqual(classifyLine(`${base}DHE (2048 bits) server-signature RSA-PSS (2048 bits)`).keyExchange, { name: 'DHE', bits: 2048, logged: true });
    assert.deepEqual(classifyLine(`${base}ECDHE (P-256) server-signature ECDSA (P-256)`).keyExchange, { name: 'ECDHE', curve: 'P-256', logged: true });
    assert.equal(formatKeyExchange(classifyLine(`${base}ECDHE (P-256)`).keyExchange), 'ECDHE (P-256)');
    assert.equal(formatKeyExchange(classifyLine(`${base}DHE (3072 bits)`).keyExchange), 'DHE (3072 bits)');
    assert.equal(classifyLine(`${base}X448`).keyExchange?.name, 'X448');
  });
  test('3.10+ OpenSSL group names, any case; post-quantum names', () => {
    const base = 'postfix/smtp[1]: Verified TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange ';
    for (const [g, pq] of [
      ['x25519', false],
      ['secp256r1', false],
      ['ffdhe2048', false],
      ['brainpoolP256r1tls13', false],
      ['X25519MLKEM768', true],
      ['x25519mlkem768', true],
      ['SecP256r1MLKEM768', true],
      ['SecP384r1MLKEM1024', true],
      ['MLKEM768', true],
    ] as const) {
      const r = classifyLine(`${base}${g} server-signature RSA-PSS (2048 bits) server-digest SHA256`);
      assert.equal(r.keyExchange?.name, g);
      assert.equal(r.keyExchange?.logged, true);
      assert.equal(r.postQuantum, pq, g);
      assert.equal(r.forwardSecrecy, 'yes');
    }
  });
  test('raw public keys, Ed25519 without digest, resumed session without signatures', () => {
    const base = 'postfix/smtp[1]: Untrusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519';
    assert.deepEqual(classifyLine(`${base} server-signature ECDSA (P-256 raw public key) server-digest SHA256`).serverSignature, {
      name: 'ECDSA',
      detail: 'P-256 raw public key',
      digest: 'SHA256',
    });
    assert.deepEqual(classifyLine(`${base} server-signature RSA-PSS (2048 bit raw public key)`).serverSignature, { name: 'RSA-PSS', detail: '2048 bit raw public key' });
    assert.deepEqual(classifyLine(`${base} server-signature ED25519 (raw public key)`).serverSignature, { name: 'ED25519', detail: 'raw public key' });
    assert.deepEqual(classifyLine(`${base} server-signature ED25519`).serverSignature, { name: 'ED25519' });
    const resumed = classifyLine(base);
    assert.equal(resumed.serverSignature, undefined);
    assert.equal(resumed.keyExchange?.name, 'X25519');
  });
  test('LMTP over a UNIX socket has no port; smtpd_client_port_logging adds one', () => {
    assert.deepEqual(
      classifyLine('postfix/lmtp[1]: Trusted TLS connection established to mail.example.com[private/dovecot-lmtp]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)').peer,
      { name: 'mail.example.com', address: 'private/dovecot-lmtp' },
    );
    assert.deepEqual(
      classifyLine('postfix/smtpd[1]: Anonymous TLS connection established from c.example[192.0.2.9]:4711: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)').peer,
      { name: 'c.example', address: '192.0.2.9', port: 4711 },
    );
  });
  test('IPv6 peers', () => {
    const r = classifyLine('postfix/smtp[1]: Verified TLS connection established to mx2.comcast.net[2001:558:fe21:2a::6]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)');
    assert.deepEqual(r.peer, { name: 'mx2.comcast.net', address: '2001:558:fe21:2a::6', port: 25 });
  });
  test('tlsproxy in both roles', () => {
    assert.equal(classifyLine('postfix/tlsproxy[1]: Anonymous TLS connection established from [192.0.2.9]:48198: TLSv1.2 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)').role, 'server');
    assert.equal(classifyLine('postfix/tlsproxy[1]: Trusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)').role, 'client');
  });
  test('truncated summary: unknown forward secrecy', () => {
    const r = classifyLine('Sep 16 10:30:20 vps1 postfix/smtp[1]: Untrusted TLS connection established to gmail-smtp-in.l.google.com');
    assert.equal(r.kind, 'tls-summary');
    assert.equal(r.forwardSecrecy, 'unknown');
    assert.equal(r.fsReason, 'not-logged');
  });
  test('protocol present but cipher cut off', () => {
    const r = classifyLine('postfix/smtp[1]: Trusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3');
    assert.equal(r.protocol, 'TLSv1.3');
    assert.equal(r.forwardSecrecy, 'yes');
  });
  test('not a summary: setting up TLS connection, TLS connection lost', () => {
    assert.equal(classifyLine('postfix/smtp[1]: setting up TLS connection to mx[192.0.2.1]:25').kind, 'other');
    assert.equal(classifyLine('postfix/smtpd[1]: setting up TLS connection from c[192.0.2.9]').kind, 'other');
  });
});

describe('forward secrecy rules', () => {
  const yes: [string, string][] = [
    ['ECDHE-ECDSA-AES128-GCM-SHA256', 'cipher-prefix:ECDHE'],
    ['ECDHE-RSA-CHACHA20-POLY1305', 'cipher-prefix:ECDHE'],
    ['DHE-RSA-AES256-GCM-SHA384', 'cipher-prefix:DHE'],
    ['DHE-DSS-AES256-SHA', 'cipher-prefix:DHE'],
    ['EDH-RSA-DES-CBC3-SHA', 'cipher-prefix:EDH'],
    ['AECDH-AES256-SHA', 'cipher-prefix:AECDH'],
    ['ADH-AES256-GCM-SHA384', 'cipher-prefix:ADH'],
    ['ECDHE-PSK-CHACHA20-POLY1305', 'cipher-prefix:ECDHE'],
    ['DHE-PSK-AES128-CBC-SHA256', 'cipher-prefix:DHE'],
    ['ecdhe-rsa-aes128-sha', 'cipher-prefix:ECDHE'],
    ['TLS_AES_128_GCM_SHA256', 'tls13-cipher'],
    ['TLS_CHACHA20_POLY1305_SHA256', 'tls13-cipher'],
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'cipher:ECDHE'],
    ['TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'cipher:DHE'],
  ];
  const no: [string, string][] = [
    ['AES256-GCM-SHA384', 'static-rsa'],
    ['AES128-SHA', 'static-rsa'],
    ['DES-CBC3-SHA', 'static-rsa'],
    ['RC4-SHA', 'static-rsa'],
    ['CAMELLIA256-SHA', 'static-rsa'],
    ['NULL-SHA', 'static-rsa'],
    ['RSA-PSK-AES256-GCM-SHA384', 'static-rsa'],
    ['ECDH-RSA-AES256-SHA', 'static-ecdh'],
    ['ECDH-ECDSA-AES128-GCM-SHA256', 'static-ecdh'],
    ['DH-RSA-AES256-SHA', 'static-dh'],
    ['DH-DSS-AES128-SHA', 'static-dh'],
    ['EXP-EDH-RSA-DES-CBC-SHA', 'export'],
    ['EXP-ADH-DES-CBC-SHA', 'export'],
    ['EXP-RC4-MD5', 'export'],
    ['PSK-AES128-CBC-SHA', 'psk'],
    ['TLS_RSA_WITH_AES_128_CBC_SHA', 'static-rsa'],
    ['TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', 'static-ecdh'],
  ];
  for (const [c, reason] of yes) {
    test(`${c}: forward secret`, () => assert.deepEqual([cipherForwardSecrecy(c).fs, cipherForwardSecrecy(c).reason], ['yes', reason]));
  }
  for (const [c, reason] of no) {
    test(`${c}: not forward secret`, () => assert.deepEqual([cipherForwardSecrecy(c).fs, cipherForwardSecrecy(c).reason], ['no', reason]));
  }
  test('TLS 1.3 is always forward secret, whatever the cipher name', () => {
    const r = classifyLine('postfix/smtp[1]: Trusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher SOMETHING_NEW (256/256 bits)');
    assert.equal(r.forwardSecrecy, 'yes');
    assert.equal(r.fsReason, 'tls13');
  });
  test('a logged key-exchange attribute means forward secrecy', () => {
    const r = classifyLine('postfix/smtp[1]: Trusted TLS connection established to mx[192.0.2.1]:25: TLSvX with cipher X (256/256 bits) key-exchange ffdhe3072');
    assert.equal(r.forwardSecrecy, 'yes');
    assert.equal(r.fsReason, 'key-exchange:ffdhe3072');
  });
  test('inferred key exchange names', () => {
    assert.equal(cipherForwardSecrecy('AECDH-AES256-SHA').inferred, 'ECDHE');
    assert.equal(cipherForwardSecrecy('EDH-RSA-DES-CBC3-SHA').inferred, 'DHE');
    assert.equal(cipherForwardSecrecy('EXP-EDH-RSA-DES-CBC-SHA').inferred, 'DHE');
    assert.equal(cipherForwardSecrecy('EXP-RC4-MD5').inferred, 'RSA');
    assert.equal(cipherForwardSecrecy('AES128-SHA').inferred, 'RSA');
  });
  test('names the cipher tables cannot decode: forward secrecy and key exchange unknown, not RSA', () => {
    for (const c of ['FOO-BAR', 'cipher-name', 'TLS_FOO_WITH_BAR', 'GOST2001-GOST89-GOST89', 'X']) {
      const v = cipherForwardSecrecy(c);
      assert.equal(v.fs, 'unknown', c);
      assert.equal(v.inferred, undefined, c);
    }
    const r = classifyLine('postfix/smtp[1]: Untrusted TLS connection established to h[192.0.2.5]:25: TLSv1.2 with cipher FOO-BAR (256/256 bits)');
    assert.equal(r.forwardSecrecy, 'unknown');
    assert.equal(r.fsReason, 'unknown-cipher');
    assert.equal(r.keyExchange, undefined);
  });
  test('the log verdict of a cipher name equals its explanation (one set of cipher tables)', () => {
    const names = [...yes.map(([c]) => c), ...no.map(([c]) => c), 'FOO-BAR', 'KRB5-DES-CBC3-SHA', 'EECDH-AES128-SHA', 'TLS_NULL_WITH_NULL_NULL', 'SRP-AES-256-CBC-SHA', 'EXP1024-RC4-SHA'];
    for (const c of names) assert.equal(cipherForwardSecrecy(c).fs, explainCipher(c).forwardSecrecy, c);
  });
  test('post-quantum names', () => {
    for (const n of ['X25519MLKEM768', 'x25519mlkem768', 'SecP256r1MLKEM768', 'MLKEM1024', 'X25519Kyber768Draft00']) assert.equal(isPostQuantumGroup(n), true, n);
    for (const n of ['X25519', 'secp384r1', 'ffdhe2048', 'ECDHE']) assert.equal(isPostQuantumGroup(n), false, n);
  });
});

describe('failure kinds', () => {
  const cases: { line: string; kind: string; cause?: string; role?: string; peer?: string }[] = [
    { line: 'postfix/smtpd[1]: SSL_accept error from c.example[192.0.2.9]: -1', kind: 'handshake', role: 'server', peer: 'c.example[192.0.2.9]' },
    { line: 'postfix/smtpd[1]: SSL_accept error from c.example[192.0.2.9]: lost connection', kind: 'handshake', cause: 'eof', role: 'server' },
    { line: 'postfix/smtpd[1]: SSL_accept error from unknown[192.0.2.9]: Connection timed out', kind: 'handshake', cause: 'timeout' },
    { line: 'postfix/smtp[1]: SSL_connect error to mx.example[192.0.2.1]:25: -1', kind: 'handshake', role: 'client', peer: 'mx.example[192.0.2.1]:25' },
    { line: 'postfix/smtp[1]: SSL_connect error to mx.example[192.0.2.1]:25: lost connection', kind: 'handshake', cause: 'eof' },
    { line: 'postfix/smtpd[1]: SSL_set_fd error to c.example[192.0.2.9]', kind: 'handshake', role: 'server' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A000076:SSL routines::no suitable signature algorithm:ssl/statem/statem_srvr.c:2262:', kind: 'tls-library', role: 'server' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:ssl/statem/statem_srvr.c:2283:', kind: 'no-shared-cipher' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A000102:SSL routines::unsupported protocol:ssl/statem/statem_srvr.c:1657:', kind: 'protocol' },
    { line: 'postfix/smtp[1]: warning: TLS library problem: error:0A00010B:SSL routines::wrong version number:ssl/record/ssl3_record.c:354:', kind: 'protocol', role: 'client' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:1420918C:SSL routines:tls_early_post_process_client_hello:version too low:', kind: 'protocol' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A000175:SSL routines::inappropriate fallback:', kind: 'protocol' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A00009C:SSL routines::http request:', kind: 'protocol' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:ssl/record/rec_layer_s3.c:1586:SSL alert number 48:', kind: 'cert-verification', cause: 'peer-alert' },
    // `certificate verify failed`: this side's check of the PEER's certificate failed (no peer alert).
    { line: 'postfix/smtp[1]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:', kind: 'cert-verification', role: 'client' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:ssl/statem/statem_srvr.c:3510:', kind: 'cert-verification', role: 'server' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:1417C086:SSL routines:tls_process_client_certificate:certificate verify failed:ssl/statem/statem_srvr.c:3711:', kind: 'cert-verification', role: 'server' },
    // Alerts about a certificate come FROM the peer: it rejected the certificate this side showed.
    { line: 'postfix/smtp[1]: warning: TLS library problem: error:0A000412:SSL routines::sslv3 alert bad certificate:ssl/record/rec_layer_s3.c:1605:SSL alert number 42:', kind: 'cert-verification', cause: 'peer-alert', role: 'client' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:14094412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:ssl/record/rec_layer_s3.c:1543:SSL alert number 42:', kind: 'cert-verification', cause: 'peer-alert', role: 'server' },
    { line: 'postfix/smtp[1]: warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:', kind: 'cert-verification', cause: 'peer-alert', role: 'client' },
    { line: 'postfix/smtp[1]: warning: TLS library problem: error:0A000410:SSL routines::sslv3 alert handshake failure:', kind: 'handshake', cause: 'peer-alert' },
    { line: 'postfix/smtpd[1]: warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading:', kind: 'tls-library', cause: 'eof' },
    { line: "postfix/smtpd[1]: warning: TLS library problem: error:80000002:system library::No such file or directory:crypto/bio/bss_file.c:67:calling fopen(/etc/ssl/x.pem, r):", kind: 'tls-library', cause: 'config' },
    { line: 'postfix/smtp[1]: certificate verification failed for mx.example[192.0.2.1]:25: self-signed certificate', kind: 'cert-verification', role: 'client', peer: 'mx.example[192.0.2.1]:25' },
    { line: 'postfix/smtp[1]: server certificate verification failed for mx.example[192.0.2.1]:25: num=62:hostname mismatch', kind: 'cert-verification', role: 'client' },
    // A placeholder with a space (copied logs): the whole bracket is the peer, not `[next`.
    { line: 'postfix/smtp: certificate verification failed for [next hop]: untrusted issuer /CN=...', kind: 'cert-verification', role: 'client', peer: '[next hop]' },
    { line: 'postfix/smtpd[1]: SSL_accept error from [some client]:25: lost connection', kind: 'handshake', cause: 'eof', peer: '[some client]:25' },
    { line: 'postfix/smtp[1]: CA certificate verification failed for mx.example[192.0.2.1]:25: certificate has expired', kind: 'cert-verification', role: 'client' },
    { line: 'postfix/smtpd[1]: client certificate verification failed for c.example[192.0.2.9]: untrusted issuer /CN=Example CA', kind: 'cert-verification', role: 'server', peer: 'c.example[192.0.2.9]' },
    { line: 'postfix/smtp[1]: 3F5A2194AA9: to=<a@example.org>, relay=mx.example[192.0.2.1]:25, delay=1, delays=0/0/1/0, dsn=4.7.5, status=deferred (Server certificate not verified)', kind: 'server-cert-untrusted', role: 'client', peer: 'mx.example[192.0.2.1]:25' },
    { line: 'postfix/smtp[1]: 3F5A2194AA9: Server certificate not trusted', kind: 'server-cert-untrusted' },
    { line: 'postfix/smtpd[1]: lost connection after STARTTLS from c.example[192.0.2.9]', kind: 'lost-after-starttls', cause: 'eof', role: 'server', peer: 'c.example[192.0.2.9]' },
    { line: 'postfix/smtpd[1]: NOQUEUE: lost connection after STARTTLS from c.example[192.0.2.9]', kind: 'lost-after-starttls', cause: 'eof', peer: 'c.example[192.0.2.9]' },
    { line: 'postfix/smtpd[1]: timeout after STARTTLS from c.example[192.0.2.9]', kind: 'lost-after-starttls', cause: 'timeout' },
    { line: 'postfix/smtpd[1]: too many errors after STARTTLS from c.example[192.0.2.9]', kind: 'lost-after-starttls' },
    { line: 'postfix/smtp[1]: 3F5A2194AA9: to=<a@b>, relay=mx[192.0.2.1]:25, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx[192.0.2.1])', kind: 'tls-not-offered', role: 'client', peer: 'mx[192.0.2.1]' },
    { line: 'postfix/smtp[1]: 3F5A2194AA9: status=deferred (TLS is required, but host mx[192.0.2.1] refused to start TLS: 454 4.7.0 TLS not available due to local problem)', kind: 'tls-not-offered', cause: 'refused', peer: 'mx[192.0.2.1]' },
    { line: 'postfix/smtp[1]: 3F5A2194AA9: status=deferred (TLS is required, but our TLS engine is unavailable)', kind: 'other', cause: 'config' },
    { line: 'postfix/smtp[1]: 3F5A2194AA9: status=deferred (TLS is required, but unavailable)', kind: 'other', cause: 'config' },
    { line: 'postfix/smtp[1]: B97C42542CE: Cannot start TLS: handshake failure', kind: 'handshake', role: 'client' },
    { line: 'postfix/tlsproxy[1]: TLS handshake failed for service=smtp peer=[192.0.2.9]:25', kind: 'handshake', peer: '[192.0.2.9]:25' },
    { line: 'postfix/smtpd[1]: warning: tlsproxy handshake failed', kind: 'handshake', role: 'server' },
    { line: 'postfix/smtpd[1]: NOQUEUE: abort: TLS from c.example[192.0.2.9]: Client certificate not trusted', kind: 'cert-verification', cause: 'client-cert', role: 'server', peer: 'c.example[192.0.2.9]' },
    { line: 'postfix/smtpd[1]: NOQUEUE: abort: TLS from c.example[192.0.2.9]: No client certificate presented', kind: 'cert-verification', cause: 'client-cert', peer: 'c.example[192.0.2.9]' },
    { line: 'postfix/smtp[1]: warning: TLSA lookup error for mx.example.org:25', kind: 'cert-verification', cause: 'dane' },
    { line: 'postfix/smtp[1]: mx.example[192.0.2.1]:25: all TLSA records unusable, fallback to unauthenticated TLS', kind: 'cert-verification', cause: 'dane' },
    { line: 'postfix/smtpd[1]: cannot load Certificate Authority data: disabling TLS support', kind: 'other', cause: 'config' },
    { line: "postfix/smtpd[1]: warning: No server certs available. TLS won't be enabled", kind: 'other', cause: 'config' },
    { line: 'postfix/smtpd[1]: warning: TLS has been selected, but TLS support is not compiled in', kind: 'other', cause: 'config' },
    { line: 'postfix/smtpd[1]: warning: cannot get RSA certificate from file "/etc/postfix/cert.pem": disabling TLS support', kind: 'other', cause: 'config' },
    { line: 'postfix/smtp[1]: 3F5A2194AA9: status=deferred (client TLS configuration problem)', kind: 'other', cause: 'config' },
    { line: 'postfix/smtpd[1]: warning: New TLS session rate limit exceeded: 49 from c.example[192.0.2.9] for service smtp', kind: 'other', cause: 'rate-limit', peer: 'c.example[192.0.2.9]' },
    { line: 'postfix/smtp[1]: TLSRPT: status=failure, domain=example.org, receiving_mx=mx.example.org[192.0.2.1], failure_type=validation_failure, failure_reason=x', kind: 'cert-verification', cause: 'tlsrpt', peer: 'mx.example.org[192.0.2.1]' },
  ];
  for (const c of cases) {
    test(`${c.kind}${c.cause ? `/${c.cause}` : ''}: ${c.line.slice(0, 90)}`, () => {
      const r = classifyLine(c.line);
      assert.equal(r.kind, 'failure', c.line);
      assert.equal(r.failure?.kind, c.kind);
      assert.equal(r.failure?.cause, c.cause);
      if (c.role !== undefined) assert.equal(r.role, c.role);
      if (c.peer !== undefined) assert.equal(formatPeer(r.peer), c.peer);
      assert.equal(r.forwardSecrecy, 'unknown');
      assert.ok(r.failure && r.failure.text.length > 0);
    });
  }
  test('failure text starts at the reason and drops the status=deferred wrapper', () => {
    assert.equal(
      classifyLine('postfix/smtp[1]: 3F5A2194AA9: status=deferred (TLS is required, but was not offered by host mx[192.0.2.1])').failure?.text,
      'TLS is required, but was not offered by host mx[192.0.2.1]',
    );
    assert.equal(classifyLine('postfix/smtpd[1]: NOQUEUE: lost connection after STARTTLS from c[192.0.2.9]').failure?.text, 'lost connection after STARTTLS from c[192.0.2.9]');
    assert.equal(classifyLine('postfix/smtp[1]: server certificate verification failed for mx[192.0.2.1]:25: num=62:hostname mismatch').failure?.text.startsWith('server certificate'), true);
  });

  const notFailures = [
    'postfix/smtp[1]: Host offered STARTTLS: [mx.example.org]',
    'postfix/smtp[1]: setting up TLS connection to mx[192.0.2.1]:25',
    'postfix/smtpd[1]: initializing the server-side TLS engine',
    'postfix/smtp[1]: mx[192.0.2.1]:25: Matched trust anchor at depth 1',
    'postfix/smtpd[1]: disconnect from c[192.0.2.9] ehlo=1 starttls=0/1 commands=1/2',
    'postfix/smtpd[1]: disconnect from c[192.0.2.9] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7',
    'postfix/smtpd[1]: SSL_accept:before/accept initialization',
    'postfix/smtpd[1]: SSL_accept:error in SSLv2/v3 read client hello A',
    'postfix/smtp[1]: mx[192.0.2.1]:25: SNI hostname: mx.example.org',
    'postfix/smtpd[1]: c[192.0.2.9]: Reusing old session (RFC 5077 session ticket)',
    'postfix/smtpd[1]: c[192.0.2.9]: TLS cipher list "aNULL:-aNULL:HIGH:@STRENGTH"',
    'postfix/tlsmgr[1]: warning: /etc/postfix/main.cf, line 285: overriding earlier entry: x=y',
    'postfix/smtpd[1]: > c[192.0.2.9]: 250-STARTTLS',
  ];
  for (const line of notFailures) {
    test(`not a record: ${line.slice(0, 80)}`, () => assert.equal(classifyLine(line).kind, 'other'));
  }
});

describe('tls= delivery field (3.11+)', () => {
  test('parsed, kind other, forward secrecy unknown', () => {
    const r = classifyLine('postfix/smtp[1]: 7EE668039: to=<u@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=3.6, delays=0.08/0.02/0.85/0.14, tls=may:none, dsn=2.0.0, status=sent (250 2.0.0 Ok)');
    assert.equal(r.kind, 'other');
    assert.equal(r.forwardSecrecy, 'unknown');
    assert.deepEqual(r.tlsFeature, { raw: 'may:none', level: 'may', final: 'none', undecided: false, violated: false });
    assert.equal(formatPeer(r.peer), 'mx.example.com[192.0.2.1]:25');
    assert.equal(classifyLine('x: to=<a@b>, relay=r[1.2.3.4]:25, tls=dane/!requiretls:nocertmatch, dsn=5.7.10, status=bounced').tlsFeature?.violated, true);
    assert.equal(classifyLine('x: to=<a@b>, relay=r[1.2.3.4]:25, tls=dane?, dsn=2.0.0, status=sent').tlsFeature?.undecided, true);
  });
});

describe('Received: headers', () => {
  const header = [
    'Received: from mail.example.org (mail.example.org [192.0.2.7])',
    '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)',
    '\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)',
    '\t(No client certificate requested)',
    '\tby mx.example.net (Postfix) with ESMTPS id 4ABC123DEF;',
    '\tTue, 19 May 2026 15:24:58 +1000 (AEST)',
  ];
  test('a folded header is one record at its first line', () => {
    const recs = classifyText(['Return-Path: <a@example.org>', ...header, 'Subject: hi', ''].join('\n'));
    assert.equal(recs.length, 1);
    const { line, record } = recs[0];
    assert.equal(line, 1);
    assert.equal(record.kind, 'received-header');
    assert.equal(record.lineSpan, 6);
    assert.equal(record.role, 'server');
    assert.equal(record.status, 'Anonymous');
    assert.equal(record.helo, 'mail.example.org');
    assert.deepEqual(record.peer, { name: 'mail.example.org', address: '192.0.2.7' });
    assert.equal(record.host, 'mx.example.net');
    assert.equal(record.queueId, '4ABC123DEF');
    assert.equal(record.keyExchange?.name, 'X25519');
    assert.equal(record.forwardSecrecy, 'yes');
  });
  test('older one-line comment, client CN forms', () => {
    const ok = classifyText('Received: from h (h [192.0.2.1])\n\t(using TLSv1 with cipher DHE-RSA-AES256-SHA (256/256 bits))\n\t(Client CN "h.example", Issuer "Example CA" (verified OK))\n\tby mx (Postfix) with ESMTPS id 1;')[0].record;
    assert.deepEqual(ok.clientCertificate, { state: 'verified', cn: 'h.example', issuer: 'Example CA' });
    assert.equal(ok.status, 'Trusted');
    const not = classifyText('Received: from h (h [192.0.2.1])\n\t(using TLSv1.2 with cipher AES256-SHA (256/256 bits))\n\t(Client CN "h", Issuer "h" (not verified))')[0].record;
    assert.equal(not.status, 'Untrusted');
    assert.equal(not.forwardSecrecy, 'no');
    const rpk = classifyText('Received: from h (h [192.0.2.1])\n\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits))\n\t(Client RPK SHA256 digest AB:CD)')[0].record;
    assert.equal(rpk.clientCertificate?.state, 'rpk');
    assert.equal(rpk.status, 'Untrusted');
  });
  test('unfolded header on one line', () => {
    const r = classifyLine('Received: from h (h [192.0.2.1]) (using TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)) (No client certificate requested) by mx (Postfix) with ESMTPS id 9F;');
    assert.equal(r.kind, 'received-header');
    assert.equal(r.queueId, '9F');
  });
  test('a Received: header without TLS is not a record', () => {
    assert.deepEqual(classifyText('Received: from h (h [192.0.2.1])\n\tby mx (Postfix) with ESMTP id 1;\n\tTue, 1 Jan 2030 00:00:00 +0000'), []);
  });
  test('a comment line seen alone still classifies', () => {
    const r = classifyLine('\t(using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits))');
    assert.equal(r.kind, 'received-header');
    assert.equal(r.forwardSecrecy, 'yes');
  });
  test('next header, blank line, or a new Received: closes the record', () => {
    const text = [...header, ...header, '', ...header.slice(0, 2)].join('\n');
    const recs = classifyText(text);
    assert.deepEqual(recs.map((r) => [r.line, r.record.lineSpan]), [[0, 6], [6, 6], [13, 2]]);
  });
  test('continuation with spaces, indented start (documentation)', () => {
    const recs = classifyText('        Received: from h (h [192.0.2.1])\n                (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256\n        bits)\n                (No client certificate requested)\n');
    assert.equal(recs.length, 1);
    assert.equal(recs[0].record.lineSpan, 4);
    assert.deepEqual(recs[0].record.bits, { used: 256, alg: 256 });
  });
  test(`a record takes at most ${MAX_FOLD_LINES} lines`, () => {
    const lines = ['Received: from h (h [192.0.2.1])', '\t(using TLSv1.2 with cipher AES128-SHA (128/128 bits))'];
    for (let i = 0; i < 40; i++) lines.push(`\tx-${i}`);
    const recs = classifyText(lines.join('\n'));
    assert.equal(recs[0].record.lineSpan, MAX_FOLD_LINES);
  });
});

describe('wrapped summary lines', () => {
  test('a summary cut at the peer continues on indented lines', () => {
    const recs = classifyText(
      [
        '    postfix/smtp[692]: Trusted TLS connection established to email-smtp.us-west-1.amazonaws.com[107.20.142.169]:25:',
        '      TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)',
        '    postfix/smtp[692]: 8C82A7E7: to=<someone@example.com>, relay=email-smtp.us-west-1.amazonaws.com[107.20.142.169]:25,',
        '      delay=0.35, delays=0/0.02/0.13/0.2, dsn=2.0.0, status=sent (250 Ok)',
      ].join('\n'),
    );
    assert.equal(recs.length, 1);
    assert.equal(recs[0].record.lineSpan, 2);
    assert.equal(recs[0].record.forwardSecrecy, 'yes');
  });
  test('two truncated summaries with leading spaces stay two records', () => {
    const recs = classifyText(' Untrusted TLS connection established to ackroyd.harvard.edu\n Untrusted TLS connection established to gmail-smtp-in.l.google.com\n');
    assert.deepEqual(recs.map((r) => [r.line, r.record.lineSpan]), [[0, 1], [1, 1]]);
  });
});

describe('classifyRange', () => {
  const doc = [
    'Nov 28 12:00:00 mail postfix/smtpd[1]: connect from c.example[192.0.2.9]', // 0
    'Nov 28 12:00:01 mail postfix/smtpd[1]: Anonymous TLS connection established from c.example[192.0.2.9]: TLSv1.2 with cipher AES256-SHA (256/256 bits)', // 1
    'Received: from h (h [192.0.2.1])', // 2
    '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)', // 3
    '\t key-exchange X25519)', // 4
    '\t(No client certificate requested)', // 5
    '\tby mx (Postfix) with ESMTPS id 1;', // 6
    'Nov 28 12:00:02 mail postfix/smtpd[1]: SSL_accept error from c.example[192.0.2.9]: -1', // 7
    'Nov 28 12:00:03 mail postfix/smtpd[1]: disconnect from c.example[192.0.2.9]', // 8
  ];
  const get = (i: number): string => doc[i];
  const all = classifyText(doc.join('\n'));

  test('whole document', () => {
    assert.deepEqual(classifyRange(get, doc.length, 0, doc.length).map((r) => [r.line, r.record.kind, r.record.lineSpan]), [
      [1, 'tls-summary', 1],
      [2, 'received-header', 5],
      [7, 'failure', 1],
    ]);
  });
  test('a window inside a folded header reports it at its first line', () => {
    const recs = classifyRange(get, doc.length, 4, 6);
    assert.deepEqual(recs.map((r) => [r.line, r.record.lineSpan]), [[2, 5]]);
    assert.equal(recs[0].record.keyExchange?.name, 'X25519');
  });
  test('a window ending on the first line of a header still gets the whole header', () => {
    const recs = classifyRange(get, doc.length, 2, 3);
    assert.deepEqual(recs.map((r) => [r.line, r.record.lineSpan]), [[2, 5]]);
    assert.equal(recs[0].record.forwardSecrecy, 'yes');
  });
  test('every window agrees with the whole-document result', () => {
    for (let a = 0; a <= doc.length; a++) {
      for (let b = a; b <= doc.length; b++) {
        const want = a < b ? all.filter((r) => r.line < b && r.line + r.record.lineSpan > a) : [];
        assert.deepEqual(classifyRange(get, doc.length, a, b), want, `[${a}, ${b})`);
      }
    }
  });
  test('out-of-range and odd arguments', () => {
    assert.deepEqual(classifyRange(get, doc.length, 5, 2), []);
    assert.deepEqual(classifyRange(get, doc.length, -10, 2).map((r) => r.line), [1]);
    assert.deepEqual(classifyRange(get, doc.length, 7, 1000).map((r) => r.line), [7]);
    assert.deepEqual(classifyRange(get, 0, 0, 5), []);
    assert.deepEqual(classifyRange(get, doc.length, NaN, NaN), []);
  });
  test('a throwing getLine does not escape', () => {
    const bad = (i: number): string => {
      if (i === 3) throw new Error('boom');
      return doc[i];
    };
    assert.doesNotThrow(() => classifyRange(bad, doc.length, 0, doc.length));
  });
  test('includeOther returns every line', () => {
    assert.equal(classifyRange(get, doc.length, 0, doc.length, { includeOther: true }).length, doc.length - 4);
  });
});

describe('LogFolder', () => {
  test('joins only consecutive line numbers', () => {
    const out: LineRecord[] = [];
    const f = new LogFolder();
    f.push('Received: from h (h [192.0.2.1])', 10, out);
    f.push('\t(using TLSv1.2 with cipher AES128-SHA (128/128 bits))', 12, out);
    f.flush(out);
    // Line 12 is not a continuation of 10 (a filtered stream skipped 11).
    assert.deepEqual(out.map((r) => [r.line, r.record.kind, r.record.lineSpan]), [[12, 'received-header', 1]]);
  });
  test('classifyText handles CRLF and CR', () => {
    const text = `a\r\nNov 28 12:00:00 mail postfix/smtp[1]: ${MSG}\r\nb\rpostfix/smtpd[1]: SSL_accept error from c[192.0.2.9]: -1\r\n`;
    assert.deepEqual(classifyText(text).map((r) => [r.line, r.record.kind]), [[1, 'tls-summary'], [3, 'failure']]);
  });
});

describe('pre-filter', () => {
  test('mightBeTls is true for every record line and false for common noise', () => {
    assert.equal(mightBeTls(MSG), true);
    assert.equal(mightBeTls('postfix/smtp[1]: certificate verification failed for x'), true);
    assert.equal(mightBeTls('Nov 28 12:00:00 mail postfix/qmgr[1]: 3F5A2194AA9: removed'), false);
    assert.equal(classifyLine('Nov 28 12:00:00 mail postfix/qmgr[1]: 3F5A2194AA9: removed').kind, 'other');
  });
});

describe('delivery status lines', () => {
  test('the relay names the peer when the reason does not', () => {
    const r = classifyLine('Nov 28 12:00:00 mail postfix/smtp[1]: 3F5A2194AA9: to=<a@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1, delays=0/0/1/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)');
    assert.equal(r.failure?.kind, 'handshake');
    assert.equal(r.failure?.text, 'Cannot start TLS: handshake failure');
    assert.equal(formatPeer(r.peer), 'mx.example.org[192.0.2.1]:25');
    assert.equal(r.queueId, '3F5A2194AA9');
    const none = classifyLine('postfix/error[1]: 987D910A524: to=<x@tin.it>, relay=none, delay=1, dsn=4.7.4, status=deferred (delivery temporarily suspended: Cannot start TLS: handshake failure)');
    assert.equal(none.peer, undefined);
  });
});

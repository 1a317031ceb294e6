/**
 * Badges (core/log/explain.ts) and hovers (core/features/log-hover.ts): wording per side,
 * forward secrecy, post-quantum notes, advice, and escaping of everything taken from a log.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyLine, classifyText } from '../../../core/log/classify';
import { badgeFor, failureLabel, mdCode, mdEscape, plainText, type BadgeOptions } from '../../../core/log/explain';
import { hoverLog } from '../../../core/features/log-hover';
import type { FailureKind, LogRecord } from '../../../core/log/record';

const ALL: BadgeOptions = { showKeyExchange: true, showStatus: true, showProtocol: false };

const L = {
  tls13Verified:
    'Nov 28 12:00:00 mail postfix/smtp[1]: Verified TLS connection established to mx.example.net[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  rsaOut: 'Nov 28 12:00:00 mail postfix/smtp[1]: Untrusted TLS connection established to old.example[192.0.2.2]:25: TLSv1.2 with cipher AES256-GCM-SHA384 (256/256 bits)',
  rsaIn: 'Nov 28 12:00:00 mail postfix/smtpd[1]: Anonymous TLS connection established from old.example[192.0.2.2]: TLSv1 with cipher DES-CBC3-SHA (168/168 bits)',
  ecdheIn: 'Nov 28 12:00:00 mail postfix/smtpd[1]: Anonymous TLS connection established from c.example[192.0.2.9]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)',
  adhOut: 'Nov 28 12:00:00 mail postfix/smtp[1]: Anonymous TLS connection established to mx[192.0.2.1]:25: TLSv1.2 with cipher ADH-AES256-GCM-SHA384 (256/256 bits)',
  pqIn: 'postfix/smtpd[2]: Untrusted TLS connection established from c.example[192.0.2.9] to mail.example.org: TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519MLKEM768 server-signature ECDSA (prime256v1) server-digest SHA256',
  tls13NoKex: 'postfix/smtp[1]: Trusted TLS connection reused to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)',
  truncated: 'postfix/smtp[1]: Untrusted TLS connection established to gmail-smtp-in.l.google.com',
  verifiedServer: 'postfix/smtpd[1]: Verified TLS connection established from c.example[192.0.2.9]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)',
  dhe1024: 'postfix/smtp[1]: Trusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange DHE (1024 bits)',
  export: 'postfix/smtpd[1]: Anonymous TLS connection established from c[192.0.2.9]: TLSv1 with cipher EXP-EDH-RSA-DES-CBC-SHA (40/56 bits)',
  staticEcdh: 'postfix/smtp[1]: Trusted TLS connection established to mx[192.0.2.1]:25: TLSv1.2 with cipher ECDH-RSA-AES256-SHA (256/256 bits)',
  handshake: 'postfix/smtpd[1]: SSL_accept error from c.example[192.0.2.9]: -1',
};
const rec = (line: string): LogRecord => classifyLine(line);

describe('badgeFor', () => {
  test('the examples from the brief', () => {
    assert.deepEqual(badgeFor(rec(L.tls13Verified), ALL), { text: 'FS ✓ X25519 · Verified', outcome: 'fs' });
    assert.deepEqual(badgeFor(rec(L.rsaOut), ALL), { text: 'no FS · RSA key exchange · Untrusted', outcome: 'no-fs' });
    assert.deepEqual(badgeFor(rec(L.handshake), ALL), { text: '✗ TLS handshake failed', outcome: 'failure' });
  });
  test('options', () => {
    const r = rec(L.tls13Verified);
    assert.equal(badgeFor(r, { showKeyExchange: false, showStatus: true, showProtocol: false })?.text, 'FS ✓ · Verified');
    assert.equal(badgeFor(r, { showKeyExchange: true, showStatus: false, showProtocol: true })?.text, 'FS ✓ X25519 · TLSv1.3');
    assert.equal(badgeFor(r, { showKeyExchange: false, showStatus: false, showProtocol: false })?.text, 'FS ✓');
    assert.equal(badgeFor(rec(L.rsaOut), { showKeyExchange: false, showStatus: false, showProtocol: true })?.text, 'no FS · TLSv1.2');
  });
  test('inferred, post-quantum, TLS 1.3 without a group, unknown', () => {
    assert.equal(badgeFor(rec(L.ecdheIn), ALL)?.text, 'FS ✓ ECDHE · Anonymous');
    assert.equal(badgeFor(rec(L.pqIn), ALL)?.text, 'FS ✓ X25519MLKEM768 (PQ) · Untrusted');
    assert.equal(badgeFor(rec(L.pqIn), { showKeyExchange: false, showStatus: false, showProtocol: false })?.text, 'FS ✓ PQ');
    assert.equal(badgeFor(rec(L.tls13NoKex), ALL)?.text, 'FS ✓ TLS 1.3 · Trusted');
    assert.equal(badgeFor(rec(L.tls13NoKex), { ...ALL, showProtocol: true })?.text, 'FS ✓ · TLSv1.3 · Trusted');
    assert.deepEqual(badgeFor(rec(L.truncated), ALL), { text: 'FS ? · Untrusted', outcome: 'unknown' });
    assert.equal(badgeFor(rec(L.dhe1024), ALL)?.text, 'FS ✓ DHE (1024 bits) · Trusted');
    assert.equal(badgeFor(rec(L.export), ALL)?.text, 'no FS · export-grade cipher · Anonymous');
    assert.equal(badgeFor(rec(L.staticEcdh), ALL)?.text, 'no FS · static ECDH key exchange · Trusted');
  });
  test('Received: headers get a badge, other lines none', () => {
    const r = classifyText('Received: from h (h [192.0.2.1])\n\t(using TLSv1.2 with cipher AES128-SHA (128/128 bits))\n\t(No client certificate requested)')[0].record;
    assert.deepEqual(badgeFor(r, ALL), { text: 'no FS · RSA key exchange · Anonymous', outcome: 'no-fs' });
    assert.equal(badgeFor(rec('postfix/qmgr[1]: 3F5A2194AA9: removed'), ALL), undefined);
    assert.equal(badgeFor(rec('x: to=<a@b>, relay=r[1.2.3.4]:25, tls=may:none, dsn=2.0.0, status=sent'), ALL), undefined);
  });
  test('every failure kind has a label', () => {
    const kinds: FailureKind[] = ['handshake', 'tls-library', 'cert-verification', 'server-cert-untrusted', 'lost-after-starttls', 'tls-not-offered', 'no-shared-cipher', 'protocol', 'other'];
    const labels = new Set(kinds.map((k) => failureLabel(k)));
    assert.equal(labels.size, kinds.length);
    assert.equal(badgeFor(rec('postfix/smtpd[1]: warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:'), ALL)?.text, '✗ no shared cipher');
    assert.equal(badgeFor(rec('postfix/smtpd[1]: lost connection after STARTTLS from c[192.0.2.9]'), ALL)?.text, '✗ lost connection after STARTTLS');
  });
  test('badges carry no control or bidi characters from the log', () => {
    const r = rec('postfix/smtp[1]: Trusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher X (1/1 bits) key-exchange evil\u202e\u0007name');
    const text = badgeFor(r, ALL)?.text ?? '';
    assert.doesNotMatch(text, /[\u0000-\u001f\u202e]/);
  });
});

/** Removes CommonMark code spans (a backtick run closed by a run of the same length). */
function stripCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] !== '`') {
      out += md[i++];
      continue;
    }
    let n = 0;
    while (md[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let j = i + n;
    let close = -1;
    while ((j = md.indexOf(fence, j)) >= 0) {
      if (md[j + n] !== '`' && md[j - 1] !== '`') {
        close = j;
        break;
      }
      while (md[j] === '`') j++;
    }
    if (close < 0) {
      out += fence;
      i += n;
    } else i = close + n;
  }
  return out;
}

function assertNoActiveMarkup(md: string, evil: string[]): void {
  const outside = stripCodeSpans(md);
  for (const e of evil) assert.ok(!outside.includes(e), `log text outside a code span: ${e}\n${md}`);
  assert.doesNotMatch(outside, /\]\(/, 'link syntax outside code spans');
  assert.doesNotMatch(outside, /<[a-zA-Z!/]/, 'HTML outside code spans');
  assert.doesNotMatch(outside, /command:/, 'command link outside code spans');
}

describe('hoverLog', () => {
  test('server-side Anonymous: no client certificate, the usual case', () => {
    const h = hoverLog(rec(L.ecdheIn));
    assert.match(h, /\*\*Forward secrecy: yes\*\*/);
    assert.match(h, /Inbound/);
    assert.match(h, /client sent no certificate/);
    assert.match(h, /smtpd_tls_ask_ccert/);
    assert.match(h, /ECDHE/);
    assert.doesNotMatch(h, /anonymous cipher suite/);
  });
  test('client-side Anonymous: an anonymous cipher suite', () => {
    const h = hoverLog(rec(L.adhOut));
    assert.match(h, /Outbound/);
    assert.match(h, /anonymous cipher suite/);
    assert.match(h, /not authenticated/);
  });
  test('Verified: authenticated on the client, never on the server', () => {
    assert.match(hoverLog(rec(L.tls13Verified)), /authenticated/);
    assert.match(hoverLog(rec(L.verifiedServer)), /never logs `Verified` for inbound/);
  });
  test('no forward secrecy inbound: what to check locally', () => {
    const h = hoverLog(rec(L.rsaIn));
    assert.match(h, /\*\*Forward secrecy: no\*\*/);
    assert.match(h, /long-term RSA key/);
    assert.match(h, /smtpd_tls_exclude_ciphers/);
    assert.match(h, /smtpd_tls_dh1024_param_file/);
    assert.match(h, /tls_eecdh_auto_curves/);
    assert.match(h, /tls_preempt_cipherlist/);
  });
  test('no forward secrecy outbound: the remote side, per-destination policy', () => {
    const h = hoverLog(rec(L.rsaOut));
    assert.match(h, /remote server only offers/);
    assert.match(h, /smtp_tls_policy_maps/);
    assert.doesNotMatch(h, /smtpd_tls_exclude_ciphers/);
  });
  test('export and static DH advice', () => {
    assert.match(hoverLog(rec(L.export)), /Export suites/);
    assert.match(hoverLog(rec(L.staticEcdh)), /!kDH:!kECDH/);
  });
  test('post-quantum and not post-quantum', () => {
    const pq = hoverLog(rec(L.pqIn));
    assert.match(pq, /post-quantum/i);
    assert.match(pq, /ML-KEM/);
    assert.match(pq, /SNI/);
    const classic = hoverLog(rec(L.tls13Verified));
    assert.match(classic, /Not post-quantum/);
    assert.match(classic, /X25519MLKEM768/);
  });
  test('weak DH group, reused connection, unknown forward secrecy', () => {
    assert.match(hoverLog(rec(L.dhe1024)), /1024-bit Diffie-Hellman group is weak/);
    assert.match(hoverLog(rec(L.tls13NoKex)), /connection cache/);
    const u = hoverLog(rec(L.truncated));
    assert.match(u, /Forward secrecy: unknown/);
    assert.match(u, /smtp_tls_loglevel/);
  });
  test('Received: header hover explains the client-certificate comment', () => {
    const r = classifyText(
      'Received: from h (h [192.0.2.1])\n\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)\n\t key-exchange X25519MLKEM768)\n\t(Client CN "h.example", Issuer "Example CA" (verified OK))',
    )[0].record;
    const h = hoverLog(r);
    assert.match(h, /Received: header/);
    assert.match(h, /derived from the client-certificate comment/);
    assert.match(h, /validated against/);
  });
  test('every failure kind explains itself', () => {
    const lines = [
      'postfix/smtpd[1]: SSL_accept error from c[192.0.2.9]: lost connection',
      'postfix/smtpd[1]: warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading:',
      'postfix/smtp[1]: certificate verification failed for mx[192.0.2.1]:25: self-signed certificate',
      'postfix/smtp[1]: 1A: status=deferred (Server certificate not verified)',
      'postfix/smtpd[1]: lost connection after STARTTLS from c[192.0.2.9]',
      'postfix/smtp[1]: 1A: status=deferred (TLS is required, but was not offered by host mx[192.0.2.1])',
      'postfix/smtpd[1]: warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:',
      'postfix/smtpd[1]: warning: TLS library problem: error:0A000102:SSL routines::unsupported protocol:',
      'postfix/smtpd[1]: cannot load Certificate Authority data: disabling TLS support',
      'postfix/smtpd[1]: warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:',
      'postfix/smtp[1]: warning: TLSA lookup error for mx.example.org:25',
    ];
    const texts = lines.map((l) => hoverLog(rec(l)));
    for (const [i, t] of texts.entries()) {
      assert.ok(t.length > 80, lines[i]);
      assert.match(t, /^\*\*/);
      assert.match(t, /Logged: `/);
    }
    assert.equal(new Set(texts.map((t) => t.split('\n')[0])).size, lines.length, 'distinct titles');
    assert.match(texts[9], /chain/);
    assert.match(texts[7], /protocol version/);
  });
  test('tls= delivery field hover', () => {
    const h = hoverLog(rec('x: to=<a@b>, relay=r[1.2.3.4]:25, tls=may:none, dsn=2.0.0, status=sent'));
    assert.match(h, /without TLS/);
    assert.equal(hoverLog(rec('postfix/qmgr[1]: 3F5A2194AA9: removed')), '');
  });

  test('text from the log never becomes a link, HTML or a command link', () => {
    const evil = ['[click](command:workbench.action.terminal.new)', '<img src=x onerror=alert(1)>', '*bold*', '`tick`', '](http://evil.example/)'];
    const peers = [
      `${evil[0]}[192.0.2.1]:25`,
      `a${evil[1]}[192.0.2.1]`,
      `x\`\`\`y[${evil[0]}]`,
    ];
    for (const p of peers) {
      for (const line of [
        `postfix/smtp[1]: Untrusted TLS connection established to ${p}: TLSv1.2 with cipher ${evil[0]} (1/1 bits)`,
        `postfix/smtpd[1]: Anonymous TLS connection established from ${p} to ${evil[1]}: TLSv1.3 with cipher X (1/1 bits) key-exchange ${evil[0]}`,
        `postfix/smtpd[1]: SSL_accept error from ${p}: ${evil[1]}`,
        `postfix/smtp[1]: certificate verification failed for ${p}: untrusted issuer ${evil[0]}`,
        `x: to=<a@b>, relay=${p}, tls=${evil[0]}, dsn=2.0.0`,
      ]) {
        const h = hoverLog(rec(line));
        assert.ok(h.length > 0, line);
        assertNoActiveMarkup(h, ['command:workbench', 'onerror=', 'evil.example']);
      }
    }
    const header = classifyText(`Received: from ${evil[0]} (${evil[1]} [192.0.2.1])\n\t(using TLSv1.2 with cipher AES128-SHA (128/128 bits))\n\t(Client CN "${evil[0]}", Issuer "${evil[1]}" (verified OK))`)[0].record;
    assertNoActiveMarkup(hoverLog(header), ['command:workbench', 'onerror=']);
  });

  test('random log text stays inside code spans (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const marker = 'Zq9';
        const line = `postfix/smtpd[1]: Anonymous TLS connection established from ${marker}${a.replace(/\s/g, '')}[192.0.2.1] to ${marker}${b.replace(/\s/g, '')}: TLSv1.3 with cipher ${marker}C (1/1 bits)`;
        const h = hoverLog(rec(line));
        assert.ok(!stripCodeSpans(h).includes(marker), h);
      }),
      { numRuns: 500 },
    );
  });
});

describe('escaping helpers', () => {
  test('mdCode picks a fence longer than any backtick run', () => {
    assert.equal(mdCode('abc'), '`abc`');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('``x'), '``` ``x ```');
    assert.equal(mdCode(''), '*(empty)*');
    assert.equal(mdCode('a\nb\u202ec'), '`a b c`');
    assert.ok(mdCode('x'.repeat(500)).length < 130);
  });
  test('mdEscape escapes all punctuation', () => {
    assert.equal(mdEscape('[a](command:x) <b>'), '\\[a\\]\\(command\\:x\\) &lt;b&gt;');
  });
  test('plainText removes control characters', () => {
    assert.equal(plainText('a\u001b[31mb\u0000'), 'a [31mb ');
  });
});

describe('certificate failures: who rejected whose certificate', () => {
  const verifyFailed = (d: string) => `postfix/${d}[1]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:ssl/statem/statem_clnt.c:2092:`;
  const badCertAlert = (d: string) => `postfix/${d}[1]: warning: TLS library problem: error:0A000412:SSL routines::sslv3 alert bad certificate:ssl/record/rec_layer_s3.c:1605:SSL alert number 42:`;
  for (const d of ['smtp', 'smtpd']) {
    test(`${d}: "certificate verify failed" is this side failing to validate the peer's certificate`, () => {
      const r = rec(verifyFailed(d));
      assert.equal(badgeFor(r, ALL)?.text, '✗ certificate verification failed');
      const h = hoverLog(r);
      assert.doesNotMatch(h, /rejected our certificate|alert about the certificate this/);
      assert.match(h, d === 'smtp' ? /checked the remote server\u2019s certificate/ : /checked the certificate the client presented/);
      assert.match(h, /Nothing is wrong with this server\u2019s own certificate/);
    });
    test(`${d}: a certificate alert means the peer rejected OUR certificate`, () => {
      const r = rec(badCertAlert(d));
      assert.equal(badgeFor(r, ALL)?.text, '✗ peer rejected our certificate');
      const h = hoverLog(r);
      assert.match(h, d === 'smtp' ? /certificate this Postfix client presented.*smtp_tls_cert_file/s : /certificate this server presented.*smtpd_tls_chain_files/s);
    });
  }
});

describe('unknown cipher names: nothing is guessed', () => {
  const unknown = 'postfix/smtp[1]: Untrusted TLS connection established to h[192.0.2.5]:25: TLSv1.2 with cipher FOO-BAR (256/256 bits)';
  test('badge and hover say unknown, with no key exchange', () => {
    const r = rec(unknown);
    assert.equal(r.forwardSecrecy, 'unknown');
    assert.equal(r.keyExchange, undefined);
    assert.equal(badgeFor(r, ALL)?.text, 'FS ? · Untrusted');
    const h = hoverLog(r);
    assert.match(h, /^\*\*Forward secrecy: unknown\*\*/);
    assert.match(h, /does not know the cipher name/);
    assert.doesNotMatch(h, /RSA|Key exchange:|smtp_tls_loglevel/);
  });
  test('known static-RSA suites stay "no FS · RSA"', () => {
    for (const c of ['AES256-SHA', 'AES128-GCM-SHA256', 'DES-CBC3-SHA']) {
      const r = rec(unknown.replace('FOO-BAR', c));
      assert.equal(badgeFor(r, ALL)?.text, 'no FS · RSA key exchange · Untrusted', c);
      assert.deepEqual(r.keyExchange, { name: 'RSA', logged: false }, c);
    }
  });
});

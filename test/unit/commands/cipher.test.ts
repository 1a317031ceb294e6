import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { explainCipher } from '../../../core/cipher';
import { escapeMarkdown } from '../../../core/markdown';
import { cipherForwardSecrecy } from '../../../core/log/classify';

describe('explainCipher: OpenSSL names', () => {
  test('ECDHE-RSA-AES256-GCM-SHA384 is forward secret', () => {
    const e = explainCipher('ECDHE-RSA-AES256-GCM-SHA384');
    assert.equal(e.kind, 'openssl');
    assert.equal(e.forwardSecrecy, 'yes');
    assert.equal(e.keyExchange, 'ECDHE');
    assert.equal(e.authentication, 'RSA');
    assert.equal(e.encryption, 'AES-256-GCM');
    assert.match(e.mac, /^AEAD \(GCM\); SHA384/);
    assert.ok(e.notes.some((n) => /Forward secrecy: yes/.test(n)));
    assert.match(e.markdown, /\*\*Forward secrecy: yes\*\*/);
  });

  test('DHE and EDH spellings', () => {
    for (const c of ['DHE-RSA-AES128-SHA', 'EDH-RSA-DES-CBC3-SHA', 'DHE-DSS-AES256-GCM-SHA384']) {
      const e = explainCipher(c);
      assert.equal(e.forwardSecrecy, 'yes', c);
      assert.equal(e.keyExchange, 'DHE', c);
    }
    const e = explainCipher('EDH-RSA-DES-CBC3-SHA');
    assert.equal(e.encryption, '3DES-EDE-CBC');
    assert.equal(e.mac, 'HMAC-SHA1');
    assert.ok(e.notes.some((n) => /Sweet32/.test(n)));
  });

  test('static RSA: AES256-SHA has no forward secrecy', () => {
    const e = explainCipher('AES256-SHA');
    assert.equal(e.forwardSecrecy, 'no');
    assert.equal(e.keyExchange, 'RSA');
    assert.equal(e.authentication, 'RSA');
    assert.equal(e.encryption, 'AES-256-CBC');
    assert.equal(e.mac, 'HMAC-SHA1');
    assert.ok(e.notes.some((n) => /private key/.test(n)));
  });

  test('static ECDH/DH are not ECDHE/DHE', () => {
    for (const c of ['ECDH-RSA-AES256-SHA', 'ECDH-ECDSA-AES128-GCM-SHA256', 'DH-RSA-AES256-SHA', 'DH-DSS-AES128-SHA']) {
      const e = explainCipher(c);
      assert.equal(e.forwardSecrecy, 'no', c);
      assert.match(e.keyExchange, /static/, c);
    }
  });

  test('anonymous suites are forward secret but unauthenticated', () => {
    for (const c of ['ADH-AES256-GCM-SHA384', 'AECDH-AES256-SHA']) {
      const e = explainCipher(c);
      assert.equal(e.forwardSecrecy, 'yes', c);
      assert.equal(e.authentication, 'none (anonymous)', c);
      assert.ok(e.notes.some((n) => /Anonymous suite/.test(n)), c);
    }
  });

  test('export suites count as no forward secrecy, even with EDH', () => {
    const e = explainCipher('EXP-EDH-RSA-DES-CBC-SHA');
    assert.equal(e.forwardSecrecy, 'no');
    assert.match(e.keyExchange, /DHE \(export grade\)/);
    assert.match(e.encryption, /40-bit/);
    assert.ok(e.notes.some((n) => /512 bits/.test(n)));
    const r = explainCipher('EXP-RC4-MD5');
    assert.equal(r.forwardSecrecy, 'no');
    assert.match(r.encryption, /RC4 \(40-bit export\)/);
    assert.ok(r.notes.some((n) => /MD5/.test(n)));
  });

  test('lower case input is understood', () => {
    assert.equal(explainCipher('ecdhe-ecdsa-chacha20-poly1305').forwardSecrecy, 'yes');
    assert.equal(explainCipher('  ecdhe-ecdsa-chacha20-poly1305 \n').encryption, 'ChaCha20-Poly1305');
  });

  test('PSK family', () => {
    assert.equal(explainCipher('PSK-AES256-GCM-SHA384').forwardSecrecy, 'no');
    assert.equal(explainCipher('RSA-PSK-AES256-GCM-SHA384').forwardSecrecy, 'no');
    assert.equal(explainCipher('DHE-PSK-AES256-GCM-SHA384').forwardSecrecy, 'yes');
    assert.equal(explainCipher('ECDHE-PSK-CHACHA20-POLY1305').forwardSecrecy, 'yes');
  });

  test('NULL encryption is called out', () => {
    const e = explainCipher('ECDHE-RSA-NULL-SHA');
    assert.equal(e.encryption, 'none');
    assert.ok(e.notes.some((n) => /clear text/.test(n)));
  });
});

describe('explainCipher: IANA and TLS 1.3 names', () => {
  test('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', () => {
    const e = explainCipher('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    assert.equal(e.kind, 'iana');
    assert.equal(e.forwardSecrecy, 'yes');
    assert.equal(e.keyExchange, 'ECDHE');
    assert.equal(e.authentication, 'RSA');
    assert.equal(e.encryption, 'AES-256-GCM');
  });

  test('static and anonymous IANA names', () => {
    assert.equal(explainCipher('TLS_RSA_WITH_AES_128_CBC_SHA').forwardSecrecy, 'no');
    assert.equal(explainCipher('TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA').forwardSecrecy, 'no');
    assert.equal(explainCipher('TLS_DH_anon_WITH_AES_128_CBC_SHA').forwardSecrecy, 'yes');
    assert.equal(explainCipher('TLS_ECDH_anon_WITH_AES_128_CBC_SHA').authentication, 'none (anonymous)');
    assert.equal(explainCipher('SSL_RSA_WITH_RC4_128_MD5').forwardSecrecy, 'no');
    assert.equal(explainCipher('SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA').forwardSecrecy, 'yes');
    assert.equal(explainCipher('TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA').forwardSecrecy, 'no');
  });

  test('TLS 1.3 suites are always forward secret', () => {
    for (const c of ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_8_SHA256']) {
      const e = explainCipher(c);
      assert.equal(e.kind, 'tls13', c);
      assert.equal(e.forwardSecrecy, 'yes', c);
      assert.match(e.keyExchange, /TLS 1\.3/, c);
    }
    assert.equal(explainCipher('TLS_AES_128_CCM_8_SHA256').encryption, 'AES-128-CCM-8');
  });
});

describe('explainCipher: bad input', () => {
  test('unknown words and empty input never throw', () => {
    for (const s of ['', '   ', 'HELLO', 'RSA', 'TLS_FOO_WITH_BAR', '\u0000\u0001', 'x'.repeat(200000)]) {
      const e = explainCipher(s);
      assert.equal(e.forwardSecrecy, 'unknown');
      assert.equal(e.kind, 'unrecognised');
      assert.ok(e.markdown.length < 10000);
    }
  });

  test('markdown never carries links or HTML from the input', () => {
    const e = explainCipher('[click](command:evil) <img src=x> `code`');
    assert.doesNotMatch(e.markdown, /\]\(command:/);
    assert.doesNotMatch(e.markdown, /(?<!\\)<img/);
    assert.doesNotMatch(e.markdown, /(?<!\\)`/);
    assert.equal(escapeMarkdown('[a](b)'), '\\[a\\]\\(b\\)');
  });
});

describe('explainCipher: log lines (through the one classifier)', () => {
  test('TLS 1.3 summary with key exchange', () => {
    const line =
      'Nov 28 10:00:00 mx postfix/smtp[123]: Untrusted TLS connection established to mx.example.com[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256';
    const e = explainCipher(line);
    assert.equal(e.kind, 'log-line');
    assert.equal(e.cipher, 'TLS_AES_256_GCM_SHA384');
    assert.equal(e.protocol, 'TLSv1.3');
    assert.equal(e.forwardSecrecy, 'yes');
    assert.equal(e.keyExchange, 'X25519');
    assert.match(e.authentication, /RSA-PSS/);
    assert.ok(e.notes.some((n) => /Untrusted/.test(n)));
  });

  test('TLS 1.2 static RSA line', () => {
    const line = 'Nov 28 10:00:00 mx postfix/smtpd[9]: Anonymous TLS connection established from a.example[198.51.100.7]: TLSv1.2 with cipher AES256-GCM-SHA384 (256/256 bits)';
    const e = explainCipher(line);
    assert.equal(e.kind, 'log-line');
    assert.equal(e.forwardSecrecy, 'no');
    assert.equal(e.keyExchange, 'RSA');
  });

  test('Received: header', () => {
    const e = explainCipher('Received: from a.example (a.example [192.0.2.9]) (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) (No client certificate requested) by mx.example (Postfix) with ESMTPS id 4AbC');
    assert.equal(e.cipher, 'ECDHE-RSA-AES256-GCM-SHA384');
    assert.equal(e.forwardSecrecy, 'yes');
  });

  test('a line without a cipher is explained as such', () => {
    const e = explainCipher('Nov 28 10:00:00 mx postfix/smtpd[9]: connect from a.example[198.51.100.7]');
    assert.equal(e.forwardSecrecy, 'unknown');
    assert.ok(e.notes[0].length > 0);
  });
});

describe('explainCipher agrees with openssl and the log classifier', () => {
  test('every cipher this openssl knows', () => {
    const out = execFileSync('openssl', ['ciphers', '-v', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
    let n = 0;
    for (const row of out.split('\n')) {
      const cols = row.trim().split(/\s+/);
      if (cols.length < 6) continue;
      const [name] = cols;
      const get = (k: string) => cols.find((c) => c.startsWith(k + '='))?.slice(k.length + 1) ?? '';
      const kx = get('Kx');
      const au = get('Au');
      const enc = get('Enc');
      const mac = get('Mac');
      const e = explainCipher(name);
      assert.notEqual(e.kind, 'unrecognised', name);
      n++;
      // Forward secrecy: same verdict as the one log classifier.
      assert.equal(e.forwardSecrecy, cipherForwardSecrecy(name).fs, `${name}: forward secrecy`);
      // Key exchange family.
      const want: Record<string, RegExp> = {
        any: /TLS 1\.3/,
        ECDH: /^ECDHE$|^ECDH \(static\)$/,
        DH: /^DHE$|^DH \(static\)$/,
        RSA: /^RSA$/,
        PSK: /^PSK$/,
        RSAPSK: /^RSA-PSK$/,
        DHEPSK: /^DHE-PSK$/,
        ECDHEPSK: /^ECDHE-PSK$/,
        SRP: /^SRP$/,
      };
      if (want[kx]) assert.match(e.keyExchange, want[kx], `${name}: key exchange`);
      // Authentication.
      const auWant: Record<string, string> = { RSA: 'RSA', ECDSA: 'ECDSA', DSS: 'DSA (DSS)', None: 'none (anonymous)', PSK: 'PSK', SRP: 'SRP' };
      if (auWant[au]) assert.equal(e.authentication, auWant[au], `${name}: authentication`);
      // Encryption family and size, e.g. AESGCM(256) -> AES-256-GCM.
      const em = /^([A-Za-z0-9/]+)\((\d+)\)$/.exec(enc);
      if (em) {
        const fam = em[1].toUpperCase().replace('/POLY1305', '').replace(/(GCM|CCM8|CCM)$/, '');
        assert.ok(e.encryption.toUpperCase().includes(fam.replace('CHACHA20', 'CHACHA20')), `${name}: encryption ${e.encryption} vs ${enc}`);
        if (fam !== 'CHACHA20' && fam !== '3DES') assert.ok(e.encryption.includes(em[2]), `${name}: bits ${e.encryption} vs ${enc}`);
      } else if (enc === 'None') {
        assert.equal(e.encryption, 'none', name);
      }
      if (mac === 'AEAD') assert.match(e.mac, /^AEAD/, `${name}: mac`);
      else if (mac === 'SHA1') assert.equal(e.mac, 'HMAC-SHA1', name);
      else if (mac) assert.equal(e.mac, `HMAC-${mac}`, name);
    }
    assert.ok(n > 50, `only ${n} ciphers listed by openssl`);
  });

  test('every IANA name this openssl knows', () => {
    const out = execFileSync('openssl', ['ciphers', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
    let n = 0;
    for (const row of out.split('\n')) {
      const cols = row.trim().split(/\s+/);
      if (cols.length < 3 || !cols[0].startsWith('TLS_')) continue;
      const iana = cols[0];
      const ossl = cols[2];
      const a = explainCipher(iana);
      const b = explainCipher(ossl);
      assert.notEqual(a.kind, 'unrecognised', iana);
      assert.equal(a.forwardSecrecy, b.forwardSecrecy, `${iana} vs ${ossl}`);
      assert.equal(a.keyExchange, b.keyExchange, `${iana} vs ${ossl}`);
      assert.equal(a.encryption, b.encryption, `${iana} vs ${ossl}`);
      assert.equal(a.mac.replace(/; .*/, ''), b.mac.replace(/; .*/, ''), `${iana} vs ${ossl}`);
      n++;
    }
    assert.ok(n > 50);
  });
});

describe('explainCipher: never throws', () => {
  test('arbitrary text and cipher-like words', async () => {
    const fc = (await import('fast-check')).default;
    const word = fc.constantFrom('ECDHE', 'DHE', 'EDH', 'ADH', 'AECDH', 'ECDH', 'DH', 'RSA', 'PSK', 'EXP', 'AES256', 'GCM', 'SHA', 'CBC3', 'DES', 'TLS', 'WITH', '');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(word, { maxLength: 7 }).map((w) => w.join('-')), fc.array(word, { maxLength: 7 }).map((w) => 'TLS_' + w.join('_'))), (s) => {
        const e = explainCipher(s);
        assert.ok(['yes', 'no', 'unknown'].includes(e.forwardSecrecy));
        assert.equal(typeof e.markdown, 'string');
      }),
      { numRuns: 500 },
    );
  });
});

describe('explainCipher: a cipher in a log line the tables do not know', () => {
  test('key exchange and forward secrecy unknown, as for the bare name; no RSA guessed', () => {
    const line = explainCipher('postfix/smtp[1]: Untrusted TLS connection established to h[192.0.2.5]:25: TLSv1.2 with cipher FOO-BAR (256/256 bits)');
    const name = explainCipher('FOO-BAR');
    assert.deepEqual([line.forwardSecrecy, line.keyExchange], ['unknown', 'unknown']);
    assert.deepEqual([name.forwardSecrecy, name.keyExchange], ['unknown', 'unknown']);
    assert.doesNotMatch(line.markdown, /RSA/);
  });
});

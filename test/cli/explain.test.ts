import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';

const run = (args: string[]) => runCli(['explain', ...args]);

describe('postfix-tls explain', () => {
  test('an OpenSSL cipher name, as text', async () => {
    const r = await run(['ECDHE-RSA-AES256-GCM-SHA384']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ECDHE-RSA-AES256-GCM-SHA384\n/);
    assert.match(r.stdout, /Forward secrecy: +yes/);
    assert.match(r.stdout, /Key exchange: +ECDHE/);
    assert.match(r.stdout, /Authentication: +RSA/);
    assert.match(r.stdout, /Encryption: +AES-256-GCM/);
  });

  test('json output', async () => {
    const r = await run(['--format', 'json', 'AES256-SHA']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.stdout);
    assert.equal(j.forwardSecrecy, 'no');
    assert.equal(j.keyExchange, 'RSA');
    assert.equal(j.kind, 'openssl');
    assert.ok(Array.isArray(j.notes));
    assert.equal(j.markdown, undefined);
  });

  test('an IANA name and a TLS 1.3 suite', async () => {
    let r = await run(['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', '--format=json']);
    assert.equal(JSON.parse(r.stdout).forwardSecrecy, 'yes');
    r = await run(['TLS_AES_256_GCM_SHA384']);
    assert.match(r.stdout, /Forward secrecy: +yes/);
  });

  test('a whole log line, given as several words', async () => {
    const line = 'Nov 28 10:00:00 mx postfix/smtpd[9]: Anonymous TLS connection established from a.example[198.51.100.7]: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)';
    const r = await run(line.split(' '));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ECDHE-RSA-AES128-GCM-SHA256\n/);
    assert.match(r.stdout, /Protocol: +TLSv1\.2/);
    assert.match(r.stdout, /Forward secrecy: +yes/);
  });

  test('unrecognised input exits 1, control characters are not echoed', async () => {
    const r = await run(['NOT-A-\u001b[31mCIPHER']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /\u001b/);
    assert.match(r.stdout, /Forward secrecy: +unknown/);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['--format', 'xml', 'AES256-SHA'])).code, 2);
    assert.equal((await run(['--bogus', 'AES256-SHA'])).code, 2);
    assert.equal((await run(['--', '--weird'])).code, 1);
  });
});

describe('postfix-tls explain: one verdict for a cipher, however it is given', () => {
  test('an unknown cipher name and a log line with it both say: key exchange and forward secrecy unknown', async () => {
    const line = 'postfix/smtp[1]: Untrusted TLS connection established to h[192.0.2.5]:25: TLSv1.2 with cipher FOO-BAR (256/256 bits)';
    const fromLine = JSON.parse((await run(['--format', 'json', line])).stdout) as { forwardSecrecy: string; keyExchange: string };
    const fromName = JSON.parse((await run(['--format', 'json', 'FOO-BAR'])).stdout) as { forwardSecrecy: string; keyExchange: string };
    assert.deepEqual([fromLine.forwardSecrecy, fromLine.keyExchange], ['unknown', 'unknown']);
    assert.deepEqual([fromName.forwardSecrecy, fromName.keyExchange], ['unknown', 'unknown']);
    assert.doesNotMatch((await run([line])).stdout, /Key exchange: +RSA/);
  });
  test('a known static-RSA suite: no forward secrecy, RSA, from the name and from a line', async () => {
    for (const c of ['AES256-SHA', 'AES128-GCM-SHA256', 'DES-CBC3-SHA']) {
      const line = `postfix/smtp[1]: Untrusted TLS connection established to h[192.0.2.5]:25: TLSv1.2 with cipher ${c} (256/256 bits)`;
      for (const input of [c, line]) {
        const e = JSON.parse((await run(['--format', 'json', input])).stdout) as { forwardSecrecy: string; keyExchange: string };
        assert.deepEqual([e.forwardSecrecy, e.keyExchange], ['no', 'RSA'], input);
      }
    }
  });
});

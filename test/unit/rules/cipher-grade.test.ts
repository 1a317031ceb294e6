import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('cipher-grade rule', () => {
  test('export and low are weak before 3.8', () => {
    const f = withCode(run('smtpd_tls_ciphers = export\nsmtpd_tls_mandatory_ciphers = low\n', undefined, { postfixVersion: '3.7' }), 'fs.weak-cipher-grade');
    assert.equal(f.length, 2);
    assert.match(f[0].message, /export-grade ciphers/);
    assert.equal(f[0].level, 'warning');
  });

  test('from 3.8 low and export are just medium', () => {
    const main = 'smtp_tls_ciphers = low\n';
    const f = withCode(run(main, undefined, { postfixVersion: '3.8' }), 'fs.cipher-grade-alias');
    assert.equal(f[0].message, msg('fs.cipher-grade-alias', { name: 'smtp_tls_ciphers', value: 'low' }));
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtp_tls_ciphers = medium\n');
  });

  test('null means no encryption', () => {
    const f = withCode(run('smtpd_tls_mandatory_ciphers = null\n'), 'fs.null-cipher-grade');
    assert.equal(f[0].level, 'error');
  });

  test('high for opportunistic client TLS, also as an override', () => {
    assert.equal(withCode(run('smtp_tls_ciphers = high\n'), 'fs.client-cipher-grade-high').length, 1);
    assert.equal(withCode(run(undefined, 'relay unix - - n - - smtp\n  -o smtp_tls_ciphers=high\n'), 'fs.client-cipher-grade-high').length, 1);
  });

  test('medium everywhere, and high for the server or mandatory TLS, are fine', () => {
    const f = run('smtp_tls_ciphers = medium\nsmtpd_tls_ciphers = high\nsmtp_tls_mandatory_ciphers = high\n');
    assert.deepEqual(f.filter((x) => x.code.startsWith('fs.')), []);
  });
});

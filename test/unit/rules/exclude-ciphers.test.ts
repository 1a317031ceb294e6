import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, msg, run, withCode } from './helpers';

describe('exclude-ciphers rule', () => {
  test('excluding kEECDH / EDH removes forward secrecy', () => {
    const main = 'smtpd_tls_exclude_ciphers = aNULL, kEECDH, MD5\nsmtp_tls_mandatory_exclude_ciphers = EDH\n';
    const f = withCode(run(main), 'fs.exclude-removes-fs');
    assert.equal(f.length, 2);
    assert.equal(at(f[0]), '1:36');
    assert.equal(f[0].message, msg('fs.exclude-removes-fs', { item: 'kEECDH', name: 'smtpd_tls_exclude_ciphers', kind: 'ECDHE' }));
    assert.equal(f[1].message, msg('fs.exclude-removes-fs', { item: 'EDH', name: 'smtp_tls_mandatory_exclude_ciphers', kind: 'DHE' }));
    assert.equal(applyFix(main, f[0].fixes![0]).split('\n')[0], 'smtpd_tls_exclude_ciphers = aNULL, MD5');
  });

  test('ordinary exclusions and intersections are fine', () => {
    assert.deepEqual(withCode(run('smtpd_tls_exclude_ciphers = aNULL, RC4, MD5, kEDH+aDSS, DES\n'), 'fs.exclude-removes-fs'), []);
  });
});

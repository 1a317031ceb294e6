import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('legacy-tls rule', () => {
  test('use_tls = yes becomes security level may', () => {
    const main = 'smtpd_use_tls = yes\n';
    const f = withCode(run(main, undefined, { postfixVersion: '3.8' }), 'tls.legacy-tls-switch');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('tls.legacy-tls-switch', { name: 'smtpd_use_tls', replacement: 'smtpd_tls_security_level', level: 'may', ignored: '', deprecated: '' }));
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtpd_tls_security_level = may\n');
  });

  test('enforce_tls = yes becomes encrypt; the use_tls line is removed', () => {
    const main = 'smtp_use_tls = yes\nsmtp_enforce_tls = yes\n';
    const f = withCode(run(main), 'tls.legacy-tls-switch');
    assert.equal(f.length, 2);
    assert.match(f[0].message, /Postfix 3.9 and later report the old switch as deprecated/);
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtp_enforce_tls = yes\n');
    assert.equal(applyFix(main, f[1].fixes![0]), 'smtp_use_tls = yes\nsmtp_tls_security_level = encrypt\n');
    assert.deepEqual(withCode(run(main), 'postconf.deprecated-parameter'), []);
  });

  test('ignored when the security level is set; -o overrides use the same rule', () => {
    const f = withCode(run('smtpd_tls_security_level = encrypt\nsmtpd_use_tls = yes\n'), 'tls.legacy-tls-switch');
    assert.match(f[0].message, /ignored because 'smtpd_tls_security_level' is set/);
    const m = withCode(run(undefined, 'smtps inet n - n - - smtpd\n  -o smtpd_enforce_tls=yes\n'), 'tls.legacy-tls-switch');
    assert.equal(applyFix('smtps inet n - n - - smtpd\n  -o smtpd_enforce_tls=yes\n', m[0].fixes![0]), 'smtps inet n - n - - smtpd\n  -o smtpd_tls_security_level=encrypt\n');
  });

  test('the security level alone is fine', () => {
    assert.deepEqual(withCode(run('smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n'), 'tls.legacy-tls-switch'), []);
  });
});

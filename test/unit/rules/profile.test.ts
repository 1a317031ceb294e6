import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('profile rule', () => {
  test('mozilla-modern expects TLS 1.3 for mandatory TLS', () => {
    const main = 'smtpd_tls_mandatory_protocols = >=TLSv1.2\n';
    const f = withCode(run(main, undefined, { profile: 'mozilla-modern' }), 'profile.protocols-below-profile');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('profile.protocols-below-profile', { profile: 'mozilla-modern', expected: 'TLS 1.3 only', name: 'smtpd_tls_mandatory_protocols', allowed: "'TLSv1.2'", recommended: '>=TLSv1.3' }));
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtpd_tls_mandatory_protocols = >=TLSv1.3\n');
  });

  test('ncsc: an unset mandatory list is below the profile; the fix adds it', () => {
    const main = 'myhostname = mx\n';
    const f = withCode(run(main, undefined, { profile: 'ncsc' }), 'profile.protocols-default-below-profile');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'info');
    assert.equal(applyFix(main, f[0].fixes![0]), 'myhostname = mx\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n');
  });

  test('settings that meet the profile, and the postfix-defaults profile, report nothing', () => {
    assert.deepEqual(run('smtpd_tls_mandatory_protocols = >=TLSv1.2\nsmtp_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1\n', undefined, { profile: 'ncsc' }).filter((x) => x.code.startsWith('profile.')), []);
    assert.deepEqual(run('smtpd_tls_mandatory_protocols = >=TLSv1\n').filter((x) => x.code.startsWith('profile.')), []);
  });
});

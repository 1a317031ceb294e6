import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, run, withCode } from './helpers';

describe('master-spaced-override rule', () => {
  const master = 'submission inet n - n - - smtpd\n  -o smtpd_tls_security_level = encrypt\n';

  test('-o name = value is an error with a fix that removes the spaces', () => {
    const f = withCode(run(undefined, master), 'master.spaced-override');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'error');
    assert.equal(at(f[0]), '2:3');
    assert.match(f[0].message, /-o smtpd_tls_security_level = encrypt/);
    assert.equal(applyFix(master, f[0].fixes![0]), 'submission inet n - n - - smtpd\n  -o smtpd_tls_security_level=encrypt\n');
  });

  test('-o name=value and the long form are fine', () => {
    const ok = 'submission inet n - n - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o { smtpd_tls_auth_only = yes }\n';
    assert.deepEqual(withCode(run(undefined, ok), 'master.spaced-override'), []);
  });
});

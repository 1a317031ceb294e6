import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { msg, run, withCode } from './helpers';

describe('reference-loop rule', () => {
  test('two parameters that refer to each other', () => {
    const f = withCode(run('aaa = $bbb\nbbb = ${aaa}\n'), 'value.reference-loop');
    assert.deepEqual(f.map((x) => x.message), [msg('value.reference-loop', { name: 'aaa', path: 'aaa -> bbb -> aaa' }), msg('value.reference-loop', { name: 'bbb', path: 'bbb -> aaa -> bbb' })]);
    assert.equal(f[0].level, 'error');
  });

  test('a loop through a built-in default', () => {
    const f = withCode(run('smtpd_tls_cert_file = $smtpd_tls_key_file\n'), 'value.reference-loop');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /smtpd_tls_cert_file -> smtpd_tls_key_file -> smtpd_tls_cert_file/);
  });

  test('chains without a cycle are fine', () => {
    assert.deepEqual(withCode(run('aaa = $bbb\nbbb = $myhostname\nsmtpd_tls_key_file = $smtpd_tls_cert_file\n'), 'value.reference-loop'), []);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { msg, run, withCode } from './helpers';

describe('cipherlist-redefined rule', () => {
  test('a redefined tls_high_cipherlist is strongly discouraged', () => {
    const f = withCode(run('tls_high_cipherlist = ECDHE+AESGCM\n'), 'fs.cipherlist-redefined');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('fs.cipherlist-redefined', { name: 'tls_high_cipherlist' }));
  });

  test('tls_low_cipherlist: redefined before 3.8, merely ignored (another code) from 3.8', () => {
    assert.equal(withCode(run('tls_low_cipherlist = ALL\n', undefined, { postfixVersion: '3.7' }), 'fs.cipherlist-redefined').length, 1);
    assert.deepEqual(withCode(run('tls_low_cipherlist = ALL\n', undefined, { postfixVersion: '3.8' }), 'fs.cipherlist-redefined'), []);
  });

  test('a version that has no such list: only parameter-too-new speaks', () => {
    const f = run('tls_high_cipherlist = ECDHE+AESGCM\n', undefined, { postfixVersion: '2.0' });
    assert.deepEqual(withCode(f, 'fs.cipherlist-redefined'), []);
    assert.equal(withCode(f, 'postconf.parameter-too-new').length, 1);
    assert.equal(withCode(run('tls_high_cipherlist = ECDHE+AESGCM\n', undefined, { postfixVersion: '2.3' }), 'fs.cipherlist-redefined').length, 1);
  });

  test('choosing a grade is fine', () => {
    assert.deepEqual(withCode(run('smtpd_tls_mandatory_ciphers = high\n'), 'fs.cipherlist-redefined'), []);
  });
});

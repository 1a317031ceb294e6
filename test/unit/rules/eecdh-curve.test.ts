import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { msg, run, withCode } from './helpers';

describe('eecdh-curve rule', () => {
  test('a changed strong/ultra curve is best not changed (before 3.6)', () => {
    const f = withCode(run('tls_eecdh_strong_curve = secp521r1\n', undefined, { postfixVersion: '3.3' }), 'fs.eecdh-curve-changed');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('fs.eecdh-curve-changed', { name: 'tls_eecdh_strong_curve', value: 'secp521r1', default: 'prime256v1' }));
  });

  test('the default value is fine before 3.6', () => {
    assert.deepEqual(run('tls_eecdh_ultra_curve = secp384r1\n', undefined, { postfixVersion: '3.3' }).filter((x) => x.code.startsWith('fs.eecdh-curve')), []);
  });

  test('unused from 3.6', () => {
    const f = withCode(run('tls_eecdh_ultra_curve = secp384r1\n'), 'fs.eecdh-curve-ignored');
    assert.equal(f.length, 1);
    assert.deepEqual(withCode(run('tls_eecdh_ultra_curve = secp384r1\n'), 'postconf.obsolete-parameter'), []);
  });
});

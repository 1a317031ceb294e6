import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { msg, run, withCode } from './helpers';

describe('preempt-cipherlist rule', () => {
  test('yes is an interoperability risk (info)', () => {
    const f = withCode(run('tls_preempt_cipherlist = Yes\n'), 'fs.preempt-cipherlist');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'info');
    assert.equal(f[0].message, msg('fs.preempt-cipherlist', { name: 'tls_preempt_cipherlist' }));
  });

  test('no is fine', () => {
    assert.deepEqual(withCode(run('tls_preempt_cipherlist = no\n'), 'fs.preempt-cipherlist'), []);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { msg, run, withCode } from './helpers';

describe('read-only rule', () => {
  test('process_name and process_id may not be set, also not with -o', () => {
    const f = withCode(run('process_name = x\n', 'smtp inet n - n - - smtpd\n  -o process_id=1\n'), 'postconf.read-only-parameter');
    assert.deepEqual(f.map((x) => x.message), [msg('postconf.read-only-parameter', { name: 'process_name' }), msg('postconf.read-only-parameter', { name: 'process_id' })]);
    assert.equal(withCode(run('process_name = x\n'), 'postconf.unused-parameter').length, 0);
  });

  test('ordinary parameters are not read-only', () => {
    assert.deepEqual(withCode(run('myhostname = mx\n'), 'postconf.read-only-parameter'), []);
  });
});

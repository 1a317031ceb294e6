import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('read-only rule', () => {
  test('process_name and process_id may not be set, also not with -o', () => {
    const f = withCode(run('process_name = x\n', 'smtp inet n - n - - smtpd\n  -o process_id=1\n'), 'postconf.read-only-parameter');
    assert.deepEqual(f.map((x) => x.message), [msg('postconf.read-only-parameter', { name: 'process_name' }), msg('postconf.read-only-parameter', { name: 'process_id' })]);
    assert.equal(withCode(run('process_name = x\n'), 'postconf.unused-parameter').length, 0);
  });

  test('the fix removes an override: its own line, or just the option on a shared line', () => {
    const own = 'smtp inet n - n - - smtpd\n  -o process_id=1\n  -o syslog_name=x\n';
    assert.equal(applyFix(own, withCode(run(undefined, own), 'postconf.read-only-parameter')[0].fixes![0]), 'smtp inet n - n - - smtpd\n  -o syslog_name=x\n');
    const shared = 'smtp inet n - n - - smtpd -o syslog_name=x -o process_id=1\n';
    assert.equal(applyFix(shared, withCode(run(undefined, shared), 'postconf.read-only-parameter')[0].fixes![0]), 'smtp inet n - n - - smtpd -o syslog_name=x\n');
    const first = 'smtp inet n - n - - smtpd -o process_id=1 -o syslog_name=x\n';
    assert.equal(applyFix(first, withCode(run(undefined, first), 'postconf.read-only-parameter')[0].fixes![0]), 'smtp inet n - n - - smtpd -o syslog_name=x\n');
  });

  test('ordinary parameters are not read-only', () => {
    assert.deepEqual(withCode(run('myhostname = mx\n'), 'postconf.read-only-parameter'), []);
  });
});

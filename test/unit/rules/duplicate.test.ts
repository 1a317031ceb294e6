import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, msg, run, withCode } from './helpers';

describe('duplicate rule', () => {
  test('a later different value is reported at the later line, naming the earlier one', () => {
    const main = 'smtpd_tls_security_level = may\nmyhostname = mx\nsmtpd_tls_security_level = encrypt\n';
    const f = withCode(run(main), 'postconf.overriding-earlier-entry');
    assert.equal(f.length, 1);
    assert.equal(at(f[0]), '3:1');
    assert.equal(f[0].message, msg('postconf.overriding-earlier-entry', { name: 'smtpd_tls_security_level', previous: 'may', line: 1 }));
    // The fix removes the earlier line.
    assert.equal(applyFix(main, f[0].fixes![0]), 'myhostname = mx\nsmtpd_tls_security_level = encrypt\n');
  });

  test('the fix removes continuation lines of the earlier entry too', () => {
    const main = 'mydestination = a,\n  b,\n  c\nmydestination = d\n';
    const f = withCode(run(main), 'postconf.overriding-earlier-entry');
    assert.equal(applyFix(main, f[0].fixes![0]), 'mydestination = d\n');
  });

  test('the same value twice is only a hint', () => {
    const f = run('myhostname = mx\nmyhostname = mx\n');
    assert.equal(withCode(f, 'postconf.overriding-earlier-entry').length, 0);
    const r = withCode(f, 'postconf.repeated-entry');
    assert.equal(r.length, 1);
    assert.equal(r[0].level, 'hint');
  });

  test('distinct parameters are not duplicates', () => {
    const f = run('myhostname = mx\nmydomain = example.com\n');
    assert.deepEqual(f.filter((x) => x.code.startsWith('postconf.overriding') || x.code === 'postconf.repeated-entry'), []);
  });

  test('a master.cf service defined twice', () => {
    const master = 'smtp inet n - n - - smtpd\nsmtp unix - - n - - smtp\nsmtp inet n - n - - postscreen\n';
    const f = withCode(run(undefined, master), 'master.duplicate-service');
    assert.equal(f.length, 1);
    assert.equal(at(f[0]), '3:1');
    assert.equal(f[0].message, msg('master.duplicate-service', { name: 'smtp', type: 'inet', line: 1 }));
  });
});

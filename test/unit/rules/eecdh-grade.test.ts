import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

const grade = (v: string, postfixVersion: string, opensslVersion = '1.1.1') => run(`smtpd_tls_eecdh_grade = ${v}\n`, undefined, { postfixVersion, opensslVersion });

describe('eecdh-grade rule', () => {
  test('none disables EC forward secrecy (before 3.6)', () => {
    const f = withCode(grade('none', '3.4'), 'fs.eecdh-grade-none');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('fs.eecdh-grade-none', { name: 'smtpd_tls_eecdh_grade', fix: "Remove the setting: the default 'auto' negotiates a curve both sides support." }));
    assert.match(withCode(grade('none', '2.7'), 'fs.eecdh-grade-none')[0].message, /Set it to 'strong'/);
  });

  test('strong/ultra are only needed on 2.6-2.7', () => {
    assert.deepEqual(withCode(grade('strong', '2.7'), 'fs.eecdh-grade-unneeded'), []);
    assert.match(withCode(grade('strong', '2.11'), 'fs.eecdh-grade-unneeded')[0].message, /'strong' is the default anyway/);
    assert.deepEqual(withCode(grade('ultra', '2.11'), 'fs.eecdh-grade-unneeded'), []);
    assert.match(withCode(grade('ultra', '3.3'), 'fs.eecdh-grade-unneeded')[0].message, /pins a single curve/);
    assert.deepEqual(withCode(grade('auto', '3.3'), 'fs.eecdh-grade-unneeded'), []);
  });

  test('ignored from 3.6, deprecated from 3.9, with a removal fix', () => {
    const main = 'myhostname = mx\nsmtpd_tls_eecdh_grade = strong\n';
    const ignored = withCode(run(main, undefined, { postfixVersion: '3.6' }), 'fs.eecdh-grade-ignored');
    assert.equal(ignored[0].message, msg('fs.eecdh-grade-ignored', { name: 'smtpd_tls_eecdh_grade', version: '3.6' }));
    assert.equal(applyFix(main, ignored[0].fixes![0]), 'myhostname = mx\n');
    const dep = withCode(run(main, undefined, { postfixVersion: '3.9' }), 'fs.eecdh-grade-deprecated');
    assert.equal(dep.length, 1);
    assert.equal(dep[0].level, 'warning');
    assert.deepEqual(withCode(run(main, undefined, { postfixVersion: '3.9' }), 'postconf.deprecated-parameter'), []);
  });

  test('-o overrides are checked too', () => {
    const f = run(undefined, 'smtp inet n - n - - smtpd\n  -o smtpd_tls_eecdh_grade=none\n', { postfixVersion: '3.4', opensslVersion: '1.1.1' });
    assert.equal(withCode(f, 'fs.eecdh-grade-none').length, 1);
  });
});

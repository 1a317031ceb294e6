import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('legacy-tls rule', () => {
  test('use_tls = yes becomes security level may', () => {
    const main = 'smtpd_use_tls = yes\n';
    const f = withCode(run(main, undefined, { postfixVersion: '3.8' }), 'tls.legacy-tls-switch');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('tls.legacy-tls-switch', { name: 'smtpd_use_tls', replacement: 'smtpd_tls_security_level', level: 'may', ignored: '', deprecated: '' }));
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtpd_tls_security_level = may\n');
  });

  test('client enforce_tls = yes becomes verify (peer name checked by default); the use_tls line is removed', () => {
    const main = 'smtp_use_tls = yes\nsmtp_enforce_tls = yes\n';
    const f = withCode(run(main), 'tls.legacy-tls-switch');
    assert.equal(f.length, 2);
    assert.match(f[0].message, /Postfix 3.9 and later report the old switch as deprecated/);
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtp_enforce_tls = yes\n');
    assert.equal(applyFix(main, f[1].fixes![0]), 'smtp_use_tls = yes\nsmtp_tls_security_level = verify\n');
    assert.deepEqual(withCode(run(main), 'postconf.deprecated-parameter'), []);
  });

  test('client enforce_tls = yes with the peer-name check off is encrypt; lmtp and -o overrides alike', () => {
    const main = 'smtp_tls_enforce_peername = no\nsmtp_enforce_tls = yes\n';
    const f = withCode(run(main), 'tls.legacy-tls-switch');
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtp_tls_enforce_peername = no\nsmtp_tls_security_level = encrypt\n');
    const lmtp = withCode(run('lmtp_enforce_tls = yes\n'), 'tls.legacy-tls-switch');
    assert.equal(applyFix('lmtp_enforce_tls = yes\n', lmtp[0].fixes![0]), 'lmtp_tls_security_level = verify\n');
    const master = 'relay unix - - n - - smtp\n  -o smtp_enforce_tls=yes\n';
    const m = withCode(run(undefined, master), 'tls.legacy-tls-switch');
    assert.equal(applyFix(master, m[0].fixes![0]), 'relay unix - - n - - smtp\n  -o smtp_tls_security_level=verify\n');
  });

  test('a level that expands to nothing does not make the switch "ignored", and no fix turns TLS off', () => {
    // QA: Postfix uses the switch while the expanded level is empty; removing it would mean `none`.
    for (const main of ['smtpd_use_tls = yes\nsmtpd_tls_security_level = $lvl\nlvl =\n', 'smtpd_use_tls = yes\nsmtpd_tls_security_level = ${empty}\n']) {
      const f = withCode(run(main), 'tls.legacy-tls-switch');
      assert.equal(f.length, 1, main);
      assert.doesNotMatch(f[0].message, /ignored/, main);
      assert.deepEqual(f[0].fixes ?? [], [], main);
    }
    const master = 'smtp inet n - n - - smtpd\n  -o smtpd_use_tls=yes\n  -o smtpd_tls_security_level=$lvl\n';
    const m = withCode(run(undefined, master), 'tls.legacy-tls-switch');
    assert.deepEqual(m[0].fixes ?? [], []);
  });

  test('a later empty level setting would win over a rewritten line: no Replace fix then', () => {
    for (const main of ['smtp_use_tls = yes\nsmtp_tls_security_level =\n', 'smtpd_use_tls = yes\nsmtpd_tls_security_level = may\nsmtpd_tls_security_level =\n']) {
      const f = withCode(run(main), 'tls.legacy-tls-switch');
      assert.equal(f.length, 1, main);
      assert.deepEqual(f[0].fixes ?? [], [], main);
    }
    const master = 'submission inet n - n - - smtpd\n  -o smtpd_enforce_tls=yes\n  -o smtpd_tls_security_level=\n';
    assert.deepEqual(withCode(run(undefined, master), 'tls.legacy-tls-switch')[0].fixes ?? [], []);
  });

  test('removing a switch is offered only where the effective level stays the same', () => {
    // `no` is the default: removing it changes nothing.
    const off = 'smtpd_use_tls = no\n';
    assert.equal(applyFix(off, withCode(run(off), 'tls.legacy-tls-switch')[0].fixes![0]), '');
    // A master.cf `-o smtpd_use_tls=no` under a main.cf `yes`: removing it would turn TLS on.
    const master = 'smtp inet n - n - - smtpd\n  -o smtpd_use_tls=no\n';
    const m = withCode(run('smtpd_use_tls = yes\n', master), 'tls.legacy-tls-switch').filter((x) => x.file.endsWith('master.cf'));
    assert.equal(m.length, 1);
    assert.deepEqual(m[0].fixes ?? [], []);
  });

  test('ignored when the security level is set; -o overrides use the same rule', () => {
    const f = withCode(run('smtpd_tls_security_level = encrypt\nsmtpd_use_tls = yes\n'), 'tls.legacy-tls-switch');
    assert.match(f[0].message, /ignored because 'smtpd_tls_security_level' is set/);
    const m = withCode(run(undefined, 'smtps inet n - n - - smtpd\n  -o smtpd_enforce_tls=yes\n'), 'tls.legacy-tls-switch');
    assert.equal(applyFix('smtps inet n - n - - smtpd\n  -o smtpd_enforce_tls=yes\n', m[0].fixes![0]), 'smtps inet n - n - - smtpd\n  -o smtpd_tls_security_level=encrypt\n');
  });

  test('the security level alone is fine', () => {
    assert.deepEqual(withCode(run('smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n'), 'tls.legacy-tls-switch'), []);
  });
});

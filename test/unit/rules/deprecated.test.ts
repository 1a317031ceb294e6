import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('deprecated rule', () => {
  test('deprecated from the version on, with the replacement as a rename', () => {
    const main = 'virtual_maps = hash:/etc/postfix/virtual\n';
    const f = withCode(run(main, undefined, { postfixVersion: '3.11' }), 'postconf.deprecated-parameter');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('postconf.deprecated-parameter', { name: 'virtual_maps', since: '3.11', advice: "use 'virtual_alias_maps' instead" }));
    assert.deepEqual(f[0].tags, ['deprecated']);
    assert.equal(applyFix(main, f[0].fixes![0]), 'virtual_alias_maps = hash:/etc/postfix/virtual\n');
    assert.deepEqual(withCode(run(main, undefined, { postfixVersion: '3.10' }), 'postconf.deprecated-parameter'), []);
  });

  test('a deprecated setting that still works is never removed by a fix', () => {
    const main = 'disable_dns_lookups = yes\n';
    const f = withCode(run(main, undefined, { postfixVersion: '3.11' }), 'postconf.deprecated-parameter');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /smtp_dns_support_level/);
    // The replacement keeps DNS off for both clients the legacy switch covers.
    assert.equal(f[0].fixes?.length, 1);
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtp_dns_support_level = disabled\nlmtp_dns_support_level = disabled\n');
    assert.equal(f[0].fixes!.some((x) => /Remove/.test(x.title)), false);
    // `no`, or a DNS level already set: no mechanical replacement, and no removal either.
    for (const text of ['disable_dns_lookups = no\n', 'disable_dns_lookups = yes\nsmtp_dns_support_level = enabled\n']) {
      const g = withCode(run(text, undefined, { postfixVersion: '3.11' }), 'postconf.deprecated-parameter');
      assert.equal(g.length, 1);
      assert.deepEqual(g[0].fixes ?? [], [], text);
    }
    // A per-site table holds other values than a policy table: no rename and no removal.
    const p = withCode(run('smtp_tls_per_site = hash:/etc/postfix/tls_per_site\n', undefined, { postfixVersion: '3.11' }), 'postconf.deprecated-parameter');
    assert.equal(p.length, 1);
    assert.deepEqual(p[0].fixes ?? [], []);
  });

  test('a deprecated legacy name is renamed, not removed', () => {
    const f = withCode(run('virtual_maps = hash:/etc/postfix/virtual\n', undefined, { postfixVersion: '3.11' }), 'postconf.deprecated-parameter');
    assert.deepEqual(f[0].fixes!.map((x) => x.title), ["Rename to 'virtual_alias_maps'"]);
  });

  test('removed parameters', () => {
    const f = withCode(run('smtpd_tls_cipherlist = HIGH\n'), 'postconf.removed-parameter');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('postconf.removed-parameter', { name: 'smtpd_tls_cipherlist', version: '3.10', removed: ' (removed in 2.3)', advice: 'remove the setting and leave the default' }));
    assert.deepEqual(withCode(run('smtpd_tls_cipherlist = HIGH\n'), 'postconf.unused-parameter'), []);
  });

  test('obsolete parameters the target version ignores', () => {
    const main = 'myhostname = mx\ntls_low_cipherlist = ALL\n';
    const f = withCode(run(main, undefined, { postfixVersion: '3.8' }), 'postconf.obsolete-parameter');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'info');
    assert.equal(applyFix(main, f[0].fixes![0]), 'myhostname = mx\n');
    assert.deepEqual(withCode(run(main, undefined, { postfixVersion: '3.7' }), 'postconf.obsolete-parameter'), []);
  });

  test('current parameters and names with a dedicated rule are not reported here', () => {
    const f = run('smtpd_tls_security_level = may\nsmtpd_use_tls = yes\nsmtpd_tls_eecdh_grade = auto\n');
    assert.deepEqual(f.filter((x) => x.code.startsWith('postconf.deprecated') || x.code.startsWith('postconf.obsolete')), []);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { at, msg, run, withCode } from './helpers';
import { GROUP_EXAMPLES } from '../../../core/rules/groups';

const curves = (v: string, opensslVersion = '3.0', name = 'tls_eecdh_auto_curves') => run(`${name} = ${v}\n`, undefined, { opensslVersion });

describe('curves rule', () => {
  test('unknown group names, with position', () => {
    const f = withCode(curves('X25519 prime256v1 secp384r2'), 'fs.unknown-group');
    assert.equal(f.length, 1);
    assert.equal(at(f[0]), '1:43');
    assert.equal(f[0].message, msg('fs.unknown-group', { group: 'secp384r2', name: 'tls_eecdh_auto_curves', openssl: '3.0', examples: GROUP_EXAMPLES }));
    // Postfix skips such names silently (fs-ciphers.md §2): the message must not claim a warning.
    assert.doesNotMatch(f[0].message, /with a warning/);
    assert.match(f[0].message, /without logging anything/);
  });

  test('weak groups', () => {
    const f = withCode(curves('X25519, secp192r1, prime192v1, secp224r1'), 'fs.weak-group');
    assert.deepEqual(f.map((x) => x.message.match(/'([^']+)'/)![1]), ['secp192r1', 'prime192v1', 'secp224r1']);
    assert.equal(withCode(curves('ffdhe1024 ffdhe2048', '3.0', 'tls_ffdhe_auto_groups'), 'fs.weak-group').length, 1);
  });

  test('aliases, any case, OpenSSL 3.5 syntax and hybrid groups are known', () => {
    const ok = '?X25519MLKEM768 : x25519 / P-256:SECP384R1:secp521r1:X448:brainpoolP256r1:SecP256r1MLKEM768:SecP384r1MLKEM1024:X448MLKEM1024:MLKEM768:-secp521r1:*X25519:DEFAULT';
    assert.deepEqual(curves(ok, '3.5').filter((x) => x.code.startsWith('fs.')), []);
    assert.deepEqual(curves('ffdhe2048 ffdhe3072 ffdhe4096 ffdhe6144 ffdhe8192', '3.0', 'tls_ffdhe_auto_groups').filter((x) => x.code.startsWith('fs.')), []);
  });

  test('groups newer than the target OpenSSL', () => {
    const f = withCode(curves('X25519MLKEM768 X25519', '3.0'), 'fs.group-needs-newer-openssl');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('fs.group-needs-newer-openssl', { group: 'X25519MLKEM768', name: 'tls_eecdh_auto_curves', needed: '3.5', openssl: '3.0' }));
    // `?` marks a group optional: fine on older OpenSSL.
    assert.deepEqual(withCode(curves('?X25519MLKEM768 X25519', '3.0'), 'fs.group-needs-newer-openssl'), []);
  });

  test('a list with nothing usable', () => {
    // tls_ffdhe_auto_groups keeps its default (ffdhe2048 ffdhe3072 with OpenSSL 3.0): Postfix uses those and stays quiet.
    assert.deepEqual(withCode(curves('foo bar'), 'fs.no-usable-groups'), []);
    assert.deepEqual(withCode(curves('foo X25519'), 'fs.no-usable-groups'), []);
  });

  test('nothing usable in both lists: Postfix warns and falls back to its defaults', () => {
    const f = withCode(run('tls_eecdh_auto_curves = bogus1\ntls_ffdhe_auto_groups =\n'), 'fs.no-usable-groups');
    assert.equal(f.length, 1);
    assert.equal(at(f[0]), '1:25');
    const also = " (nor in 'tls_ffdhe_auto_groups', which Postfix uses together with it)";
    assert.equal(f[0].message, msg('fs.no-usable-groups', { name: 'tls_eecdh_auto_curves', openssl: '3.0', also }));
    assert.doesNotMatch(f[0].message, /may fail/);
    assert.match(f[0].message, /warning/);
    assert.match(f[0].message, /built-in default groups/);
    // Before 3.8 there is no tls_ffdhe_auto_groups: the curve list alone counts.
    const old = withCode(run('tls_eecdh_auto_curves = bogus1\n', undefined, { postfixVersion: '3.6' }), 'fs.no-usable-groups');
    assert.equal(old.length, 1);
    assert.equal(old[0].message, msg('fs.no-usable-groups', { name: 'tls_eecdh_auto_curves', openssl: '3.0', also: '' }));
    // With OpenSSL 3.5 and Postfix 3.11 the FFDHE default is empty, so a bad curve list alone is enough.
    assert.equal(withCode(run('tls_eecdh_auto_curves = bogus1\n', undefined, { postfixVersion: '3.11', opensslVersion: '3.5' }), 'fs.no-usable-groups').length, 1);
    // A usable FFDHE list in a service override is what that service uses.
    const master = 'smtp inet n - n - - smtpd\n  -o tls_ffdhe_auto_groups=ffdhe2048\n';
    assert.equal(withCode(run('tls_eecdh_auto_curves = bogus1\ntls_ffdhe_auto_groups =\n', master), 'fs.no-usable-groups').length, 1);
  });
});

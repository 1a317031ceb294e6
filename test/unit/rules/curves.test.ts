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
    assert.equal(f[0].message, msg('fs.unknown-group', { group: 'secp384r2', name: 'tls_eecdh_auto_curves', openssl: '3.0', optional: ' with a warning', examples: GROUP_EXAMPLES }));
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
    assert.equal(withCode(curves('foo bar'), 'fs.no-usable-groups').length, 1);
    assert.deepEqual(withCode(curves('foo X25519'), 'fs.no-usable-groups'), []);
  });
});

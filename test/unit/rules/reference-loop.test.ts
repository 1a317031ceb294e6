import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { msg, run, withCode } from './helpers';

describe('reference-loop rule', () => {
  test('two parameters that refer to each other', () => {
    const f = withCode(run('aaa = $bbb\nbbb = ${aaa}\n'), 'value.reference-loop');
    assert.deepEqual(f.map((x) => x.message), [msg('value.reference-loop', { name: 'aaa', path: 'aaa -> bbb -> aaa' }), msg('value.reference-loop', { name: 'bbb', path: 'bbb -> aaa -> bbb' })]);
    assert.equal(f[0].level, 'error');
  });

  test('a loop through a built-in default', () => {
    const f = withCode(run('smtpd_tls_cert_file = $smtpd_tls_key_file\n'), 'value.reference-loop');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /smtpd_tls_cert_file -> smtpd_tls_key_file -> smtpd_tls_cert_file/);
  });

  test('a parameter that refers to itself, and a long ring', () => {
    assert.equal(withCode(run('aaa = x $aaa\n'), 'value.reference-loop')[0].message, msg('value.reference-loop', { name: 'aaa', path: 'aaa -> aaa' }));
    const ring = Array.from({ length: 12 }, (_, i) => `p${i} = $p${(i + 1) % 12}`).join('\n');
    const f = withCode(run(ring), 'value.reference-loop');
    assert.equal(f.length, 12);
    assert.match(f[3].message, /'p3' refers back to itself \(p3 -> p4 -> p5 -> p6 -> p7 -> … \(12 parameters in all\) -> p2 -> p3\)/);
  });

  test('a loop inside one master.cf service scope', () => {
    const f = withCode(run('myhostname = mx\n', 'smtp inet n - n - - smtpd\n  -o smtpd_tls_cert_file=$smtpd_tls_key_file\n  -o smtpd_tls_key_file=$smtpd_tls_cert_file\n'), 'value.reference-loop');
    assert.equal(f.length, 2);
    assert.ok(f.every((x) => x.file.endsWith('master.cf')));
  });

  test('chains without a cycle are fine', () => {
    assert.deepEqual(withCode(run('aaa = $bbb\nbbb = $myhostname\nsmtpd_tls_key_file = $smtpd_tls_cert_file\n'), 'value.reference-loop'), []);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { at, msg, run, withCode } from './helpers';

describe('value-type rule', () => {
  test('booleans take yes or no (any case)', () => {
    const f = withCode(run('smtpd_tls_received_header = true\n'), 'value.bad-boolean');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'error');
    assert.equal(f[0].message, msg('value.bad-boolean', { name: 'smtpd_tls_received_header', value: 'true' }));
    assert.deepEqual(withCode(run('smtpd_tls_received_header = YES\n'), 'value.bad-boolean'), []);
  });

  test('integers, and their bounds', () => {
    assert.equal(withCode(run('smtpd_tls_session_cache_timeout = 3600s\nmessage_size_limit = 10M\n'), 'value.bad-integer').length, 1);
    assert.deepEqual(withCode(run('message_size_limit = 10240000\n'), 'value.bad-integer'), []);
    const f = withCode(run('smtpd_tls_session_cache_timeout = 101d\n'), 'value.out-of-range');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /at most 8640000 seconds/);
  });

  test('times take a number and one of s m h d w', () => {
    const f = withCode(run('maximal_queue_lifetime = 5 days\n'), 'value.bad-time');
    assert.equal(f.length, 1);
    assert.deepEqual(withCode(run('maximal_queue_lifetime = 5d\nbounce_queue_lifetime = 12h\nsmtpd_timeout = 300\n'), 'value.bad-time'), []);
  });

  test('enumerations, also in master.cf overrides', () => {
    const f = withCode(run('smtpd_tls_security_level = mandatory\n', 'smtp inet n - n - - smtpd\n  -o smtpd_tls_security_level=encrpyt\n'), 'value.bad-enum');
    assert.equal(f.length, 2);
    assert.equal(f[1].file.endsWith('master.cf'), true);
    assert.equal(at(f[1]), '2:31');
    assert.match(f[0].message, /Use one of: none, may, encrypt/);
  });

  test('lists of enumeration words are checked word by word', () => {
    const f = withCode(run('smtpd_sasl_security_options = noanonymous, noplaintxt\n'), 'value.bad-enum');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /'noplaintxt'/);
  });

  test('values with $ expansions and valid values are not checked', () => {
    const f = run('smtpd_tls_security_level = $my_level\nmy_level = may\ninet_protocols = ipv4, ipv6\nsmtp_tls_security_level =\n');
    assert.deepEqual(f.filter((x) => x.code.startsWith('value.')), []);
  });

  test('required values may not be empty', () => {
    const f = withCode(run('smtpd_tls_mandatory_ciphers =\n'), 'value.empty-not-allowed');
    assert.equal(f.length, 1);
  });
});

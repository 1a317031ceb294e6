import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('unknown-parameter rule', () => {
  test('a misspelt name is unused, with did-you-mean and a rename fix', () => {
    const main = 'smtpd_tls_cert_flie = /etc/ssl/cert.pem\n';
    const f = withCode(run(main), 'postconf.unused-parameter');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'warning');
    assert.match(f[0].message, /Did you mean 'smtpd_tls_cert_file'/);
    assert.ok(f[0].message.startsWith(msg('postconf.unused-parameter', { name: 'smtpd_tls_cert_flie', hint: " Did you mean 'smtpd_tls_cert_file'" })));
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtpd_tls_cert_file = /etc/ssl/cert.pem\n');
  });

  test('an unreferenced user-defined name is unused; an -o override is checked too', () => {
    const f = withCode(run('my_own_list = a b\n', 'smtp inet n - n - - smtpd\n  -o zzz_qqq_xyz=1\n'), 'postconf.unused-parameter');
    assert.deepEqual(f.map((x) => x.file.endsWith('master.cf')), [false, true]);
  });

  test('built-in, referenced user-defined, per-service and DBMS names are fine', () => {
    const main = [
      'myhostname = mx.example.com',
      'mua_sender_restrictions = permit_sasl_authenticated, reject',
      'relay_destination_concurrency_limit = 5',
      'virtual_alias_maps = ldap:aliases',
      'aliases_server_host = ldap.example.com',
      'smtpd_restriction_classes = strict',
      'strict = reject_unverified_sender',
    ].join('\n');
    const master = 'relay unix - - n - - smtp\nsubmission inet n - n - - smtpd\n  -o smtpd_sender_restrictions=$mua_sender_restrictions\n';
    assert.deepEqual(withCode(run(main, master), 'postconf.unused-parameter'), []);
  });

  test('names referenced from postconf -P lines count as used', () => {
    const f = run('custom_parameter = permit\n', 'submission/inet/smtpd_client_restrictions=$custom_parameter\n');
    assert.deepEqual(withCode(f, 'postconf.unused-parameter'), []);
  });

  test('a parameter newer than the target version', () => {
    const f = withCode(run('smtpd_tls_chain_files = /etc/ssl/chain.pem\n', undefined, { postfixVersion: '3.3' }), 'postconf.parameter-too-new');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('postconf.parameter-too-new', { name: 'smtpd_tls_chain_files', introduced: '3.4', version: '3.3' }));
    assert.deepEqual(withCode(run('smtpd_tls_chain_files = /etc/ssl/chain.pem\n', undefined, { postfixVersion: '3.4' }), 'postconf.parameter-too-new'), []);
  });
});

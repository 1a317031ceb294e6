import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readTsv, referenceFile } from '../../helpers/reference';
import {
  allParamNames, builtinDhPrimeBits, classifyName, collectUsedNames, defaultFor, getDeprecation, getParam,
  isBuiltinName, splitServiceName, suggestNames,
} from '../../../core/params';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';

const rows = readTsv(referenceFile('postfix', 'params-all.tsv'));

describe('generated parameter data', () => {
  test('has all 970 names of params-all.tsv', () => {
    assert.equal(rows.length, 970);
    const names = new Set(allParamNames());
    assert.equal(names.size, 970);
    for (const r of rows) assert.ok(names.has(r.name), r.name);
  });

  test('type, default, introduced and status match the TSV', () => {
    for (const name of ['smtpd_tls_security_level', 'smtpd_tls_eecdh_grade', 'tls_preempt_cipherlist', 'smtpd_starttls_timeout',
      'smtp_tls_security_level', 'smtpd_use_tls', 'process_name', 'mailbox_command', 'maximal_queue_lifetime']) {
      const r = rows.find((x) => x.name === name)!;
      const p = getParam(name)!;
      assert.ok(p, name);
      assert.equal(p.default, r.default, name);
      assert.equal(p.introduced ?? '', r.introduced, name);
      assert.ok(r.status.startsWith(p.status), name);
      assert.equal(p.summary, r.summary);
    }
    assert.equal(getParam('tls_preempt_cipherlist')!.type, 'bool');
    assert.deepEqual(getParam('tls_preempt_cipherlist')!.allowedValues, ['yes', 'no']);
    assert.equal(getParam('maximal_queue_lifetime')!.type, 'time');
    assert.equal(getParam('maximal_queue_lifetime')!.timeUnit, 'd');
    assert.equal(getParam('mailbox_command')!.type, 'raw');
    assert.equal(getParam('smtpd_use_tls')!.status, 'deprecated');
    assert.equal(getParam('smtpd_use_tls')!.statusVersion, '3.9');
    assert.equal(getParam('smtpd_use_tls')!.replacement, 'specify "smtpd_tls_security_level"');
    assert.equal(getParam('smtpd_tls_ciphers')!.minLen, 1);
    assert.deepEqual(getParam('smtpd_tls_ciphers')!.allowedValues, ['high', 'medium', 'low', 'export', 'null']);
    assert.deepEqual(getParam('smtp_tls_security_level')!.allowedValues,
      ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure']);
    assert.equal(getParam('smtpd_tls_security_level')!.url, 'https://www.postfix.org/postconf.5.html#smtpd_tls_security_level');
    assert.equal(getParam('no_such_param'), undefined);
  });

  test('TLS extras', () => {
    const g = getParam('smtpd_tls_eecdh_grade')!;
    assert.equal(g.tls?.ignoredSince, '3.6');
    assert.ok(g.tls!.defaultHistory.length >= 3);
    assert.equal(getParam('tlsproxy_tls_eecdh_grade')!.tls?.sameAs, 'smtpd_tls_eecdh_grade');
    assert.equal(getParam('smtpd_tls_cert_file')!.tls?.supersededBy, 'smtpd_tls_chain_files');
  });
});

describe('defaultFor', () => {
  test('smtpd_tls_eecdh_grade by version', () => {
    assert.equal(defaultFor('smtpd_tls_eecdh_grade', '2.5'), undefined);
    assert.equal(defaultFor('smtpd_tls_eecdh_grade', '2.6'), 'none');
    assert.equal(defaultFor('smtpd_tls_eecdh_grade', '2.11'), 'strong');
    assert.equal(defaultFor('smtpd_tls_eecdh_grade', '3.2', { opensslVersion: '1.0.1' }), 'strong');
    assert.equal(defaultFor('smtpd_tls_eecdh_grade', '3.2', { opensslVersion: '1.1.1' }), 'auto');
    assert.equal(defaultFor('smtpd_tls_eecdh_grade', '3.10'), 'auto');
  });
  test('tls_eecdh_auto_curves depends on OpenSSL from 3.11', () => {
    assert.equal(defaultFor('tls_eecdh_auto_curves', '3.1'), undefined);
    assert.equal(defaultFor('tls_eecdh_auto_curves', '3.2'), 'X25519 X448 prime256v1 secp521r1 secp384r1');
    assert.equal(defaultFor('tls_eecdh_auto_curves', '3.10'), 'X25519 X448 prime256v1 secp384r1 secp521r1');
    assert.equal(defaultFor('tls_eecdh_auto_curves', '3.11', { opensslVersion: '3.5' }), '?X25519MLKEM768:DEFAULT');
    assert.equal(defaultFor('tls_eecdh_auto_curves', '3.11', { opensslVersion: '3.0' }), 'X25519 X448 prime256v1 secp384r1 secp521r1');
  });
  test('protocols, ciphers and removed names', () => {
    assert.equal(defaultFor('smtpd_tls_protocols', '3.0'), '');
    assert.equal(defaultFor('smtpd_tls_protocols', '3.1'), '!SSLv2, !SSLv3');
    assert.equal(defaultFor('smtpd_tls_protocols', '3.10'), '>=TLSv1');
    assert.equal(defaultFor('smtpd_tls_ciphers', '3.0'), 'export');
    assert.equal(defaultFor('smtpd_tls_ciphers', '3.1'), 'medium');
    assert.equal(defaultFor('smtpd_tls_cipherlist', '2.2'), '');
    assert.equal(defaultFor('smtpd_tls_cipherlist', '2.3'), undefined);
    assert.equal(defaultFor('tls_random_source', '3.10'), 'dev:/dev/urandom');
    assert.equal(defaultFor('myhostname', '3.10'), getParam('myhostname')!.default);
  });
  test('DH prime 1024 -> 2048 in 3.1', () => {
    assert.equal(builtinDhPrimeBits('3.0'), 1024);
    assert.equal(builtinDhPrimeBits('3.1'), 2048);
    assert.equal(builtinDhPrimeBits('3.10'), 2048);
  });
});

describe('deprecations', () => {
  test('deprecated, removed and unknown', () => {
    const d = getDeprecation('smtpd_tls_eecdh_grade')!;
    assert.equal(d.kind, 'parameter');
    assert.equal(d.deprecatedIn, '3.9');
    assert.equal(d.replacement, 'do not specify (leave at default)');
    assert.equal(getDeprecation('smtpd_use_tls')!.replacement, 'specify "smtpd_tls_security_level"');
    const r = getDeprecation('tls_dane_digest_agility')!;
    assert.equal(r.kind, 'removed');
    assert.equal(r.removedIn, '3.4');
    assert.equal(getDeprecation('tlsproxy_client_loglevel_parameter')!.removedIn, '3.12');
    assert.equal(getDeprecation('myhostname'), undefined);
  });
});

describe('dynamic names', () => {
  const none = new Set<string>();
  test('builtin names', () => {
    assert.equal(classifyName('smtpd_tls_security_level', { masterServices: undefined, userDefinedUsed: none }), 'builtin');
    assert.equal(classifyName('local_destination_concurrency_limit', { masterServices: [], userDefinedUsed: none }), 'builtin');
    assert.equal(isBuiltinName('tls_dane_digest_agility'), false);
    assert.equal(isBuiltinName('transport_destination_concurrency_limit'), false);
  });
  test('per-service names need the service in master.cf; lenient without master.cf', () => {
    assert.deepEqual(splitServiceName('relay_destination_concurrency_limit'), { service: 'relay', suffix: '_destination_concurrency_limit' });
    assert.equal(classifyName('dovecot_destination_recipient_limit', { masterServices: ['smtp', 'dovecot'], userDefinedUsed: none }), 'per-service');
    assert.equal(classifyName('dovecot_destination_recipient_limit', { masterServices: ['smtp'], userDefinedUsed: none }), 'unknown');
    assert.equal(classifyName('dovecot_destination_recipient_limit', { masterServices: undefined, userDefinedUsed: none }), 'per-transport');
    assert.equal(classifyName('relay_destination_concurrency_limit', { masterServices: ['relay'], userDefinedUsed: none }), 'per-service');
  });
  test('user-defined names count only when used', () => {
    const main = parseMainCf({ uri: 'main.cf', getText: () =>
      'mua_level = encrypt\nunused_thing = 1\nsmtpd_restriction_classes = cls1, cls2\ncls1 = permit\n' +
      'virtual_alias_maps = proxy:ldap:mydb\nmydb_server_host = x\nmydb_bogus = 1\nforward_path = $foo3\nfoo3 = b\n' });
    const master = parseMasterCf({ uri: 'master.cf', getText: () => 'submission inet n - n - - smtpd -o smtpd_tls_security_level=$mua_level\n' });
    const used = collectUsedNames(main, master);
    const ctx = { masterServices: ['submission'], userDefinedUsed: used };
    assert.equal(classifyName('mua_level', ctx), 'user-defined');
    assert.equal(classifyName('cls1', ctx), 'user-defined');
    assert.equal(classifyName('mydb_server_host', ctx), 'user-defined');
    assert.equal(classifyName('mydb_bogus', ctx), 'unknown');
    assert.equal(classifyName('unused_thing', ctx), 'unknown');
    assert.equal(classifyName('foo3', ctx), 'unknown'); // raw parameter values are not scanned
  });
});

describe('suggestNames', () => {
  test('typos and case', () => {
    assert.equal(suggestNames('smtpd_tls_cafile')[0], 'smtpd_tls_CAfile');
    assert.ok(suggestNames('smtpd_tls_securty_level').includes('smtpd_tls_security_level'));
    assert.ok(suggestNames('smtp_tls_mandatory_protocol').includes('smtp_tls_mandatory_protocols'));
    assert.deepEqual(suggestNames('zzzzzzzzzzzzzzzzzzzzzzzz'), []);
    assert.ok(suggestNames('myhostnme', 2).length <= 2);
  });
});

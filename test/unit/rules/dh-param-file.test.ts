import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GENERATE_DH_FIX } from '../../../core/rules/dh-param-file';
import { msg, run, withCode } from './helpers';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures', 'dh');
const pem = (f: string) => readFileSync(path.join(FIX, f));
const files = {
  '/etc/postfix/dh1024.pem': pem('dh1024.pem'),
  '/etc/postfix/dh2048.pem': pem('dh2048.pem'),
  '/etc/postfix/ffdhe2048.pem': pem('ffdhe2048.pem'),
  '/etc/postfix/x942.pem': pem('x942-2048.pem'),
  '/etc/postfix/cert.pem': pem('cert.pem'),
  '/etc/postfix/dh512.pem': pem('dh512.pem'),
  '/etc/postfix/broken.pem': '-----BEGIN DH PARAMETERS-----\nMAA=\n-----END DH PARAMETERS-----\n',
  '/etc/postfix/binary.pem': Buffer.from([0x30, 0x82, 0, 0, 0, 1, 2]),
  '/etc/postfix/locked.pem': new Error('permission denied'),
};
const dh = (value: string, opts = {}) => run(`smtpd_tls_dh1024_param_file = ${value}\n`, undefined, { files, postfixVersion: '3.8', ...opts });

describe('dh-param-file rule', () => {
  test('a 1024-bit prime is too small, saying how many bits, with the generate command', () => {
    const f = withCode(dh('${config_directory}/dh1024.pem'), 'fs.dh-prime-too-small');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('fs.dh-prime-too-small', { path: '/etc/postfix/dh1024.pem', name: 'smtpd_tls_dh1024_param_file', bits: 1024, default: ", or remove the setting (or write 'auto') to use OpenSSL's choice" }));
    assert.deepEqual(f[0].fixes, [GENERATE_DH_FIX]);
    assert.deepEqual(GENERATE_DH_FIX.edits, []);
    assert.equal(GENERATE_DH_FIX.command?.id, 'postfixTls.generateDhParams');
  });

  test('$config_directory resolves to the configuration folder', () => {
    const f = run('smtpd_tls_dh1024_param_file = $config_directory/dh1024.pem\n', undefined, { files: { '/srv/mail/dh1024.pem': pem('dh1024.pem') }, configDirectory: '/srv/mail', postfixVersion: '3.8' });
    assert.equal(withCode(f, 'fs.dh-prime-too-small').length, 1);
  });

  test('2048-bit, RFC 7919 and X9.42 files, empty and auto values are fine', () => {
    for (const v of ['/etc/postfix/dh2048.pem', '/etc/postfix/ffdhe2048.pem', '/etc/postfix/x942.pem', '', 'auto']) {
      assert.deepEqual(dh(v).filter((x) => x.code.startsWith('fs.dh')), [], v);
    }
  });

  test('missing, unreadable, not-DH and broken files', () => {
    const missing = withCode(dh('/etc/postfix/nope.pem'), 'fs.dh-file-missing');
    assert.equal(missing.length, 1);
    assert.deepEqual(missing[0].fixes, [GENERATE_DH_FIX]);
    const locked = withCode(dh('/etc/postfix/locked.pem'), 'fs.dh-file-unreadable');
    assert.equal(locked[0].message, msg('fs.dh-file-unreadable', { path: '/etc/postfix/locked.pem', name: 'smtpd_tls_dh1024_param_file', reason: 'permission denied' }));
    const cert = withCode(dh('/etc/postfix/cert.pem'), 'fs.dh-file-not-dh');
    assert.match(cert[0].message, /holds a certificate \(CERTIFICATE\), not DH parameters/);
    assert.match(withCode(dh('/etc/postfix/binary.pem'), 'fs.dh-file-not-dh')[0].message, /holds binary data/);
    assert.equal(withCode(dh('/etc/postfix/broken.pem'), 'fs.dh-file-malformed').length, 1);
  });

  test('files are not read where reading is not allowed', () => {
    assert.deepEqual(run('smtpd_tls_dh1024_param_file = /etc/postfix/nope.pem\n', undefined, { noRead: true, postfixVersion: '3.8' }).filter((x) => x.code.startsWith('fs.dh')), []);
  });

  test('master.cf overrides are checked at the override', () => {
    const f = run('myhostname = mx\n', 'submission inet n - n - - smtpd\n  -o smtpd_tls_dh1024_param_file=${config_directory}/dh1024.pem\n', { files, postfixVersion: '3.8' });
    const small = withCode(f, 'fs.dh-prime-too-small');
    assert.equal(small.length, 1);
    assert.ok(small[0].file.endsWith('master.cf'));
  });

  test('the dh512 file is obsolete; ignored from 3.6', () => {
    const main = 'smtpd_tls_dh512_param_file = /etc/postfix/dh512.pem\n';
    const old = withCode(run(main, undefined, { files, postfixVersion: '3.5' }), 'fs.dh512-obsolete');
    assert.equal(old[0].message, msg('fs.dh512-obsolete', { name: 'smtpd_tls_dh512_param_file', ignored: ', which the default cipher grades no longer use' }));
    const now = withCode(run(main, undefined, { files }), 'fs.dh512-obsolete');
    assert.equal(now[0].message, msg('fs.dh512-obsolete', { name: 'smtpd_tls_dh512_param_file', ignored: ', and Postfix 3.10 ignores it' }));
    // A 512-bit prime in the export file is expected, not "too small".
    assert.deepEqual(withCode(run(main, undefined, { files, postfixVersion: '3.5' }), 'fs.dh-prime-too-small'), []);
  });

  test('the 1024 setting is deprecated from 3.9 ("leave at default")', () => {
    const f = withCode(dh('/etc/postfix/dh2048.pem', { postfixVersion: '3.9' }), 'fs.dh1024-deprecated');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /leave it at its default/);
    assert.deepEqual(withCode(dh('/etc/postfix/dh2048.pem', { postfixVersion: '3.8' }), 'fs.dh1024-deprecated'), []);
    assert.deepEqual(withCode(run('smtpd_tls_dh1024_param_file = /etc/postfix/dh2048.pem\n', undefined, { files }), 'postconf.deprecated-parameter'), []);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, msg, run, withCode } from './helpers';

describe('protocols rule', () => {
  test('SSLv3 still allowed with the exclusion syntax', () => {
    const main = 'smtpd_tls_protocols = !SSLv2\n';
    const f = withCode(run(main), 'tls.ssl-protocols-allowed');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('tls.ssl-protocols-allowed', { name: 'smtpd_tls_protocols', protocols: "'SSLv3'" }));
    assert.equal(applyFix(main, f[0].fixes![0]), 'smtpd_tls_protocols = >=TLSv1\n');
    const old = withCode(run(main, undefined, { postfixVersion: '3.5' }), 'tls.ssl-protocols-allowed');
    assert.equal(applyFix(main, old[0].fixes![0]), 'smtpd_tls_protocols = !SSLv2, !SSLv3\n');
  });

  test('SSLv3 allowed with the bounds syntax, also in master.cf', () => {
    const f = withCode(run(undefined, 'smtp inet n - n - - smtpd\n  -o smtpd_tls_mandatory_protocols=>=SSLv3\n'), 'tls.ssl-protocols-allowed');
    assert.equal(f.length, 1);
  });

  test('TLSv1 and TLSv1.1 allowed is info', () => {
    const f = withCode(run('smtp_tls_protocols = !SSLv2, !SSLv3\n'), 'tls.legacy-tls-protocols');
    assert.equal(f[0].level, 'info');
    assert.equal(f[0].message, msg('tls.legacy-tls-protocols', { name: 'smtp_tls_protocols', protocols: "'TLSv1' and 'TLSv1.1'", suggestion: "'>=TLSv1.2'" }));
  });

  test('modern settings in all syntaxes are fine', () => {
    for (const v of ['>=TLSv1.2', '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1', '!SSLv2 !SSLv3 !TLSv1 !TLSv1.1', 'TLSv1.2 TLSv1.3', '>=TLSv1.2 <=TLSv1.3', '>=0x0303']) {
      assert.deepEqual(run(`smtpd_tls_protocols = ${v}\n`).filter((x) => x.code.startsWith('tls.')), [], v);
    }
  });

  test('lists Postfix rejects', () => {
    const f = withCode(run('smtpd_tls_protocols = !SSLv2, !sslv3\n'), 'tls.bad-protocol-list');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /'!sslv3'/);
    assert.equal(withCode(run('smtpd_tls_protocols = >=TLSv1.2\n', undefined, { postfixVersion: '3.5' }), 'tls.bad-protocol-list').length, 1);
  });
});

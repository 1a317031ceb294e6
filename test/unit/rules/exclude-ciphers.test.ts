import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, msg, run, withCode } from './helpers';
import { EXCLUDE_TEXTS, fillText } from '../../../core/rules/messages';

const T = EXCLUDE_TEXTS;
const excl = (value: string, opts = {}) => withCode(run(`smtp_tls_exclude_ciphers = ${value}\n`, undefined, opts), 'fs.exclude-removes-fs');
/** The message for an item of smtp_tls_exclude_ciphers. */
const expect = (item: string, removed: string, remaining: string, tls13: string = T.tls13) =>
  msg('fs.exclude-removes-fs', { item, name: 'smtp_tls_exclude_ciphers', removed, scope: '', remaining, tls13 });
const dheLeft = fillText(T.oneLeft, { left: 'DHE', fallback: T.fallbackRsa });
const ecdheLeft = fillText(T.oneLeft, { left: 'ECDHE', fallback: T.fallbackRsa });

describe('exclude-ciphers rule', () => {
  test('excluding kEECDH / EDH removes that key exchange; position and fix', () => {
    const main = 'smtpd_tls_exclude_ciphers = aNULL, kEECDH, MD5\nsmtp_tls_mandatory_exclude_ciphers = EDH\n';
    const f = withCode(run(main), 'fs.exclude-removes-fs');
    assert.equal(f.length, 2);
    assert.equal(at(f[0]), '1:36');
    assert.equal(f[0].message, msg('fs.exclude-removes-fs', { item: 'kEECDH', name: 'smtpd_tls_exclude_ciphers', removed: T.removed['ECDHE+anon'], scope: '', remaining: dheLeft, tls13: T.tls13 }));
    assert.equal(f[1].message, msg('fs.exclude-removes-fs', { item: 'EDH', name: 'smtp_tls_mandatory_exclude_ciphers', removed: T.removed.DHE, scope: T.mandatory, remaining: ecdheLeft, tls13: T.tls13 }));
    assert.equal(applyFix(main, f[0].fixes![0]).split('\n')[0], 'smtpd_tls_exclude_ciphers = aNULL, MD5');
  });

  test('only ECDHE excluded: DHE remains, not "only static RSA"', () => {
    const f = excl('ECDHE');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, expect('ECDHE', T.removed.ECDHE, dheLeft));
    assert.doesNotMatch(f[0].message, /only static RSA/);
    assert.equal(excl('EECDH')[0].message, expect('EECDH', T.removed.ECDHE, dheLeft));
  });

  test('only DHE excluded (EDH, DHE, kEDH): ECDHE remains', () => {
    assert.equal(excl('EDH')[0].message, expect('EDH', T.removed.DHE, ecdheLeft));
    assert.equal(excl('DHE')[0].message, expect('DHE', T.removed.DHE, ecdheLeft));
    assert.equal(excl('kEDH')[0].message, expect('kEDH', T.removed['DHE+anon'], ecdheLeft));
  });

  test('both excluded: only static RSA remains for TLS 1.2 and older', () => {
    const f = excl('kEECDH, kEDH');
    assert.deepEqual(f.map((x) => x.message), [expect('kEECDH', T.removed['ECDHE+anon'], T.rsaOnly), expect('kEDH', T.removed['DHE+anon'], T.rsaOnly)]);
    // The authenticated forms leave the anonymous suites unless aNULL goes too.
    assert.equal(excl('EECDH EDH')[0].message, expect('EECDH', T.removed.ECDHE, fillText(T.anonAndRsa, { anon: 'AECDH/ADH' })));
    assert.equal(excl('aNULL EECDH EDH')[0].message, expect('EECDH', T.removed.ECDHE, T.rsaOnly));
    // And with static RSA excluded as well nothing is left.
    assert.equal(excl('kEECDH kEDH kRSA')[0].message, expect('kEECDH', T.removed['ECDHE+anon'], T.nothing));
    assert.equal(excl('ECDHE, kRSA')[0].message, expect('ECDHE', T.removed.ECDHE, fillText(T.oneLeft, { left: 'DHE', fallback: T.fallbackNone })));
  });

  test('mandatory exclusions add to the general list', () => {
    const f = withCode(run('smtpd_tls_exclude_ciphers = kEECDH\nsmtpd_tls_mandatory_exclude_ciphers = kEDH\n'), 'fs.exclude-removes-fs');
    assert.equal(f[0].message, msg('fs.exclude-removes-fs', { item: 'kEECDH', name: 'smtpd_tls_exclude_ciphers', removed: T.removed['ECDHE+anon'], scope: '', remaining: dheLeft, tls13: T.tls13 }));
    assert.equal(f[1].message, msg('fs.exclude-removes-fs', { item: 'kEDH', name: 'smtpd_tls_mandatory_exclude_ciphers', removed: T.removed['DHE+anon'], scope: T.mandatory, remaining: T.rsaOnly, tls13: T.tls13 }));
  });

  test('TLS 1.3 is mentioned only where the library has it', () => {
    assert.equal(excl('ECDHE', { opensslVersion: '1.0.2' })[0].message, expect('ECDHE', T.removed.ECDHE, dheLeft, ''));
  });

  test('ordinary exclusions, static ECDH/DH, anonymous suites and intersections are fine', () => {
    assert.deepEqual(excl('aNULL, RC4, MD5, kEDH+aDSS, DES, aECDH, kECDH, kDH, AECDH, ADH'), []);
    assert.deepEqual(excl('constructor, toString, __proto__'), []);
  });
});

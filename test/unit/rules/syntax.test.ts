import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MAIN, MASTER, at, msg, run, withCode } from './helpers';

describe('syntax rule', () => {
  test("a line without '=' is an error naming the parameter", () => {
    const f = withCode(run('myhostname = mx.example.com\nbogus line here\n'), 'syntax.missing-equals');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'error');
    assert.equal(f[0].file, MAIN);
    assert.equal(at(f[0]), '2:1');
    assert.equal(f[0].message, msg('syntax.missing-equals', { name: 'bogus' }));
  });

  test('a byte order mark is reported with the name it spoils', () => {
    const f = withCode(run('\uFEFFmyhostname = mx\n'), 'syntax.bom');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('syntax.bom', { name: 'myhostname' }));
  });

  test('a broken ${...} expression is explained', () => {
    const f = withCode(run('relayhost = ${foo\n'), 'syntax.bad-reference');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /closing bracket is missing/);
  });

  test('master.cf field problems are mapped', () => {
    const f = run(undefined, 'smtp inet x - n - - smtpd\nshort line\n');
    assert.equal(withCode(f, 'master.bad-field').length, 1);
    assert.match(withCode(f, 'master.bad-field')[0].message, /private column.*Use y, n or -/);
    assert.equal(withCode(f, 'master.field-count').length, 1);
    assert.equal(withCode(f, 'master.field-count')[0].file, MASTER);
  });

  test('postconf -P lines in a master.cf file are recognised as such', () => {
    const f = run(undefined, 'submission/inet/smtpd_client_restrictions=$custom\n');
    assert.equal(withCode(f, 'master.field-count').length, 0);
    const p = withCode(f, 'master.postconf-p-line');
    assert.equal(p.length, 1);
    assert.equal(p[0].level, 'info');
  });

  test('clean files have no syntax findings', () => {
    const f = run('# comment\nmyhostname = mx.example.com\nmydestination = $myhostname,\n  localhost\n', 'smtp inet n - n - - smtpd\n  -o smtpd_tls_security_level=may\n');
    assert.deepEqual(f.filter((x) => x.code.startsWith('syntax.') || x.code.startsWith('master.')), []);
  });
});

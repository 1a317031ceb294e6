import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { completeConfig } from '../../../core/features/config-completion';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/types';
import { run } from '../rules/helpers';

function complete(kind: 'main' | 'master', text: string, line: number, character: number, mainText = '', settings: Partial<Settings> = {}) {
  const doc = { uri: kind === 'main' ? 'file:///p/main.cf' : 'file:///p/master.cf', getText: () => text };
  const mainDoc = kind === 'main' ? doc : { uri: 'file:///p/main.cf', getText: () => mainText };
  const main = parseMainCf(mainDoc);
  const master = kind === 'master' ? parseMasterCf(doc) : undefined;
  return completeConfig({ main, master, doc, settings: { ...DEFAULT_SETTINGS, ...settings } }, { line, character });
}

describe('main.cf completion', () => {
  test('parameter names at line start with default as detail', () => {
    const items = complete('main', 'smtpd_tls_sec', 0, 13);
    const it = items.find((i) => i.label === 'smtpd_tls_security_level');
    assert.ok(it);
    assert.equal(it.kind, 'parameter');
    assert.equal(it.insertText, 'smtpd_tls_security_level = ');
    assert.deepEqual(it.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 13 } });
    const g = items.find((i) => i.label === 'smtpd_tls_ciphers')!;
    assert.equal(g.detail, '= medium');
    assert.ok(!items.some((i) => i.label === 'process_name'), 'read-only names are not offered');
    assert.ok(!items.some((i) => i.label === 'tls_dane_digest_agility'), 'removed names are not offered');
    assert.ok(items.find((i) => i.label === 'smtpd_use_tls')!.deprecated);
  });
  test('names not in the target version are not offered', () => {
    const items = complete('main', 'tls_', 0, 4, '', { postfixVersion: '3.1' });
    assert.ok(!items.some((i) => i.label === 'tls_eecdh_auto_curves'));
    assert.ok(complete('main', 'tls_', 0, 4).some((i) => i.label === 'tls_eecdh_auto_curves'));
  });
  test('booleans after =', () => {
    const items = complete('main', 'tls_preempt_cipherlist = ', 0, 25);
    assert.deepEqual(items.map((i) => i.label), ['yes', 'no']);
    assert.equal(items[0].kind, 'value');
  });
  test('security levels and cipher grades', () => {
    const lv = complete('main', 'smtp_tls_security_level = ma', 0, 28);
    assert.ok(lv.some((i) => i.label === 'dane'));
    assert.deepEqual(lv[0].range, { start: { line: 0, character: 26 }, end: { line: 0, character: 28 } });
    assert.ok(complete('main', 'smtpd_tls_ciphers = ', 0, 20).some((i) => i.label === 'high'));
  });
  test('protocol lists on a continuation line', () => {
    const items = complete('main', 'smtpd_tls_protocols = !SSLv2,\n    ', 1, 4);
    assert.ok(items.some((i) => i.label === '>=TLSv1.2'));
    assert.ok(items.some((i) => i.label === '!TLSv1.1'));
  });
  test('$ references: defined and known names', () => {
    const items = complete('main', 'mydomain = example.com\nmyorigin = $myd', 1, 15);
    const it = items.find((i) => i.label === 'mydomain')!;
    assert.equal(it.kind, 'reference');
    assert.equal(it.detail, '= example.com');
    assert.deepEqual(it.range, { start: { line: 1, character: 12 }, end: { line: 1, character: 15 } });
    assert.ok(items.some((i) => i.label === 'myhostname'));
    assert.ok(complete('main', 'x = ${', 0, 6).some((i) => i.label === 'myhostname'));
  });
  test('no value items for unknown names or in the name part', () => {
    assert.deepEqual(complete('main', 'foo = ', 0, 6), []);
    assert.deepEqual(complete('main', 'x = $$', 0, 6).filter((i) => i.kind === 'reference'), []);
  });
});

describe('master.cf completion', () => {
  test('parameter names after -o', () => {
    const items = complete('master', 'submission inet n - n - - smtpd\n  -o smtpd_tls_w', 1, 16);
    const it = items.find((i) => i.label === 'smtpd_tls_wrappermode')!;
    assert.ok(it);
    assert.equal(it.insertText, 'smtpd_tls_wrappermode=');
    assert.deepEqual(it.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 16 } });
  });
  test('values after -o name=', () => {
    const items = complete('master', 'submission inet n - n - - smtpd\n  -o smtpd_tls_security_level=', 1, 30);
    assert.ok(items.some((i) => i.label === 'encrypt'));
    assert.deepEqual(complete('master', 's inet n - n - - smtpd -o smtpd_tls_wrappermode=', 0, 48).map((i) => i.label), ['yes', 'no']);
  });
  test('$ refs include the service overrides first', () => {
    const text = 'submission inet n - n - - smtpd\n  -o mua_level=encrypt\n  -o smtpd_tls_security_level=$mua';
    const items = complete('master', text, 2, 34, 'mua_other = 1\n');
    assert.equal(items[0].label, 'mua_level');
    assert.ok(items.some((i) => i.label === 'mua_other'));
  });
  test('nothing in the columns', () => {
    assert.deepEqual(complete('master', 'smtp inet n', 0, 11), []);
  });
});

describe('completion follows the target version', () => {
  const line = (name: string) => `${name} = `;
  test('protocol lists: no >= bounds before 3.6, and every offered form passes the linter', () => {
    for (const version of ['2.3', '3.5', '3.6', '3.12']) {
      for (const name of ['smtpd_tls_protocols', 'smtp_tls_mandatory_protocols']) {
        const items = complete('main', line(name), 0, line(name).length, '', { postfixVersion: version });
        assert.ok(items.length > 0);
        assert.equal(items.some((i) => /^[<>]=/.test(i.label)), version === '3.6' || version === '3.12', `${name}@${version}`);
        for (const it of items) {
          const bad = run(`${name} = ${it.insertText}\n`, undefined, { postfixVersion: version }).filter((f) => f.code === 'tls.bad-protocol-list' || f.code.startsWith('value.'));
          assert.deepEqual(bad.map((f) => f.code), [], `${name} = ${it.insertText} at ${version}`);
        }
      }
    }
  });
  test('security levels and grades: words the target version does not know are not offered', () => {
    const at = (name: string, version: string) => complete('main', line(name), 0, line(name).length, '', { postfixVersion: version }).map((i) => i.label);
    assert.ok(!at('smtp_tls_security_level', '2.10').includes('dane'));
    assert.ok(!at('smtp_tls_security_level', '2.10').includes('dane-only'));
    assert.ok(at('smtp_tls_security_level', '2.11').includes('dane'));
    assert.ok(!at('smtp_tls_security_level', '2.4').includes('fingerprint'));
    assert.ok(at('smtp_tls_security_level', '2.5').includes('fingerprint'));
    assert.ok(!at('smtpd_tls_eecdh_grade', '3.1').includes('auto'));
    assert.ok(at('smtpd_tls_eecdh_grade', '3.2').includes('auto'));
  });
  test('run-time defaults are described, not shown as a literal value', () => {
    for (const name of ['myhostname', 'mydomain', 'mynetworks']) {
      const names = complete('main', name.slice(0, 5), 0, 5).find((i) => i.label === name)!;
      const refs = complete('main', `x = $${name.slice(0, 5)}`, 0, 10).find((i) => i.label === name)!;
      for (const it of [names, refs]) {
        assert.doesNotMatch(it.detail ?? '', /\(computed\)/);
        assert.match(it.detail ?? '', /computed by Postfix at run time on the mail server/);
      }
    }
  });
});

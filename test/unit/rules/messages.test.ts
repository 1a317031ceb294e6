/** Counts in messages take the right number: "1 field", "2 fields", "1 second". */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGES, fillText, formatMessage } from '../../../core/rules/messages';
import { run, withCode } from './helpers';

describe('singular and plural in messages', () => {
  test('master.field-count: 1 field, 2 fields', () => {
    const f = withCode(run(undefined, 'foo\nshort line\n'), 'master.field-count');
    assert.equal(f.length, 2);
    assert.match(f[0].message, /has 1 field;/);
    assert.match(f[1].message, /has 2 fields;/);
    assert.doesNotMatch(f[0].message, /1 fields/);
  });

  test('the count form of a placeholder', () => {
    assert.equal(fillText('{n#item|items}', { n: 1 }), '1 item');
    assert.equal(fillText('{n#item|items}', { n: 0 }), '0 items');
    assert.equal(fillText('{n#item|items}', {}), '');
    assert.equal(formatMessage('master.field-count', { count: 7 }).startsWith('This master.cf entry has 7 fields;'), true);
  });

  test('value.out-of-range: 1 second, 2 seconds', () => {
    const one = formatMessage('value.out-of-range', { name: 'x', value: '0s', bound: 'at least', limit: 1, unit: ' seconds' });
    assert.match(one, /at least 1 second;/);
    const two = formatMessage('value.out-of-range', { name: 'x', value: '0s', bound: 'at least', limit: 2, unit: ' seconds' });
    assert.match(two, /at least 2 seconds;/);
  });

  test('no template puts a bare number placeholder before a plural noun', () => {
    // `{count} fields` reads wrong for 1: counted nouns use `{count#one|many}`.
    for (const [code, spec] of Object.entries(MESSAGES)) {
      assert.doesNotMatch(spec.template, /\{(count|n|number)\} [a-z]+s\b/, code);
      assert.doesNotMatch(spec.template, /these old versions/, code);
    }
  });

  test('tls.legacy-tls-protocols reads right for one protocol', () => {
    const f = withCode(run('smtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1.1\n'), 'tls.legacy-tls-protocols');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /allows 'TLSv1': acceptable/);
  });
});

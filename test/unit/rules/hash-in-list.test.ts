import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, msg, run, withCode } from './helpers';

describe('hash-in-list rule', () => {
  test('a trailing # comment in a list value', () => {
    const main = 'mynetworks = 127.0.0.0/8, [::1]/128 # local only\n';
    const f = withCode(run(main), 'value.inline-comment');
    assert.equal(f.length, 1);
    assert.equal(at(f[0]), '1:37');
    assert.equal(
      f[0].message,
      msg('value.inline-comment', { name: 'mynetworks', comment: '# local only', effect: "Postfix 3.10 drops the rest of the list from '#' on and logs a warning." }),
    );
    assert.equal(applyFix(main, f[0].fixes![0]), '# local only\nmynetworks = 127.0.0.0/8, [::1]/128\n');
  });

  test('older versions keep the words as list items', () => {
    const f = withCode(run('mynetworks = 127.0.0.0/8 # local\n', undefined, { postfixVersion: '3.7' }), 'value.inline-comment');
    assert.match(f[0].message, /reads its words as list items/);
  });

  test('# inside { } or glued to a word, and whole-line comments, are fine', () => {
    const f = run('# a comment\nsmtpd_banner = $myhostname ESMTP#1\nvirtual_alias_maps = inline:{ {#a=b} }\n');
    assert.deepEqual(withCode(f, 'value.inline-comment'), []);
  });
});

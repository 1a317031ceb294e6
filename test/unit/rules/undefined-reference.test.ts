import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { at, msg, run, withCode } from './helpers';

describe('undefined-reference rule', () => {
  test('a $name nobody defines expands to nothing', () => {
    const f = withCode(run('mydestination = $myhostname, $my_domians\nmy_domains = example.com\n'), 'postconf.undefined-parameter');
    assert.equal(f.length, 1);
    assert.equal(at(f[0]), '1:31');
    assert.match(f[0].message, /'\$my_domians'/);
  });

  test('the same in a master.cf override', () => {
    const f = withCode(run('myhostname = mx\n', 'submission inet n - n - - smtpd\n  -o smtpd_client_restrictions=$zz_custom_thing\n'), 'postconf.undefined-parameter');
    assert.equal(f.length, 1);
    assert.equal(f[0].message, msg('postconf.undefined-parameter', { name: 'zz_custom_thing', hint: " Define 'zz_custom_thing' or fix the spelling." }));
  });

  test('built-in, legacy, user-set and per-service names are defined', () => {
    const main = 'mydestination = $myhostname, ${mydomain}, $(virtual_maps)\nmua = permit\nsmtpd_client_restrictions = $mua, ${stress?{reject}}\nx = $relay_destination_concurrency_limit\n';
    const f = run(main, 'relay unix - - n - - smtp\nsubmission inet n - n - - smtpd\n  -o smtpd_sender_restrictions=$mua\n');
    assert.deepEqual(withCode(f, 'postconf.undefined-parameter'), []);
  });
});

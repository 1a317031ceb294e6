import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseMasterCf } from '../../../core/config/parse-master';
import { doc, codes } from './helpers';

const parse = (t: string) => parseMasterCf(doc(t, 'file:///etc/postfix/master.cf'));

describe('master.cf fields', () => {
  test('a service line with eight fields and args', () => {
    const m = parse('smtp      inet  n       -       y       -       -       smtpd\n');
    assert.deepEqual(m.problems, []);
    assert.equal(m.services.length, 1);
    const s = m.services[0];
    assert.equal(s.service.text, 'smtp');
    assert.equal(s.type.text, 'inet');
    assert.equal(s.command.text, 'smtpd');
    assert.deepEqual(s.args, []);
    assert.deepEqual(s.type.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 14 } });
  });

  test('continuation lines with comments and blank lines between -o lines', () => {
    const m = parse(
      'submission inet n - n - - smtpd\n' +
        '  -o syslog_name=postfix/submission\n' +
        '\n' +
        '    # comment between options\n' +
        '  -o smtpd_tls_security_level=encrypt\n' +
        'pickup unix n - y 60 1 pickup\n',
    );
    assert.deepEqual(m.problems, []);
    assert.equal(m.services.length, 2);
    const o = m.services[0].overrides;
    assert.deepEqual(o.map((x) => [x.name, x.value, x.form]), [
      ['syslog_name', 'postfix/submission', 'short'],
      ['smtpd_tls_security_level', 'encrypt', 'short'],
    ]);
    assert.deepEqual(o[1].nameRange, { start: { line: 4, character: 5 }, end: { line: 4, character: 29 } });
    assert.deepEqual(o[1].valueRange, { start: { line: 4, character: 30 }, end: { line: 4, character: 37 } });
    assert.deepEqual(o[1].range.start, { line: 4, character: 2 });
  });

  test('{ } group is one argument', () => {
    const m = parse('x unix - n n - - pipe flags=R user=u argv=/bin/p { -a b } ${recipient}\n');
    assert.deepEqual(m.problems, []);
    assert.deepEqual(m.services[0].args.map((a) => a.text), ['flags=R', 'user=u', 'argv=/bin/p', '{ -a b }', '${recipient}']);
  });

  test('master.field-count fires for < 8 fields, not for 8', () => {
    const m = parse('smtp inet n - y - - \n');
    assert.deepEqual(codes(m.problems), ['master.field-count']);
    assert.equal(m.problems[0].args.count, 7);
    assert.equal(m.services.length, 0);
    assert.deepEqual(codes(parse('smtp inet n - y - - smtpd\n').problems), []);
  });

  test('master.bad-field fires for each invalid column', () => {
    const cases: [string, string][] = [
      ['smtp tcp n - y - - smtpd', 'type'],
      ['smtp inet yes - y - - smtpd', 'private'],
      ['smtp inet n x y - - smtpd', 'unpriv'],
      ['smtp inet n - Y - - smtpd', 'chroot'],
      ['smtp inet n - y 60s - smtpd', 'wakeup'],
      ['smtp inet n - y - 10x smtpd', 'maxproc'],
    ];
    for (const [line, fieldName] of cases) {
      const m = parse(line + '\n');
      assert.deepEqual(codes(m.problems), ['master.bad-field'], line);
      assert.equal(m.problems[0].args.field, fieldName);
      assert.equal(m.services.length, 1);
    }
  });
  test('master.bad-field does not fire for valid values', () => {
    for (const line of [
      'pickup unix n - y 60 1 pickup',
      'qmgr unix n - n 300? 1 qmgr',
      'x unix-dgram - - - - 0 y',
      'x fifo n - - - 100 z',
      'x pass - - - - - z',
      '127.0.0.1:10025 inet n - n - - smtpd',
    ]) {
      assert.deepEqual(codes(parse(line + '\n').problems), [], line);
    }
  });
});

describe('master.cf -o overrides', () => {
  test('short, attached and long forms', () => {
    const m = parse('s inet n - n - - smtpd -o a=1 -ob=2 -o { c = x y } -vo d=4 -o { e = }\n');
    assert.deepEqual(m.problems, []);
    assert.deepEqual(m.services[0].overrides.map((o) => [o.name, o.value, o.form]), [
      ['a', '1', 'short'], ['b', '2', 'attached'], ['c', 'x y', 'long'], ['d', '4', 'short'], ['e', '', 'long'],
    ]);
    const c = m.services[0].overrides[2];
    const line = 's inet n - n - - smtpd -o a=1 -ob=2 -o { c = x y } -vo d=4 -o { e = }';
    assert.equal(c.nameRange.start.character, line.indexOf('c = x'));
    assert.equal(c.valueRange.start.character, line.indexOf('x y'));
    assert.equal(c.range.start.character, line.indexOf('-o {'));
  });

  test('option scan stops at a non-option argument or --', () => {
    const m = parse('s unix - n n - - pipe -o a=1 flags=R -o b=2\nt unix - n n - - smtp -- -o c=3\n');
    assert.deepEqual(m.services[0].overrides.map((o) => o.name), ['a']);
    assert.deepEqual(m.services[1].overrides.map((o) => o.name), []);
  });

  test('refs in override values', () => {
    const m = parse('s inet n - n - - smtpd -o smtpd_tls_security_level=$mua_level\n');
    assert.deepEqual(m.services[0].overrides[0].refs.map((r) => r.name), ['mua_level']);
  });

  test('master.spaced-override fires for -o name = value, and the override is still recorded', () => {
    for (const line of ['s inet n - n - - smtpd -o smtpd_tls_wrappermode = yes', 's inet n - n - - smtpd -o smtpd_tls_wrappermode =yes', 's inet n - n - - smtpd -o smtpd_tls_wrappermode= yes']) {
      const m = parse(line + '\n');
      assert.deepEqual(codes(m.problems), ['master.spaced-override'], line);
      assert.equal(m.problems[0].args.name, 'smtpd_tls_wrappermode');
      const o = m.services[0].overrides;
      assert.deepEqual(o.map((x) => [x.name, x.value]), [['smtpd_tls_wrappermode', 'yes']], line);
    }
  });
  test('master.spaced-override does not fire for spaces inside braces or valid short forms', () => {
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o { smtpd_tls_wrappermode = yes }\n').problems), []);
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o smtpd_tls_wrappermode=yes\n').problems), []);
    assert.deepEqual(codes(parse('s unix - n n - - pipe -o x= flags=R user=u\n').problems), []);
  });

  test('master.unbalanced-brace fires for a missing }', () => {
    const m = parse('s inet n - n - - smtpd -o { a = b\n');
    assert.deepEqual(codes(m.problems), ['master.unbalanced-brace']);
    assert.equal(m.services[0].overrides.length, 0);
  });
  test('master.unbalanced-brace fires for text after }', () => {
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o {a=b}c\n').problems), ['master.unbalanced-brace']);
  });
  test('master.unbalanced-brace does not fire for balanced groups', () => {
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o { a = {b} }\n').problems), []);
  });

  test('master.bad-override for -o without = or without value', () => {
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o foo\n').problems), ['master.bad-override']);
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o\n').problems), ['master.bad-override']);
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o =x\n').problems), ['master.bad-override']);
  });

  test('bad reference in an override value', () => {
    assert.deepEqual(codes(parse('s inet n - n - - smtpd -o a=${b\n').problems), ['syntax.bad-reference']);
  });

  test('arguments per service are capped on garbage input', () => {
    const m = parse('s inet n - n - - smtpd ' + '-o a=b '.repeat(20_000) + '\n');
    assert.equal(m.services[0].args.length, 10_000);
    assert.equal(m.services[0].overrides.length, 5_000);
  });
  test('robust on garbage and honours cancellation', () => {
    assert.doesNotThrow(() => parse('{{{{ \0 }}} -o -o -o\n' + 'x'.repeat(1_000_000)));
    const text = Array.from({ length: 3000 }, (_, i) => `s${i} unix - n n - - smtp`).join('\n');
    const m = parseMasterCf(doc(text), { isCancellationRequested: true });
    assert.ok(m.services.length < 3000);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseMainCf } from '../../../core/config/parse-main';
import { valueOffsetToPosition, valueOffsetsToRange } from '../../../core/config/position';
import { doc, codes } from './helpers';

const parse = (t: string) => parseMainCf(doc(t));

describe('main.cf logical lines', () => {
  test('simple assignment with ranges', () => {
    const m = parse('myhostname = mail.example.com\n');
    assert.equal(m.entries.length, 1);
    const a = m.entries[0];
    assert.equal(a.name, 'myhostname');
    assert.equal(a.value, 'mail.example.com');
    assert.deepEqual(a.nameRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } });
    assert.deepEqual(a.valueRange, { start: { line: 0, character: 13 }, end: { line: 0, character: 29 } });
    assert.deepEqual(m.problems, []);
    assert.equal(m.lineCount, 2);
  });

  test('indented line continues; leading white space of the continuation is kept', () => {
    const m = parse('a = x,\n    y\nb = z\n');
    assert.equal(m.entries.length, 2);
    assert.equal(m.byName.get('a')![0].value, 'x,    y');
    assert.equal(m.byName.get('b')![0].value, 'z');
    const a = m.entries[0];
    assert.equal(a.segments.length, 2);
    assert.deepEqual(a.valueRange.end, { line: 1, character: 5 });
    assert.deepEqual(a.range, { start: { line: 0, character: 0 }, end: { line: 1, character: 5 } });
  });

  test('blank and comment lines (even indented #) inside a continuation are discarded and do not end it', () => {
    const m = parse('a = one\n# comment\n\n   # indented comment\n  two\nb = 3\n');
    assert.equal(m.entries.length, 2);
    assert.equal(m.entries[0].value, 'one  two');
    assert.deepEqual(m.problems, []);
  });

  test('a flush-left line ends the logical line', () => {
    const m = parse('a = one\nb = two\n');
    assert.equal(m.entries[0].value, 'one');
  });

  test('no inline comments: # after text is part of the value', () => {
    const m = parse('relayhost = [smtp.example.com] # my relay\n');
    assert.equal(m.entries[0].value, '[smtp.example.com] # my relay');
  });

  test('trimming around = and at the end; = inside the value; tabs', () => {
    const m = parse('x\t=\t a=b c \t\n');
    assert.equal(m.entries[0].name, 'x');
    assert.equal(m.entries[0].value, 'a=b c');
  });

  test('name=value without spaces', () => {
    const m = parse('x=y\n');
    assert.equal(m.entries[0].name, 'x');
    assert.equal(m.entries[0].value, 'y');
  });

  test('empty value is valid; empty range right after =', () => {
    const m = parse('relayhost =\nalias_maps = \n');
    assert.equal(m.entries.length, 2);
    assert.equal(m.entries[0].value, '');
    assert.deepEqual(m.entries[0].valueRange, { start: { line: 0, character: 11 }, end: { line: 0, character: 11 } });
    assert.equal(m.entries[1].value, '');
    assert.deepEqual(m.problems, []);
  });

  test('duplicates are kept; last wins in byName order', () => {
    const m = parse('a = 1\nb = 2\na = 3\n');
    assert.equal(m.entries.length, 3);
    const list = m.byName.get('a')!;
    assert.deepEqual(list.map((x) => x.value), ['1', '3']);
    assert.equal(list[list.length - 1].value, '3');
  });

  test('CRLF line ends', () => {
    const m = parse('a = 1\r\nb = x,\r\n  y\r\n');
    assert.equal(m.entries.length, 2);
    assert.equal(m.entries[0].value, '1');
    assert.equal(m.entries[1].value, 'x,  y');
    assert.deepEqual(m.entries[0].valueRange.end, { line: 0, character: 5 });
    assert.deepEqual(m.problems, []);
  });

  test('names are case-sensitive', () => {
    const m = parse('smtpd_tls_CAfile = a\nsmtpd_tls_cafile = b\n');
    assert.equal(m.byName.size, 2);
  });
});

describe('main.cf problems', () => {
  test('syntax.bom fires for a leading BOM, and the name is still usable', () => {
    const m = parse('\uFEFFmyhostname = a\n');
    assert.deepEqual(codes(m.problems), ['syntax.bom']);
    assert.equal(m.problems[0].args.name, 'myhostname');
    assert.equal(m.entries[0].name, 'myhostname');
    assert.deepEqual(m.entries[0].nameRange.start, { line: 0, character: 1 });
  });
  test('syntax.bom does not fire without BOM or for a BOM-like char later', () => {
    assert.deepEqual(codes(parse('a = \uFEFF\n').problems), []);
  });

  test('syntax.missing-equals fires with the text', () => {
    const m = parse('foo bar = x\n');
    assert.deepEqual(codes(m.problems), ['syntax.missing-equals']);
    assert.equal(m.problems[0].args.text, 'foo bar = x');
    assert.equal(m.entries.length, 0);
    assert.deepEqual(codes(parse('foo\n').problems), ['syntax.missing-equals']);
  });
  test('syntax.missing-equals does not fire for a valid line', () => {
    assert.deepEqual(codes(parse('foo = bar baz\n').problems), []);
  });

  test('syntax.missing-name fires for "= value"', () => {
    const m = parse('= value\n');
    assert.deepEqual(codes(m.problems), ['syntax.missing-name']);
  });
  test('syntax.missing-name does not fire for a name', () => {
    assert.deepEqual(codes(parse('n = value\n').problems), []);
  });

  test('syntax.leading-whitespace fires for a continuation with nothing before it', () => {
    const m = parse('# header\n   orphan = 1\na = 2\n');
    assert.deepEqual(codes(m.problems), ['syntax.leading-whitespace']);
    assert.equal(m.problems[0].range.start.line, 1);
    assert.equal(m.entries.length, 1);
    assert.equal(m.entries[0].name, 'a');
  });
  test('syntax.leading-whitespace does not fire for a normal continuation', () => {
    assert.deepEqual(codes(parse('a = 1\n   2\n').problems), []);
  });

  test('syntax.nul-byte fires and text after NUL is ignored', () => {
    const m = parse('a = x\0y\nb = 2\n');
    assert.deepEqual(codes(m.problems), ['syntax.nul-byte']);
    assert.deepEqual(m.problems[0].range.start, { line: 0, character: 5 });
    assert.equal(m.entries[0].value, 'x');
    assert.equal(m.entries[1].value, '2');
  });
  test('syntax.nul-byte does not fire without NUL', () => {
    assert.deepEqual(codes(parse('a = x0y\n').problems), []);
  });

  test('syntax.bad-reference: truncated, empty name, unbalanced', () => {
    for (const v of ['${foo', '$(foo', 'a $ b', '${}', '${a?{b}', '${a?{b}:{c}', '$', '${a b}', '${{x} =~ {y}}']) {
      const m = parse(`x = ${v}\n`);
      assert.deepEqual(codes(m.problems), ['syntax.bad-reference'], v);
      assert.equal(m.problems[0].args.name, 'x');
      assert.equal(typeof m.problems[0].args.reason, 'string');
    }
  });
  test('syntax.bad-reference does not fire for valid forms or raw parameters', () => {
    for (const v of ['$a', '${a}', '$(a)', '$$', 'a$$b', '${a?b}', '${a:b}', '${a?{b}}', '${a?{b}:{c}}', '${a?{b}:c}',
      '${{$a} == {x}}', '${{$a} <level {3.6} ? {md5} : {sha256}}', '${stress?{10}:{300}}s', '${domain_to_ascii{$x}}',
      'inline:{ {a=b}, {c=d} }', '{x}', '}']) {
      assert.deepEqual(codes(parse(`x = ${v}\n`).problems), [], v);
    }
    assert.deepEqual(codes(parse('mailbox_command = /bin/x "$EXTENSION" ${\n').problems), []);
  });
});

describe('main.cf references', () => {
  test('plain, braces, parens, conditional forms with ranges', () => {
    const m = parse('x = $a ${b} $(c) ${d?e} ${f:g}\n');
    const refs = m.entries[0].refs;
    assert.deepEqual(refs.map((r) => [r.name, r.form]), [
      ['a', 'plain'], ['b', 'braces'], ['c', 'parens'], ['d', 'conditional'], ['f', 'conditional'],
    ]);
    assert.deepEqual(refs[0].nameRange, { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } });
    assert.deepEqual(refs[0].range, { start: { line: 0, character: 4 }, end: { line: 0, character: 6 } });
    assert.deepEqual(refs[1].range, { start: { line: 0, character: 7 }, end: { line: 0, character: 11 } });
    assert.deepEqual(refs[1].nameRange, { start: { line: 0, character: 9 }, end: { line: 0, character: 10 } });
  });

  test('refs inside conditional and relational values count', () => {
    const m = parse('x = ${tlsproxy_client_level?{$tlsproxy_client_level}:{$smtp_tls_security_level}} ${{$compatibility_level} <level {3.6} ? {$m} : {sha256}} ${a?$b}\n');
    assert.deepEqual(m.entries[0].refs.map((r) => r.name), [
      'tlsproxy_client_level', 'tlsproxy_client_level', 'smtp_tls_security_level', 'compatibility_level', 'm', 'a', 'b',
    ]);
  });

  test('$$ is a literal $, function names are not refs', () => {
    const m = parse('x = $$notaref ${domain_to_ascii{$y}}\n');
    assert.deepEqual(m.entries[0].refs.map((r) => r.name), ['y']);
  });

  test('refs on continuation lines map to their line', () => {
    const m = parse('x = a,\n    $myhostname\n');
    const r = m.entries[0].refs[0];
    assert.deepEqual(r.nameRange, { start: { line: 1, character: 5 }, end: { line: 1, character: 15 } });
  });

  test('raw parameters have no refs', () => {
    const m = parse('smtpd_reject_footer = call $client_address\n');
    assert.deepEqual(m.entries[0].refs, []);
  });
});

describe('valueOffsetToPosition', () => {
  test('maps offsets across continuation lines', () => {
    const m = parse('a = one\n# c\n  two\n');
    const a = m.entries[0];
    assert.equal(a.value, 'one  two');
    assert.deepEqual(valueOffsetToPosition(a, 0), { line: 0, character: 4 });
    assert.deepEqual(valueOffsetToPosition(a, 3), { line: 0, character: 7 });
    assert.deepEqual(valueOffsetToPosition(a, 5), { line: 2, character: 2 });
    assert.deepEqual(valueOffsetToPosition(a, 8), { line: 2, character: 5 });
    assert.deepEqual(valueOffsetToPosition(a, 99), { line: 2, character: 5 });
    assert.deepEqual(valueOffsetsToRange(a, 3, 8), { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } });
  });
  test('empty value maps to the empty value range', () => {
    const a = parse('a =\n').entries[0];
    assert.deepEqual(valueOffsetToPosition(a, 0), { line: 0, character: 3 });
  });
});

describe('robustness', () => {
  test('cancellation returns a partial result', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `p${i} = ${i}`).join('\n');
    const m = parseMainCf(doc(text), { isCancellationRequested: true });
    assert.ok(m.entries.length < 5000);
  });
  test('10 MB single line, NUL bytes, binary garbage never throw', () => {
    const big = 'x = ' + '${a?{'.repeat(1000) + 'y'.repeat(10_000_000);
    const m = parse(big);
    assert.equal(m.entries.length, 1);
    const bin = Array.from({ length: 100_000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    assert.doesNotThrow(() => parse(bin));
    assert.doesNotThrow(() => parse('\0\0\0 = \0\n\0'));
    const deep = 'x = ' + '${a?{'.repeat(5000) + '}}'.repeat(5000);
    assert.deepEqual(codes(parse(deep).problems), ['syntax.bad-reference']);
    const many = 'x = ' + '${'.repeat(200_000);
    assert.deepEqual(codes(parse(many).problems), ['syntax.bad-reference']);
  });
  test('references per value are capped on garbage input', () => {
    const m = parse('x = ' + '$a '.repeat(20_000) + '${');
    assert.equal(m.entries[0].refs.length, 10_000);
  });
  test('getText throwing is survived', () => {
    const m = parseMainCf({ uri: 'x', getText: () => { throw new Error('boom'); } });
    assert.equal(m.entries.length, 0);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { expandValue, relational } from '../../../core/config/expand';

const table = (o: Record<string, string>) => (n: string) => (Object.prototype.hasOwnProperty.call(o, n) ? o[n] : undefined);

describe('expandValue', () => {
  test('recursive plain forms', () => {
    const r = expandValue('$a ${b} $(c)', table({ a: '$b', b: 'B', c: 'x$a' }));
    assert.equal(r.value, 'B B xB');
    assert.deepEqual(r.undefined, []);
  });
  test('undefined names expand to empty and are listed once', () => {
    const r = expandValue('<$nope$nope>', table({}));
    assert.equal(r.value, '<>');
    assert.deepEqual(r.undefined, ['nope']);
  });
  test('$$ is a literal dollar', () => {
    assert.equal(expandValue('a$$b', table({ b: 'X' })).value, 'a$b');
  });
  test('conditional forms', () => {
    const t = table({ set: 'yes', empty: '' });
    assert.equal(expandValue('${set?on}', t).value, 'on');
    assert.equal(expandValue('${empty?on}', t).value, '');
    assert.equal(expandValue('${nope?on}', t).value, '');
    assert.equal(expandValue('${set:off}', t).value, 'yes');
    assert.equal(expandValue('${empty:off}', t).value, 'off');
    assert.equal(expandValue('${nope:off}', t).value, 'off');
    assert.equal(expandValue('${set?{a}:{b}}', t).value, 'a');
    assert.equal(expandValue('${empty?{a}:{b}}', t).value, 'b');
    assert.equal(expandValue('${empty?{a}:b c}', t).value, 'b c');
    assert.equal(expandValue('${stress?{10}:{300}}s', t).value, '300s');
    assert.deepEqual(expandValue('${nope?x}', t).undefined, []);
  });
  test('relational forms, numeric and level compare', () => {
    const t = table({ compatibility_level: '3.10', n: '10' });
    assert.equal(expandValue('${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}', t).value, 'sha256');
    assert.equal(expandValue('${{$compatibility_level} < {3.6} ? {lt} : {ge}}', t).value, 'lt'); // string compare
    assert.equal(expandValue('${{$n} > {9}}', t).value, 'true');
    assert.equal(expandValue('${{$n} == {9}}', t).value, '');
    assert.equal(relational('010', '==', '10'), true);
    assert.equal(relational('3.9', '<level', '3.10'), true);
  });
  test('loop detection', () => {
    const r = expandValue('$a', table({ a: 'x$b', b: 'y$a' }));
    assert.deepEqual(r.loop, ['a', 'b', 'a']);
    assert.equal(r.value, 'xy');
  });
  test('depth bound', () => {
    const o: Record<string, string> = {};
    for (let i = 0; i < 300; i++) o[`p${i}`] = `$p${i + 1}`;
    o.p300 = 'end';
    const r = expandValue('$p0', table(o));
    assert.ok(r.loop && r.loop.length > 50);
  });
  test('exponential blow-up is capped', () => {
    const o: Record<string, string> = { p0: 'xxxxxxxxxx' };
    for (let i = 1; i < 60; i++) o[`p${i}`] = `$p${i - 1}$p${i - 1}`;
    const r = expandValue('$p59', table(o), { maxLength: 100_000 });
    assert.equal(r.truncated, true);
    assert.equal(r.value.length, 100_000);
  });
  test('never throws on bad syntax or a throwing lookup', () => {
    assert.doesNotThrow(() => expandValue('${a', () => { throw new Error('x'); }));
    const r = expandValue('x ${a', table({}));
    assert.equal(r.error?.reason, 'truncated');
    assert.equal(r.value, 'x ');
  });
});

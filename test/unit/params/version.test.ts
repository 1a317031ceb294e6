import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { atLeast, compareVersions, formatVersion, parseVersion } from '../../../core/version';

describe('version', () => {
  test('parseVersion', () => {
    assert.deepEqual(parseVersion('3.10'), { major: 3, minor: 10, patch: 0 });
    assert.deepEqual(parseVersion('v3.9.2'), { major: 3, minor: 9, patch: 2 });
    assert.deepEqual(parseVersion('<=1.0'), { major: 1, minor: 0, patch: 0 });
    assert.deepEqual(parseVersion('3.12-20260821'), { major: 3, minor: 12, patch: 0 });
    assert.equal(parseVersion('abc'), undefined);
    assert.equal(parseVersion(undefined), undefined);
  });
  test('compare numerically', () => {
    assert.ok(compareVersions('3.10', '3.9') > 0);
    assert.ok(compareVersions('3.9.1', '3.9') > 0);
    assert.equal(compareVersions('3.6', '3.6.0'), 0);
    assert.ok(compareVersions('2.11', '3.0') < 0);
    assert.ok(atLeast('3.10', '3.6'));
    assert.ok(!atLeast('3.5.9', '3.6'));
    assert.ok(atLeast('1.1.1w', '1.0.2'));
    assert.equal(formatVersion({ major: 3, minor: 10, patch: 0 }), '3.10');
  });
});

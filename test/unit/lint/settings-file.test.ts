import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSettingsFile, mergeSettings, parseSettingsFile } from '../../../core/settings-file';
import { DEFAULT_SETTINGS } from '../../../core/types';

describe('settings file', () => {
  test('reads the extension keys without the prefix', () => {
    const r = parseSettingsFile(JSON.stringify({ postfixVersion: '3.7', opensslVersion: '1.1.1', profile: 'ncsc', diagnostics: { levels: { 'fs.preempt-cipherlist': 'off' } } }), 'x.json');
    assert.deepEqual(r, { settings: { postfixVersion: '3.7', opensslVersion: '1.1.1', profile: 'ncsc', levels: { 'fs.preempt-cipherlist': 'off' } }, errors: [] });
  });

  test('accepts levels, "diagnostics.levels" and postfixTls.-prefixed keys', () => {
    assert.deepEqual(parseSettingsFile('{"levels":{"a":"error"}}', 'f').settings, { levels: { a: 'error' } });
    assert.deepEqual(parseSettingsFile('{"diagnostics.levels":{"a":"hint"}}', 'f').settings, { levels: { a: 'hint' } });
    assert.deepEqual(parseSettingsFile('{"postfixTls.postfixVersion":"3.6","logs.decorations":false}', 'f').settings, { postfixVersion: '3.6' });
  });

  test('clear errors for bad JSON and bad values', () => {
    const bad = parseSettingsFile('{ "postfixVersion": ', '/cfg/.postfix-tls.json');
    assert.equal(bad.errors.length, 1);
    assert.match(bad.errors[0], /^\/cfg\/\.postfix-tls\.json: not valid JSON/);
    assert.match(parseSettingsFile('[]', 'f').errors[0], /expected a JSON object/);
    const vals = parseSettingsFile('{"postfixVersion":"latest","profile":"paranoid","levels":{"a":"loud"}}', 'f');
    assert.equal(vals.errors.length, 3);
    assert.deepEqual(vals.settings, { levels: {} });
  });

  test('loads from a folder; none is undefined', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pftls-'));
    try {
      assert.equal(loadSettingsFile(dir), undefined);
      writeFileSync(path.join(dir, '.postfix-tls.json'), '{"postfixVersion":"3.4"}');
      assert.deepEqual(loadSettingsFile(dir), { settings: { postfixVersion: '3.4' }, errors: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('layers merge field by field and code by code', () => {
    const m = mergeSettings({ ...DEFAULT_SETTINGS, levels: { a: 'off' } }, { postfixVersion: '3.4', levels: { b: 'error' } }, { profile: 'ncsc' });
    assert.deepEqual(m, { postfixVersion: '3.4', opensslVersion: DEFAULT_SETTINGS.opensslVersion, profile: 'ncsc', levels: { a: 'off', b: 'error' } });
  });
});

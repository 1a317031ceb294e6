import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configKind, lintPaths } from '../../../core/lint-files';
import { DEFAULT_SETTINGS } from '../../../core/types';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures', 'dh');
let dir: string;
const base = { ...DEFAULT_SETTINGS, levels: {} };

describe('lintPaths', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pftls-files-'));
    mkdirSync(path.join(dir, 'cfg'));
    copyFileSync(path.join(FIX, 'dh1024.pem'), path.join(dir, 'cfg', 'dh1024.pem'));
    writeFileSync(path.join(dir, 'cfg', 'main.cf'), 'smtpd_tls_dh1024_param_file = ${config_directory}/dh1024.pem\nmua_restrictions = permit\ntls_preempt_cipherlist = yes\n');
    writeFileSync(path.join(dir, 'cfg', 'master.cf'), 'submission inet n - n - - smtpd\n  -o smtpd_client_restrictions=$mua_restrictions\n');
    writeFileSync(path.join(dir, 'binary.cf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    mkdirSync(path.join(dir, 'empty'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a folder: main.cf and master.cf together, DH files relative to it', async () => {
    const r = await lintPaths([path.join(dir, 'cfg')], base, { flags: { postfixVersion: '3.8' } });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.files, [path.join(dir, 'cfg', 'main.cf'), path.join(dir, 'cfg', 'master.cf')]);
    const codes = r.findings.map((f) => f.code).sort();
    assert.deepEqual(codes, ['fs.dh-prime-too-small', 'fs.preempt-cipherlist']);
  });

  test('a lone main.cf gets its master.cf as context but only main.cf is reported', async () => {
    const r = await lintPaths([path.join(dir, 'cfg', 'main.cf')], base);
    assert.deepEqual(r.files, [path.join(dir, 'cfg', 'main.cf')]);
    assert.equal(r.findings.filter((f) => f.code === 'postconf.unused-parameter').length, 0);
    assert.ok(r.findings.every((f) => f.file.endsWith('main.cf')));
  });

  test('.postfix-tls.json sits between defaults and flags', async () => {
    writeFileSync(path.join(dir, 'cfg', '.postfix-tls.json'), '{"levels":{"fs.preempt-cipherlist":"off"},"postfixVersion":"3.8"}');
    try {
      let r = await lintPaths([path.join(dir, 'cfg')], base);
      assert.deepEqual(r.findings.map((f) => f.code), ['fs.dh-prime-too-small']);
      r = await lintPaths([path.join(dir, 'cfg')], base, { flags: { postfixVersion: '3.10' } });
      assert.ok(r.findings.some((f) => f.code === 'fs.dh1024-deprecated'));
      writeFileSync(path.join(dir, 'cfg', '.postfix-tls.json'), '{ nope');
      r = await lintPaths([path.join(dir, 'cfg')], base);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0], /\.postfix-tls\.json: not valid JSON/);
    } finally {
      rmSync(path.join(dir, 'cfg', '.postfix-tls.json'));
    }
  });

  test('binary, missing and empty-folder paths are errors, not exceptions', async () => {
    const r = await lintPaths([path.join(dir, 'binary.cf'), path.join(dir, 'nope.cf'), path.join(dir, 'empty')], base);
    assert.equal(r.findings.length, 0);
    assert.equal(r.errors.length, 3);
    const all = r.errors.join('\n');
    assert.match(all, /binary\.cf: looks like a binary file/);
    assert.match(all, /nope\.cf: no such file or directory/);
    assert.match(all, /empty: no main\.cf or master\.cf in this folder/);
  });

  test('file kinds by name', () => {
    assert.equal(configKind('/x/master.cf'), 'master');
    assert.equal(configKind('/x/postfix-master.cf'), 'master');
    assert.equal(configKind('/x/main.cf.proto'), 'main');
  });
});

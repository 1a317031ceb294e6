/**
 * `postfix-tls lint` end to end: in-process through cli/main.ts, and once as a real process
 * (`node bin/postfix-tls.js`) after building.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatMessage } from '../../core/rules/messages';
import { ALL_CODES } from '../../core/rules/registry';
import { runCli, spawnCli } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/reference';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'dh');
let dir: string;

const cli = (args: string[], cwd = dir) => runCli(args, { cwd });

describe('postfix-tls lint', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pftls-cli-'));
    mkdirSync(path.join(dir, 'etc'));
    copyFileSync(path.join(FIX, 'dh1024.pem'), path.join(dir, 'etc', 'dh1024.pem'));
    writeFileSync(path.join(dir, 'etc', 'main.cf'), '# test\nsmtpd_tls_dh1024_param_file = ${config_directory}/dh1024.pem\ntls_preempt_cipherlist = yes\n');
    writeFileSync(path.join(dir, 'etc', 'master.cf'), 'submission inet n - n - - smtpd\n  -o smtpd_tls_security_level = encrypt\n');
    mkdirSync(path.join(dir, 'clean'));
    writeFileSync(path.join(dir, 'clean', 'main.cf'), 'smtpd_tls_security_level = may\n');
    mkdirSync(path.join(dir, 'info'));
    writeFileSync(path.join(dir, 'info', 'main.cf'), 'tls_preempt_cipherlist = yes\n');
    writeFileSync(path.join(dir, 'binary.cf'), Buffer.from([1, 2, 0, 0, 3]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('text: file:line:column: level code message, and exit 1 on warnings', async () => {
    const r = await cli(['lint', 'etc', '--postfix-version', '3.8']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.includes(`${path.join('etc', 'main.cf')}:2:31: warning fs.dh-prime-too-small ${formatMessage('fs.dh-prime-too-small', { path: path.join(dir, 'etc', 'dh1024.pem'), name: 'smtpd_tls_dh1024_param_file', bits: 1024, default: ", or remove the setting (or write 'auto') to use OpenSSL's choice" })}`), r.stdout);
    assert.ok(lines.some((l) => l.startsWith(`${path.join('etc', 'main.cf')}:3:26: info fs.preempt-cipherlist `)), r.stdout);
    assert.ok(lines.some((l) => l.startsWith(`${path.join('etc', 'master.cf')}:2:3: error master.spaced-override `)), r.stdout);
    assert.match(lines[lines.length - 1], /^3 findings in 2 files \(1 error, 1 warning, 1 info\)\.$/);
  });

  test('exit codes follow --fail-on', async () => {
    assert.equal((await cli(['lint', 'clean'])).code, 0);
    assert.equal((await cli(['lint', 'info'])).code, 0);
    assert.equal((await cli(['lint', 'info', '--fail-on', 'info'])).code, 1);
    assert.equal((await cli(['lint', 'etc', '--fail-on=error'])).code, 1);
    assert.match((await cli(['lint', 'clean'])).stdout, /^No findings in 1 file\.\n$/);
  });

  test('json: 1-based positions', async () => {
    const r = await cli(['lint', path.join('etc', 'main.cf'), '--format', 'json', '--postfix-version=3.8']);
    const arr = JSON.parse(r.stdout);
    const small = arr.find((x: { code: string }) => x.code === 'fs.dh-prime-too-small');
    assert.deepEqual(Object.keys(small), ['file', 'line', 'column', 'endLine', 'endColumn', 'level', 'code', 'message']);
    assert.deepEqual([small.file, small.line, small.column, small.endLine, small.endColumn, small.level], [path.join('etc', 'main.cf'), 2, 31, 2, 61, 'warning']);
  });

  test('sarif 2.1.0: a rule per code, results with 1-based regions', async () => {
    const r = await cli(['lint', 'etc', '--format', 'sarif', '--postfix-version', '3.8']);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'postfix-tls');
    assert.equal(run.tool.driver.rules.length, Object.keys(ALL_CODES).length);
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'fs.dh-prime-too-small');
    assert.ok(rule.shortDescription.text.length > 0);
    assert.match(rule.helpUri, /^https:\/\//);
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'fs.dh-prime-too-small');
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'fs.dh-prime-too-small');
    assert.equal(res.level, 'warning');
    assert.deepEqual(res.locations[0].physicalLocation.artifactLocation, { uri: 'etc/main.cf' });
    assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 2, startColumn: 31, endLine: 2, endColumn: 61 });
    assert.equal(run.results.find((x: { ruleId: string }) => x.ruleId === 'fs.preempt-cipherlist').level, 'note');
  });

  test('flags and .postfix-tls.json', async () => {
    writeFileSync(path.join(dir, 'info', '.postfix-tls.json'), '{"levels":{"fs.preempt-cipherlist":"error"}}');
    try {
      const r = await cli(['lint', 'info']);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /error fs\.preempt-cipherlist/);
      const p = await cli(['lint', 'clean', '--profile', 'ncsc', '--fail-on', 'info']);
      assert.match(p.stdout, /profile\.protocols-default-below-profile/);
    } finally {
      rmSync(path.join(dir, 'info', '.postfix-tls.json'));
    }
  });

  test('usage and read errors exit 2 with a clear message', async () => {
    let r = await cli(['lint']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give at least one main\.cf, master\.cf or folder/);
    r = await cli(['lint', 'etc', '--format', 'xml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--format must be one of text, json, sarif/);
    r = await cli(['lint', 'etc', '--postfix-version', 'new']);
    assert.match(r.stderr, /--postfix-version must be a version like 3\.10/);
    r = await cli(['lint', 'etc', '--bogus']);
    assert.match(r.stderr, /unknown option '--bogus'/);
    r = await cli(['lint', 'nope', 'binary.cf']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /postfix-tls lint: nope: no such file or directory/);
    assert.match(r.stderr, /postfix-tls lint: binary\.cf: looks like a binary file/);
  });

  test('--fail-on: the values --help shows are the values accepted (hint included)', async () => {
    const help = await runCli(['lint', '--help']);
    const shown = /--fail-on ([a-z|]+)\]/.exec(help.stdout)?.[1];
    assert.equal(shown, 'error|warning|info|hint');
    for (const level of shown!.split('|')) assert.notEqual((await cli(['lint', 'clean', '--fail-on', level])).code, 2, level);
    assert.match((await cli(['lint', 'clean', '--fail-on', 'never'])).stderr, /--fail-on must be one of error, warning, info, hint \(got 'never'\)/);
    assert.match((await runCli(['--help'])).stdout, /--fail-on error\|warning\|info\|hint/);
  });

  test('--postfix-version newer than the data: accepted, with a notice on stderr', async () => {
    const r = await cli(['lint', 'clean', '--postfix-version', '9.9']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^postfix-tls lint: notice: --postfix-version 9\.9 is newer than the Postfix versions this tool has data for \(up to 3\.\d+\); defaults and checks follow 3\.\d+\.\n$/);
    assert.equal((await cli(['lint', 'clean', '--postfix-version', '3.10'])).stderr, '');
  });

  describe('as a process', () => {
    test('node bin/postfix-tls.js lint', { timeout: 180_000 }, async () => {
      const r = await spawnCli(['lint', 'etc', '--format', 'json', '--postfix-version', '3.8'], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      const arr = JSON.parse(r.stdout);
      assert.deepEqual(arr.map((x: { code: string }) => x.code).sort(), ['fs.dh-prime-too-small', 'fs.preempt-cipherlist', 'master.spaced-override']);
      const usage = await spawnCli(['lint'], { cwd: dir });
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /^postfix-tls lint: give at least one main\.cf/);
    });
  });
});

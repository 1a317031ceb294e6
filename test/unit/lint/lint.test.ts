import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lint, levelFor } from '../../../core/lint';
import { MESSAGES, formatMessage } from '../../../core/rules/messages';
import { ALL_CODES, RULES } from '../../../core/rules/registry';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/types';

const settings = (levels: Settings['levels'] = {}, extra: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, levels, ...extra });
const main = (text: string) => ({ uri: 'main.cf', getText: () => text });

describe('lint()', () => {
  test('every code has a message, a description and a default level; every message belongs to a code', () => {
    for (const [code, level] of Object.entries(ALL_CODES)) {
      const spec = (MESSAGES as Record<string, { template: string; description: string; defaultLevel: string }>)[code];
      assert.ok(spec, `no message for ${code}`);
      assert.equal(spec.defaultLevel, level, code);
      assert.ok(spec.description.length > 10, code);
    }
    for (const code of Object.keys(MESSAGES)) assert.ok(code in ALL_CODES, `message ${code} is not reported by any rule`);
    // One rule per code.
    const owners = new Map<string, string>();
    for (const r of RULES) for (const c of Object.keys(r.codes)) {
      assert.ok(!owners.has(c), `${c} in ${owners.get(c)} and ${r.id}`);
      owners.set(c, r.id);
    }
  });

  test('messages are formatted from the table', () => {
    const f = lint({ main: main('tls_preempt_cipherlist = yes\n') }, settings());
    assert.deepEqual(f.map((x) => [x.code, x.level, x.message]), [['fs.preempt-cipherlist', 'info', formatMessage('fs.preempt-cipherlist', { name: 'tls_preempt_cipherlist' })]]);
  });

  test('per-code levels: change and off', () => {
    const text = 'tls_preempt_cipherlist = yes\nsmtpd_tls_cert_flie = x\n';
    const raised = lint({ main: main(text) }, settings({ 'fs.preempt-cipherlist': 'error' }));
    assert.equal(raised.find((x) => x.code === 'fs.preempt-cipherlist')?.level, 'error');
    const off = lint({ main: main(text) }, settings({ 'fs.preempt-cipherlist': 'off', 'postconf.unused-parameter': 'off' }));
    assert.deepEqual(off, []);
    assert.equal(levelFor('no.such-code', settings()), 'warning');
    assert.equal(levelFor('fs.preempt-cipherlist', settings({ 'fs.preempt-cipherlist': 'off' })), undefined);
  });

  test('findings are sorted by file and position and carry fixes and tags', () => {
    const f = lint({ main: main('smtpd_use_tls = yes\nmyhostname = a\nmyhostname = b\n'), master: { uri: 'master.cf', getText: () => 'smtp inet n - n - - smtpd\n  -o smtpd_enforce_tls=yes\n' } }, settings());
    assert.deepEqual(f.map((x) => `${x.file}:${x.range.start.line}`), ['main.cf:0', 'main.cf:2', 'master.cf:1']);
    assert.ok(f[0].fixes && f[0].fixes.length > 0);
    assert.deepEqual(f[0].tags, ['deprecated']);
  });

  test('never throws on hostile input', () => {
    const inputs = [
      '',
      '\u0000\u0001\u0002binary\u0000',
      'x = ' + 'a'.repeat(2_000_000),
      'a = $b\nb = $c\nc = $a\n',
      'x = ' + '${'.repeat(500),
      '=\n = \n\t\n  continued\nname value\n',
      'smtpd_tls_dh1024_param_file = $' + '{config_directory'.repeat(10),
      Array.from({ length: 2000 }, (_, i) => `p${i} = $p${i + 1}`).join('\n'),
      '\r\n\r\nmyhostname = a\r\n',
    ];
    for (const text of inputs) {
      const f = lint({ main: main(text), master: { uri: 'master.cf', getText: () => text }, readFile: () => { throw new Error('nope'); } }, settings({}, { profile: 'ncsc' }));
      assert.ok(Array.isArray(f));
      assert.deepEqual(f.filter((x) => x.code === 'internal.rule-failed').map((x) => x.message), []);
    }
  });

  test('a cancelled token stops early', () => {
    assert.deepEqual(lint({ main: main('tls_preempt_cipherlist = yes\n') }, settings(), { isCancellationRequested: true }), []);
  });
});

/**
 * A rule about a parameter's value must stay silent on a parameter the target Postfix version
 * does not have: `postconf.parameter-too-new` already says it is ignored, and advice about its
 * value (e.g. a `!SSLv2` rewrite for a 2.0 server) would not apply.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpusFiles, readTsv, referenceFile } from '../../helpers/reference';
import { cipherGradeRule } from '../../../core/rules/cipher-grade';
import { curvesRule } from '../../../core/rules/curves';
import { dhParamFileRule } from '../../../core/rules/dh-param-file';
import { eecdhGradeRule } from '../../../core/rules/eecdh-grade';
import { excludeCiphersRule } from '../../../core/rules/exclude-ciphers';
import { legacyTlsRule } from '../../../core/rules/legacy-tls';
import { preemptCipherlistRule } from '../../../core/rules/preempt-cipherlist';
import { protocolsRule } from '../../../core/rules/protocols';
import { valueTypeRule } from '../../../core/rules/value-type';
import type { Finding } from '../../../core/types';
import { run, withCode } from './helpers';

/** Codes of the value rules that must respect the target version. */
const VALUE_CODES = new Set(
  [protocolsRule, cipherGradeRule, eecdhGradeRule, preemptCipherlistRule, dhParamFileRule, curvesRule, excludeCiphersRule, legacyTlsRule, valueTypeRule].flatMap((r) => Object.keys(r.codes)),
);

/** 1-based line of a finding. */
const lineOf = (f: Finding) => f.range.start.line;

describe('value rules and the target version', () => {
  test('GrapheneOS main.cf at 2.0: no protocol advice for parameters 2.0 lacks', () => {
    const text = readFileSync(referenceFile('corpus', 'maincf', 'GrapheneOS__mail.grapheneos.org__postfix__main.cf.cf'), 'utf8');
    const f = run(text, undefined, { postfixVersion: '2.0' });
    assert.ok(withCode(f, 'postconf.parameter-too-new').some((x) => x.message.includes("'smtpd_tls_protocols'")));
    assert.deepEqual(withCode(f, 'tls.bad-protocol-list'), []);
    // At 3.6+ the same file is fine, and at 3.5 the bounds syntax is still reported.
    assert.deepEqual(withCode(run(text, undefined, { postfixVersion: '3.6' }), 'tls.bad-protocol-list'), []);
    assert.ok(withCode(run(text, undefined, { postfixVersion: '3.5' }), 'tls.bad-protocol-list').length > 0);
  });

  test('corpus at 2.0, 2.2 and 2.11: no value finding on a line flagged parameter-too-new', () => {
    const templated = new Set(readTsv(referenceFile('corpus', 'maincf', 'SOURCES.tsv')).filter((r) => /templat/i.test(r.note)).map((r) => r.filename));
    const mains = corpusFiles('maincf').filter((p) => !/master/.test(path.basename(p)) && !templated.has(path.basename(p)));
    assert.ok(mains.length > 10);
    let tooNew = 0;
    for (const version of ['2.0', '2.2', '2.11']) {
      for (const file of mains) {
        const f = run(readFileSync(file, 'utf8'), undefined, { postfixVersion: version });
        const flagged = new Set(withCode(f, 'postconf.parameter-too-new').map(lineOf));
        tooNew += flagged.size;
        const bad = f.filter((x) => VALUE_CODES.has(x.code) && flagged.has(lineOf(x)));
        assert.deepEqual(bad.map((x) => `${path.basename(file)}@${version}:${x.range.start.line + 1} ${x.code}`), []);
      }
    }
    assert.ok(tooNew > 0, 'the corpus has parameters too new for these versions');
  });

  test('each value rule still fires where the parameter exists, and not where it does not', () => {
    const cases: [text: string, code: string, known: string, unknown: string][] = [
      ['smtpd_tls_protocols = >=TLSv1.2\n', 'tls.bad-protocol-list', '3.5', '2.5'],
      ['smtpd_tls_ciphers = export\n', 'fs.weak-cipher-grade', '2.6', '2.5'],
      ['smtpd_tls_eecdh_grade = none\n', 'fs.eecdh-grade-none', '2.6', '2.5'],
      ['tls_preempt_cipherlist = yes\n', 'fs.preempt-cipherlist', '2.8', '2.7'],
      ['smtpd_tls_dh512_param_file = /x\n', 'fs.dh512-obsolete', '2.2', '2.1'],
      ['tls_eecdh_auto_curves = bogus\n', 'fs.unknown-group', '3.2', '3.1'],
      ['smtpd_tls_exclude_ciphers = kEECDH\n', 'fs.exclude-removes-fs', '2.3', '2.2'],
      ['smtpd_use_tls = yes\n', 'tls.legacy-tls-switch', '2.3', '2.0'],
      ['tls_preempt_cipherlist = maybe\n', 'value.bad-boolean', '2.8', '2.7'],
      ['smtpd_tls_ccert_verifydepth = x\n', 'value.bad-integer', '2.2', '2.1'],
      ['smtpd_tls_session_cache_timeout = 5x\n', 'value.bad-time', '2.2', '2.1'],
      ['smtpd_tls_security_level = bogus\n', 'value.bad-enum', '2.3', '2.2'],
      ['canonical_classes =\n', 'value.empty-not-allowed', '2.2', '2.1'],
    ];
    for (const [text, code, known, unknown] of cases) {
      assert.equal(withCode(run(text, undefined, { postfixVersion: known }), code).length, 1, `${code} at ${known}`);
      const at = run(text, undefined, { postfixVersion: unknown });
      assert.equal(withCode(at, code).length, 0, `${code} at ${unknown}`);
    }
  });

  test('legacy switch before the security level existed (2.2): no advice to use it', () => {
    assert.deepEqual(withCode(run('smtpd_use_tls = yes\n', undefined, { postfixVersion: '2.2' }), 'tls.legacy-tls-switch'), []);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PARAM_ROWS, RUNTIME_DEFAULTS, RUNTIME_DEFAULT_MARKERS } from '../../../core/params/generated/params';
import { TLS_ROWS } from '../../../core/params/generated/tls';
import { allParamNames, defaultFor } from '../../../core/params';
import { REPO_ROOT, referenceDir } from '../../helpers/reference';

/** Text the reference tables put where a value goes: `(empty)`, `(none)`, `(see text)`, `<unset>`... */
const PLACEHOLDER = /^\s*\(.*\)\s*$|^<[a-z][a-z ]*>$|^platform [A-Z_]+ \(/is;
const VERSIONS = ['2.2', '2.3', '2.6', '2.11', '3.0', '3.4', '3.6', '3.8', '3.10', '3.11', '3.12'];

describe('no reference-table placeholder becomes a default value', () => {
  test('3.12 defaults: only the documented runtime markers, and only for their rows', () => {
    const runtime = new Set(RUNTIME_DEFAULTS);
    for (const r of PARAM_ROWS) {
      if (runtime.has(r[0])) assert.ok(RUNTIME_DEFAULT_MARKERS.includes(r[2]), r[0]);
      else assert.doesNotMatch(r[2], PLACEHOLDER, r[0]);
    }
    assert.deepEqual([...runtime].sort(), ['mydomain', 'myhostname', 'mynetworks', 'process_id', 'process_name']);
  });

  test('default history of every TLS row (both branches of conditional entries)', () => {
    for (const [name, , , history] of TLS_ROWS) {
      for (const h of history) {
        for (const v of [h[1], h[3]]) if (typeof v === 'string') assert.doesNotMatch(v, PLACEHOLDER, `${name} at ${h[0]}`);
      }
    }
  });

  test('defaultFor at every version, with old and new OpenSSL', () => {
    const runtime = new Set(RUNTIME_DEFAULTS);
    for (const name of allParamNames()) {
      if (runtime.has(name)) continue;
      for (const v of VERSIONS) {
        for (const openssl of ['1.0.1', '3.0', '3.5']) {
          const d = defaultFor(name, v, { opensslVersion: openssl });
          if (d !== undefined) assert.doesNotMatch(d, PLACEHOLDER, `${name} at ${v} (OpenSSL ${openssl})`);
        }
      }
    }
  });

  test('lmtp_tls_security_level stays empty at 3.11 and later', () => {
    assert.equal(defaultFor('lmtp_tls_security_level', '3.10'), '');
    assert.equal(defaultFor('lmtp_tls_security_level', '3.11'), '');
    assert.equal(defaultFor('lmtp_tls_security_level', '3.12'), '');
    // Its smtp sibling does change at 3.11, to a compatibility-level expression.
    assert.match(defaultFor('smtp_tls_security_level', '3.11')!, /\{may\}/);
  });

  test('tls_random_source: the platform default is a value, not a description', () => {
    const row = TLS_ROWS.find((r) => r[0] === 'tls_random_source')!;
    for (const h of row[3]) assert.ok(h[1] === '' || h[1] === 'dev:/dev/urandom', JSON.stringify(h));
  });

  test('the generator refuses a placeholder it does not know', () => {
    const ref = mkdtempSync(path.join(os.tmpdir(), 'gen-params-ref-'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'gen-params-out-'));
    try {
      cpSync(referenceDir(), ref, { recursive: true });
      const tsv = path.join(ref, 'postfix', 'params-tls.tsv');
      writeFileSync(tsv, readFileSync(tsv, 'utf8').replace('3.11: "(empty)"', '3.11: "(see text)"'));
      assert.throws(
        () => execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'gen-params.mjs'), ref, out], { stdio: 'pipe' }),
        (e: { stderr?: Buffer }) => /unhandled placeholder "\(see text\)".*lmtp_tls_security_level/.test(String(e.stderr)),
      );
    } finally {
      rmSync(ref, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});

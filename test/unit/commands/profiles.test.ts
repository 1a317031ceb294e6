import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseMainCf } from '../../../core/config/parse-main';
import { evalProtocols, fsKillingExclusions, recommendationTextEdits, recommendedEdits, type RecommendedEdit } from '../../../core/profiles';
import { PROFILE_NAMES, type TextEdit } from '../../../core/types';

const CERT = 'smtpd_tls_chain_files = /etc/ssl/mail.pem\n';

function main(text: string) {
  return parseMainCf({ uri: 'file:///etc/postfix/main.cf', getText: () => text });
}

function byName(edits: RecommendedEdit[]): Map<string, RecommendedEdit> {
  return new Map(edits.map((e) => [e.name, e]));
}

/** Applies text edits (non-overlapping) to a text. */
function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe('evalProtocols', () => {
  test('legacy, range and positive forms', () => {
    assert.deepEqual(evalProtocols('!SSLv2, !SSLv3').enabled, ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(evalProtocols('>=TLSv1.2').enabled, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(evalProtocols('>=TLSv1 <=TLSv1.2').enabled, ['TLSv1', 'TLSv1.1', 'TLSv1.2']);
    assert.deepEqual(evalProtocols('TLSv1.2:TLSv1.3').enabled, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(evalProtocols('').enabled.length, 6);
    assert.deepEqual(evalProtocols('!TLSv9').invalid, ['!TLSv9']);
  });

  test('exclusions that remove forward secrecy', () => {
    assert.deepEqual(fsKillingExclusions('aNULL, kEECDH kEDH, MD5'), ['kEECDH', 'kEDH']);
    assert.deepEqual(fsKillingExclusions('aNULL, MD5, RC4'), []);
  });
});

describe('recommendedEdits', () => {
  test('an empty main.cf gets opportunistic TLS and logging (postfix-defaults, 3.10)', () => {
    const e = byName(recommendedEdits(main(''), 'postfix-defaults', '3.10'));
    assert.equal(e.get('smtpd_tls_security_level')?.to, 'may');
    assert.match(e.get('smtpd_tls_security_level')?.reason ?? '', /certificate/);
    assert.equal(e.get('smtp_tls_security_level')?.to, 'may');
    assert.equal(e.get('smtpd_tls_loglevel')?.to, '1');
    // Modern defaults are already fine: nothing about protocols or ciphers.
    assert.ok(!e.has('smtpd_tls_protocols'));
    assert.ok(!e.has('smtpd_tls_ciphers'));
    for (const x of e.values()) assert.equal(x.from, undefined);
  });

  test('a well-configured main.cf needs nothing', () => {
    const text = CERT + 'smtpd_tls_security_level = may\nsmtp_tls_security_level = dane\nsmtpd_tls_loglevel = 1\nsmtp_tls_loglevel = 2\n';
    assert.deepEqual(recommendedEdits(main(text), 'postfix-defaults', '3.10'), []);
    const strict = text + 'smtpd_tls_protocols = >=TLSv1.2\nsmtpd_tls_mandatory_protocols = $smtpd_tls_protocols\nsmtp_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1\nsmtpd_tls_mandatory_ciphers = high\nsmtpd_tls_mandatory_exclude_ciphers = aNULL, kRSA\n';
    assert.deepEqual(recommendedEdits(main(strict), 'mozilla-intermediate', '3.10'), []);
    assert.deepEqual(recommendedEdits(main(strict), 'ncsc', '3.10'), []);
  });

  test('updates the last definition, never adds a duplicate', () => {
    const m = main(CERT + 'smtpd_tls_security_level = none\nsmtpd_tls_security_level = none\n');
    const edits = recommendedEdits(m, 'postfix-defaults', '3.10');
    const e = edits.find((x) => x.name === 'smtpd_tls_security_level');
    assert.ok(e);
    assert.equal(e.from, 'none');
    assert.equal(e.to, 'may');
    assert.equal(e.range?.start.line, 2);
    assert.equal(edits.filter((x) => x.name === 'smtpd_tls_security_level').length, 1);
  });

  test('version-aware protocol syntax', () => {
    const m = main(CERT);
    assert.equal(byName(recommendedEdits(m, 'mozilla-intermediate', '3.6')).get('smtpd_tls_protocols')?.to, '>=TLSv1.2');
    assert.equal(byName(recommendedEdits(m, 'mozilla-intermediate', '3.5')).get('smtpd_tls_protocols')?.to, '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1');
    const modern = byName(recommendedEdits(m, 'mozilla-modern', '3.10'));
    assert.equal(modern.get('smtpd_tls_mandatory_protocols')?.to, '>=TLSv1.3');
    assert.equal(modern.get('smtpd_tls_protocols')?.to, '>=TLSv1.2');
    assert.equal(byName(recommendedEdits(m, 'mozilla-modern', '3.5')).get('smtpd_tls_mandatory_protocols')?.to, '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.2');
    // Before TLS 1.3 was known to Postfix the modern profile stays at TLS 1.2.
    assert.equal(byName(recommendedEdits(m, 'mozilla-modern', '3.3')).get('smtpd_tls_mandatory_protocols')?.to, '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1');
  });

  test('never recommends eecdh_grade or the DH file where Postfix ignores or deprecates them', () => {
    const m = main(CERT + 'smtpd_tls_eecdh_grade = none\nsmtpd_tls_dh1024_param_file = /etc/postfix/dh512.pem\n');
    for (const p of PROFILE_NAMES) {
      for (const v of ['3.9', '3.10', '3.11']) {
        const names = recommendedEdits(m, p, v).map((e) => e.name);
        assert.ok(!names.includes('smtpd_tls_eecdh_grade'), `${p} ${v}`);
        assert.ok(!names.includes('smtpd_tls_dh1024_param_file'), `${p} ${v}`);
      }
    }
    // ...but does where they matter.
    const old = byName(recommendedEdits(m, 'postfix-defaults', '3.5'));
    assert.equal(old.get('smtpd_tls_eecdh_grade')?.to, 'auto');
    assert.equal(byName(recommendedEdits(main(CERT), 'postfix-defaults', '3.0')).get('smtpd_tls_dh1024_param_file')?.to, '${config_directory}/ffdhe2048.pem');
    assert.equal(byName(recommendedEdits(main(CERT), 'ncsc', '3.8')).get('smtpd_tls_dh1024_param_file')?.to, '${config_directory}/ffdhe3072.pem');
    assert.ok(!byName(recommendedEdits(main(CERT), 'postfix-defaults', '3.8')).has('smtpd_tls_dh1024_param_file'));
  });

  test('old versions get what later became the defaults', () => {
    const e = byName(recommendedEdits(main(CERT), 'postfix-defaults', '2.11'));
    assert.equal(e.get('smtpd_tls_ciphers')?.to, 'medium');
    assert.equal(e.get('smtpd_tls_protocols')?.to, '!SSLv2, !SSLv3');
  });

  test('exclusions that kill forward secrecy are taken out, the rest kept', () => {
    const e = byName(recommendedEdits(main(CERT + 'smtpd_tls_exclude_ciphers = aNULL, kEECDH, MD5\n'), 'postfix-defaults', '3.10'));
    assert.equal(e.get('smtpd_tls_exclude_ciphers')?.from, 'aNULL, kEECDH, MD5');
    assert.equal(e.get('smtpd_tls_exclude_ciphers')?.to, 'aNULL, MD5');
    const i = byName(recommendedEdits(main(CERT + 'smtpd_tls_mandatory_exclude_ciphers = RC4, EDH\n'), 'mozilla-intermediate', '3.10'));
    assert.equal(i.get('smtpd_tls_mandatory_exclude_ciphers')?.to, 'RC4, kRSA');
  });

  test('legacy switches keep their meaning', () => {
    const e = byName(recommendedEdits(main(CERT + 'smtpd_enforce_tls = yes\nsmtp_enforce_tls = yes\n'), 'postfix-defaults', '3.10'));
    assert.equal(e.get('smtpd_tls_security_level')?.to, 'encrypt');
    assert.equal(e.get('smtp_tls_security_level')?.to, 'verify');
  });

  test('compatibility_level 3.11 makes the client default "may"', () => {
    const e = byName(recommendedEdits(main(CERT + 'compatibility_level = 3.11\n'), 'postfix-defaults', '3.11'));
    assert.ok(!e.has('smtp_tls_security_level'));
    const f = byName(recommendedEdits(main(CERT + 'compatibility_level = 3.6\n'), 'postfix-defaults', '3.11'));
    assert.equal(f.get('smtp_tls_security_level')?.to, 'may');
  });
});

describe('recommendationTextEdits', () => {
  test('replaces values in place and appends new settings once', () => {
    const text = CERT + 'smtpd_tls_security_level = none\nsmtpd_tls_protocols = !SSLv2,\n    !SSLv3\n';
    const m = main(text);
    const edits = recommendedEdits(m, 'mozilla-intermediate', '3.10');
    const out = apply(text, recommendationTextEdits(text, m, edits, 'Postfix TLS: mozilla-intermediate'));
    const again = main(out);
    for (const [name, list] of again.byName) assert.equal(list.length, 1, `${name} appears ${list.length} times`);
    assert.equal(again.byName.get('smtpd_tls_security_level')?.[0].value, 'may');
    assert.equal(again.byName.get('smtpd_tls_protocols')?.[0].value, '>=TLSv1.2');
    assert.equal(again.byName.get('smtpd_tls_mandatory_exclude_ciphers')?.[0].value, 'kRSA');
    assert.match(out, /\n\n# Postfix TLS: mozilla-intermediate\n/);
    assert.ok(out.endsWith('\n'));
    // Applying again changes nothing.
    assert.deepEqual(recommendedEdits(again, 'mozilla-intermediate', '3.10'), []);
  });

  test('an empty value gets a space before the new value', () => {
    const text = CERT + 'smtpd_tls_security_level =\n';
    const m = main(text);
    const out = apply(text, recommendationTextEdits(text, m, recommendedEdits(m, 'postfix-defaults', '3.10'), 'x'));
    assert.match(out, /^smtpd_tls_security_level = may$/m);
  });

  test('a file without a final newline', () => {
    const text = CERT.trimEnd();
    const m = main(text);
    const out = apply(text, recommendationTextEdits(text, m, recommendedEdits(m, 'postfix-defaults', '3.10'), 'x'));
    assert.match(out, /mail\.pem\n\n# x\nsmtpd_tls_security_level = may\n/);
  });
});

describe('recommendedEdits: properties', () => {
  // Lines real main.cf files contain around TLS, including odd ones (empty values, references,
  // continuation lines, legacy switches, FS-killing exclusions).
  const POOL = [
    'smtpd_tls_security_level = may',
    'smtpd_tls_security_level = none',
    'smtpd_tls_security_level =',
    'smtp_tls_security_level = encrypt',
    'smtp_tls_security_level = none',
    'smtpd_use_tls = yes',
    'smtpd_enforce_tls = yes',
    'smtp_enforce_tls = yes',
    'smtp_tls_enforce_peername = no',
    'smtpd_tls_protocols = !SSLv2, !SSLv3',
    'smtpd_tls_protocols = !SSLv2,\n    !SSLv3, !TLSv1',
    'smtpd_tls_mandatory_protocols = $smtpd_tls_protocols',
    'smtp_tls_mandatory_protocols = >=TLSv1.3',
    'smtp_tls_protocols = TLSv1',
    'smtpd_tls_ciphers = export',
    'smtpd_tls_mandatory_ciphers = medium',
    'smtpd_tls_exclude_ciphers = aNULL, EDH, DHE, eNULL',
    'smtpd_tls_mandatory_exclude_ciphers = RC4, kEECDH',
    'smtp_tls_exclude_ciphers = ECDHE',
    'smtpd_tls_eecdh_grade = none',
    'smtpd_tls_dh1024_param_file = ${config_directory}/dh1024.pem',
    'smtpd_tls_dh1024_param_file =',
    'smtpd_tls_loglevel = 0',
    'compatibility_level = 3.11',
    CERT.trim(),
    '# a comment',
    '',
  ];
  const VERSIONS = ['2.11', '3.0', '3.3', '3.4', '3.5', '3.6', '3.8', '3.9', '3.10', '3.11'];

  test('applying the edits is idempotent, adds no duplicates and never throws', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...POOL), { maxLength: 14 }),
        fc.constantFrom(...PROFILE_NAMES),
        fc.constantFrom(...VERSIONS),
        fc.boolean(),
        (lines, profile, version, finalNewline) => {
          const text = lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : '');
          const m = main(text);
          const edits = recommendedEdits(m, profile, version);
          assert.equal(new Set(edits.map((e) => e.name)).size, edits.length, 'one edit per name');
          const out = apply(text, recommendationTextEdits(text, m, edits, 'test'));
          const again = main(out);
          for (const [name, list] of again.byName) {
            const before = m.byName.get(name)?.length ?? 0;
            assert.ok(list.length <= Math.max(before, 1), `${name}: ${before} -> ${list.length}`);
          }
          assert.deepEqual(recommendedEdits(again, profile, version), [], `not idempotent for ${profile} ${version}:\n${text}`);
        },
      ),
      { numRuns: 400 },
    );
  });
});

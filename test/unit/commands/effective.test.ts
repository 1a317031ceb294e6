import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import {
  EffectiveValues,
  existsInVersion,
  findService,
  fsVerdicts,
  postconfPrintable,
  postconfSettings,
  renderTlsReportMarkdown,
  tlsReport,
  type ConfigSet,
} from '../../../core/effective';
import { corpusFiles } from '../../helpers/reference';

const CERT = 'smtpd_tls_chain_files = /etc/ssl/mail.pem\n';
const MASTER = [
  'smtp      inet  n       -       y       -       -       smtpd',
  'submission inet n       -       y       -       -       smtpd',
  '  -o syslog_name=postfix/submission',
  '  -o smtpd_tls_security_level=encrypt',
  'smtps     inet  n       -       y       -       -       smtpd',
  '  -o smtpd_tls_wrappermode=yes',
  '  -o smtpd_tls_mandatory_protocols=>=TLSv1.3',
  'smtp      unix  -       -       y       -       -       smtp',
  'relay     unix  -       -       y       -       -       smtp',
  '  -o smtp_tls_security_level=none',
  'dovecot   unix  -       n       n       -       -       pipe flags=DRhu user=vmail argv=/usr/lib/dovecot/deliver',
  '',
].join('\n');

function cfg(mainText: string, masterText?: string, postfixVersion = '3.10'): ConfigSet {
  return {
    main: parseMainCf({ uri: 'main.cf', getText: () => mainText }),
    master: masterText === undefined ? undefined : parseMasterCf({ uri: 'master.cf', getText: () => masterText }),
    postfixVersion,
    configDirectory: '/etc/postfix',
  };
}

describe('EffectiveValues', () => {
  test('override > main.cf (last) > default', () => {
    const c = cfg('smtpd_tls_security_level = none\nsmtpd_tls_security_level = may\n', MASTER);
    const v = new EffectiveValues(c);
    assert.deepEqual([v.get('smtpd_tls_security_level')?.value, v.get('smtpd_tls_security_level')?.source], ['may', 'main.cf']);
    assert.deepEqual([v.get('smtpd_tls_ciphers')?.value, v.get('smtpd_tls_ciphers')?.source], ['medium', 'default']);
    const sub = new EffectiveValues(c, findService(c.master, 'submission/inet'));
    assert.deepEqual([sub.get('smtpd_tls_security_level')?.value, sub.get('smtpd_tls_security_level')?.source], ['encrypt', 'master.cf']);
    assert.equal(v.get('no_such_parameter'), undefined);
  });

  test('expansion: config_directory is the folder, machine defaults stay as ${name}', () => {
    const v = new EffectiveValues(cfg('x_file = $config_directory/dh.pem\nsmtpd_banner = $myhostname ESMTP\n'));
    assert.equal(v.value('x_file'), '/etc/postfix/dh.pem');
    assert.equal(v.value('smtpd_banner'), '${myhostname} ESMTP');
  });

  test('default version awareness', () => {
    assert.equal(new EffectiveValues(cfg('', undefined, '3.0')).value('smtp_tls_protocols'), '!SSLv2');
    assert.equal(new EffectiveValues(cfg('', undefined, '3.0')).value('smtpd_tls_protocols'), '');
    assert.equal(new EffectiveValues(cfg('', undefined, '3.10')).value('smtpd_tls_protocols'), '>=TLSv1');
    assert.ok(existsInVersion('smtpd_forbid_bare_newline', '3.7.11'));
    assert.ok(!existsInVersion('smtpd_forbid_bare_newline', '3.7.8'));
    assert.ok(!existsInVersion('smtpd_forbid_bare_newline', '3.7'));
    assert.ok(existsInVersion('smtpd_forbid_bare_newline', '3.9'));
  });
});

describe('postconfSettings', () => {
  test('-n: set, known names only; service-defined names need a matching master.cf program', () => {
    const c = cfg('dovecot_destination_recipient_limit = 1\nfoo_destination_recipient_limit = 2\nbar = 1\nprocess_id = 7\nmyhostname = x\n', MASTER);
    const r = postconfSettings(c);
    assert.deepEqual(r.entries.map((e) => e.name), ['dovecot_destination_recipient_limit', 'myhostname']);
    assert.deepEqual(r.unused.map((a) => a.name).sort(), ['bar', 'foo_destination_recipient_limit']);
    assert.deepEqual(r.readOnly.map((a) => a.name), ['process_id']);
  });

  test('--all includes service-defined defaults', () => {
    const r = postconfSettings(cfg('', MASTER), { all: true });
    const m = new Map(r.entries.map((e) => [e.name, e.value]));
    assert.equal(m.get('dovecot_destination_recipient_limit'), '$default_destination_recipient_limit');
    assert.equal(m.get('dovecot_time_limit'), '$command_time_limit');
    assert.equal(m.get('relay_initial_destination_concurrency'), '$initial_destination_concurrency');
    assert.ok(!m.has('relay_time_limit'));
  });

  test('--service and --tls', () => {
    const c = cfg(CERT, MASTER);
    const r = postconfSettings(c, { tlsOnly: true, service: findService(c.master, 'smtps/inet') });
    assert.deepEqual(r.entries.map((e) => `${e.name}=${e.value}`), ['smtpd_tls_chain_files=/etc/ssl/mail.pem', 'smtpd_tls_mandatory_protocols=>=TLSv1.3', 'smtpd_tls_wrappermode=yes']);
  });

  test('postconfPrintable collapses blanks only', () => {
    assert.equal(postconfPrintable('a \t b\r\n  c'), 'a b c');
    assert.equal(postconfPrintable('a\u000bb'), 'a\u000bb');
  });
});

describe('fsVerdicts', () => {
  test('no master.cf: default services, TLS off by default', () => {
    const v = fsVerdicts(cfg(''));
    assert.deepEqual(v.map((s) => [s.id, s.fs]), [
      ['smtp/inet', 'never'],
      ['smtp/unix', 'never'],
    ]);
    assert.match(v[0].summary, /TLS is off/);
  });

  test('TLS without a certificate cannot start', () => {
    const v = fsVerdicts(cfg('smtpd_tls_security_level = may\n'));
    assert.equal(v[0].fs, 'never');
    assert.match(v[0].summary, /certificate/);
  });

  test('per-service verdicts from master.cf', () => {
    const v = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n', MASTER));
    const m = new Map(v.map((s) => [s.id, s]));
    assert.equal(m.get('smtp/inet')?.fs, 'when-supported');
    assert.equal(m.get('smtp/inet')?.mandatory, false);
    assert.equal(m.get('submission/inet')?.mandatory, true);
    assert.equal(m.get('submission/inet')?.fs, 'when-supported');
    assert.equal(m.get('smtps/inet')?.tlsLevel, 'wrapper');
    assert.equal(m.get('smtps/inet')?.fs, 'always');
    assert.equal(m.get('smtp/unix')?.fs, 'when-supported');
    assert.equal(m.get('relay/unix')?.fs, 'never');
    assert.ok(!m.has('dovecot/unix'));
  });

  test('excluding ECDHE/DHE leaves forward secrecy to TLS 1.3 only; excluding kRSA makes it always', () => {
    let v = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = may\nsmtpd_tls_exclude_ciphers = kEECDH, kEDH\n'));
    assert.equal(v[0].fs, 'tls13-only');
    v = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = may\nsmtpd_tls_exclude_ciphers = kEECDH, kEDH\nsmtpd_tls_protocols = <=TLSv1.2\n'));
    assert.equal(v[0].fs, 'never');
    v = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_exclude_ciphers = kRSA\n'));
    assert.equal(v[0].fs, 'always');
  });

  test('a custom cipher list without forward-secret suites', () => {
    const v = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = may\ntls_medium_cipherlist = AES256-SHA:AES128-SHA\n'));
    assert.equal(v[0].fs, 'tls13-only');
    assert.ok(v[0].details.some((d) => /tls_medium_cipherlist/.test(d)));
    const ok = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = may\ntls_medium_cipherlist = ECDHE-RSA-AES256-GCM-SHA384:AES256-SHA\n'));
    assert.equal(ok[0].fs, 'when-supported');
  });

  test('old versions: eecdh grade none and the 1024-bit built-in prime are mentioned', () => {
    const v = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = may\nsmtpd_tls_eecdh_grade = none\n', undefined, '3.0'));
    assert.ok(v[0].details.some((d) => /eecdh_grade = none/.test(d)));
    assert.ok(v[0].details.some((d) => /1024-bit/.test(d)));
  });

  test('postscreen hands over to smtpd pass with its overrides', () => {
    const master = [
      'smtp      inet  n       -       y       -       1       postscreen',
      'smtpd     pass  -       -       y       -       -       smtpd',
      '  -o smtpd_tls_security_level=none',
      '',
    ].join('\n');
    const v = fsVerdicts(cfg(CERT + 'smtpd_tls_security_level = may\n', master));
    assert.equal(v[0].id, 'smtp/inet');
    assert.match(v[0].label, /postscreen/);
    assert.equal(v[0].fs, 'never');
  });
});

describe('tlsReport', () => {
  test('set parameters, overrides and defaults; markdown escapes values', () => {
    const r = tlsReport(cfg(CERT + 'smtpd_tls_security_level = may\nsmtpd_tls_eecdh_grade = strong\nsmtpd_tls_exclude_ciphers = [x](command:evil)\n', MASTER));
    const set = new Map(r.set.map((x) => [x.name, x]));
    assert.equal(set.get('smtpd_tls_security_level')?.line, 2);
    assert.deepEqual(set.get('smtpd_tls_security_level')?.overrides.map((o) => o.service), ['submission/inet']);
    assert.match(set.get('smtpd_tls_eecdh_grade')?.note ?? '', /ignored since 3\.6/);
    assert.ok(set.has('smtpd_tls_wrappermode'));
    assert.ok(r.defaults.some((d) => d.name === 'smtp_tls_ciphers'));
    const md = renderTlsReportMarkdown(r);
    assert.match(md, /# Effective TLS settings/);
    assert.match(md, /## Forward secrecy per service/);
    assert.doesNotMatch(md, /\]\(command:/);
  });

  test('never throws on the corpus', () => {
    for (const f of corpusFiles('maincf')) {
      const text = readFileSync(f, 'utf8');
      const c = /master/.test(f) ? cfg('', text) : cfg(text);
      const md = renderTlsReportMarkdown(tlsReport(c));
      assert.ok(md.length > 0);
      postconfSettings(c, { all: true, expand: true });
    }
  });
});

describe('effective settings: never throw', () => {
  test('arbitrary main.cf / master.cf text', async () => {
    const fc = (await import('fast-check')).default;
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom('smtpd_tls_security_level = $x', 'x = ${x}', 'smtpd_tls_protocols = >=TLSv9', '  -o smtpd_tls_wrappermode=yes', 'submission inet n - n - - smtpd', 'smtp inet n - n - 1 postscreen', 'smtpd pass - - n - - smtpd -o { a = b }'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), fc.array(line, { maxLength: 10 }), fc.constantFrom('2.2', '3.0', '3.10', '9.9'), (m, s, v) => {
        const c = cfg(m.join('\n'), s.join('\n'), v);
        renderTlsReportMarkdown(tlsReport(c));
        postconfSettings(c, { all: true, expand: true, tlsOnly: false });
      }),
      { numRuns: 200 },
    );
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { hoverConfig, escapeMarkdown, code } from '../../../core/features/config-hover';
import { fsNoteFor, fsTopic } from '../../../core/features/fs-notes';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/types';

const MAIN_URI = 'file:///etc/postfix/main.cf';
const MASTER_URI = 'file:///etc/postfix/master.cf';

function setup(mainText: string, masterText = '', settings: Partial<Settings> = {}) {
  const mainDoc = { uri: MAIN_URI, getText: () => mainText };
  const masterDoc = { uri: MASTER_URI, getText: () => masterText };
  const main = parseMainCf(mainDoc);
  const master = parseMasterCf(masterDoc);
  const s: Settings = { ...DEFAULT_SETTINGS, ...settings };
  return {
    main: (line: number, character: number) => hoverConfig({ main, master, doc: mainDoc, settings: s }, { line, character }),
    master: (line: number, character: number) => hoverConfig({ main, master, doc: masterDoc, settings: s }, { line, character }),
  };
}

describe('hover on parameter names', () => {
  test('main.cf name: type, default for target version, link, FS section', () => {
    const h = setup('smtpd_tls_eecdh_grade = strong\n', '', { postfixVersion: '3.10' }).main(0, 3)!;
    assert.ok(h);
    assert.deepEqual(h.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 21 } });
    assert.match(h.markdown, /`smtpd_tls_eecdh_grade`/);
    assert.match(h.markdown, /Default in Postfix 3\\\.10: `auto`/);
    assert.match(h.markdown, /Deprecated\*\* since Postfix 3\\\.9/);
    assert.match(h.markdown, /Ignored since Postfix 3\\\.6/);
    assert.match(h.markdown, /\*\*Forward secrecy\*\*/);
    assert.match(h.markdown, /man-in-the-middle/);
    assert.match(h.markdown, /\(https:\/\/www\.postfix\.org\/postconf\.5\.html#smtpd_tls_eecdh_grade\)/);
  });

  test('default follows the target version', () => {
    const h = setup('smtpd_tls_eecdh_grade = strong\n', '', { postfixVersion: '2.8' }).main(0, 3)!;
    assert.match(h.markdown, /Default in Postfix 2\\\.8: `strong`/);
    const dh = setup('smtpd_tls_dh1024_param_file = x\n', '', { postfixVersion: '3.0' }).main(0, 3)!;
    assert.match(dh.markdown, /1024 bits in your version/);
  });

  test('allowed values and FS note for security level; no FS note for unrelated parameter', () => {
    const t = setup('smtp_tls_security_level = may\nmyhostname = a\n');
    const h = t.main(0, 1)!;
    assert.match(h.markdown, /`dane-only`/);
    assert.match(h.markdown, /Forward secrecy/);
    const m = t.main(1, 1)!;
    assert.doesNotMatch(m.markdown, /Forward secrecy/);
  });

  test('unknown name is escaped and not linkified', () => {
    const h = setup('[x](command:evil) = 1\n').main(0, 2)!;
    assert.ok(h);
    // Outside code spans (which Markdown never interprets) no link syntax may survive.
    assert.doesNotMatch(h.markdown.replace(/(`+)[^`]*?\1/g, ''), /\]\(command:/);
    assert.match(h.markdown, /`\[x\]\(command:evil\)`/);
  });

  test('no hover on a value word or outside entries', () => {
    const t = setup('# comment\nmyhostname = a\n');
    assert.equal(t.main(0, 2), undefined);
    assert.equal(t.main(1, 14), undefined);
  });

  test('duplicate note', () => {
    const h = setup('a_b = 1\nmyhostname = x\nmyhostname = y\n').main(1, 2)!;
    assert.match(h.markdown, /`main\.cf:3`, which wins/);
  });
});

describe('hover on references', () => {
  test('shows the expanded value and where it is defined', () => {
    const t = setup('mydomain = example.com\nmyorigin = $mydomain\nrelayhost = [$mydomain]\nx = $nope\n');
    const h = t.main(1, 13)!;
    assert.deepEqual(h.range, { start: { line: 1, character: 11 }, end: { line: 1, character: 20 } });
    assert.match(h.markdown, /set in `main\.cf:1`/);
    assert.match(h.markdown, /Value: `example\.com`/);
    const u = t.main(3, 6)!;
    assert.match(u.markdown, /not defined/);
  });

  test('default value and expansion', () => {
    const h = setup('x = $smtpd_tls_fingerprint_digest\n', '', { postfixVersion: '3.10' }).main(0, 6)!;
    assert.match(h.markdown, /built-in default/);
    assert.match(h.markdown, /Expands to: `md5`/); // compatibility_level defaults to 0
    const h2 = setup('compatibility_level = 3.6\nx = $smtpd_tls_fingerprint_digest\n', '', { postfixVersion: '3.10' }).main(1, 6)!;
    assert.match(h2.markdown, /Expands to: `sha256`/);
  });

  test('master.cf override refs look in the service first', () => {
    const t = setup('lvl = may\n', 'submission inet n - n - - smtpd\n  -o lvl=encrypt\n  -o smtpd_tls_security_level=$lvl\n');
    const h = t.master(2, 32)!;
    assert.match(h.markdown, /set by `-o` in service `submission`/);
    assert.match(h.markdown, /`encrypt`/);
  });

  test('document values are put in code spans even with backticks', () => {
    const h = setup('a = x`y [l](command:z)\nb = $a\n').main(1, 5)!;
    assert.match(h.markdown, /``x`y \[l\]\(command:z\)``/);
  });
});

describe('hover on master.cf', () => {
  test('columns', () => {
    const t = setup('', 'smtp inet n - y - - smtpd -o smtpd_tls_security_level=may\n');
    assert.match(t.master(0, 6)!.markdown, /column: type/);
    assert.match(t.master(0, 12)!.markdown, /column: unpriv/);
    assert.match(t.master(0, 14)!.markdown, /column: chroot/);
    const cmd = t.master(0, 21)!.markdown;
    assert.match(cmd, /column: command/);
    assert.match(cmd, /overrides 1 main\.cf setting/);
  });
  test('-o name gets the parameter hover plus the main.cf value', () => {
    const t = setup('smtpd_tls_security_level = none\n', 'smtp inet n - y - - smtpd -o smtpd_tls_security_level=may\n');
    const h = t.master(0, 32)!;
    assert.match(h.markdown, /Overrides main\.cf for service `smtp`/);
    assert.match(h.markdown, /main\.cf value: `none`/);
    assert.match(h.markdown, /Forward secrecy/);
  });
  test('nothing on args after options', () => {
    assert.equal(setup('', 'x unix - n n - - pipe flags=R\n').master(0, 25), undefined);
  });
});

describe('escaping and FS notes', () => {
  test('escapeMarkdown neutralises links and html', () => {
    const e = escapeMarkdown('[a](command:x) <img src=x> https://e.org');
    assert.doesNotMatch(e, /\]\(/);
    assert.doesNotMatch(e, /<img/);
    assert.doesNotMatch(e, /https:\/\//);
    assert.equal(code(''), '*(empty)*');
    assert.equal(code('`a`'), '`` `a` ``');
  });
  test('fs topics', () => {
    for (const n of ['smtpd_tls_dh1024_param_file', 'tlsproxy_tls_dh1024_param_file', 'smtpd_tls_eecdh_grade', 'tls_eecdh_auto_curves',
      'tls_ffdhe_auto_groups', 'smtp_tls_ciphers', 'smtpd_tls_mandatory_ciphers', 'smtpd_tls_exclude_ciphers', 'smtpd_tls_protocols',
      'tls_preempt_cipherlist', 'smtp_tls_security_level', 'tlsproxy_client_security_level', 'smtpd_tls_loglevel', 'tls_high_cipherlist']) {
      assert.ok(fsTopic(n), n);
      assert.match(fsNoteFor(n, '3.10')!, /man-in-the-middle/);
    }
    for (const n of ['myhostname', 'smtpd_tls_cert_file', 'smtp_tls_policy_maps']) assert.equal(fsTopic(n), undefined, n);
  });
  test('cancelled token gives no hover', () => {
    const doc = { uri: MAIN_URI, getText: () => 'myhostname = a\n' };
    assert.equal(hoverConfig({ doc, settings: DEFAULT_SETTINGS }, { line: 0, character: 1 }, { isCancellationRequested: true }), undefined);
    assert.ok(hoverConfig({ doc, settings: DEFAULT_SETTINGS }, { line: 0, character: 1 }));
  });
});

/**
 * Minimal reproductions of bugs the fuzzer found (test/fuzz/targets.ts KNOWN_ISSUES lists the
 * open ones). Each case is the shrunk input, by hand, with what Postfix does.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMasterCf } from '../../../core/config/parse-master';
import { explainCipher } from '../../../core/cipher';
import { lint } from '../../../core/lint';
import { DEFAULT_SETTINGS } from '../../../core/types';
import { assertInertMarkdown } from '../../fuzz/markdown';
import { classifyText } from '../../../core/log/classify';
import { createAggregator } from '../../../core/report/aggregate';
import { renderMarkdown } from '../../../core/report/render';
import { MAIN_URI, MASTER_URI, doc } from './helpers';

function overridesOf(line: string) {
  const m = parseMasterCf(doc(MASTER_URI, line + '\n'));
  return { overrides: m.services[0]?.overrides.map((o) => ({ name: o.name, value: o.value })), problems: m.problems.map((p) => p.code) };
}

describe('master.cf: an -o argument that ends in "="', () => {
  test('`-o name=<%=` (templated files) is name=value, not the spaced form', () => {
    // The daemon gets `-o smtpd_tls_security_level=<%=`: name smtpd_tls_security_level, value
    // `<%=`; `@level` and `%>` are then non-option arguments.
    const r = overridesOf('submission inet n - n - - smtpd -o smtpd_tls_security_level=<%= @level %>');
    assert.deepEqual(r.overrides, [{ name: 'smtpd_tls_security_level', value: '<%=' }]);
    assert.ok(!r.problems.includes('master.spaced-override'), r.problems.join(', '));
  });

  test('`-o = value` has no name: a bad override, not an override named ""', () => {
    const r = overridesOf('submission inet n - n - - smtpd -o = check_sender_access');
    assert.ok(r.overrides!.every((o) => o.name.length > 0), JSON.stringify(r.overrides));
    assert.ok(r.problems.includes('master.bad-override'), r.problems.join(', '));
  });

  test('the real spaced form `-o name= value` is still recognised', () => {
    const r = overridesOf('submission inet n - n - - smtpd -o smtpd_tls_security_level= may');
    assert.deepEqual(r.overrides, [{ name: 'smtpd_tls_security_level', value: 'may' }]);
    assert.ok(r.problems.includes('master.spaced-override'));
  });
});

describe('lint messages quote document text clipped', () => {
  test('a 2,000-character unknown name does not make a 4,000-character message', () => {
    const name = 'mailbox_command'.repeat(140);
    const f = lint({ main: doc(MAIN_URI, `${name} = /usr/lib/dovecot/deliver\n`) }, { ...DEFAULT_SETTINGS, levels: {} });
    const unused = f.find((x) => x.code === 'postconf.unused-parameter');
    assert.ok(unused);
    assert.ok(unused.message.length < 1000, `${unused.message.length} characters`);
  });
});

describe('cipher explanation', () => {
  test('a URL in the input is not a live link', () => {
    assertInertMarkdown(explainCipher('Nov 28 12:00:00 mail postfix/smtpd[123]: https://evil.example/').markdown, 'explanation of a log line');
    assertInertMarkdown(explainCipher('https://evil.example/x').markdown, 'explanation of a name');
  });
});

describe('Markdown report chart', () => {
  test('a mail address or URL read from a log is no link in the inline SVG chart either', () => {
    // Seed 20261129: a mangled summary line whose "protocol" was a mail address; the chart's
    // legend (inline HTML in the Markdown report) let linkify make a mailto: link of it.
    const log = [
      'Mar  9 04:27:03 mx postfix/smtpd[1966]: Anonymous TLS connection established from unknown[11.11.11.11]: TLSvmail@sender2.example.com>, size=818',
      'Mar  9 04:27:04 mx postfix/smtpd[1966]: Anonymous TLS connection established from unknown[11.11.11.11]: https://evil.example/x with cipher X (1/1 bits)',
    ].join('\n');
    const agg = createAggregator();
    for (const r of classifyText(log)) agg.add(r.record, { file: 'mail.log', line: r.line });
    const md = renderMarkdown(agg.result());
    assert.match(md, /<svg/, 'the chart is in the report');
    assertInertMarkdown(md, 'Markdown report', { allowSvg: true });
  });
});

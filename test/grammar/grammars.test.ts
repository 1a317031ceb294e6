import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { contributedGrammars, scopesOf, tokenize } from './tokenize';

const has = (scopes: string[], scope: string) =>
  assert.ok(scopes.some((s) => s === scope || s.startsWith(scope + '.')), `expected ${scope} in ${scopes.join(' ')}`);
const lacks = (scopes: string[], scope: string) =>
  assert.ok(!scopes.some((s) => s === scope || s.startsWith(scope + '.')), `did not expect ${scope} in ${scopes.join(' ')}`);

describe('every contributed grammar', () => {
  for (const g of contributedGrammars()) {
    test(`${g.scopeName} loads, is valid JSON and names its scope`, async () => {
      const raw = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', g.path), 'utf8'));
      assert.equal(raw.scopeName, g.scopeName);
      const toks = await tokenize(g.scopeName, '# a comment\n');
      has(scopesOf(toks, '#'), 'comment.line.number-sign');
    });
  }
});

describe('postfix-main grammar', () => {
  const S = 'source.postfix-main';
  test('comments, names, values, operators', async () => {
    const t = await tokenize(S, [
      '# TLS settings',
      'smtpd_tls_security_level = may',
      'tls_preempt_cipherlist=yes',
      'mynetworks = 127.0.0.0/8 # not a comment',
    ].join('\n'));
    has(scopesOf(t, '# TLS settings', 0), 'comment.line.number-sign');
    has(scopesOf(t, 'smtpd_tls_security_level', 1), 'variable.other.parameter');
    has(scopesOf(t, '=', 1), 'keyword.operator.assignment');
    has(scopesOf(t, 'may', 1), 'constant.language');
    has(scopesOf(t, 'yes', 2), 'constant.language');
    // Postfix has no inline comments: the '#' stays part of the value.
    const hash = scopesOf(t, '# not a comment', 3);
    lacks(hash, 'comment');
    has(hash, 'string.unquoted.value');
  });

  test('$name, ${name}, $(name), $$ and conditionals', async () => {
    const t = await tokenize(S, 'smtpd_tls_key_file = $smtpd_tls_cert_file ${config_directory}/x $(queue_directory) $$ ${stress?{10}:{300}}s');
    has(scopesOf(t, 'smtpd_tls_cert_file'), 'variable.other.reference');
    has(scopesOf(t, 'config_directory'), 'variable.other.reference');
    has(scopesOf(t, 'queue_directory'), 'variable.other.reference');
    has(scopesOf(t, '$$'), 'constant.character.escape');
    has(scopesOf(t, 'stress'), 'variable.other.reference');
    has(scopesOf(t, '?'), 'keyword.operator.conditional');
  });

  test('continuation lines are values; indented # lines are comments', async () => {
    const t = await tokenize(S, [
      'smtpd_recipient_restrictions =',
      '    permit_mynetworks,',
      '    # a comment inside the list',
      '    reject_unauth_destination, $extra',
    ].join('\n'));
    has(scopesOf(t, 'permit_mynetworks', 1), 'string.unquoted.value.continuation');
    has(scopesOf(t, '# a comment inside the list', 2), 'comment.line.number-sign');
    has(scopesOf(t, 'extra', 3), 'variable.other.reference');
  });

  test('a line without "=" is marked invalid', async () => {
    const t = await tokenize(S, 'smtpd_use_tls yes');
    has(scopesOf(t, 'smtpd_use_tls yes'), 'invalid.illegal');
  });
});

describe('postfix-master grammar', () => {
  const S = 'source.postfix-master';
  test('service columns', async () => {
    const t = await tokenize(S, 'submission inet n       -       y       -       -       smtpd');
    has(scopesOf(t, 'submission'), 'entity.name.tag.service');
    has(scopesOf(t, 'inet'), 'storage.type.service-type');
    has(scopesOf(t, /(?<=\s)n(?=\s)/), 'constant.language.private');
    has(scopesOf(t, /(?<=\s)y(?=\s)/), 'constant.language.chroot');
    has(scopesOf(t, 'smtpd'), 'entity.name.function.command');
  });

  test('-o overrides, short and long form, on continuation lines', async () => {
    const t = await tokenize(S, [
      'smtps     inet  n       -       y       -       -       smtpd',
      '  -o syslog_name=postfix/smtps',
      '  -o { smtpd_tls_mandatory_ciphers = high }',
      '  -o smtpd_tls_key_file=$smtpd_tls_cert_file',
    ].join('\n'));
    has(scopesOf(t, '-o', 1), 'keyword.other.option');
    has(scopesOf(t, 'syslog_name', 1), 'variable.other.parameter');
    has(scopesOf(t, 'postfix/smtps', 1), 'string.unquoted.value');
    has(scopesOf(t, '{', 2), 'punctuation.section.braces.begin');
    has(scopesOf(t, 'smtpd_tls_mandatory_ciphers', 2), 'variable.other.parameter');
    has(scopesOf(t, 'smtpd_tls_cert_file', 3), 'variable.other.reference');
  });

  test('an unknown service type is invalid; comments', async () => {
    const t = await tokenize(S, '# comment\nsmtp inetx n - n - - smtpd');
    has(scopesOf(t, '# comment', 0), 'comment.line.number-sign');
    has(scopesOf(t, 'inetx', 1), 'invalid.illegal.service-type');
  });
});

describe('postfix-log grammar', () => {
  const S = 'text.postfix-log';
  test('classic syslog: timestamp, host, daemon[pid], queue id, status word, TLS words', async () => {
    const t = await tokenize(S,
      'Nov 28 12:00:01 mx1 postfix/smtp[4242]: Trusted TLS connection established to mx.example.com[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256');
    has(scopesOf(t, 'Nov 28 12:00:01'), 'constant.numeric.timestamp');
    has(scopesOf(t, 'mx1'), 'entity.name.tag.host');
    has(scopesOf(t, 'postfix/smtp'), 'entity.name.function.daemon');
    has(scopesOf(t, '4242'), 'constant.numeric.pid');
    has(scopesOf(t, 'Trusted'), 'keyword.other.status');
    has(scopesOf(t, 'TLS connection established'), 'keyword.other.tls');
    has(scopesOf(t, 'TLSv1.3'), 'constant.other.protocol');
    has(scopesOf(t, 'TLS_AES_256_GCM_SHA384'), 'constant.other.cipher');
    has(scopesOf(t, 'X25519'), 'constant.other.key-exchange');
    has(scopesOf(t, 'mx.example.com'), 'entity.name.tag.peer');
  });

  test('RFC 3339 prefix with severity column, queue id, delivery status', async () => {
    const t = await tokenize(S,
      '2024-05-01T10:11:12.123456+02:00 mail.info mx postfix/submission/smtpd[77]: 4Vb1Xy2Kz3z9Nqx: to=<a@example.org>, status=sent (250 ok)');
    has(scopesOf(t, '2024-05-01T10:11:12.123456+02:00'), 'constant.numeric.timestamp');
    has(scopesOf(t, 'mail.info'), 'comment.severity');
    has(scopesOf(t, 'postfix/submission/smtpd'), 'entity.name.function.daemon');
    has(scopesOf(t, '4Vb1Xy2Kz3z9Nqx'), 'constant.other.queue-id');
    has(scopesOf(t, 'sent'), 'constant.language.status');
  });

  test('warnings and TLS failures', async () => {
    const t = await tokenize(S, [
      'Jan  2 03:04:05 mx postfix/smtpd[9]: warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading',
      'Jan  2 03:04:06 mx postfix/smtpd[9]: fatal: no SASL authentication mechanisms',
      'Jan  2 03:04:07 mx postfix/smtpd[9]: SSL_accept error from unknown[198.51.100.7]: -1',
    ].join('\n'));
    has(scopesOf(t, 'warning', 0), 'markup.changed.warning');
    has(scopesOf(t, 'TLS library problem', 0), 'invalid.illegal.tls-failure');
    has(scopesOf(t, 'fatal', 1), 'invalid.illegal.error');
    has(scopesOf(t, 'SSL_accept error', 2), 'invalid.illegal.tls-failure');
  });

  test('Received: header TLS comment', async () => {
    const t = await tokenize(S, [
      'Received: from mail.example.net (mail.example.net [203.0.113.5])',
      '\t(using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits))',
    ].join('\n'));
    has(scopesOf(t, 'Received:', 0), 'keyword.other.header.received');
    has(scopesOf(t, 'TLSv1.2', 1), 'constant.other.protocol');
    has(scopesOf(t, 'ECDHE-RSA-AES256-GCM-SHA384', 1), 'constant.other.cipher');
  });
});

/**
 * What the server offers must suit the target Postfix version and every editor: quick fixes
 * for deprecated settings keep what Postfix does, completion ranks what is typed first and
 * offers only syntax the target accepts, and a target newer than the data is said once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CodeAction, TextEdit } from 'vscode-languageserver';
import { fileUri, serverFixture } from './harness';

const { start: setup } = serverFixture();

/** Applies the edits of a code action to a text whose lines end in LF. */
function applyAction(text: string, action: CodeAction, uri: string): string {
  const edits: TextEdit[] = action.edit?.changes?.[uri] ?? [];
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}

const onDeprecated = (a: CodeAction) => a.diagnostics?.some((d) => d.code === 'postconf.deprecated-parameter');

describe('quick fixes for deprecated settings that still work', () => {
  test('disable_dns_lookups = yes is replaced by the DNS levels; smtp_tls_per_site is never removed', async () => {
    const text = 'disable_dns_lookups = yes\nsmtp_tls_per_site = hash:/etc/postfix/tls_per_site\n';
    const { dir, client } = await setup({}, { settings: () => ({ postfixVersion: '3.11' }) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', text);
    const ds = await client.diagnostics(uri);
    assert.equal(ds.filter((d) => d.code === 'postconf.deprecated-parameter').length, 2);

    const dns = ((await client.codeActions(uri, { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } })) ?? []).filter(onDeprecated);
    assert.equal(dns.some((a) => /^Remove/.test(a.title)), false, dns.map((a) => a.title).join(', '));
    assert.equal(dns.length, 1);
    assert.equal(
      applyAction(text, dns[0], uri),
      'smtp_dns_support_level = disabled\nlmtp_dns_support_level = disabled\nsmtp_tls_per_site = hash:/etc/postfix/tls_per_site\n',
    );

    const perSite = ((await client.codeActions(uri, { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } })) ?? []).filter(onDeprecated);
    assert.deepEqual(perSite.map((a) => a.title), []);
  });
});

describe('completion and the typed word', () => {
  test('names starting with the typed word come first, before the cap; sortText keeps that order', async () => {
    const text = 'tls_\nmyorigin = $tls_\n';
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', text);
    for (const position of [{ line: 0, character: 4 }, { line: 1, character: 'myorigin = $tls_'.length }]) {
      const list = await client.completion(uri, position);
      const items = list?.items ?? [];
      // An editor that keeps only prefix matches (Neovim) still has something to show.
      const prefixed = items.filter((i) => i.label.startsWith('tls_'));
      assert.ok(prefixed.length > 10, `${prefixed.length} of ${items.length} start with tls_`);
      const firstOther = items.findIndex((i) => !i.label.startsWith('tls_'));
      assert.ok(firstOther === -1 || items.slice(firstOther).every((i) => !i.label.startsWith('tls_')), 'prefix matches first');
      const keys = items.map((i) => i.sortText ?? i.label);
      assert.deepEqual(keys, [...keys].sort(), 'sortText follows the ranking');
    }
  });

  test('run-time defaults read as words, not as `= (computed)`', async () => {
    const text = 'myhostn\nx = $myhostn\n';
    const { dir, client } = await setup({}, { settings: () => ({}) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', text);
    for (const position of [{ line: 0, character: 7 }, { line: 1, character: 12 }]) {
      const item = (await client.completion(uri, position))?.items.find((i) => i.label === 'myhostname');
      assert.ok(item);
      assert.doesNotMatch(item.detail ?? '', /\(computed\)/);
      assert.match(item.detail ?? '', /computed by Postfix at run time/);
    }
  });
});

describe('the target Postfix version', () => {
  test('value completion offers only forms the target version accepts', async () => {
    const text = 'smtpd_tls_protocols = \n';
    let version = '3.5';
    const { dir, client } = await setup({}, { settings: () => ({ postfixVersion: version }) });
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', text);
    const at = { line: 0, character: text.length - 1 };
    const old = (await client.completion(uri, at))?.items ?? [];
    assert.ok(old.length > 0);
    assert.deepEqual(old.filter((i) => /^[<>]=/.test(i.label)).map((i) => i.label), []);
    version = '3.6';
    await client.changeConfiguration();
    const current = (await client.completion(uri, at))?.items ?? [];
    assert.ok(current.some((i) => i.label === '>=TLSv1.2'));
  });

  test('a postfixVersion newer than the data is said once per version (window/showMessage, Info)', async () => {
    let version = '3.13';
    const { dir, client } = await setup({}, { settings: () => ({ postfixVersion: version }) });
    const main = fileUri(path.join(dir, 'main.cf'));
    const master = fileUri(path.join(dir, 'master.cf'));
    await client.open(main, 'postfix-main', 'smtpd_tls_security_level = may\n');
    await client.open(master, 'postfix-master', 'smtp inet n - n - - smtpd\n');
    await client.diagnostics(main);
    await client.diagnostics(master);
    await client.waitUntil(() => client.messages.length > 0, 'a notice');
    assert.equal(client.messages.length, 1);
    assert.equal(client.messages[0].type, 3);
    assert.match(client.messages[0].message, /3\.13/);
    assert.match(client.messages[0].message, /3\.12/);
    // Asked again (new settings round trip): still once. A second new version: once more.
    await client.changeConfiguration();
    await client.diagnostics(main);
    version = '3.14';
    await client.changeConfiguration();
    await client.diagnostics(main);
    await client.waitUntil(() => client.messages.length > 1, 'a second notice');
    await client.diagnostics(master);
    assert.deepEqual(client.messages.map((m) => /3\.1[34]/.exec(m.message)?.[0]), ['3.13', '3.14']);
    // A version the data knows: no notice.
    version = '3.12';
    await client.changeConfiguration();
    await client.diagnostics(main);
    assert.equal(client.messages.length, 2);
  });
});

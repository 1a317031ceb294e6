/** The server's own small pieces, without a process: settings mapping, pairing, guards. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS } from '../../core/types';
import { documentKind, makeReadFile, siblingUri, skipReason, toUri, uriKey, MAX_ANALYSED_CHARS } from '../../server/documents';
import { withBudget } from '../../server/budget';
import { guardEvent, guardRequest } from '../../server/guard';
import { codeHref, README_CODES_URL } from '../../server/links';
import { toSettings } from '../../server/settings';

describe('toSettings', () => {
  test('maps the postfixTls section; nested and dotted levels', () => {
    assert.deepEqual(
      toSettings({
        postfixVersion: '3.8',
        opensslVersion: '1.1.1',
        profile: 'mozilla-modern',
        diagnostics: { levels: { 'fs.dh-prime-too-small': 'error', 'x.y': 'off' } },
        logs: { decorations: false },
      }),
      { postfixVersion: '3.8', opensslVersion: '1.1.1', profile: 'mozilla-modern', levels: { 'fs.dh-prime-too-small': 'error', 'x.y': 'off' } },
    );
    assert.deepEqual(toSettings({ 'diagnostics.levels': { a: 'hint' } }).levels, { a: 'hint' });
  });

  test('missing or invalid values fall back to the defaults one by one', () => {
    assert.deepEqual(toSettings(undefined), { ...DEFAULT_SETTINGS, levels: {} });
    assert.deepEqual(toSettings(null), { ...DEFAULT_SETTINGS, levels: {} });
    assert.deepEqual(toSettings([1, 2]), { ...DEFAULT_SETTINGS, levels: {} });
    const s = toSettings({ postfixVersion: '3', opensslVersion: 3.0, profile: 'strict', diagnostics: { levels: { a: 'loud', b: 2, c: 'info' } } });
    assert.deepEqual(s, { ...DEFAULT_SETTINGS, levels: { c: 'info' } });
    // The defaults object itself is never handed out (or mutated).
    toSettings({}).levels.x = 'off';
    assert.deepEqual(DEFAULT_SETTINGS.levels, {});
  });
});

describe('documents', () => {
  test('kind by language id, then by file name', () => {
    assert.equal(documentKind('file:///etc/postfix/x', 'postfix-main'), 'main');
    assert.equal(documentKind('file:///etc/postfix/x', 'pfmain'), 'main');
    assert.equal(documentKind('file:///etc/postfix/main.cf', 'postfix-master'), 'master');
    assert.equal(documentKind('file:///etc/postfix/master.cf', 'conf'), 'master');
    assert.equal(documentKind('file:///etc/postfix/main.cf.proto', undefined), 'main');
    assert.equal(documentKind('file:///etc/postfix/domain.cf', 'conf'), undefined);
    assert.equal(documentKind('file:///etc/postfix/notmain.cf', 'plaintext'), undefined);
  });

  test('the other file of the pair keeps the folder part of the URI byte for byte', () => {
    assert.equal(siblingUri('file:///c%3A/postfix/main.cf', 'main'), 'file:///c%3A/postfix/master.cf');
    assert.equal(siblingUri('file:///etc/postfix/master.cf', 'master'), 'file:///etc/postfix/main.cf');
    assert.equal(siblingUri('file:///etc/postfix/main.cf.proto', 'main'), 'file:///etc/postfix/master.cf.proto');
    assert.equal(siblingUri('file:///etc/postfix/custom.conf', 'main'), 'file:///etc/postfix/master.cf');
    // master.cf opened as main.cf by hand: its partner is... master.cf, i.e. nothing new.
    assert.equal(siblingUri('file:///etc/postfix/master.cf', 'main'), undefined);
    assert.equal(siblingUri('untitled:Untitled-1', 'main'), undefined);
  });

  test('URI keys tolerate encoding differences; plain paths become file URIs', () => {
    assert.equal(uriKey('file:///tmp/a%20b/main.cf'), uriKey('file:///tmp/a b/main.cf'));
    assert.equal(uriKey('untitled:x'), 'untitled:x');
    assert.equal(toUri('untitled:x'), 'untitled:x');
    assert.equal(toUri('/etc/postfix/main.cf'), 'file:///etc/postfix/main.cf');
  });

  test('binary and oversized texts are skipped', () => {
    assert.equal(skipReason('a = b\n'), undefined);
    assert.equal(skipReason('a\u0000b'), 'binary');
    assert.equal(skipReason('#'.repeat(9000) + '\u0000'), undefined);
    assert.equal(skipReason('x'.repeat(MAX_ANALYSED_CHARS + 1)), 'too-large');
  });

  test('readFile: missing is undefined, unreadable throws, relative names resolve in the folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'postfix-tls-readfile-'));
    try {
      writeFileSync(path.join(dir, 'dh.pem'), 'PEM');
      mkdirSync(path.join(dir, 'folder'));
      const read = makeReadFile(dir);
      assert.equal(read(path.join(dir, 'dh.pem'))?.toString(), 'PEM');
      assert.equal(read('dh.pem')?.toString(), 'PEM');
      assert.equal(read(path.join(dir, 'nope.pem')), undefined);
      assert.throws(() => read(path.join(dir, 'folder')), /not a regular file/);
      writeFileSync(path.join(dir, 'big.pem'), Buffer.alloc(3 * 1024 * 1024, 65));
      assert.equal(read('big.pem')?.length, 1024 * 1024 + 1, 'reads just enough to tell it is too large');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('links', () => {
  test('parameter entry first, then the code document, then the README', () => {
    const url = (n: string) => (n === 'smtpd_use_tls' ? 'https://www.postfix.org/postconf.5.html#smtpd_use_tls' : undefined);
    assert.equal(codeHref('tls.legacy-tls-switch', 'smtpd_use_tls', url), 'https://www.postfix.org/postconf.5.html#smtpd_use_tls');
    assert.equal(codeHref('fs.dh-file-missing', 'my_own', url), 'https://www.postfix.org/FORWARD_SECRECY_README.html');
    assert.equal(codeHref('server.binary-file', undefined, url), README_CODES_URL);
  });
});

describe('budget tokens', () => {
  test('cancelled by the client, or by the deadline (then marked expired)', () => {
    const client = { isCancellationRequested: false };
    const b = withBudget(client, 60_000);
    assert.equal(b.isCancellationRequested, false);
    client.isCancellationRequested = true;
    assert.equal(b.isCancellationRequested, true);
    assert.equal(b.expired, false, 'the client cancelled, not the deadline');
    const past = withBudget({ isCancellationRequested: false }, -1);
    assert.equal(past.expired, false, 'noticed only when asked');
    assert.equal(past.isCancellationRequested, true);
    assert.equal(past.expired, true);
  });
});

describe('guards', () => {
  function fakeConnection(): { connection: Connection; errors: string[] } {
    const errors: string[] = [];
    const connection = { console: { error: (m: string) => errors.push(m) } } as unknown as Connection;
    return { connection, errors };
  }
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

  test('a throwing request handler is logged and answered with the fallback', async () => {
    const { connection, errors } = fakeConnection();
    const h = guardRequest(connection, 'hover', () => null, () => {
      throw new Error('kaputt');
    });
    assert.equal(await h({}, token), null);
    const a = guardRequest(connection, 'completion', () => [] as number[], async () => {
      throw new TypeError('async kaputt');
    });
    assert.deepEqual(await a({}, token), []);
    assert.equal(errors.length, 2);
    assert.match(errors[0], /hover failed: Error: kaputt/);
    assert.match(errors[1], /completion failed: TypeError: async kaputt/);
  });

  test('event handlers never throw', async () => {
    const { connection, errors } = fakeConnection();
    guardEvent(connection, 'change', () => {
      throw new Error('sync');
    })({});
    guardEvent(connection, 'change', async () => {
      throw new Error('async');
    })({});
    await new Promise((r) => setImmediate(r));
    assert.equal(errors.length, 2);
  });
});

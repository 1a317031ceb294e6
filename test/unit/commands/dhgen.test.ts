import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseDhParams } from '../../../core/dh';
import { FFDHE_GROUPS, FFDHE_PEMS, dhFileName, generateDhFile, parseDhChoice, type DhCancellationToken } from '../../../core/dhgen';
import { REPO_ROOT } from '../../helpers/reference';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'commands');

function fixture(name: string): string {
  const p = path.join(FIXTURES, name);
  chmodSync(p, 0o755); // in case a checkout lost the executable bit
  return p;
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'pftls-dh-'));
}

/** Polls `cond` until it holds or the deadline passes (no fixed sleeps). */
async function waitFor(cond: () => boolean, what: string, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function manualToken(): DhCancellationToken & { cancel(): void } {
  const listeners: (() => void)[] = [];
  const t = {
    isCancellationRequested: false,
    onCancellationRequested(l: () => void) {
      listeners.push(l);
      return { dispose() {} };
    },
    cancel() {
      t.isCancellationRequested = true;
      for (const l of listeners) l();
    },
  };
  return t;
}

describe('RFC 7919 groups', () => {
  for (const g of FFDHE_GROUPS) {
    test(`${g} is the named group according to openssl`, () => {
      const dir = tempDir();
      try {
        const file = path.join(dir, `${g}.pem`);
        writeFileSync(file, FFDHE_PEMS[g]);
        const out = execFileSync('openssl', ['pkeyparam', '-in', file, '-text', '-noout'], { encoding: 'utf8' });
        assert.match(out, new RegExp(`GROUP: ${g}\\b`));
        assert.match(out, new RegExp(`\\(${g.slice(5)} bit\\)`));
        const dh = execFileSync('openssl', ['dhparam', '-in', file, '-text', '-noout'], { encoding: 'utf8' });
        assert.match(dh, new RegExp(`DH Parameters: \\(${g.slice(5)} bit\\)`));
        const parsed = parseDhParams(FFDHE_PEMS[g]);
        assert.equal(parsed.kind, 'ok');
        if (parsed.kind === 'ok') {
          assert.equal(parsed.namedGroup, g);
          assert.equal(parsed.generator, 2);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('parseDhChoice / dhFileName', () => {
  test('accepts sizes and group names', () => {
    assert.deepEqual(parseDhChoice(2048), { kind: 'generate', bits: 2048 });
    assert.deepEqual(parseDhChoice('4096'), { kind: 'generate', bits: 4096 });
    assert.deepEqual(parseDhChoice('FFDHE3072'), { kind: 'ffdhe', group: 'ffdhe3072' });
    assert.equal(parseDhChoice('ffdhe1024'), undefined);
    assert.equal(parseDhChoice(100), undefined);
    assert.equal(parseDhChoice({}), undefined);
    assert.equal(dhFileName({ kind: 'generate', bits: 3072 }), 'dh3072.pem');
    assert.equal(dhFileName({ kind: 'ffdhe', group: 'ffdhe4096' }), 'ffdhe4096.pem');
  });
});

describe('generateDhFile', () => {
  test('writes an RFC 7919 group at once, mode 0644, no temporary file', async () => {
    const dir = tempDir();
    try {
      const r = await generateDhFile({ dir, choice: { kind: 'ffdhe', group: 'ffdhe2048' }, opensslPath: '/nonexistent/openssl' });
      assert.equal(r.kind, 'written');
      const file = path.join(dir, 'ffdhe2048.pem');
      assert.equal(readFileSync(file, 'utf8'), FFDHE_PEMS.ffdhe2048);
      if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o644);
      assert.deepEqual(readdirSync(dir), ['ffdhe2048.pem']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('does not replace an existing file unless asked to', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'ffdhe3072.pem');
      writeFileSync(file, 'mine');
      const r = await generateDhFile({ dir, choice: { kind: 'ffdhe', group: 'ffdhe3072' } });
      assert.deepEqual(r, { kind: 'exists', path: file });
      assert.equal(readFileSync(file, 'utf8'), 'mine');
      const r2 = await generateDhFile({ dir, choice: { kind: 'ffdhe', group: 'ffdhe3072' }, overwrite: true });
      assert.equal(r2.kind, 'written');
      assert.equal(readFileSync(file, 'utf8'), FFDHE_PEMS.ffdhe3072);
      assert.deepEqual(readdirSync(dir), ['ffdhe3072.pem']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('generates a real prime with openssl (temp file renamed)', async () => {
    const dir = tempDir();
    try {
      let tmpSeen = '';
      const r = await generateDhFile({ dir, choice: { kind: 'generate', bits: 512 }, onStarted: (t) => (tmpSeen = t) });
      assert.equal(r.kind, 'written', JSON.stringify(r));
      assert.equal(path.basename(tmpSeen), 'dh512.tmp');
      const file = path.join(dir, 'dh512.pem');
      const parsed = parseDhParams(readFileSync(file));
      assert.equal(parsed.kind, 'ok');
      if (parsed.kind === 'ok') assert.equal(parsed.primeBits, 512);
      if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o644);
      assert.deepEqual(readdirSync(dir), ['dh512.pem']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stale dh.tmp of someone else is left alone', async () => {
    const dir = tempDir();
    try {
      writeFileSync(path.join(dir, 'dh512.tmp'), 'other run');
      const r = await generateDhFile({ dir, choice: { kind: 'generate', bits: 512 } });
      assert.equal(r.kind, 'written');
      assert.deepEqual(readdirSync(dir).sort(), ['dh512.pem', 'dh512.tmp']);
      assert.equal(readFileSync(path.join(dir, 'dh512.tmp'), 'utf8'), 'other run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cancel kills openssl and leaves nothing behind', async () => {
    const dir = tempDir();
    try {
      const token = manualToken();
      let tmp = '';
      const p = generateDhFile({ dir, choice: { kind: 'generate', bits: 2048 }, opensslPath: fixture('slow-openssl.sh'), token, onStarted: (t) => (tmp = t) });
      await waitFor(() => tmp !== '' && existsSync(tmp), 'the stand-in to write its temporary file');
      token.cancel();
      const r = await p;
      assert.deepEqual(r, { kind: 'cancelled' });
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a token without an event is polled', async () => {
    const dir = tempDir();
    try {
      const token = { isCancellationRequested: false };
      let tmp = '';
      const p = generateDhFile({ dir, choice: { kind: 'generate', bits: 2048 }, opensslPath: fixture('slow-openssl.sh'), token, onStarted: (t) => (tmp = t) });
      await waitFor(() => tmp !== '' && existsSync(tmp), 'the stand-in to start');
      token.isCancellationRequested = true;
      assert.deepEqual(await p, { kind: 'cancelled' });
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failing openssl leaves nothing behind and says why', async () => {
    const dir = tempDir();
    try {
      const r = await generateDhFile({ dir, choice: { kind: 'generate', bits: 2048 }, opensslPath: fixture('failing-openssl.sh') });
      assert.equal(r.kind, 'error');
      if (r.kind === 'error') {
        assert.equal(r.reason, 'openssl-failed');
        assert.match(r.message, /code 1/);
        assert.match(r.message, /simulated failure/);
      }
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('output that is not DH parameters is not installed', async () => {
    const dir = tempDir();
    try {
      const r = await generateDhFile({ dir, choice: { kind: 'generate', bits: 2048 }, opensslPath: fixture('garbage-openssl.sh') });
      assert.equal(r.kind, 'error');
      if (r.kind === 'error') assert.equal(r.reason, 'invalid-output');
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing openssl is reported as such (ENOENT)', async () => {
    const dir = tempDir();
    try {
      const r = await generateDhFile({ dir, choice: { kind: 'generate', bits: 2048 }, opensslPath: path.join(dir, 'no-such-openssl') });
      assert.equal(r.kind, 'error');
      if (r.kind === 'error') {
        assert.equal(r.reason, 'openssl-missing');
        assert.match(r.message, /not found/);
      }
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing target folder is an error, not a crash', async () => {
    const r = await generateDhFile({ dir: path.join(tmpdir(), 'pftls-no-such-dir-' + process.pid), choice: { kind: 'ffdhe', group: 'ffdhe2048' } });
    assert.equal(r.kind, 'error');
  });
});

/**
 * Files are written through a temp file and a rename, so an interrupted or failed write never
 * leaves a half-written file or damages what was there:
 * - a static check lists every file-writing call under core/, client/, server/, cli/ and
 *   requires it to be a reviewed temp-file write in a module that renames;
 * - writeFileAtomic (report --output, the report panel's Save) keeps the original on a write
 *   that fails half-way and on an abort, leaves no temp file, and replaces by rename;
 * - `postfix-tls report --output` into a missing folder fails cleanly;
 * - DH generation keeps an existing file when openssl fails, writes garbage or is cancelled.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { writeFileAtomic } from '../../../core/report/output';
import { generateDhFile, type DhCancellationToken } from '../../../core/dhgen';
import { sourceFiles } from './regex-sites';
import { REPO_ROOT, ensureCliBuilt, removeDir, runCli, tempDir } from './helpers';

/** Calls that create or change file contents. */
const WRITERS = new Set(['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'truncate', 'truncateSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync']);

/**
 * Reviewed writing calls, per file (count of call sites):
 * - core/report/output.ts: writeFileAtomic creates the temp file (`open(tmp, 'wx')`), writes it
 *   (handle.writeFile) and, for a device or FIFO target (/dev/stdout), writes in place because
 *   a device cannot be renamed over;
 * - core/dhgen.ts: the RFC 7919 PEM into the `wx` temp file, renamed when checked;
 * - client/report.ts: the workspace-API fallback writes a temp sibling, then renames it.
 */
const REVIEWED: Record<string, number> = {
  'core/report/output.ts': 3,
  'core/dhgen.ts': 1,
  'client/report.ts': 1,
};

interface WriteSite {
  file: string;
  line: number;
  text: string;
}

function writeSites(): { sites: WriteSite[]; renames: Set<string> } {
  const sites: WriteSite[] = [];
  const renames = new Set<string>();
  for (const file of sourceFiles(['core', 'client', 'server', 'cli'])) {
    const rel = path.relative(REPO_ROOT, file).split(path.sep).join('/');
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const c = node.expression;
        const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
        // open(path, 'w'...) with a writing flag is a write too.
        const flag = node.arguments[1];
        const opensForWrite = (name === 'open' || name === 'openSync') && flag && ts.isStringLiteral(flag) && /[wa+]/.test(flag.text);
        if (WRITERS.has(name) || opensForWrite) sites.push({ file: rel, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText().slice(0, 100) });
        if (name === 'rename' || name === 'renameSync') renames.add(rel);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { sites, renames };
}

describe('static check: writes go through temp file + rename', () => {
  const { sites, renames } = writeSites();
  test('every file-writing call is a reviewed temp-file write in a module that renames', () => {
    const byFile: Record<string, WriteSite[]> = {};
    for (const s of sites) (byFile[s.file] ??= []).push(s);
    const unreviewed = Object.entries(byFile).filter(([f, list]) => (REVIEWED[f] ?? 0) < list.length);
    assert.deepEqual(
      unreviewed.flatMap(([, list]) => list.map((s) => `${s.file}:${s.line}: ${s.text}`)),
      [],
      'new file writes: write a temp file and rename it (core/report/output.ts writeFileAtomic), then list the site in REVIEWED',
    );
    for (const f of Object.keys(byFile)) assert.ok(renames.has(f), `${f} writes files but never renames a temp file into place`);
  });
  test('the scan sees the known writers', () => {
    assert.ok(sites.some((s) => s.file === 'core/report/output.ts'), 'writeFileAtomic not found: is the scanner working?');
  });
});

describe('writeFileAtomic (report --output, Save report)', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
  });
  after(() => removeDir(dir));

  const tmpFiles = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  test('a write that fails half-way leaves the original and no temp file', async () => {
    const target = path.join(dir, 'report.html');
    writeFileSync(target, 'ORIGINAL');
    // Data that yields a first chunk and then fails, like a full disk in the middle of a write.
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('<html>half a rep');
      throw new Error('ENOSPC: no space left on device (simulated)');
    }
    await assert.rejects(writeFileAtomic(target, failing() as unknown as Uint8Array), /ENOSPC/);
    assert.equal(readFileSync(target, 'utf8'), 'ORIGINAL');
    assert.deepEqual(tmpFiles(), []);
  });

  test('an abort before the rename leaves the original and no temp file', async () => {
    const target = path.join(dir, 'aborted.html');
    writeFileSync(target, 'ORIGINAL');
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await assert.rejects(writeFileAtomic(target, 'NEW', ac.signal), /cancelled/);
    assert.equal(readFileSync(target, 'utf8'), 'ORIGINAL');
    assert.deepEqual(tmpFiles(), []);
  });

  test('a successful write replaces the file by rename (new inode), never in place', async () => {
    const target = path.join(dir, 'replaced.html');
    writeFileSync(target, 'ORIGINAL');
    const before = statSync(target).ino;
    await writeFileAtomic(target, 'NEW REPORT');
    assert.equal(readFileSync(target, 'utf8'), 'NEW REPORT');
    assert.notEqual(statSync(target).ino, before, 'the original inode was written in place');
    assert.deepEqual(tmpFiles(), []);
  });

  test('a folder as target is refused and left alone', async () => {
    const target = path.join(dir, 'a-folder');
    mkdirSync(target);
    await assert.rejects(writeFileAtomic(target, 'x'), /directory/);
    assert.ok(statSync(target).isDirectory());
  });
});

describe('postfix-tls report --output (spawned)', () => {
  let dir: string;
  before(async () => {
    dir = tempDir();
    await ensureCliBuilt();
  });
  after(() => removeDir(dir));

  test('into a missing folder: a clear error, exit 2, nothing created', async () => {
    const log = path.join(dir, 'mail.log');
    writeFileSync(log, 'Nov 28 12:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from a[192.0.2.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n');
    const r = await runCli(['report', log, '--output', path.join(dir, 'missing', 'r.html')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot write/);
    assert.deepEqual(readdirSync(dir).sort(), ['mail.log']);
  });

  test('over an existing report: replaced whole, by rename', async () => {
    const log = path.join(dir, 'mail.log');
    const out = path.join(dir, 'out.md');
    writeFileSync(out, 'OLD');
    const ino = statSync(out).ino;
    const r = await runCli(['report', log, '--format', 'markdown', '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(out, 'utf8'), /^# Postfix TLS report/);
    assert.notEqual(statSync(out).ino, ino);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('DH generation keeps an existing file', () => {
  const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'commands');
  let dir: string;
  before(() => {
    for (const f of readdirSync(fixtures)) if (f.endsWith('.sh')) chmodSync(path.join(fixtures, f), 0o755);
    dir = tempDir();
  });
  after(() => removeDir(dir));

  function existing(name: string): string {
    const d = path.join(dir, name);
    mkdirSync(d);
    writeFileSync(path.join(d, 'dh2048.pem'), 'ORIGINAL DH FILE');
    return d;
  }

  for (const [script, reason] of [
    ['failing-openssl.sh', 'openssl-failed'],
    ['garbage-openssl.sh', 'invalid-output'],
  ] as const) {
    test(`when openssl ${script.replace('-openssl.sh', '')}s, even with overwrite`, async () => {
      const d = existing(script);
      const r = await generateDhFile({ dir: d, choice: { kind: 'generate', bits: 2048 }, opensslPath: path.join(fixtures, script), overwrite: true });
      assert.equal(r.kind, 'error', JSON.stringify(r));
      assert.equal(r.kind === 'error' && r.reason, reason);
      assert.equal(readFileSync(path.join(d, 'dh2048.pem'), 'utf8'), 'ORIGINAL DH FILE');
      assert.deepEqual(readdirSync(d), ['dh2048.pem'], 'a temp file was left behind');
    });
  }

  test('when the run is cancelled while openssl works', async () => {
    const d = existing('cancelled');
    const listeners: (() => void)[] = [];
    const token: DhCancellationToken & { cancel(): void } = {
      isCancellationRequested: false,
      onCancellationRequested: (l) => {
        listeners.push(l);
        return { dispose: () => undefined };
      },
      cancel() {
        (this as { isCancellationRequested: boolean }).isCancellationRequested = true;
        for (const l of listeners) l();
      },
    };
    const r = await generateDhFile({
      dir: d,
      choice: { kind: 'generate', bits: 2048 },
      opensslPath: path.join(fixtures, 'slow-openssl.sh'),
      overwrite: true,
      token,
      // The stand-in has started (and written part of its temp file): cancel now.
      onStarted: () => setImmediate(() => token.cancel()),
    });
    assert.equal(r.kind, 'cancelled');
    assert.equal(readFileSync(path.join(d, 'dh2048.pem'), 'utf8'), 'ORIGINAL DH FILE');
    assert.deepEqual(readdirSync(d), ['dh2048.pem'], 'a temp file was left behind');
  });

  test('without overwrite an existing file is never touched', async () => {
    const d = path.join(dir, 'no-overwrite');
    mkdirSync(d);
    writeFileSync(path.join(d, 'ffdhe2048.pem'), 'ORIGINAL DH FILE');
    const r = await generateDhFile({ dir: d, choice: { kind: 'ffdhe', group: 'ffdhe2048' } });
    assert.equal(r.kind, 'exists');
    assert.equal(readFileSync(path.join(d, 'ffdhe2048.pem'), 'utf8'), 'ORIGINAL DH FILE');
    assert.deepEqual(readdirSync(d), ['ffdhe2048.pem']);
  });
});

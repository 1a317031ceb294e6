/**
 * What the tools read, and what reading can do to them:
 * - without a file reader (restricted mode) no DH parameter file is read, whatever the
 *   configuration names;
 * - a DH file setting that names a FIFO, a device or a folder is refused at once: opening a FIFO
 *   for reading would block the (single-threaded) language server until someone writes to it;
 * - a hostile DH file (1 MB of PEM BEGIN markers, the most the server reads) is parsed in
 *   bounded time.
 * The FIFO case of the server runs in a child process that is killed at a deadline, so a hang
 * fails the test instead of hanging the test run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../../core/lint';
import { makeAuxReader } from '../../../core/lint-files';
import { parseDhParams } from '../../../core/dh';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/types';
import { MAIN_URI, REPO_ROOT, doc, removeDir, tempDir, timed } from './helpers';

const S: Settings = { ...DEFAULT_SETTINGS, levels: {} };

/** Runs a TypeScript snippet (through tsx) in a child process; resolves with its output, or a timeout. */
function runSnippet(code: string, ms: number): Promise<{ out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ out, timedOut: true });
    }, ms);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ out, timedOut: false });
    });
  });
}

describe('DH parameter files', () => {
  let dir: string;
  before(() => {
    dir = tempDir('pftls-reads-');
    copyFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'dh', 'dh512.pem'), path.join(dir, 'dh512.pem'));
    mkdirSync(path.join(dir, 'a-folder'));
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'dh.fifo')]).status, 0, 'mkfifo failed');
  });
  after(() => removeDir(dir));

  const config = (file: string): string => `smtpd_tls_dh1024_param_file = ${file}\n`;
  const fileCodes = (codes: string[]) => codes.filter((c) => /^fs\.dh-(file|prime)/.test(c));

  test('without a reader (restricted mode) no file is read and no file finding is made', () => {
    let reads = 0;
    const withReader = lint({ main: doc(MAIN_URI, config(path.join(dir, 'dh512.pem'))), configDirectory: dir, readFile: (p) => (reads++, makeAuxReader(dir)(p)) }, S);
    assert.ok(reads > 0, 'the reader is used when given');
    assert.ok(fileCodes(withReader.map((f) => f.code)).length > 0, 'a finding about the weak file');
    const restricted = lint({ main: doc(MAIN_URI, config(path.join(dir, 'dh512.pem'))), configDirectory: dir }, S);
    assert.deepEqual(fileCodes(restricted.map((f) => f.code)), []);
  });

  test('CLI reader: a folder, a device and a FIFO are refused without reading', () => {
    const read = makeAuxReader(dir);
    assert.throws(() => read('a-folder'), /directory/);
    assert.throws(() => read('/dev/zero'), /not a regular file/);
    const t = timed(() => assert.throws(() => read('dh.fifo'), /not a regular file/));
    assert.ok(t.ms < 5000);
  });

  test('language server reader: a FIFO is refused at once, it does not block the server', async () => {
    const fifo = path.join(dir, 'dh.fifo');
    const code = `
      const m = await import(${JSON.stringify(path.join(REPO_ROOT, 'server', 'documents.ts'))});
      // tsx loads the TypeScript module as CommonJS: its exports sit on the default export.
      const { makeReadFile } = m.makeReadFile ? m : m.default;
      try { makeReadFile(${JSON.stringify(dir)})('dh.fifo'); console.log('READ'); }
      catch (e) { console.log('REFUSED ' + e.message); }`;
    const r = await runSnippet(code, 10_000);
    assert.equal(r.timedOut, false, `makeReadFile blocked on the FIFO ${fifo} (the language server would hang until killed)`);
    assert.match(r.out, /REFUSED .*not a regular file/);
  });

  test('a hostile DH file (1 MB of BEGIN markers, the most the server reads) is parsed in bounded time', (t) => {
    const line = '-----BEGIN DH PARAMETERS-----\n';
    const data = line.repeat(Math.floor((1024 * 1024) / line.length));
    const p = timed(() => parseDhParams(data));
    t.diagnostic(`parseDhParams on 1 MB of BEGIN markers: ${p.ms.toFixed(0)} ms (${p.value.kind})`);
    // Linear work on 1 MB is milliseconds; the quadratic PEM scan takes many seconds.
    assert.ok(p.ms < 2000, `parseDhParams took ${p.ms.toFixed(0)} ms on 1 MB (core/dh.ts pemBlocks backtracks: quadratic)`);
    const l = timed(() => lint({ main: doc(MAIN_URI, config('/x/dh.pem')), configDirectory: '/x', readFile: () => Buffer.from(data) }, S));
    t.diagnostic(`lint with that file named: ${l.ms.toFixed(0)} ms`);
    assert.ok(l.ms < 4000, `lint took ${l.ms.toFixed(0)} ms`);
  });
});

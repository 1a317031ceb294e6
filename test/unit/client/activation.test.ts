/**
 * Activation stays light: requiring the client bundle and running activate() (no document
 * open) must not initialise Intl/ICU, enumerate the `vscode` module (esbuild's `__toESM` copy
 * for `import * as vscode`), load the report engine's built-ins (zlib) or any lazy bundle next
 * to client.js. Observed with the watch of bench/activation.mjs (`--child`), in a fresh
 * process with its fake `vscode` module; a control bundle that does each of those shows the
 * watch sees them. Timing is bench/activation.mjs's business, not asserted here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../../helpers/reference';

interface Observed {
  apiOk: boolean;
  errors: string[];
  intl: string[];
  vscodeEnumerations: number;
  builtins: string[];
  siblings: string[];
}

/** Bundled like dist/client.js (scripts/build.mjs): the lazy bundles stay outside. */
const BUNDLE_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: true,
  logLevel: 'silent',
  external: ['vscode', './lc.js', './commands.js'],
};

/** require + activate() of `file` in a fresh process, under the benchmark's watch. */
function observe(file: string): Observed {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bench', 'activation.mjs'), '--child', file], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `activation probe failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Observed;
}

describe('extension activation', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfix-tls-activation-'));
    // Stand-ins for the lazy bundles: if activation required one, it would show as loaded.
    for (const sibling of ['lc.js', 'commands.js']) writeFileSync(path.join(dir, sibling), 'module.exports = {};\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the client bundle activates without Intl, vscode enumeration, zlib or lazy bundles', async () => {
    const outfile = path.join(dir, 'client.js');
    await esbuild.build({ ...BUNDLE_OPTIONS, absWorkingDir: REPO_ROOT, entryPoints: ['client/extension.ts'], outfile });
    const seen = observe(outfile);
    assert.ok(seen.apiOk, 'activate() returns its API');
    assert.deepEqual(seen.errors, [], 'activate() logs no error');
    assert.deepEqual(seen.intl, [], 'no Intl object or locale-aware method at activation (ICU start-up)');
    assert.equal(seen.vscodeEnumerations, 0, "the vscode module is not enumerated: client modules use `import vscode = require('vscode')`");
    assert.ok(!seen.builtins.includes('zlib'), `the report engine is not loaded at activation (built-ins loaded: ${seen.builtins.join(', ')})`);
    assert.deepEqual(seen.siblings, [], 'no lazy bundle (lc.js, commands.js) is loaded at activation');
  });

  test('the watch sees each of those in a bundle that does them', async () => {
    const outfile = path.join(dir, 'control.js');
    const contents = [
      "import * as vscode from 'vscode';",
      "import { gzipSync } from 'node:zlib';",
      "const percent = new Intl.NumberFormat('en-US', { style: 'percent' });",
      'export function activate() {',
      "  require('./commands.js');",
      '  return { n: percent.format(0.5), v: vscode.version, z: typeof gzipSync, s: [2, 10].map(String).sort((a, b) => a.localeCompare(b)) };',
      '}',
    ].join('\n');
    await esbuild.build({ ...BUNDLE_OPTIONS, stdin: { contents, loader: 'ts', resolveDir: dir, sourcefile: 'control.ts' }, outfile });
    const seen = observe(outfile);
    assert.ok(seen.apiOk);
    assert.deepEqual(seen.intl.sort(), ['Intl', 'String#localeCompare']);
    assert.ok(seen.vscodeEnumerations > 0, '`import * as vscode` enumerates the module');
    assert.ok(seen.builtins.includes('zlib'), `zlib is seen (built-ins loaded: ${seen.builtins.join(', ')})`);
    assert.deepEqual(seen.siblings, ['commands.js']);
  });
});

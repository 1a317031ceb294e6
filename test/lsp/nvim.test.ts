/**
 * Issue 7, "the language server for every editor": a real Neovim, headless, runs the server
 * over stdio with the configuration the README recommends and must show its diagnostics and
 * hover. Neovim 0.7 (Debian bookworm) has no pull diagnostics, so this covers the PUSH path.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, positionOf, REPO_ROOT, SERVER_BIN, tempFolder, WAIT_MS } from './harness';
import { FIXTURE_HOVER_AT, FIXTURE_MAIN, FIXTURE_MAIN_CODES, FIXTURE_MASTER } from './fixtures';

interface NvimResult {
  nvim: string;
  filetype?: string;
  client_started?: boolean;
  diagnostics?: { code?: string; message: string; source?: string; lnum: number }[];
  hover?: string;
  errors: string[];
}

/** Runs headless Neovim with test/lsp/nvim/init.lua on `file`; resolves with what it wrote. */
function runNvim(
  file: string,
  hover: { line: number; character: number },
  outDir: string,
  postfixVersion = '3.10',
): Promise<NvimResult> {
  const out = path.join(outDir, 'nvim-result.json');
  const init = path.join(REPO_ROOT, 'test', 'lsp', 'nvim', 'init.lua');
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--clean', '-u', init], {
      cwd: outDir,
      env: {
        ...process.env,
        PFTLS_OUT: out,
        PFTLS_FILE: file,
        PFTLS_SERVER: SERVER_BIN,
        PFTLS_NODE: process.execPath,
        PFTLS_HOVER_LINE: String(hover.line),
        PFTLS_HOVER_CHAR: String(hover.character),
        PFTLS_TIMEOUT_MS: String(WAIT_MS),
        PFTLS_POSTFIX_VERSION: postfixVersion,
        // Keep Neovim from reading or writing the developer's state.
        XDG_CONFIG_HOME: outDir,
        XDG_DATA_HOME: outDir,
        XDG_STATE_HOME: outDir,
        XDG_CACHE_HOME: outDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 3 * WAIT_MS + 10_000);
    child.on('error', (e) => {
      clearTimeout(killer);
      reject(new Error(`could not start nvim (install the Debian package 'neovim'): ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      if (!existsSync(out)) {
        reject(new Error(`nvim exited (${code ?? signal}) without writing ${out}; stderr:\n${stderr}`));
        return;
      }
      resolve(JSON.parse(readFileSync(out, 'utf8')) as NvimResult);
    });
  });
}

describe('Neovim (headless) as a client', () => {
  const dirs: string[] = [];
  before(async () => {
    await ensureBuilt();
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('nvim is installed', () => {
    const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, "nvim not found: install the Debian package 'neovim'");
    assert.match(r.stdout, /^NVIM v\d+\.\d+/);
  });

  test('shows pushed diagnostics and a hover on main.cf', async () => {
    const dir = tempFolder({ 'main.cf': FIXTURE_MAIN });
    dirs.push(dir);
    const result = await runNvim(path.join(dir, 'main.cf'), positionOf(FIXTURE_MAIN, FIXTURE_HOVER_AT, 2), dir);
    assert.deepEqual(result.errors, []);
    assert.equal(result.client_started, true);
    assert.equal(result.filetype, 'pfmain');
    const codes = (result.diagnostics ?? []).map((d) => d.code).sort();
    assert.deepEqual(codes, FIXTURE_MAIN_CODES);
    assert.ok((result.diagnostics ?? []).every((d) => d.source === 'postfix-tls'));
    assert.ok(result.hover, 'no hover text');
    assert.match(result.hover!, /postconf\.5\.html#/);
  });

  test('master.cf (filetype pfmaster) is checked with main.cf from disk and the settings Neovim sends', async () => {
    const dir = tempFolder({ 'main.cf': FIXTURE_MAIN, 'master.cf': FIXTURE_MASTER });
    dirs.push(dir);
    const at = positionOf(FIXTURE_MASTER, 'smtpd_tls_eecdh_grade', 3);
    // Postfix 3.5 (from Neovim's `settings`): 'none' really turns ECDHE off there.
    const result = await runNvim(path.join(dir, 'master.cf'), at, dir, '3.5');
    assert.deepEqual(result.errors, []);
    assert.equal(result.filetype, 'pfmaster');
    const grade = (result.diagnostics ?? []).filter((d) => d.code === 'fs.eecdh-grade-none');
    assert.equal(grade.length, 1, JSON.stringify(result.diagnostics));
    assert.equal(grade[0].lnum, at.line);
    assert.match(result.hover ?? '', /postconf\.5\.html#smtpd_tls_eecdh_grade/);
  });
});

/**
 * The npm package: `npm pack` ships only bin/, the CLI (with its report worker) and server
 * bundles, README and LICENSE; installed globally (offline: the bundles need no dependency)
 * both programs run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { makeStage, REPO_ROOT, runProgram, type Stage } from './stage';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** File names in a .tgz (ustar headers; enough for npm's tarballs). */
function tarNames(tgz: Buffer): string[] {
  const tar = gunzipSync(tgz);
  const names: string[] = [];
  for (let p = 0; p + 512 <= tar.length;) {
    const name = tar.toString('utf8', p, p + 100).replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = tar.toString('utf8', p + 345, p + 500).replace(/\0.*$/s, '');
    const size = parseInt(tar.toString('ascii', p + 124, p + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    const type = tar.toString('ascii', p + 156, p + 157);
    if (type === '0' || type === '\0') names.push(prefix ? `${prefix}/${name}` : name);
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return names.sort();
}

/** One LSP message with Content-Length framing. */
function frame(msg: object): string {
  const body = JSON.stringify(msg);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('npm package', () => {
  let stage: Stage;
  let tgz: string;
  let prefix: string;

  before(async () => {
    stage = makeStage('npm-pack');
    const r = await runProgram('npm', ['pack', '--pack-destination', stage.scratch], { cwd: stage.dir });
    assert.equal(r.code, 0, `npm pack failed:\n${r.stdout}\n${r.stderr}`);
    tgz = path.join(stage.scratch, `${pkg.name}-${pkg.version}.tgz`);
    assert.ok(existsSync(tgz), `${tgz} was written`);
    prefix = path.join(stage.scratch, 'global');
    const i = await runProgram('npm', ['install', '-g', '--offline', '--prefix', prefix, tgz], { cwd: stage.scratch });
    assert.equal(i.code, 0, `npm install -g failed:\n${i.stdout}\n${i.stderr}`);
  });
  after(() => stage?.dispose());

  test('contains only the published files', () => {
    const names = tarNames(readFileSync(tgz));
    assert.deepEqual(names, [
      'package/LICENSE',
      'package/README.md',
      'package/bin/postfix-tls-language-server.js',
      'package/bin/postfix-tls.js',
      'package/dist/cli.js',
      'package/dist/params-data.js',
      'package/dist/report-worker.js',
      'package/dist/server.js',
      'package/package.json',
    ]);
  });

  test('postfix-tls --version', async () => {
    const r = await runProgram(path.join(prefix, 'bin', 'postfix-tls'), ['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  test('postfix-tls-language-server answers initialize over stdio', async () => {
    const child = spawn(path.join(prefix, 'bin', 'postfix-tls-language-server'), ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const response = new Promise<{ id: number; result?: { capabilities?: Record<string, unknown> } }>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`server exited (${code}) before answering; stdout: ${out}`)));
      child.stdout.on('data', (d: string) => {
        out += d;
        // Messages may arrive split or several at once; notifications may come first.
        for (;;) {
          const m = /Content-Length: (\d+)\r\n\r\n/.exec(out);
          if (!m) return;
          const body = Buffer.from(out.slice(m.index + m[0].length), 'utf8');
          const len = Number(m[1]);
          if (body.length < len) return;
          const msg = JSON.parse(body.subarray(0, len).toString('utf8'));
          out = body.subarray(len).toString('utf8');
          if (msg.id === 1) return resolve(msg);
        }
      });
    });
    child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } }));
    try {
      const msg = await response;
      assert.ok(msg.result?.capabilities, `initialize result: ${JSON.stringify(msg)}`);
      assert.ok(msg.result.capabilities.hoverProvider, 'the server offers hovers');
    } finally {
      const exited = new Promise((r) => child.once('close', r));
      child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      child.stdin.end(frame({ jsonrpc: '2.0', method: 'exit' }));
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  });
});

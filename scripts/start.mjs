#!/usr/bin/env node
// `npm start`: build, then open the examples/ workspace in a real VS Code (code-server, in
// your browser) with the extension loaded from this working tree.
//
//   npm start [-- --workspace <folder>] [--watch]
//
// code-server listens on 127.0.0.1 only (no password: loopback is the protection). Ctrl-C
// stops it and everything it started. On a fresh machine code-server is installed into
// .vscode-test/ first (about 2 minutes); missing Debian packages are installed when running
// as root, otherwise the exact apt-get command is printed.
// Reload the browser tab after a rebuild to run the new code (--watch rebuilds on save).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer, REPO_ROOT, startCodeServer, workbenchUrl } from './code-server.mjs';
import { killGroup, onTerminate, run, spawnGroup } from './lib/proc.mjs';

function parseArgs(argv) {
  const o = { workspace: path.join(REPO_ROOT, 'examples'), watch: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--workspace') o.workspace = path.resolve(argv[++i]);
    else if (a === '--watch') o.watch = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm start [-- --workspace <folder>] [--watch]');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!existsSync(o.workspace)) throw new Error(`workspace folder not found: ${o.workspace}`);
  return o;
}

let server;
let watcher;
let home;
let stopping = false;
async function cleanup() {
  stopping = true;
  if (watcher) await killGroup(watcher.pid, 3000);
  if (server) await server.stop();
  if (home) rmSync(home, { recursive: true, force: true });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  home = mkdtempSync(path.join(os.tmpdir(), 'postfix-tls-start-'));
  onTerminate(cleanup);

  console.log('[start] building (node scripts/build.mjs)');
  const b = await run(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, capture: false });
  if (b.code !== 0) throw new Error(`build failed (exit ${b.code})`);
  const entry = await ensureCodeServer();

  if (opts.watch) {
    watcher = spawnGroup(process.execPath, ['scripts/build.mjs', '--watch'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  server = await startCodeServer({
    entry,
    home,
    onOutput: (l) => {
      if (/\berror\b/i.test(l)) console.log(`[code-server] ${l}`);
    },
  });
  server.child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] code-server exited (code ${code}, signal ${signal})`);
    cleanup().finally(() => process.exit(1));
  });

  const url = workbenchUrl({ port: server.port, folder: opts.workspace, extensionDevelopmentPath: REPO_ROOT });
  console.log('');
  console.log(`Postfix TLS is running in VS Code (code-server ${server.origin}, pid ${server.pid}).`);
  console.log(`Workspace: ${opts.workspace}`);
  console.log('Open this URL in a browser (on a remote machine, forward the port first, e.g. ssh -L PORT:127.0.0.1:PORT):');
  console.log('');
  console.log(`  ${url}`);
  console.log('');
  console.log(opts.watch ? 'Rebuilding on change; reload the page to pick up a new build. Ctrl-C stops.' : 'Ctrl-C stops.');
}

main().catch(async (e) => {
  console.error(`[start] ${e?.message ?? e}`);
  await cleanup();
  process.exit(2);
});

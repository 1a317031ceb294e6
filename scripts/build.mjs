// One esbuild script for every bundle: the extension client, the language server, the CLI,
// and (with --tests) the integration test suite that runs inside the extension host.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { integrationSuites } from './lib/integration-suites.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests') || watch;

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Keep `require('vscode')` for the host; nothing else is left outside the bundles.
  external: ['vscode'],
};

const entries = [
  // The language client and the command implementations are bundles of their own, required
  // lazily by the client (`./lc.js`, `./commands.js`), so activation loads only what it uses.
  { entryPoints: { client: 'client/extension.ts' }, external: ['vscode', './lc.js', './commands.js'] },
  { entryPoints: { lc: 'client/lc.ts' } },
  { entryPoints: { commands: 'client/commands/impl.ts' } },
  { entryPoints: { server: 'server/main.ts' } },
  { entryPoints: { cli: 'cli/main.ts' } },
  // Worker thread of `report` over large files (CLI and extension), see core/report/files.ts.
  { entryPoints: { 'report-worker': 'core/report/worker.ts' } },
];
if (withTests && existsSync('test/integration/index.ts')) {
  // mocha stays external: the extension host loads it from node_modules of the working tree.
  entries.push({ entryPoints: { 'test/integration': 'test/integration/index.ts' }, external: ['vscode', 'mocha'], plugins: [integrationSuites()] });
}

const contexts = await Promise.all(
  entries.map((e) => esbuild.context({ ...common, ...e, external: e.external ?? common.external, outdir: 'dist' })),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] building client, server, cli and tests; Ctrl-C to stop');
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

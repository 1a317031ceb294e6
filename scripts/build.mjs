// One esbuild script for every bundle: the extension client, the language server, the CLI,
// and (with --tests) the integration test suite that runs inside the extension host.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { integrationSuites } from './lib/integration-suites.mjs';

const argv = process.argv.slice(2);
const args = new Set(argv);
const production = args.has('--production');
/** `--outdir DIR` (default dist) and `--only a,b` (entry names): e.g. the report benchmark's own production copy. */
const valueOf = (flag) => (argv.indexOf(flag) >= 0 ? argv[argv.indexOf(flag) + 1] : undefined);
const outdir = valueOf('--outdir') ?? 'dist';
const only = valueOf('--only')?.split(',');
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

/**
 * The generated parameter tables (core/params/data.ts) as a bundle of their own,
 * dist/params-data.js, required at run time by the server and the commands bundle: the VSIX
 * holds them once instead of twice (~50 KB compressed).
 */
const sharedParamsData = {
  name: 'shared-params-data',
  setup(build) {
    build.onResolve({ filter: /(^|\/)params\/data$|^\.\/data$/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      return target === path.resolve('core/params/data') ? { path: './params-data.js', external: true } : undefined;
    });
  },
};

const entries = [
  // The language client and the command implementations are bundles of their own, required
  // lazily by the client (`./lc.js`, `./commands.js`), so activation loads only what it uses.
  { entryPoints: { client: 'client/extension.ts' }, external: ['vscode', './lc.js', './commands.js'] },
  { entryPoints: { lc: 'client/lc.ts' } },
  { entryPoints: { commands: 'client/commands/impl.ts' }, plugins: [sharedParamsData] },
  { entryPoints: { server: 'server/main.ts' }, plugins: [sharedParamsData] },
  { entryPoints: { 'params-data': 'core/params/data.ts' } },
  { entryPoints: { cli: 'cli/main.ts' } },
  // Worker thread of `report` over large files (CLI and extension), see core/report/files.ts.
  { entryPoints: { 'report-worker': 'core/report/worker.ts' } },
];
if (withTests && existsSync('test/integration/index.ts')) {
  // mocha stays external: the extension host loads it from node_modules of the working tree.
  entries.push({ entryPoints: { 'test/integration': 'test/integration/index.ts' }, external: ['vscode', 'mocha'], plugins: [integrationSuites()] });
}

const chosen = only ? entries.filter((e) => Object.keys(e.entryPoints).some((k) => only.includes(k))) : entries;
if (only && chosen.length !== only.length) throw new Error(`--only: unknown entry in ${only.join(',')}`);
const contexts = await Promise.all(
  chosen.map((e) => esbuild.context({ ...common, ...e, external: e.external ?? common.external, outdir })),
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

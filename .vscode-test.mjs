// @vscode/test-cli configuration, for machines that can download a desktop VS Code (a
// developer laptop, a public CI). It runs the same compiled integration bundle as
// test/integration/runner.mjs (code-server), in VS Code 1.100 desktop:
//
//   node scripts/build.mjs --tests && npx vscode-test
//
// The bundle registers its suites when an outside mocha loads it (see
// test/integration/index.ts). Screenshot and DOM checks need the runner and are skipped here.
// Note: unlike the runner, this opens test/integration/workspace itself, not a copy.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'integration',
  files: 'dist/test/integration.js',
  version: '1.100.3',
  workspaceFolder: 'test/integration/workspace',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 120_000, slow: 15_000 },
});

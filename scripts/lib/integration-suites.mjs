// esbuild plugin for the integration test bundle: the virtual module `integration-suites`
// lists every test/integration/suite/*.test.ts as [name, load] pairs. Each suite is pulled in
// with require() inside `load`, which esbuild turns into a lazy initialiser, so a suite's
// top-level suite()/test() calls run only after test/integration/index.ts has set up mocha's
// TDD globals (and only for the suites selected by --grep).
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export function integrationSuites(dir = path.resolve('test/integration/suite')) {
  return {
    name: 'integration-suites',
    setup(build) {
      build.onResolve({ filter: /^integration-suites$/ }, () => ({ path: 'integration-suites', namespace: 'integration-suites' }));
      build.onLoad({ filter: /.*/, namespace: 'integration-suites' }, () => {
        const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort();
        const rows = files.map((f) => `  [${JSON.stringify(f.replace(/\.test\.ts$/, ''))}, () => require(${JSON.stringify(path.join(dir, f))})],`);
        return { contents: `module.exports = [\n${rows.join('\n')}\n];\n`, loader: 'js', resolveDir: dir, watchDirs: [dir] };
      });
    },
  };
}

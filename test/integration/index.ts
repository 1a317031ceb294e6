/**
 * Entry of the integration test bundle (dist/test/integration.js). The VS Code extension host
 * `require`s it and calls `run()`: resolve = pass, reject = fail. Runs mocha (TDD ui) over every
 * test/integration/suite/*.test.ts (listed at build time, see scripts/lib/integration-suites.mjs).
 *
 * The host forwards console output to the runner, so the reporter prints with console.log and
 * ends with one machine-readable line the runner trusts (an extension-host crash also reports
 * exit code 0, so the exit code alone means nothing):
 *   INTEGRATION RESULT passed=N failed=M pending=P
 *
 * POSTFIX_TLS_TEST_GREP (set by `runner.mjs --grep X`): if X matches suite file names (without
 * .test.ts), only those files are loaded; otherwise X filters test titles.
 */
import Mocha from 'mocha';
import suites from 'integration-suites';

/** Prefix of the final result line; the runner parses it. */
export const RESULT_PREFIX = 'INTEGRATION RESULT';

class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let pending = 0;
    let depth = 0;
    const pad = (): string => '  '.repeat(depth);
    runner.on('suite', (s: Mocha.Suite) => {
      if (s.root) return;
      console.log(`${pad()}${s.title}`);
      depth++;
    });
    runner.on('suite end', (s: Mocha.Suite) => {
      if (!s.root) depth--;
    });
    runner.on('pass', (t: Mocha.Test) => {
      passed++;
      console.log(`${pad()}ok ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on('pending', (t: Mocha.Test) => {
      pending++;
      console.log(`${pad()}- ${t.title} (pending)`);
    });
    runner.on('fail', (t: Mocha.Runnable, err: Error) => {
      failed++;
      console.log(`${pad()}FAILED ${t.fullTitle()}\n${String(err?.stack ?? err).replace(/^/gm, `${pad()}    `)}`);
    });
    runner.once('end', () => {
      console.log(`${RESULT_PREFIX} passed=${passed} failed=${failed} pending=${pending}`);
    });
  }
}

function selectSuites(mocha: Mocha): ReadonlyArray<readonly [string, () => unknown]> {
  const grep = process.env.POSTFIX_TLS_TEST_GREP;
  if (!grep) return suites;
  const re = new RegExp(grep, 'i');
  const byFile = suites.filter(([name]) => re.test(name));
  if (byFile.length > 0) return byFile;
  mocha.grep(re);
  return suites;
}

// Loaded as a test file by an outside mocha (@vscode/test-cli, see .vscode-test.mjs): its
// `pre-require` has already set the TDD globals, so register every suite with that mocha.
// Under our own runner the bundle is loaded without them and run() below does the work.
const g = globalThis as { suite?: unknown; test?: unknown };
if (typeof g.suite === 'function' && typeof g.test === 'function') {
  for (const [, load] of suites) load();
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, slow: 15_000, color: false, reporter: LineReporter });
  for (const [name, load] of selectSuites(mocha)) {
    const file = `test/integration/suite/${name}.test.ts`;
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    try {
      mocha.suite.emit('require', load(), file, mocha);
    } catch (err) {
      // A suite that throws while loading becomes a failing test instead of a silent hole.
      mocha.suite.addTest(new Mocha.Test(`load ${file}`, () => {
        throw err;
      }));
    }
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (err) {
      console.log(`${RESULT_PREFIX} passed=0 failed=1 pending=0`);
      reject(err);
    }
  });
}

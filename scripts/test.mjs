#!/usr/bin/env node
// `npm test`: build once, then run every test suite and print one summary.
//
//   npm test                      all suites: unit cli lsp grammar packaging integration
//   npm test -- unit grammar      only these suites (in the order given)
//   npm test -- integration --grep logs    extra --flags go to the integration runner
//
// node:test suites run with the TAP reporter; we stream their output and read the totals
// from the trailing `# pass N` / `# fail N` lines. The integration runner prints
// `INTEGRATION SUMMARY passed=N failed=M`. The last line of output is always exactly
// `N passed, M failed`. A suite that crashes, times out or runs no test counts as one failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroup } from './lib/proc.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Test files below `dir` (relative to the repo) whose names end in .test.ts, sorted. */
function testFiles(dir, recursive) {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) {
        if (recursive && name !== 'node_modules' && name !== 'fixtures') walk(p);
      } else if (name.endsWith('.test.ts')) out.push(path.relative(ROOT, p));
    }
  };
  walk(abs);
  return out;
}

/**
 * A node:test suite. `suiteMin` bounds the whole suite (then it is killed and counts as
 * crashed); `testMin` bounds each test, so one hanging test fails alone with a message.
 */
const nodeTest = (dir, recursive, suiteMin, testMin) => ({
  kind: 'tap',
  timeoutMs: suiteMin * 60_000,
  files: () => testFiles(dir, recursive),
  // Node 20's --test takes no globs: we pass the files. --import tsx is inherited by the
  // per-file subprocesses.
  args: (files) => ['--import', 'tsx', '--test', '--test-reporter=tap', `--test-timeout=${testMin * 60_000}`, ...files],
});

const SUITES = {
  unit: nodeTest('test/unit', true, 15, 3),
  cli: nodeTest('test/cli', false, 10, 3),
  lsp: nodeTest('test/lsp', false, 10, 3),
  grammar: nodeTest('test/grammar', false, 10, 3),
  // The VSIX test installs code-server on a fresh machine (about 2-3 minutes).
  packaging: nodeTest('test/packaging', false, 20, 10),
  integration: {
    kind: 'integration',
    timeoutMs: 25 * 60_000,
    files: () => testFiles('test/integration/suite', false),
    args: (_files, extra) => ['test/integration/runner.mjs', ...extra],
  },
};

function parseArgs(argv) {
  const names = [];
  const extra = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a in SUITES) names.push(a);
    else if (a.startsWith('-')) {
      extra.push(a);
      // Flags with a value (--grep X, --timeout N) keep their value.
      if (['--grep', '-g', '--timeout'].includes(a) && i + 1 < argv.length) extra.push(argv[++i]);
    } else {
      console.error(`unknown suite '${a}'; suites: ${Object.keys(SUITES).join(', ')}`);
      process.exit(2);
    }
  }
  return { names: names.length ? names : Object.keys(SUITES), extra };
}

let current; // { pid } of the running child, for Ctrl-C
let interrupted = false;

/** Runs a child in its own process group, streaming its output; resolves with exit + text. */
function runStreaming(args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let text = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      text += d;
      if (text.length > 4_000_000) text = text.slice(-1_000_000); // only the tail is parsed
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`\n[test] timeout after ${timeoutMs / 60_000} min, stopping the suite\n`);
      killGroup(child.pid, 10_000);
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, text: `${text}\n${e.message}`, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      // Subprocesses of the suite (test files, servers) must not outlive it.
      killGroup(child.pid, 2000).then(() => resolve({ code: code ?? (signal ? 128 : -1), signal, text, timedOut }));
    });
  });
}

function lastNumber(text, re) {
  let m;
  let v;
  while ((m = re.exec(text)) !== null) v = Number(m[1]);
  return v;
}

async function runSuite(name, extra) {
  const s = SUITES[name];
  const files = s.files();
  console.log(`\n=== ${name} (${files.length} file${files.length === 1 ? '' : 's'}) ===`);
  const started = Date.now();
  if (files.length === 0) return { name, passed: 0, failed: 0, status: 'no tests', ms: 0 };
  const r = await runStreaming(s.args(files, extra), s.timeoutMs);
  const ms = Date.now() - started;
  let passed;
  let failed;
  if (s.kind === 'tap') {
    passed = lastNumber(r.text, /^# pass (\d+)$/gm);
    const fail = lastNumber(r.text, /^# fail (\d+)$/gm);
    const cancelled = lastNumber(r.text, /^# cancelled (\d+)$/gm) ?? 0;
    failed = fail === undefined ? undefined : fail + cancelled;
  } else {
    const m = [...r.text.matchAll(/INTEGRATION SUMMARY passed=(\d+) failed=(\d+)/g)].pop();
    if (m) {
      passed = Number(m[1]);
      failed = Number(m[2]);
    }
  }
  let status = 'ok';
  if (r.timedOut) status = 'timed out';
  else if (passed === undefined || failed === undefined) status = 'crashed';
  else if (failed > 0) status = 'failed';
  else if (r.code !== 0) status = `exit ${r.code}`;
  else if (passed === 0) status = 'no tests';
  return { name, passed: passed ?? 0, failed: failed ?? 0, status, ms };
}

async function main() {
  const { names, extra } = parseArgs(process.argv.slice(2));
  const onSignal = (sig) => {
    interrupted = true;
    if (current) {
      try {
        process.kill(-current.pid, sig);
      } catch {
        /* gone */
      }
      // The suite stops (the runner cleans up on SIGINT); main() then prints the summary.
      killGroup(current.pid, 10_000);
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const t0 = Date.now();
  console.log('=== build (node scripts/build.mjs --tests) ===');
  const b = await runStreaming(['scripts/build.mjs', '--tests'], 5 * 60_000);
  if (b.code !== 0) {
    console.log('\nbuild failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const results = [];
  for (const name of names) {
    if (interrupted) break;
    const r = await runSuite(name, name === 'integration' ? extra : []);
    if (interrupted) r.status = 'interrupted';
    results.push(r);
  }

  console.log('\n=== summary ===');
  const w = Math.max(...results.map((r) => r.name.length), 5);
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    // A crash, a timeout or an empty suite is one failure: the total must not look green.
    const f = r.status === 'ok' ? r.failed : Math.max(r.failed, 1);
    passed += r.passed;
    failed += f;
    console.log(`${r.name.padEnd(w)}  ${String(r.passed).padStart(5)} passed  ${String(f).padStart(4)} failed  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.status}`);
  }
  console.log(`${'total'.padEnd(w)}  ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  if (interrupted) process.exit(130);
  process.exit(failed > 0 || results.some((r) => r.status !== 'ok') ? 1 : 0);
}

main().catch((e) => {
  console.error(`[test] ${e?.stack ?? e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});

#!/usr/bin/env node
// `npm run fuzz`: property/fuzz tests of the core over generated and mutated-corpus inputs.
//
//   npm run fuzz                                  1,000,000 inputs, a random seed (printed)
//   npm run fuzz -- --runs 50000 --seed 42        fewer inputs, a fixed seed
//   npm run fuzz -- --target lint --target expand only these targets (runs split between them)
//   npm run fuzz -- --jobs 1                      one process (default: up to 2, one per core)
//   npm run fuzz -- --bound-ms 2000               time bound per input of up to 10 KB (default 1000)
//   npm run fuzz -- --allow-known                 count inputs hitting known, reported bugs
//                                                 (test/fuzz/targets.ts KNOWN_ISSUES) and go on
//   npm run fuzz -- --list                        the targets
//
// Targets and properties live in test/fuzz/ (TypeScript, loaded through tsx's require hook).
// Each target gets a share of the runs and its own fast-check seed derived from --seed, so a
// failure is reproduced by the same --seed with --target NAME --runs <that target's runs>
// (printed). Targets run in child processes (argument lists, no shell), --jobs at a time.
// Exits 1 when a property fails (the shrunk counterexample is printed), 2 on usage errors.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { register } from 'tsx/cjs/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const RESULT_TAG = 'FUZZ-RESULT ';

function usage(msg) {
  if (msg) console.error(`fuzz: ${msg}`);
  console.error('usage: node scripts/fuzz.mjs [--runs N] [--seed N] [--target NAME]... [--jobs N] [--bound-ms MS] [--allow-known] [--list]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { runs: 1_000_000, seed: undefined, targets: [], boundMs: 1000, list: false, jobs: Math.max(1, Math.min(2, cpus().length)), worker: false, allowKnown: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) usage(`${name} needs a value`);
      return v;
    };
    const int = (v, what) => {
      if (!/^-?\d+$/.test(v)) usage(`${what} must be an integer, got '${v}'`);
      return Number(v);
    };
    switch (name) {
      case '--runs':
        o.runs = int(value(), '--runs');
        if (o.runs < 1) usage('--runs must be at least 1');
        break;
      case '--seed':
        o.seed = int(value(), '--seed') | 0;
        break;
      case '--target':
        o.targets.push(value());
        break;
      case '--bound-ms':
        o.boundMs = int(value(), '--bound-ms');
        break;
      case '--jobs':
        o.jobs = Math.max(1, int(value(), '--jobs'));
        break;
      case '--list':
        o.list = true;
        break;
      case '--worker':
        o.worker = true;
        break;
      case '--allow-known':
        o.allowKnown = true;
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        usage(`unknown argument '${a}'`);
    }
  }
  if (o.seed === undefined) o.seed = (Date.now() ^ (process.pid << 16)) | 0;
  return o;
}

const opts = parseArgs(process.argv.slice(2));
// The targets are TypeScript (CommonJS, like the rest of the tree).
register();
const { runFuzz, targetNames, plan } = createRequire(import.meta.url)(path.join(ROOT, 'test', 'fuzz', 'run.ts'));

if (opts.list) {
  console.log(targetNames().join('\n'));
  process.exit(0);
}
const unknown = opts.targets.filter((t) => !targetNames().includes(t));
if (unknown.length) usage(`unknown target(s) ${unknown.join(', ')}; targets: ${targetNames().join(', ')}`);

if (opts.worker) {
  // One target in this process; the parent reads the result from the last line.
  const result = runFuzz({ runs: opts.runs, seed: opts.seed, targets: opts.targets, boundMs: opts.boundMs, allowKnown: opts.allowKnown, log: (l) => console.log(l) });
  console.log(RESULT_TAG + JSON.stringify(result));
  process.exit(0);
}

/** Runs one target in a child process; resolves with its TargetResult. */
function runChild(name, runs, signalState) {
  return new Promise((resolve) => {
    const args = [SELF, '--worker', '--target', name, '--runs', String(runs), '--seed', String(opts.seed), '--bound-ms', String(opts.boundMs)];
    if (opts.allowKnown) args.push('--allow-known');
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    signalState.children.add(child);
    let buf = '';
    let result;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith(RESULT_TAG)) result = JSON.parse(line.slice(RESULT_TAG.length)).targets[0];
        else console.log(line);
      }
    });
    child.on('close', (code, signal) => {
      signalState.children.delete(child);
      resolve(
        result ?? {
          name, seed: 0, runs, generated: 0, mutated: 0, ms: 0, slowestMs: 0, slowestSize: 0, known: {},
          failure: { message: `the fuzz process for ${name} ended with ${signal ?? `code ${code}`} before reporting`, counterexample: '(none)' },
        },
      );
    });
  });
}

const planned = plan(opts.runs, opts.seed, opts.targets);
console.log(`[fuzz] seed ${opts.seed}, ${opts.runs} runs in total over ${planned.length} targets, ${opts.jobs} job(s), time bound ${opts.boundMs} ms per input of up to 10 KB`);
const t0 = Date.now();
const state = { children: new Set() };
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of state.children) c.kill('SIGTERM');
    process.exit(130);
  });
}
const results = new Array(planned.length);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(opts.jobs, planned.length) }, async () => {
    while (next < planned.length) {
      const i = next++;
      results[i] = await runChild(planned[i].name, planned[i].runs, state);
    }
  }),
);

console.log('\n[fuzz] summary');
const w = Math.max(...results.map((r) => r.name.length), 6);
console.log(`${'target'.padEnd(w)}  ${'runs'.padStart(7)}  ${'fc seed'.padStart(11)}  ${'generated'.padStart(9)}  ${'mutated'.padStart(9)}  ${'time'.padStart(7)}  ${'slowest'.padStart(17)}  result`);
let generated = 0;
let mutated = 0;
for (const r of results) {
  generated += r.generated;
  mutated += r.mutated;
  console.log(
    `${r.name.padEnd(w)}  ${String(r.runs).padStart(7)}  ${String(r.seed).padStart(11)}  ${String(r.generated).padStart(9)}  ${String(r.mutated).padStart(9)}  ${((r.ms / 1000).toFixed(1) + ' s').padStart(7)}  ${`${r.slowestMs.toFixed(1)} ms/${r.slowestSize} ch`.padStart(17)}  ${r.failure ? 'FAILED' : 'ok'}`,
  );
}
if (process.env.FUZZ_SHOW_SLOWEST) for (const r of results) console.log(`[fuzz] slowest ${r.name} input (${r.slowestMs.toFixed(1)} ms): ${r.slowestInput}`);
const failed = results.filter((r) => r.failure);
const known = results.flatMap((r) => Object.entries(r.known).map(([id, k]) => ({ target: r.name, id, ...k })));
for (const k of known) console.log(`[fuzz] known issue ${k.id} (${k.target}): ${k.count} input(s) hit it, e.g. ${k.example}`);
console.log(`[fuzz] seed ${opts.seed}: ${generated + mutated} inputs (${generated} generated, ${mutated} mutated) in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${failed.length} target(s) failed`);
for (const r of failed) {
  console.log(`\n[fuzz] FAILED ${r.name}: ${r.failure.message}\n  shrunk counterexample: ${r.failure.counterexample}\n  reproduce: node scripts/fuzz.mjs --target ${r.name} --seed ${opts.seed} --runs ${r.runs} --jobs 1${opts.allowKnown ? ' --allow-known' : ''}`);
}
process.exit(failed.length > 0 ? 1 : 0);

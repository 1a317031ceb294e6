#!/usr/bin/env node
// `npm run bench`: every benchmark in sequence, each in a process of its own, then a summary.
//
//   npm run bench                       all: lsp, decorations, size, activation, report (last: slow)
//   npm run bench -- lsp decorations    only these
//   npm run bench -- --write            also update their sections of BENCHMARKS.md
//   npm run bench -- lsp --iterations 50   other options go to every selected benchmark
//
// Builds: dist/ is built once in development mode for the language server benchmark; `size`
// runs `npm run package` (production build + VSIX) and `activation` a production build, each
// measuring copies in bench/.data/prod/ (dist/ is shared with other engineers' builds);
// `report` runs dist/cli.js as it then is; dist/ is rebuilt in development mode at the end (as
// `npm run build` leaves it for the other engineers' tests). The report benchmark
// (bench/report.mjs, owned by its engineer) is run as it is and its output is shown; its
// section of BENCHMARKS.md is not touched here.
import { spawn } from 'node:child_process';
import {
  REPO_ROOT,
  build,
  fmtValue,
  loadAverage,
  loadResult,
  machineInfo,
  now,
  updateMachineSection,
} from './lib/ux-stats.mjs';

const ALL = ['lsp', 'decorations', 'size', 'activation', 'report'];
const argv = process.argv.slice(2);
const picked = argv.filter((a) => ALL.includes(a));
const rest = argv.filter((a) => !ALL.includes(a));
const selected = picked.length ? ALL.filter((n) => picked.includes(n)) : ALL;
const WRITE = rest.includes('--write');

/** Arguments each script gets besides the pass-through ones (build choreography, see above). */
function scriptArgs(name) {
  switch (name) {
    case 'lsp':
      return ['bench/lsp.mjs', '--no-build'];
    case 'decorations':
      return ['bench/decorations.mjs'];
    case 'size':
      return ['bench/size.mjs', '--keep-production'];
    case 'activation':
      return ['bench/activation.mjs', '--keep-production'];
    case 'report':
      // The report engineer's defaults (256 MiB log, 3 runs; the 1 GiB run is opt-in there).
      return ['bench/report.mjs'];
    default:
      throw new Error(name);
  }
}

/** Runs one benchmark; its stderr (progress) streams through, its stdout (markdown) is kept. */
function runScript(name) {
  return new Promise((resolve) => {
    const own = name !== 'report' ? rest : rest.filter((a) => a !== '--write');
    const child = spawn(process.execPath, [...scriptArgs(name), ...own], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
    child.on('error', (e) => resolve({ code: -1, out: String(e) }));
  });
}

async function main() {
  const started = now();
  const m = machineInfo();
  process.stderr.write(`machine: ${m.nproc} CPUs (${m.cpu}), ${m.memGiB.toFixed(1)} GiB, Node ${m.node}; load average ${m.load}\n`);
  process.stderr.write(`benchmarks: ${selected.join(', ')}\n`);
  if (selected.includes('lsp')) {
    process.stderr.write('\n== build (development) for the language server benchmark\n');
    build({ need: ['dist/server.js'] });
  }
  const ran = [];
  let production = false;
  try {
    for (const name of selected) {
      process.stderr.write(`\n== ${name} (load average ${loadAverage()})\n`);
      const t = now();
      const { code, out } = await runScript(name);
      if (name === 'size' || name === 'activation') production = true;
      const result = name === 'report' ? undefined : loadResult(name);
      const fresh = result && code === 0 ? result : undefined;
      ran.push({ name, code, out, seconds: (now() - t) / 1000, result: fresh });
      if (code !== 0) process.stderr.write(`!! ${name} exited ${code}\n`);
    }
  } finally {
    if (production || selected.includes('report')) {
      process.stderr.write('\n== rebuild dist/ (development), as `npm run build` leaves it\n');
      try {
        build({ need: ['dist/client.js'] });
      } catch (e) {
        process.stderr.write(`warning: ${e.message}\n`);
      }
    }
  }
  if (WRITE) updateMachineSection();

  // Summary
  const lines = ['', '# Summary', ''];
  lines.push(`Machine: ${m.nproc} CPUs (${m.cpu}), Node ${m.node}; load average at the start ${m.load}, at the end ${loadAverage()}.`);
  lines.push('');
  lines.push('| benchmark | target | measured | limit | met |');
  lines.push('|---|---|---:|---:|:---:|');
  for (const r of ran) {
    if (r.name === 'report') continue;
    if (!r.result) {
      lines.push(`| ${r.name} | (failed, exit ${r.code}) | | | **no** |`);
      continue;
    }
    for (const c of r.result.checks) {
      lines.push(`| ${r.name} | ${c.what} | ${fmtValue(c.value, c.unit)} | ≤ ${fmtValue(c.target, c.unit)} | ${c.ok ? 'yes' : '**no**'} |`);
    }
  }
  lines.push('');
  lines.push(`Times: ${ran.map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(', ')}; total ${((now() - started) / 1000).toFixed(0)} s.`);
  const report = ran.find((r) => r.name === 'report');
  if (report) {
    lines.push('');
    lines.push(`## Report benchmark (bench/report.mjs${report.code !== 0 ? `, exit ${report.code}` : ''})`);
    lines.push('');
    lines.push(report.out.trim() || '(no output)');
  }
  if (WRITE) lines.push('', `BENCHMARKS.md updated: ${ran.filter((r) => r.result).map((r) => r.result.title).join(', ')}.`);
  else lines.push('', 'Add --write to update BENCHMARKS.md.');
  console.log(lines.join('\n'));
  // Missed targets are findings, not failures; a benchmark that crashed is.
  process.exitCode = ran.some((r) => r.code !== 0) ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

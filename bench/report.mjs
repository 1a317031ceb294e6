#!/usr/bin/env node
// Benchmark of `postfix-tls report`.
//
//   node bench/report.mjs [--mb 256] [--runs 5] [--rss-1g] [--no-build]
//
// Builds a log of the given size from the reference corpus (bench/.data/, git-ignored) and a
// production copy of the CLI (minified, as npm and the VSIX ship it: `scripts/build.mjs
// --production --outdir bench/.data/report-prod --only cli,report-worker`; with --no-build,
// dist/cli.js as it is), then times on the same file, round by round (interleaved, so a change
// in the machine's load hits every tool alike), median of N rounds:
//   1. the full report:  node <launcher> report FILE --format json (stdout to /dev/null),
//      single-threaded (the default) and with --jobs 2 (two workers)
//   2. grep -cE over the TLS patterns (LC_ALL=C, the fastest grep mode; stdout to a pipe, as
//      GNU grep stops at the first match when it writes to /dev/null)
//   3. postfix-logwatch (Debian logwatch's postfix filter), fed the file on stdin as logwatch
//      would (LOGWATCH_DETAIL_LEVEL and the postfix_* settings of its default config in the env)
// and the report's peak RSS (/usr/bin/time -v when present, else the child's maxRSS).
// The target (issue 5): the report in at most 3x the time of the grep count. Both the wall-time
// ratio (what a user waits) and the CPU-time ratio (user+sys of all threads) are printed.
// With --rss-1g it also builds a 1 GiB log and measures the report's time and peak RSS on it.
// Every process is started with an argument list, never through a shell.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusLog, REPO_ROOT } from './lib/corpus-log.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const MB = Number(opt('--mb', '256'));
const RUNS = Number(opt('--runs', '5'));
const NO_BUILD = args.includes('--no-build');
const WITH_1G = args.includes('--rss-1g');

const DIST_CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const PROD_DIR = path.join(REPO_ROOT, 'bench', '.data', 'report-prod');
/** The CLI launcher: bin/postfix-tls.js (dist/cli.js) with --no-build, else one like it for the production copy. */
let CLI = path.join(REPO_ROOT, 'bin', 'postfix-tls.js');
const LOGWATCH_POSTFIX = '/usr/share/logwatch/scripts/services/postfix';
const LOGWATCH_CONF = '/usr/share/logwatch/default.conf/services/postfix.conf';
const TIME = '/usr/bin/time';
/**
 * What a grep user would count as "the TLS lines": summary lines, handshake and library
 * failures, certificate failures, lost-after-STARTTLS, Received: TLS comments, tls= fields.
 */
export const GREP_TLS_PATTERN =
  'TLS connection (established|reused)|SSL_(accept|connect) error|TLS library problem|certificate verification failed|after STARTTLS|\\(using TLS|, tls=';

if (NO_BUILD) {
  if (!existsSync(DIST_CLI)) {
    console.error(`${DIST_CLI} not found: run \`npm run build\` first.`);
    process.exit(2);
  }
} else {
  const b = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), '--production', '--outdir', PROD_DIR, '--only', 'cli,report-worker'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (b.status !== 0) process.exit(2);
  CLI = path.join(PROD_DIR, 'postfix-tls.js');
  // What bin/postfix-tls.js does, for the copy next to it.
  writeFileSync(CLI, readFileSync(path.join(REPO_ROOT, 'bin', 'postfix-tls.js'), 'utf8').replace("'../dist/cli.js'", "'./cli.js'"));
}

/** Runs a command (argument list), stdout to a file or /dev/null; resolves wall ms, cpu ms, max RSS KB, stdout text (small). */
function run(cmd, argv, { env, stdinFile, captureStdout = false, measureRss = false } = {}) {
  return new Promise((resolve, reject) => {
    const useTime = measureRss && existsSync(TIME);
    const [c, a] = useTime ? [TIME, ['-v', cmd, ...argv]] : [cmd, argv];
    const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
    const t0 = process.hrtime.bigint();
    const child = spawn(c, a, { env: { ...process.env, ...env }, stdio: [stdin, captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    if (typeof stdin === 'number') closeSync(stdin);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 && !(cmd === 'grep' && code === 1)) return reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`));
      let rssKb;
      let cpuMs;
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
        rssKb = m ? Number(m[1]) : undefined;
        const u = /User time \(seconds\): ([\d.]+)/.exec(err);
        const s = /System time \(seconds\): ([\d.]+)/.exec(err);
        if (u && s) cpuMs = (Number(u[1]) + Number(s[1])) * 1000;
      }
      resolve({ wallMs, cpuMs, rssKb, out });
    });
  });
}

/** The `$postfix_*` settings of logwatch's default config, as logwatch hands them to the filter (env). */
function logwatchEnv() {
  const env = { LOGWATCH_DETAIL_LEVEL: '10' };
  if (!existsSync(LOGWATCH_CONF)) return env;
  for (const line of readFileSync(LOGWATCH_CONF, 'utf8').split('\n')) {
    const m = /^\s*\$(postfix_[^=\s]+)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if (/^(yes|true|on)$/i.test(v)) v = '1';
    else if (/^(no|false|off)$/i.test(v)) v = '0';
    env[m[1].toLowerCase()] = v;
  }
  return env;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the tools round by round (one run of each per round) and summarises each. */
async function measureInterleaved(tools) {
  const runs = tools.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (let t = 0; t < tools.length; t++) runs[t].push(await tools[t].fn());
    console.error(`  round ${i + 1}/${RUNS}: ${tools.map((t, k) => `${t.label} ${fmt(runs[k][i].wallMs)}`).join(', ')}`);
  }
  return tools.map((t, k) => summarise(t.label, runs[k]));
}

async function measure(label, fn) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await fn());
  return summarise(label, runs);
}

function summarise(label, runs) {
  const wall = median(runs.map((r) => r.wallMs));
  const cpus = runs.map((r) => r.cpuMs).filter((x) => x !== undefined);
  const rss = runs.map((r) => r.rssKb).filter((x) => x !== undefined);
  const res = { label, wallMs: wall, runs: runs.map((r) => r.wallMs), cpuMs: cpus.length ? median(cpus) : undefined, rssKb: rss.length ? Math.max(...rss) : undefined, out: runs[0].out };
  console.error(`  ${label}: median ${fmt(wall)} (runs ${res.runs.map(fmt).join(', ')})${res.cpuMs ? `, cpu ${fmt(res.cpuMs)}` : ''}${res.rssKb ? `, max RSS ${(res.rssKb / 1024).toFixed(0)} MB` : ''}`);
  return res;
}

function machine() {
  const cpus = os.cpus();
  return { nproc: os.availableParallelism?.() ?? cpus.length, cpu: cpus[0]?.model ?? 'unknown', node: process.version, os: `${os.type()} ${os.release()}`, memGb: (os.totalmem() / 2 ** 30).toFixed(0), load: os.loadavg().map((x) => x.toFixed(2)).join(' ') };
}

async function main() {
  const bytes = MB * 1024 * 1024;
  console.error(`building a ${MB} MiB log from the corpus…`);
  const file = await corpusLog(bytes);
  // Warm the page cache so every tool reads from memory.
  await run('cat', [file]);
  const m = machine();
  console.error(`machine: ${m.nproc} CPUs, ${m.cpu}, node ${m.node}, load ${m.load}`);

  // NODE_EXTRA_CA_CERTS makes every Node process parse a CA bundle at start-up (~50 ms here),
  // before any of our code runs: a setting of some machines (this one has it), not of the
  // product. The report rows run without it, as on a typical machine; where it is set, one row
  // shows the report with it as well.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const plainEnv = { NODE_EXTRA_CA_CERTS: undefined };
  const tools = [
    { label: 'report (json)', fn: () => run(process.execPath, [CLI, 'report', file, '--format', 'json'], { env: plainEnv, measureRss: true }) },
    { label: 'report --jobs 2', fn: () => run(process.execPath, [CLI, 'report', file, '--format', 'json', '--jobs', '2'], { env: plainEnv, measureRss: true }) },
    { label: 'grep -cE', fn: () => run('grep', ['-cE', GREP_TLS_PATTERN, file], { env: { LC_ALL: 'C' }, captureStdout: true, measureRss: true }) },
  ];
  if (existsSync(LOGWATCH_POSTFIX)) {
    tools.push({ label: 'postfix-logwatch', fn: () => run('perl', [LOGWATCH_POSTFIX], { env: logwatchEnv(), stdinFile: file, measureRss: true }) });
  } else console.error(`  postfix-logwatch: ${LOGWATCH_POSTFIX} not installed (apt-get install logwatch), skipped`);
  if (extraCa) tools.push({ label: 'report (json), NODE_EXTRA_CA_CERTS set', fn: () => run(process.execPath, [CLI, 'report', file, '--format', 'json'], { measureRss: true }) });
  const [report, report2, grep, ...rest] = await measureInterleaved(tools);
  const logwatch = rest.find((r) => r.label === 'postfix-logwatch');
  const withCa = rest.find((r) => r.label.includes('NODE_EXTRA_CA_CERTS'));

  let big;
  if (WITH_1G) {
    console.error('building a 1 GiB log from the corpus…');
    const f1 = await corpusLog(1024 * 1024 * 1024);
    await run('cat', [f1]);
    big = await measure('report 1 GiB (json)', () => run(process.execPath, [CLI, 'report', f1, '--format', 'json'], { measureRss: true }));
  }

  const lines = [];
  lines.push(`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memGb} GB RAM, ${m.os}, Node ${m.node}; load average at start ${m.load}.`);
  lines.push(`Input: ${MB} MiB log built from the reference corpus (${file.replace(REPO_ROOT + path.sep, '')}), page cache warm; median of ${RUNS} interleaved rounds.`);
  lines.push('');
  lines.push('| what | median wall | runs | CPU (user+sys) | peak RSS | wall vs grep | CPU vs grep |');
  lines.push('|---|---:|---|---:|---:|---:|---:|');
  // `scale`: how much more data than the grep run (the 1 GiB row is compared per byte).
  const row = (r, scale = 1) =>
    lines.push(
      `| ${r.label} | ${fmt(r.wallMs)} | ${r.runs.map(fmt).join(', ')} | ${r.cpuMs ? fmt(r.cpuMs) : '–'} | ${r.rssKb ? `${(r.rssKb / 1024).toFixed(0)} MB` : '–'} | ${(r.wallMs / scale / grep.wallMs).toFixed(2)}×${scale !== 1 ? ' (per byte)' : ''} | ${r.cpuMs && grep.cpuMs ? `${(r.cpuMs / scale / grep.cpuMs).toFixed(2)}×` : '–'} |`,
    );
  row(report);
  row(report2);
  row(grep);
  if (logwatch) row(logwatch);
  if (withCa) row(withCa);
  if (big) row(big, 1024 / MB);
  lines.push('');
  const wallRatio = report.wallMs / grep.wallMs;
  const cpuRatio = report.cpuMs && grep.cpuMs ? report.cpuMs / grep.cpuMs : undefined;
  lines.push(`Target (report ≤ 3× the time of the grep count): wall ${wallRatio.toFixed(2)}× → ${wallRatio <= 3 ? 'met' : 'missed'}${cpuRatio ? `; CPU ${cpuRatio.toFixed(2)}×` : ''}. Load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}.`);
  lines.push(`Report: ${CLI === path.join(REPO_ROOT, 'bin', 'postfix-tls.js') ? 'dist/cli.js as built (--no-build)' : 'production build (minified), bench/.data/report-prod'}.`);
  lines.push(`grep count: ${grep.out.trim()} lines (pattern \`${GREP_TLS_PATTERN}\`).`);
  try {
    const r = JSON.parse((await run(process.execPath, [CLI, 'report', file, '--format', 'json'], { captureStdout: true })).out);
    lines.push(`report: ${r.linesRead} lines read, ${r.recordsSeen} TLS records, ${r.total.connections} TLS connections, ${r.failures.total} failures.`);
  } catch {
    // the timing table is the point
  }
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Shared helpers of the user-experience benchmarks (bench/lsp.mjs, decorations.mjs,
// activation.mjs, size.mjs, run.mjs): statistics, the machine description, builds, and the
// update of one's own sections of BENCHMARKS.md. Processes are started with argument lists.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const DATA_DIR = path.join(REPO_ROOT, 'bench', '.data');
export const RESULTS_DIR = path.join(DATA_DIR, 'results');
export const BENCHMARKS_MD = path.join(REPO_ROOT, 'BENCHMARKS.md');

// ------------------------------------------------------------------------------ statistics

/** Percentile by nearest rank (p in 0..100) of an unsorted sample. */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
}

export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** n, median, p95, min, max of a sample (milliseconds or anything else). */
export function summarize(xs) {
  return { n: xs.length, median: median(xs), p95: percentile(xs, 95), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Milliseconds with a precision that suits the size. */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** High-resolution clock in milliseconds. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * A check against a target: `value <= target` passes. `unit` is used for display
 * ('ms', 'x', 'KB', ...).
 */
export function check(what, value, target, unit) {
  return { what, value, target, unit, ok: Number.isFinite(value) && value <= target };
}

export function fmtValue(v, unit) {
  if (!Number.isFinite(v)) return '–';
  if (unit === 'ms') return fmtMs(v);
  if (unit === 'x') return `${v.toFixed(2)}×`;
  if (unit === 'KB') return `${v.toFixed(0)} KB`;
  if (unit === 'MB') return `${v.toFixed(1)} MB`;
  return `${v} ${unit}`;
}

/** Markdown rows for checks: | what | measured | target | met |. */
export function checksTable(checks) {
  const rows = ['| target | measured | limit | met |', '|---|---:|---:|:---:|'];
  for (const c of checks) rows.push(`| ${c.what} | ${fmtValue(c.value, c.unit)} | ≤ ${fmtValue(c.target, c.unit)} | ${c.ok ? 'yes' : '**no**'} |`);
  return rows.join('\n');
}

// ------------------------------------------------------------------------------ machine

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function memTotal() {
  try {
    const m = /^MemTotal:\s*(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return os.totalmem();
}

function nproc() {
  const r = spawnSync('nproc', [], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : os.availableParallelism?.() ?? os.cpus().length;
}

/** The 1/5/15-minute load averages as text. */
export const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');

export function machineInfo() {
  return {
    nproc: nproc(),
    cpu: cpuModel(),
    memGiB: memTotal() / 2 ** 30,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    load: loadAverage(),
  };
}

export function machineMarkdown(m = machineInfo()) {
  return [
    `- CPUs (nproc): ${m.nproc} — ${m.cpu}`,
    `- Memory: ${m.memGiB.toFixed(1)} GiB`,
    `- Node: ${m.node} (${m.os})`,
    `- Date: ${m.date}`,
    `- Load average (1/5/15 min) when measured: ${m.load}`,
    '',
    'The machine is shared with other work (tests of other engineers run at the same time), so the',
    'figures are medians of many repetitions; compare numbers measured side by side in one run.',
  ].join('\n');
}

/** One line saying when and under what load a section was measured. */
export function measuredLine() {
  const m = machineInfo();
  return `Measured ${m.date} on ${m.nproc} CPUs (${m.cpu}), Node ${m.node}; load average ${m.load} (1/5/15 min).`;
}

// ------------------------------------------------------------------------------ builds

/** Runs `node <args>` in the repository (argument list, no shell); throws with its output on failure. */
export function runNode(args, { allowFail = false } = {}) {
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && !allowFail) throw new Error(`node ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * Builds dist/ (development or production). One esbuild run writes all bundles: a broken entry
 * of someone else fails the run although the bundle we need was written, so the caller names
 * the bundles it needs and only their absence is an error.
 */
export function build({ production = false, need = [] } = {}) {
  const started = Date.now();
  const r = runNode(['scripts/build.mjs', ...(production ? ['--production'] : [])], { allowFail: true });
  if (r.status === 0) return;
  const stale = need.filter((f) => {
    try {
      return !existsSync(path.join(REPO_ROOT, f)) || statSync(path.join(REPO_ROOT, f)).mtimeMs < started - 1000;
    } catch {
      return true;
    }
  });
  if (stale.length) throw new Error(`build failed and ${stale.join(', ')} not written:\n${r.stdout}\n${r.stderr}`);
  process.stderr.write(`warning: the build reported errors outside the bundles measured here:\n${r.stderr.slice(0, 2000)}\n`);
}

/** Whether a bundle is a production build (minified: no source map reference, long lines). */
export function isProductionBundle(file) {
  return isProductionText(readFileSync(file, 'utf8'));
}

export function isProductionText(text) {
  const lines = text.split('\n');
  return !/sourceMappingURL=/.test(text) && lines.length < text.length / 400;
}

// ------------------------------------------------------------------------------ processes

/** VmRSS of a process in bytes (Linux /proc), undefined when unknown. */
export function rssOf(pid) {
  try {
    const m = /^VmRSS:\s*(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------ results

/** Writes a bench's result (for bench/run.mjs's summary) to bench/.data/results/<name>.json. */
export function saveResult(name, result) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeAtomic(path.join(RESULTS_DIR, `${name}.json`), JSON.stringify(result, null, 2));
}

export function loadResult(name) {
  try {
    return JSON.parse(readFileSync(path.join(RESULTS_DIR, `${name}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

// ------------------------------------------------------------------------------ BENCHMARKS.md

const PREAMBLE = [
  '# Benchmarks',
  '',
  'Numbers measured on the machine below with `npm run bench` (all benchmarks) or',
  '`npm run bench -- NAME` (one of lsp, decorations, activation, size, report); add `--write` to',
  'update the sections of this file that the run measured.',
  '',
].join('\n');

/** Splits markdown into a preamble and `## ` sections (title, full text including the heading). */
function splitSections(md) {
  const parts = md.split(/^(?=## )/m);
  const head = parts[0].startsWith('## ') ? '' : parts.shift();
  return { head, sections: parts.map((text) => ({ title: /^## (.*)$/m.exec(text)[1].trim(), text })) };
}

/**
 * Replaces the `## title` section of BENCHMARKS.md (or appends it, or inserts it before
 * `before` when that section exists). Other sections are left byte for byte. Written via a
 * temp file + rename.
 */
export function updateSection(title, body, { before, onlyIfAbsent = false } = {}) {
  const md = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : PREAMBLE;
  const { head, sections } = splitSections(md);
  const text = `## ${title}\n\n${body.trim()}\n\n`;
  const at = sections.findIndex((s) => s.title === title);
  if (at >= 0) {
    if (onlyIfAbsent) return;
    sections[at].text = text;
  } else {
    const b = before ? sections.findIndex((s) => s.title === before) : -1;
    if (b >= 0) sections.splice(b, 0, { title, text });
    else {
      const last = sections[sections.length - 1];
      if (last && !last.text.endsWith('\n\n')) last.text = last.text.replace(/\n*$/, '\n\n');
      sections.push({ title, text });
    }
  }
  let out = (head || '') + sections.map((s) => s.text).join('');
  out = out.replace(/\n+$/, '\n');
  writeAtomic(BENCHMARKS_MD, out);
}

/** The Machine section: created when absent, refreshed when it is ours (it carries our marker). */
export const MACHINE_MARKER = '<!-- machine: written by bench/run.mjs -->';
export function updateMachineSection() {
  const md = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '';
  const { sections } = splitSections(md || PREAMBLE);
  const existing = sections.find((s) => s.title === 'Machine');
  if (existing && !existing.text.includes(MACHINE_MARKER)) return;
  const first = sections[0]?.title;
  updateSection('Machine', `${MACHINE_MARKER}\n${machineMarkdown()}`, { before: existing ? undefined : first });
}

// ------------------------------------------------------------------------------ CPU profiles

/**
 * Reads a V8 CPU profile (.cpuprofile from `node --cpu-prof`) and returns the functions with the
 * most self time and the most total (inclusive) time, in ms. `filter` keeps only call stacks
 * with a frame whose function name or URL matches it (e.g. /lintParsed/), to look at one phase.
 */
export function summarizeProfile(file, { top = 25, filter } = {}) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  // timeDeltas[i] is the time before sample i; attribute it to sample i.
  prof.samples.forEach((id, i) => dt.set(i, (prof.timeDeltas[i] ?? 0) / 1000));
  const label = (n) => {
    const cf = n.callFrame;
    const url = cf.url ? cf.url.replace(/^.*\//, '') : '';
    return `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber + 1}`;
  };
  const self = new Map();
  const total = new Map();
  let sum = 0;
  prof.samples.forEach((id, i) => {
    const ms = dt.get(i);
    const stack = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(nodes.get(cur));
    if (filter && !stack.some((n) => filter.test(n.callFrame.functionName) || filter.test(n.callFrame.url))) return;
    sum += ms;
    const leaf = label(stack[0]);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const seen = new Set();
    for (const n of stack) {
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + ms);
    }
  });
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs: sum, self: sorted(self), inclusive: sorted(total) };
}

export function printProfile(file, opts) {
  const s = summarizeProfile(file, opts);
  const lines = [`${file}: ${s.totalMs.toFixed(0)} ms sampled${opts?.filter ? ` (stacks matching ${opts.filter})` : ''}`, '', 'self time:'];
  for (const [l, ms] of s.self) lines.push(`  ${ms.toFixed(1).padStart(9)} ms  ${(100 * ms / s.totalMs).toFixed(1).padStart(5)}%  ${l}`);
  lines.push('', 'inclusive time:');
  for (const [l, ms] of s.inclusive) lines.push(`  ${ms.toFixed(1).padStart(9)} ms  ${(100 * ms / s.totalMs).toFixed(1).padStart(5)}%  ${l}`);
  return lines.join('\n');
}

/**
 * The "Activation and package size" section holds two parts measured by two scripts
 * (bench/activation.mjs, bench/size.mjs): it is composed from their last saved results.
 */
export function writeActivationSizeSection() {
  const a = loadResult('activation');
  const s = loadResult('size');
  const part = (r, title, name) => `### ${title}\n\n${r?.markdown ?? `Not measured yet: run \`npm run bench -- ${name} --write\`.`}`;
  updateSection('Activation and package size', `${part(a, 'Activation', 'activation')}\n\n${part(s, 'Package size', 'size')}`);
}

/**
 * Self time of a CPU profile by source module of an esbuild bundle that is not minified: the
 * bundle's `// path/to/module.ts` comments map its lines to modules (per-line ticks of the
 * profile). Time in Node or V8 functions called from the bundle is charged to the calling
 * module. `filter` keeps only stacks with a frame whose function name matches (a phase).
 */
export function profileByModule(profileFile, bundleFile, { filter } = {}) {
  const lines = readFileSync(bundleFile, 'utf8').split('\n');
  const moduleOfLine = [];
  let current = '(bundle runtime)';
  lines.forEach((l, i) => {
    const m = /^\/\/ ((?:[\w@.+-]+\/)*[\w@.+-]+\.(?:ts|js|mjs|cjs|json))$/.exec(l);
    if (m) current = m[1].replace(/^node_modules\//, 'node_modules/');
    moduleOfLine[i + 1] = current;
  });
  const base = path.basename(bundleFile);
  const prof = JSON.parse(readFileSync(profileFile, 'utf8'));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const interval = (prof.endTime - prof.startTime) / prof.samples.length / 1000;
  // Nodes whose stacks pass the filter.
  const keep = new Set();
  for (const n of prof.nodes) {
    if (!filter) {
      keep.add(n.id);
      continue;
    }
    for (let cur = n; cur; cur = parent.get(cur.id)) {
      if (filter.test(cur.callFrame.functionName)) {
        keep.add(n.id);
        break;
      }
    }
  }
  const out = new Map();
  let total = 0;
  const add = (k, ms) => {
    out.set(k, (out.get(k) ?? 0) + ms);
    total += ms;
  };
  for (const n of prof.nodes) {
    if (!keep.has(n.id)) continue;
    let owner = n;
    while (owner && !owner.callFrame.url.endsWith(base)) owner = parent.get(owner.id);
    if (!owner) continue;
    if (owner === n && n.positionTicks) for (const t of n.positionTicks) add(moduleOfLine[t.line] ?? '?', t.ticks * interval);
    else if (owner === n) add(moduleOfLine[n.callFrame.lineNumber + 1] ?? '?', n.hitCount * interval);
    else add(moduleOfLine[owner.callFrame.lineNumber + 1] ?? '?', n.hitCount * interval);
  }
  return { totalMs: total, modules: [...out.entries()].sort((a, b) => b[1] - a[1]) };
}

/**
 * A production build of dist/, copied to bench/.data/prod/ so the measurement does not race
 * with other engineers' builds of the shared dist/ (a development build of theirs could land
 * between our build and our measurement). Every top-level dist/*.js is copied (the client
 * requires its sibling bundles lazily, by relative path). Retries when a copy turns out not to
 * be minified. Returns the folder.
 */
export function productionSnapshot(need = ['client.js']) {
  const dir = path.join(DATA_DIR, 'prod');
  for (let attempt = 1; ; attempt++) {
    build({ production: true, need: need.map((f) => `dist/${f}`) });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const dist = path.join(REPO_ROOT, 'dist');
    for (const f of readdirSync(dist).filter((f) => f.endsWith('.js'))) copyFileSync(path.join(dist, f), path.join(dir, f));
    const bad = readdirSync(dir).filter((f) => f.endsWith('.js') && !isProductionBundle(path.join(dir, f)));
    if (bad.length === 0) return dir;
    if (attempt >= 3) throw new Error(`dist/ kept being rebuilt in development mode while copying (${bad.join(', ')})`);
    process.stderr.write(`note: ${bad.join(', ')} not minified after the production build (someone rebuilt dist/); again\n`);
  }
}

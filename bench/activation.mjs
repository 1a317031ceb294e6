#!/usr/bin/env node
// Benchmark of extension activation: the time VS Code's extension host spends loading
// dist/client.js (production build) and running its activate(). Each run is a fresh Node process
// (the cost is a cold one) in which a fake `vscode` module, a Proxy stub exposing what
// activate() touches, is injected through Module._resolveFilename and require.cache.
//
//   node bench/activation.mjs [--runs 21] [--no-build] [--keep-production] [--write]
// (--no-build measures dist/client.js as it is.)
//   node bench/activation.mjs --profile [--runs 10] [--limit 30]   (where the time goes, by module)
//
// Reported: medians of require(dist/client.js), of activate(), and of both; the errors
// activate() logged (none expected); side by side the require of the
// vscode-languageclient library alone (bundled and minified the same way into bench/.data/),
// the largest part of a client bundle that loads it eagerly, and the require time of each
// bundle the client loads lazily from dist/ (e.g. dist/lc.js on the first server start); and
// what require + activate() touched that activation should leave alone (Intl, enumeration of the
// vscode module, built-ins the host has not loaded, the lazy bundles): none expected.
// test/unit/client/activation.test.ts runs `--child FILE` to assert the latter.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DATA_DIR,
  REPO_ROOT,
  build,
  check,
  productionSnapshot,
  checksTable,
  fmtBytes,
  fmtMs,
  isProductionBundle,
  measuredLine,
  median,
  now,
  percentile,
  saveResult,
  updateMachineSection,
  writeActivationSizeSection,
} from './lib/ux-stats.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const RUNS = Number(opt('--runs', '21'));
const WRITE = args.includes('--write');
const LC_ONLY = path.join(DATA_DIR, 'languageclient-only.min.js');

// ---------------------------------------------------------------------------- fake vscode

/**
 * A stub for any part of the vscode API: callable, constructible (also as a base class),
 * and every property is again a stub. `then` is absent (a stub is not a promise) and symbols
 * are absent (no iteration), so awaiting or spreading one does not hang or throw.
 */
function makeStub(name, overrides = {}) {
  const cache = new Map(Object.entries(overrides));
  const target = function () {};
  let proto;
  const handler = {
    get(_t, prop) {
      if (prop === 'then' || typeof prop === 'symbol') {
        if (prop === Symbol.toPrimitive) return () => `[vscode ${name}]`;
        return undefined;
      }
      if (prop === 'prototype') {
        // Instances of subclasses inherit stub methods for anything not defined by the subclass.
        proto ??= new Proxy({}, { get: (o, p) => (p in o || typeof p === 'symbol' || p === 'then' ? o[p] : makeStub(`${name}#${String(p)}`)) });
        return proto;
      }
      if (prop === 'toString' || prop === 'toJSON') return () => `[vscode ${name}]`;
      if (!cache.has(prop)) cache.set(prop, makeStub(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    has: () => true,
    apply: () => makeStub(`${name}()`),
    construct: (_t, _args, newTarget) => Reflect.construct(function () {}, [], newTarget === proxy ? target : newTarget),
  };
  const proxy = new Proxy(target, handler);
  return proxy;
}

const disposable = () => ({ dispose() {} });
const event = () => () => disposable();

/**
 * The names the real module exports (from @types/vscode), as own properties: bundlers copy a
 * CommonJS module's own property names when it is imported with `import * as`.
 */
function apiNames() {
  const dts = readFileSync(path.join(REPO_ROOT, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...new Set([...dts.matchAll(/^\texport (?:declare )?(?:class|enum|namespace|const|function|let|var) ([A-Za-z_]+)/gm)].map((m) => m[1]))];
}

function moduleObject(overrides) {
  const mod = {};
  for (const name of apiNames()) mod[name] = makeStub(name);
  return Object.assign(mod, overrides);
}

/** What activate() reads for real values (settings, open editors, trust); the rest are stubs. */
function fakeVscode(errors) {
  class EventEmitter {
    constructor() {
      this.listeners = [];
      this.event = (l) => {
        this.listeners.push(l);
        return disposable();
      };
    }
    fire(e) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  class Disposable {
    constructor(fn) {
      this.fn = fn;
    }
    dispose() {
      this.fn?.();
    }
    static from(...ds) {
      return new Disposable(() => ds.forEach((d) => d?.dispose?.()));
    }
  }
  const configuration = {
    get: (_k, d) => d,
    has: () => false,
    inspect: () => undefined,
    update: async () => {},
  };
  const outputChannel = (chName) => {
    const ch = makeStub(`OutputChannel(${chName})`, {
      error: (...a) => errors.push(a.map(String).join(' ')),
      info: () => {},
      warn: () => {},
      debug: () => {},
      trace: () => {},
      appendLine: () => {},
      append: () => {},
      show: () => {},
      dispose: () => {},
      onDidChangeLogLevel: event(),
      logLevel: 3,
      name: chName,
    });
    return ch;
  };
  const statusBarItem = () => makeStub('StatusBarItem', { show: () => {}, hide: () => {}, dispose: () => {}, text: '', tooltip: '' });
  const uri = (s) => ({ scheme: 'file', fsPath: s, path: s, toString: () => `file://${s}`, with: () => uri(s) });
  return moduleObject({
    EventEmitter,
    Disposable,
    Uri: makeStub('Uri', { file: uri, parse: (s) => uri(s), joinPath: (u, ...p) => uri(path.join(u.fsPath, ...p)) }),
    workspace: makeStub('workspace', {
      getConfiguration: () => configuration,
      textDocuments: [],
      workspaceFolders: undefined,
      isTrusted: true,
      onDidChangeConfiguration: event(),
      onDidOpenTextDocument: event(),
      onDidCloseTextDocument: event(),
      onDidChangeTextDocument: event(),
      onDidSaveTextDocument: event(),
      onDidGrantWorkspaceTrust: event(),
      onDidChangeWorkspaceFolders: event(),
      registerTextDocumentContentProvider: disposable,
      createFileSystemWatcher: () => makeStub('FileSystemWatcher', { dispose: () => {}, onDidChange: event(), onDidCreate: event(), onDidDelete: event() }),
    }),
    window: makeStub('window', {
      createOutputChannel: outputChannel,
      createStatusBarItem: statusBarItem,
      createTextEditorDecorationType: () => makeStub('TextEditorDecorationType', { dispose: () => {}, key: 'deco' }),
      visibleTextEditors: [],
      activeTextEditor: undefined,
      onDidChangeActiveTextEditor: event(),
      onDidChangeVisibleTextEditors: event(),
      onDidChangeTextEditorVisibleRanges: event(),
      onDidChangeTextEditorSelection: event(),
      onDidChangeActiveColorTheme: event(),
    }),
    commands: makeStub('commands', { registerCommand: disposable, registerTextEditorCommand: disposable, executeCommand: async () => undefined }),
    languages: makeStub('languages', {
      registerHoverProvider: disposable,
      registerCodeActionsProvider: disposable,
      registerCompletionItemProvider: disposable,
      registerDocumentLinkProvider: disposable,
      createDiagnosticCollection: () => makeStub('DiagnosticCollection', { dispose: () => {}, set: () => {}, delete: () => {}, clear: () => {} }),
      setTextDocumentLanguage: async (d) => d,
    }),
    env: makeStub('env', { language: 'en', appName: 'bench', uiKind: 1, remoteName: undefined }),
    extensions: makeStub('extensions', { getExtension: () => undefined, all: [] }),
    version: '1.90.0',
  });
}

function fakeContext() {
  const memento = () => ({ get: (_k, d) => d, update: async () => {}, keys: () => [], setKeysForSync: () => {} });
  return {
    subscriptions: [],
    extensionPath: REPO_ROOT,
    extensionUri: { scheme: 'file', fsPath: REPO_ROOT, path: REPO_ROOT, toString: () => `file://${REPO_ROOT}` },
    asAbsolutePath: (p) => path.join(REPO_ROOT, p),
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event() },
    storageUri: undefined,
    globalStorageUri: { scheme: 'file', fsPath: path.join(DATA_DIR, 'global-storage'), toString: () => 'file:///bench' },
    logUri: { scheme: 'file', fsPath: path.join(DATA_DIR, 'logs'), toString: () => 'file:///bench-logs' },
    extensionMode: 1,
    environmentVariableCollection: makeStub('EnvironmentVariableCollection'),
    extension: { id: 'postfix-tls.postfix-tls', packageJSON: {} },
  };
}

/** Time this process's main thread waited for a CPU, in ms (Linux schedstat; 0 elsewhere). */
function mainThreadWaitMs() {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
}

/** CPU time of this process's main thread in ms (Linux schedstat; wall-clock waits excluded). */
function mainThreadCpuMs() {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  }
}

/**
 * Node built-ins that VS Code's extension host has loaded before any extension activates (it
 * uses them itself); loading them here first keeps their one-time cost out of our figure, as
 * in the real host. Built-ins the host does not load (zlib, worker_threads, ...) stay in it.
 */
const HOST_BUILTINS = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'stream', 'url', 'util', 'events', 'buffer', 'perf_hooks'];

/**
 * Watches what the code under test touches that activation should not: Intl and the
 * locale-aware methods (the first use initialises ICU, ~25 ms of CPU), enumeration of the
 * vscode module's properties (esbuild's `__toESM` copies all of them for each
 * `import * as vscode`), and built-in modules the extension host has not loaded itself.
 * `stop()` restores the patched globals and returns what was seen.
 */
function watchActivation(vscodeModule) {
  const intl = new Set();
  let enumerations = 0;
  const moduleProxy = new Proxy(vscodeModule, {
    ownKeys(t) {
      enumerations++;
      return Reflect.ownKeys(t);
    },
  });
  const restore = [];
  const patch = (obj, key, label, wrap) => {
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    restore.push(() => Object.defineProperty(obj, key, desc));
    Object.defineProperty(obj, key, wrap(desc, () => intl.add(label)));
  };
  patch(globalThis, 'Intl', 'Intl', (d, seen) => ({ configurable: true, enumerable: false, get: () => (seen(), d.value), set: (v) => Object.defineProperty(globalThis, 'Intl', { value: v, writable: true, configurable: true }) }));
  const localeMethods = [
    [Number.prototype, 'Number', ['toLocaleString']],
    [String.prototype, 'String', ['localeCompare', 'toLocaleLowerCase', 'toLocaleUpperCase']],
    [Date.prototype, 'Date', ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']],
    [Array.prototype, 'Array', ['toLocaleString']],
  ];
  for (const [proto, name, methods] of localeMethods) {
    for (const m of methods) {
      patch(proto, m, `${name}#${m}`, (d, seen) => ({ ...d, value: function (...a) { seen(); return d.value.apply(this, a); } }));
    }
  }
  const builtinsBefore = new Set(process.moduleLoadList);
  return {
    moduleProxy,
    stop() {
      for (const r of restore.reverse()) r();
      const builtins = process.moduleLoadList.filter((m) => !builtinsBefore.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
      return { intl: [...intl], vscodeEnumerations: enumerations, builtins };
    },
  };
}

/** --child FILE: one cold measurement in this (fresh) process; prints JSON. */
function child() {
  const errors = [];
  const origResolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === 'vscode') return 'vscode';
    return origResolve.call(this, request, ...rest);
  };
  const req = createRequire(import.meta.url);
  for (const b of HOST_BUILTINS) req(`node:${b}`);
  performance.now();
  const watch = watchActivation(fakeVscode(errors));
  req.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: watch.moduleProxy };
  const target = path.resolve(opt('--child'));
  const w0 = mainThreadWaitMs();
  const c0 = mainThreadCpuMs();
  const t0 = now();
  const ext = req(target);
  const t1 = now();
  const requireCpuMs = mainThreadCpuMs() - c0;
  let activateMs;
  let activateCpuMs;
  let apiOk = false;
  if (typeof ext.activate === 'function') {
    const c1 = mainThreadCpuMs();
    const t2 = now();
    const api = ext.activate(fakeContext());
    activateMs = now() - t2;
    activateCpuMs = mainThreadCpuMs() - c1;
    apiOk = !!api;
  }
  const waitMs = mainThreadWaitMs() - w0;
  const touched = watch.stop();
  // Bundles next to the target that require + activate loaded (lazy ones should not be).
  const siblings = Object.keys(req.cache).filter((f) => f !== target && path.dirname(f) === path.dirname(target)).map((f) => path.basename(f));
  console.log(JSON.stringify({ requireMs: t1 - t0, requireCpuMs, activateMs, activateCpuMs, waitMs, apiOk, errors, ...touched, siblings }));
}

const list = (xs) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : 'none');

function runChild(file, nodeArgs = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, fileURLToPath(import.meta.url), '--child', file], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 4 << 20 });
  if (r.status !== 0) throw new Error(`activation child failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * --profile: where the time of require + activate goes, by source module. The client is bundled
 * like production but not minified (bench/.data/client.unminified.js), so esbuild's `// path`
 * comments map every line to its module; N cold runs are profiled (V8 CPU profiles with
 * per-line ticks) and the main thread's self time is summed per module.
 */
async function profile(runs = Number(opt('--runs', '10'))) {
  const out = path.join(DATA_DIR, 'client.unminified.js');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'client', 'extension.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    logLevel: 'warning',
    external: ['vscode'],
    // Bundles the client requires lazily from its own folder (./lc.js, ...) stay outside, as
    // scripts/build.mjs leaves them.
    plugins: [{ name: 'sibling-bundles', setup: (b) => b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (a) => ({ path: a.path, external: true })) }],
    outfile: out,
  });
  const lines = readFileSync(out, 'utf8').split('\n');
  const moduleOfLine = [];
  let current = '(bundle runtime)';
  lines.forEach((l, i) => {
    const m = /^\/\/ ((?:[\w@.-]+\/)*[\w@.-]+\.(?:ts|js|mjs|cjs|json))$/.exec(l);
    if (m) current = m[1];
    moduleOfLine[i + 1] = current;
  });
  const dir = path.join(DATA_DIR, 'profiles', 'activation');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < runs; i++) runChild(out, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100']);
  const byModule = new Map();
  const byLine = new Map();
  let total = 0;
  for (const f of readdirSync(dir)) {
    const prof = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n);
    const interval = (prof.endTime - prof.startTime) / prof.samples.length / 1000;
    for (const n of prof.nodes) {
      // Self ticks in the client bundle, or in Node/V8 work called directly from it (require of
      // built-ins, property definition...), are charged to the bundle's calling line.
      let owner = n;
      while (owner && !owner.callFrame.url.endsWith('client.unminified.js')) owner = parent.get(owner.id);
      if (!owner) continue;
      const add = (line, ticks) => {
        const ms = ticks * interval;
        const mod = moduleOfLine[line] ?? '?';
        byModule.set(mod, (byModule.get(mod) ?? 0) + ms);
        byLine.set(line, (byLine.get(line) ?? 0) + ms);
        total += ms;
      };
      if (owner === n && n.positionTicks) for (const t of n.positionTicks) add(t.line, t.ticks);
      else add(owner.callFrame.lineNumber + 1, n.hitCount);
    }
  }
  const per = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, ms]) => [k, ms / runs]);
  return {
    runs,
    totalMs: total / runs,
    modules: per(byModule),
    lines: per(byLine).map(([line, ms]) => ({ line, ms, module: moduleOfLine[line], text: lines[line - 1].trim().slice(0, 90) })),
  };
}

function printProfile(p) {
  console.log(`require + activate of the client (unminified production bundle), ${p.runs} cold runs; self time per run (sampled): ${p.totalMs.toFixed(1)} ms`);
  console.log('by module:');
  for (const [m, ms] of p.modules.slice(0, Number(opt('--limit', '20')))) console.log(`  ${ms.toFixed(2).padStart(8)} ms  ${m}`);
  console.log('by line:');
  for (const l of p.lines.slice(0, Number(opt('--limit', '20')))) console.log(`  ${l.ms.toFixed(2).padStart(8)} ms  ${l.module}: ${l.text}`);
}

async function main() {
  if (args.includes('--child')) return child();
  if (args.includes('--profile')) return printProfile(await profile());
  const tStart = now();
  let built = false;
  // The production bundles, copied out of the shared dist/ (see productionSnapshot).
  let CLIENT = path.join(REPO_ROOT, 'dist', 'client.js');
  if (!args.includes('--no-build')) {
    CLIENT = path.join(productionSnapshot(['client.js']), 'client.js');
    built = true;
  }
  try {
    const production = isProductionBundle(CLIENT);
    if (!production) process.stderr.write('warning: dist/client.js is not a production (minified) build\n');
    // The library alone, bundled and minified like production.
    await esbuild.build({
      stdin: { contents: "module.exports = require('vscode-languageclient/node');", resolveDir: REPO_ROOT, sourcefile: 'lc-entry.js' },
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      minify: true,
      external: ['vscode'],
      logLevel: 'warning',
      outfile: LC_ONLY,
    });

    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(runChild(CLIENT));
    const lcRuns = [];
    for (let i = 0; i < Math.min(RUNS, 11); i++) lcRuns.push(runChild(LC_ONLY));
    // Bundles the client requires lazily from dist/ (./lc.js on the first server start, ...).
    const lazy = [...new Set([...readFileSync(CLIENT, 'utf8').matchAll(/require\("\.\/([\w-]+\.js)"\)/g)].map((m) => m[1]))]
      .filter((f) => existsSync(path.join(path.dirname(CLIENT), f)))
      .map((f) => {
        const rs = Array.from({ length: Math.min(RUNS, 11) }, () => runChild(path.join(path.dirname(CLIENT), f)));
        return { file: f, bytes: statSync(path.join(path.dirname(CLIENT), f)).size, ms: median(rs.map((r) => r.requireMs)), cpuMs: median(rs.map((r) => r.requireCpuMs)) };
      });
    const req = runs.map((r) => r.requireMs);
    const act = runs.map((r) => r.activateMs ?? NaN);
    const total = runs.map((r) => r.requireMs + (r.activateMs ?? NaN));
    const errors = [...new Set(runs.flatMap((r) => r.errors))];
    const cpuOf = (k) => median(runs.map((r) => r[k] ?? NaN));
    const res = {
      require: { median: median(req), p95: percentile(req, 95), cpu: cpuOf('requireCpuMs') },
      activate: { median: median(act), p95: percentile(act, 95), cpu: cpuOf('activateCpuMs') },
      total: {
        median: median(total),
        p95: percentile(total, 95),
        cpu: median(runs.map((r) => r.requireCpuMs + (r.activateCpuMs ?? NaN))),
        wait: median(runs.map((r) => r.waitMs)),
      },
      lcOnly: median(lcRuns.map((r) => r.requireMs)),
      lcOnlyCpu: median(lcRuns.map((r) => r.requireCpuMs)),
      lazy,
      apiOk: runs.every((r) => r.apiOk),
      errors,
      production,
      clientBytes: statSync(CLIENT).size,
      lcOnlyBytes: statSync(LC_ONLY).size,
    };
    process.stderr.write(
      `  require ${fmtMs(res.require.median)} (CPU ${fmtMs(res.require.cpu)}), activate ${fmtMs(res.activate.median)}, total ${fmtMs(res.total.median)}; ` +
        `vscode-languageclient alone ${fmtMs(res.lcOnly)}${errors.length ? `; activation errors: ${errors.join(' | ')}` : ''}\n`,
    );

    // Where the time goes: cold runs of an unminified copy, profiled per source line.
    let prof;
    try {
      prof = await profile(10);
    } catch (e) {
      process.stderr.write(`warning: profile skipped: ${e.message.split('\n')[0]}\n`);
    }
    const checks = [check('require(dist/client.js) + activate(), median', res.total.median, 50, 'ms')];
    const md = [];
    md.push(measuredLine());
    md.push('');
    md.push(
      `Each run is a fresh Node ${process.version} process that requires \`dist/client.js\` ` +
        `(${production ? 'production build: `node scripts/build.mjs --production`, copied with its sibling bundles to bench/.data/prod/ so that other builds of dist/ cannot swap it during the runs' : '**not** a production build'}, ${fmtBytes(res.clientBytes)}) ` +
        `and calls \`activate()\` with a fake \`vscode\` module (a Proxy stub injected through Module._resolveFilename / require.cache) ` +
        `and a fake ExtensionContext; no document is open, so no language server is started. The Node built-ins the extension host ` +
        `has loaded before any extension (${HOST_BUILTINS.join(', ')}) are loaded first, outside the timing. Median of ${RUNS} runs; ` +
        `CPU is the main thread's CPU time (schedstat), which waiting for a CPU on the shared machine does not inflate. ` +
        `VS Code's own extension host adds its work around this (reading package.json, the activation event), which is not ours to measure here.`,
    );
    md.push('');
    md.push(checksTable(checks));
    md.push('');
    md.push('| what | median | p95 | CPU (median) |');
    md.push('|---|---:|---:|---:|');
    md.push(`| require(dist/client.js) | ${fmtMs(res.require.median)} | ${fmtMs(res.require.p95)} | ${fmtMs(res.require.cpu)} |`);
    md.push(`| activate() | ${fmtMs(res.activate.median)} | ${fmtMs(res.activate.p95)} | ${fmtMs(res.activate.cpu)} |`);
    md.push(`| both | ${fmtMs(res.total.median)} | ${fmtMs(res.total.p95)} | ${fmtMs(res.total.cpu)} |`);
    md.push(`| of which waiting for a CPU (main thread, schedstat; the machine's load) | ${fmtMs(res.total.wait)} | | |`);
    md.push(`| for comparison: require of vscode-languageclient/node alone, bundled and minified (${fmtBytes(res.lcOnlyBytes)}) | ${fmtMs(res.lcOnly)} | | ${fmtMs(res.lcOnlyCpu)} |`);
    for (const l of res.lazy) md.push(`| dist/${l.file} (${fmtBytes(l.bytes)}), required lazily by the client, not at activation | ${fmtMs(l.ms)} | | ${fmtMs(l.cpuMs)} |`);
    md.push('');
    if (prof) md.push(
      `Where the time goes (\`node bench/activation.mjs --profile\`: ${prof.runs} cold runs of an unminified copy of the same bundle, ` +
        'V8 CPU profiles with per-line ticks; shares of the samples in the bundle and in what it calls):',
    );
    if (prof) md.push('', '| source line | module | share |', '|---|---|---:|');
    for (const l of prof?.lines.slice(0, 6) ?? []) {
      md.push(`| \`${l.text.replace(/\|/g, '\\|')}\` | ${l.module} | ${((100 * l.ms) / prof.totalMs).toFixed(0)}% |`);
    }
    md.push('');
    // What activation must leave alone (see watchActivation), over all runs.
    const union = (k) => [...new Set(runs.flatMap((r) => r[k] ?? []))];
    md.push(
      `What require + activate() touched, over all ${RUNS} runs: Intl or locale-aware methods: ${list(union('intl'))}; ` +
        `enumerations of the \`vscode\` module's properties: ${Math.max(...runs.map((r) => r.vscodeEnumerations ?? 0))}; ` +
        `built-in modules loaded beyond those above: ${list(union('builtins'))}; bundles next to client.js loaded: ${list(union('siblings'))}.`,
    );
    md.push('');
    md.push(
      '**Fixed 2026-11-29 (issue 9)**, before: 119.3 ms median / 42.9 ms CPU (load 4.9), 46.8 ms / 18.1 ms (load 3.3). ' +
        'Three things were eager. (1) esbuild\'s `__toESM` copied the ~190 properties of the `vscode` module as getters once for each ' +
        '`import * as vscode` (17 modules); the client now uses `import vscode = require(\'vscode\')`, a plain require (the ' +
        'enumeration count above is the guard). (2) "Report on Logs…" bundled the report engine (core/report, the line reader, zlib, ' +
        'worker_threads: 40% of client.js) into the client; it is now in dist/commands.js, loaded on the first run of the ' +
        'command (client/reportCommand.ts). (3) `new Intl.NumberFormat` at the top level of client/logs/statusBar.ts (the first Intl ' +
        'object initialises ICU, ~25 ms of CPU) is created on first use. Side by side at load 4.2 (21 interleaved cold runs each, ' +
        'median of require + activate / its CPU): 77.3 ms / 21.5 ms with (3) only; 25.4 ms / 11.9 ms with (1) too; 15.6 ms / 8.0 ms ' +
        'with all three. test/unit/client/activation.test.ts asserts (1), (2) and the absence of Intl with the same watch as this benchmark.',
    );
    md.push('');
    if (!checks[0].ok) {
      md.push(
        `**Why the miss.** CPU on the main thread is ${fmtMs(res.total.cpu)} of the ${fmtMs(res.total.median)} median; ` +
          `${fmtMs(res.total.wait)} is the main thread waiting for a CPU on the loaded machine. The profile above shows where the CPU goes.`,
      );
      md.push('');
    }
    md.push(res.errors.length ? `activate() logged errors: ${res.errors.map((e) => `\`${e.slice(0, 200)}\``).join('; ')}.` : 'activate() returned its API and logged no error in any run.');
    const markdown = md.join('\n');
    saveResult('activation', { name: 'activation', title: 'Activation', checks, ...res, profile: prof && { totalMs: prof.totalMs, modules: prof.modules.slice(0, 20), lines: prof.lines.slice(0, 20) }, markdown, seconds: (now() - tStart) / 1000 });
    if (WRITE) {
      updateMachineSection();
      writeActivationSizeSection();
    }
    console.log(`### Activation\n\n${markdown}\n`);
  } finally {
    if (built && !args.includes('--keep-production')) build({ need: ['dist/client.js'] });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

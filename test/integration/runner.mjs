#!/usr/bin/env node
// Runs the integration suites (test/integration/suite/*.test.ts) inside a real VS Code
// extension host: code-server (VS Code 1.100 server + web workbench) driven by headless
// Debian Chromium through playwright-core. See test/integration/README.md.
//
//   node test/integration/runner.mjs [--grep <regex>] [--no-build] [--timeout <s>] [--keep] [--verbose]
//
// Exit code 0 only if the suite printed its own result line with failed=0 and passed>0.
// Everything it starts (code-server and its extension host / language server, Chromium) is
// stopped at the end, on failure and on Ctrl-C.
import { randomUUID } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { ensureCodeServer, ensureSystemPackages, isolatedEnv, REPO_ROOT, startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { killGroup, onTerminate, run } from '../../scripts/lib/proc.mjs';

const RESULT_RE = /INTEGRATION RESULT passed=(\d+) failed=(\d+)(?: pending=(\d+))?/;
const SCREENSHOT_RE = /@@SCREENSHOT ([\w.-]+)@@/g;
const DOM_RE = /@@DOM ([\w-]+) (.+?)@@/g;
const CHROMIUM = '/usr/bin/chromium';
/** Workbench chatter the automation log also receives; kept in the run log, not printed. */
const NOISE = [
  /^Creation of workbench contribution /,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^Creating a socket \(/,
  /^Resolv(ing|ed) connection token/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Extension host \(Remote\) is (un)?responsive/,
];

function parseArgs(argv) {
  const o = { grep: undefined, build: true, timeout: 900, keep: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--grep' || a === '-g') o.grep = argv[++i];
    else if (a.startsWith('--grep=')) o.grep = a.slice(7);
    else if (a === '--no-build') o.build = false;
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node test/integration/runner.mjs [--grep <regex>] [--no-build] [--timeout <seconds>] [--keep] [--verbose]');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!(o.timeout > 0)) throw new Error('--timeout needs a positive number of seconds');
  return o;
}

const say = (msg) => console.log(`[runner] ${msg}`);

/** Kills processes we started that escaped their process group (marked by our run id). */
function sweep(runId) {
  let killed = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (env.includes(`POSTFIX_TLS_RUN_ID=${runId}\0`)) {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      }
    } catch {
      /* gone or not ours */
    }
  }
  return killed;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const runId = randomUUID();
  const screenshotsDir = path.join(REPO_ROOT, 'artifacts', 'screenshots');
  const logDir = path.join(REPO_ROOT, 'artifacts', 'integration');
  mkdirSync(screenshotsDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'postfix-tls-it-'));
  const home = path.join(tmp, 'home');
  const exchange = path.join(tmp, 'exchange');
  const workspace = path.join(tmp, 'workspace');
  mkdirSync(home, { recursive: true });
  mkdirSync(exchange, { recursive: true });
  const logFile = path.join(logDir, 'run.log');
  const runLog = createWriteStream(logFile);
  const logLine = (src, line) => runLog.write(`${new Date().toISOString()} [${src}] ${line}\n`);

  let server;
  let browser;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    if (server) await server.stop();
    const stray = sweep(runId);
    if (stray) say(`killed ${stray} stray process(es)`);
    await new Promise((r) => runLog.end(r));
    if (!opts.keep) rmSync(tmp, { recursive: true, force: true });
    else say(`kept ${tmp}`);
  };
  const offTerminate = onTerminate(cleanup);

  try {
    if (opts.build) {
      say('building (node scripts/build.mjs --tests)');
      const b = await run(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: REPO_ROOT, capture: false });
      if (b.code !== 0) throw new Error(`build failed (exit ${b.code})`);
    }
    const testsEntry = path.join(REPO_ROOT, 'dist', 'test', 'integration.js');
    if (!existsSync(testsEntry)) throw new Error(`${testsEntry} is missing (build with --tests)`);

    await ensureSystemPackages(['chromium']);
    const t0 = Date.now();
    const entry = await ensureCodeServer();
    const tInstall = Date.now() - t0;

    // A fresh copy of the fixtures, so tests may edit files without touching the repository.
    cpSync(path.join(REPO_ROOT, 'test', 'integration', 'workspace'), workspace, { recursive: true });

    const runEnv = {
      POSTFIX_TLS_RUN_ID: runId,
      POSTFIX_TLS_TEST_SCREENSHOTS: screenshotsDir,
      POSTFIX_TLS_TEST_EXCHANGE: exchange,
      POSTFIX_TLS_TEST_REPO: REPO_ROOT,
      ...(opts.grep ? { POSTFIX_TLS_TEST_GREP: opts.grep } : {}),
    };
    const tServer = Date.now();
    server = await startCodeServer({
      entry,
      home,
      env: runEnv,
      onOutput: (l) => {
        logLine('code-server', l);
        if (opts.verbose) console.log(`[code-server] ${l}`);
      },
    });
    say(`code-server ${server.origin} (pid ${server.pid}) up in ${Date.now() - tServer} ms`);

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: isolatedEnv(home, { POSTFIX_TLS_RUN_ID: runId }),
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    let result;
    let exitCode;
    let tFirstLine;
    let failure;
    let settle;
    const finished = new Promise((r) => {
      settle = r;
    });

    const handleMarkers = (line) => {
      for (const m of line.matchAll(SCREENSHOT_RE)) {
        const name = m[1];
        const file = path.join(screenshotsDir, `${name}.png`);
        const part = `${file}.${process.pid}.part.png`;
        page.screenshot({ path: part })
          .then(() => renameSync(part, file))
          .then(() => say(`screenshot ${path.relative(REPO_ROOT, file)}`))
          .catch((e) => say(`screenshot ${name} failed: ${e.message}`));
      }
      for (const m of line.matchAll(DOM_RE)) {
        const [, id, selector] = m;
        const file = path.join(exchange, `dom-${id}.json`);
        page.evaluate((sel) => {
          try {
            return {
              nodes: Array.from(document.querySelectorAll(sel)).map((el) => {
                const r = el.getBoundingClientRect();
                const after = getComputedStyle(el, '::after');
                return {
                  tag: el.tagName.toLowerCase(),
                  className: typeof el.className === 'string' ? el.className : String(el.getAttribute('class') ?? ''),
                  text: (el.textContent ?? '').trim(),
                  before: getComputedStyle(el, '::before').content,
                  after: after.content,
                  afterColor: after.color,
                  visible: r.width > 0 && r.height > 0,
                  rect: { x: r.x, y: r.y, width: r.width, height: r.height },
                  ariaLabel: el.getAttribute('aria-label'),
                  title: el.getAttribute('title'),
                };
              }),
            };
          } catch (e) {
            return { error: String(e) };
          }
        }, selector)
          .catch((e) => ({ error: e.message }))
          .then((data) => {
            writeFileSync(`${file}.tmp`, JSON.stringify(data));
            renameSync(`${file}.tmp`, file);
          });
      }
    };

    // Both must exist before the workbench loads: it looks them up once at startup.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      for (const line of text.split('\n')) {
        logLine('exthost', line);
        if (!tFirstLine && !NOISE.some((re) => re.test(line))) tFirstLine = Date.now();
        if (opts.verbose || !(NOISE.some((re) => re.test(line)) || line.includes('@@DOM '))) console.log(`[exthost] ${line}`);
        const r = RESULT_RE.exec(line);
        if (r) result = { passed: Number(r[1]), failed: Number(r[2]), pending: Number(r[3] ?? 0) };
      }
      handleMarkers(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = Number(code);
      settle();
    });
    page.on('console', (msg) => logLine(`page:${msg.type()}`, msg.text()));
    page.on('pageerror', (err) => logLine('page:error', err.message));
    page.on('crash', () => {
      failure ??= 'the workbench page crashed';
      settle();
    });
    server.child.on('exit', (code, signal) => {
      failure ??= `code-server exited during the run (code ${code}, signal ${signal})`;
      settle();
    });
    const timer = setTimeout(() => {
      failure ??= `overall timeout of ${opts.timeout} s reached`;
      settle();
    }, opts.timeout * 1000);

    const url = workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: testsEntry });
    logLine('runner', `open ${url}`);
    const tRun = Date.now();
    // Only wait for the navigation to commit: a loaded machine can take longer than
    // playwright's 30 s default to fire "load", and the overall timeout covers the rest.
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    await finished;
    clearTimeout(timer);
    // Let screenshot/DOM writes triggered by the last log lines finish.
    await new Promise((r) => setTimeout(r, 200));

    const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
    const firstTest = tFirstLine ? `first suite output after ${secs(tFirstLine - tRun)}, ` : '';
    say(`workbench and tests: ${secs(Date.now() - tRun)} (${firstTest}code-server install check ${secs(tInstall)}); total ${secs(Date.now() - started)}`);
    if (!failure && exitCode === undefined) failure = 'the workbench never reported an exit';
    if (!failure && !result) failure = `no result line from the suite (extension host exit ${exitCode}: crashed, or run() never finished); see ${path.relative(REPO_ROOT, logFile)}`;
    if (!failure && result.failed > 0) failure = `${result.failed} test(s) failed`;
    if (!failure && result.passed === 0) failure = 'no test ran';
    if (!failure && exitCode !== 0) failure = `extension host reported exit code ${exitCode}`;
    const summary = result ? `passed=${result.passed} failed=${result.failed} pending=${result.pending}` : 'passed=0 failed=0';
    if (failure) {
      say(`FAIL: ${failure}`);
      say(`log: ${path.relative(REPO_ROOT, logFile)}`);
      // The line scripts/test.mjs parses; a run without a result counts as one failure.
      console.log(`INTEGRATION SUMMARY ${result ? summary : 'passed=0 failed=1'}`);
      return 1;
    }
    say('PASS');
    console.log(`INTEGRATION SUMMARY ${summary}`);
    return 0;
  } finally {
    await cleanup();
    offTerminate();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`[runner] error: ${err?.message ?? err}`);
      console.log('INTEGRATION SUMMARY passed=0 failed=1');
      process.exitCode = 2;
    },
  );
}

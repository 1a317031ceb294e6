// code-server: a real VS Code (server + web workbench) that installs from the npm registry.
// Used by the integration test runner and `npm start` (see docs/../shared/docs/real-vscode-testing.md).
//
//   node scripts/code-server.mjs            install (or reuse) and print the entry script path
//   node scripts/code-server.mjs --check    only report what is missing; exit 1 if anything is
//
// The install lives in .vscode-test/code-server/<version>/ (git-ignored, about 300 MB) and is
// reused as long as the version and Node's ABI match. It never touches the project's
// node_modules and never downloads from anywhere but the npm registry: @vscode/ripgrep's
// GitHub download is pre-empted by seeding its cache with Debian's rg.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync,
  rmSync, writeFileSync, accessSync, constants as fsConstants,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroup, run, spawnGroup } from './lib/proc.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_ROOT = process.env.POSTFIX_TLS_CODE_SERVER_CACHE
  ? path.resolve(process.env.POSTFIX_TLS_CODE_SERVER_CACHE)
  : path.join(REPO_ROOT, '.vscode-test', 'code-server');
export const INSTALL_DIR = path.join(CACHE_ROOT, CODE_SERVER_VERSION);
const MARKER = path.join(INSTALL_DIR, '.postfix-tls-install.json');

/** ripgrep binary release each @vscode/ripgrep version downloads (from its lib/postinstall.js). */
const RIPGREP_TAGS = { '1.15.11': 'v13.0.0-10' };
/** @vscode/ripgrep's target triple per Node arch on Linux (same table as its postinstall). */
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

const log = (msg) => process.stderr.write(`[code-server] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Debian packages

/** Absolute path of `cmd` on PATH, or undefined. */
export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      accessSync(p, fsConstants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function dpkgInstalled(pkg) {
  try {
    const out = execFileSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', pkg], { stdio: ['ignore', 'pipe', 'ignore'] });
    return out.toString().startsWith('ii');
  } catch {
    return false;
  }
}

/**
 * Debian packages we depend on, each with a cheap presence check. The -dev packages and the
 * compilers are needed because code-server's install builds native modules (node-pty, argon2,
 * kerberos, spdlog ...). Compilers and python are checked by command, not package, because
 * they may come from elsewhere (pyenv, a toolchain image).
 */
export const SYSTEM_PACKAGES = {
  chromium: () => existsSync('/usr/bin/chromium'),
  ripgrep: () => !!which('rg'),
  'libkrb5-dev': () => dpkgInstalled('libkrb5-dev'),
  'libsecret-1-dev': () => dpkgInstalled('libsecret-1-dev'),
  'libxkbfile-dev': () => dpkgInstalled('libxkbfile-dev'),
  'libx11-dev': () => dpkgInstalled('libx11-dev'),
  make: () => !!which('make'),
  'g++': () => !!which('g++'),
  python3: () => !!which('python3'),
};
/** What code-server's install needs. */
export const CODE_SERVER_PACKAGES = ['ripgrep', 'libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev', 'make', 'g++', 'python3'];

let aptUpdated = false;

/**
 * Makes sure the Debian packages `names` are installed. As root, installs the missing ones
 * (apt-get update once, then apt-get install -y); otherwise throws an error whose message is
 * the exact apt-get line to run.
 */
export async function ensureSystemPackages(names) {
  const missing = names.filter((n) => !(SYSTEM_PACKAGES[n]?.() ?? dpkgInstalled(n)));
  if (missing.length === 0) return;
  const line = `apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(`missing system packages: ${missing.join(', ')}\nInstall them with:\n  sudo apt-get update && sudo ${line}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log('apt-get update');
    const r = await run('apt-get', ['update'], { capture: false, env });
    if (r.code !== 0) throw new Error(`apt-get update failed (exit ${r.code})`);
    aptUpdated = true;
  }
  log(line);
  const r = await run('apt-get', ['install', '-y', ...missing], { capture: false, env });
  if (r.code !== 0) throw new Error(`${line} failed (exit ${r.code})`);
  const still = missing.filter((n) => !(SYSTEM_PACKAGES[n]?.() ?? dpkgInstalled(n)));
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Install

/** The script code-server runs from (we start it with our own `node`, no shell wrapper). */
export function codeServerEntry(dir = INSTALL_DIR) {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function installIsValid() {
  try {
    const m = JSON.parse(readFileSync(MARKER, 'utf8'));
    return m.version === CODE_SERVER_VERSION && m.abi === process.versions.modules && m.arch === process.arch
      && existsSync(codeServerEntry());
  } catch {
    return false;
  }
}

/** npm's own lifecycle variables leak in when we run under `npm test`; keep the user's config. */
function npmEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/.test(k) || ['npm_command', 'npm_config_local_prefix', 'INIT_CWD', 'npm_execpath', 'npm_node_execpath', 'npm_config_user_agent'].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

async function ripgrepTagFor(version, scratch) {
  if (RIPGREP_TAGS[version]) return RIPGREP_TAGS[version];
  // Unknown version: read the tag from the package's own postinstall script.
  const r = await run('npm', ['pack', `@vscode/ripgrep@${version}`, '--pack-destination', scratch, '--silent'], { cwd: scratch, env: npmEnv() });
  if (r.code !== 0) throw new Error(`npm pack @vscode/ripgrep@${version} failed: ${r.stderr}`);
  const tgz = path.join(scratch, r.stdout.trim().split('\n').pop());
  const t = await run('tar', ['xzf', tgz, '-C', scratch, 'package/lib/postinstall.js']);
  if (t.code !== 0) throw new Error(`cannot unpack ${tgz}: ${t.stderr}`);
  const m = /const VERSION = '([^']+)'/.exec(readFileSync(path.join(scratch, 'package/lib/postinstall.js'), 'utf8'));
  if (!m) throw new Error(`cannot find the ripgrep release in @vscode/ripgrep@${version}`);
  return m[1];
}

/**
 * @vscode/ripgrep downloads rg from GitHub in its postinstall unless
 * os.tmpdir()/vscode-ripgrep-cache-<pkg version>/ripgrep-<tag>-<target>.tar.gz exists.
 * We put Debian's rg there so the install stays on the npm registry.
 */
export async function seedRipgrepCache(stageDir) {
  const shrinkwrap = path.join(stageDir, 'node_modules', 'code-server', 'lib', 'vscode', 'npm-shrinkwrap.json');
  const pkgs = JSON.parse(readFileSync(shrinkwrap, 'utf8')).packages ?? {};
  const version = pkgs['node_modules/@vscode/ripgrep']?.version;
  if (!version) throw new Error(`@vscode/ripgrep not found in ${shrinkwrap}`);
  const target = RIPGREP_TARGETS[process.arch];
  if (process.platform !== 'linux' || !target) throw new Error(`unsupported platform for the ripgrep cache: ${process.platform}/${process.arch}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'postfix-tls-rg-'));
  try {
    const tag = await ripgrepTagFor(version, scratch);
    const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${version}`);
    const file = path.join(dir, `ripgrep-${tag}-${target}.tar.gz`);
    if (existsSync(file)) return file;
    const rg = which('rg');
    if (!rg) throw new Error('rg (Debian package ripgrep) is needed to seed the ripgrep cache');
    mkdirSync(path.join(scratch, 's'), { recursive: true });
    copyFileSync(rg, path.join(scratch, 's', 'rg'));
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const t = await run('tar', ['czf', tmp, '-C', path.join(scratch, 's'), 'rg']);
    if (t.code !== 0) throw new Error(`tar failed: ${t.stderr}`);
    renameSync(tmp, file);
    log(`seeded ripgrep cache ${file} from ${rg}`);
    return file;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs npm with its output going to the install log; throws with the log's tail on failure. */
async function npmLogged(args, cwd, logFile) {
  const out = createWriteStream(logFile, { flags: 'a' });
  out.write(`\n$ npm ${args.join(' ')}\n`);
  const r = await run('npm', args, {
    cwd,
    env: npmEnv({ npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }),
    onLine: (d) => out.write(d),
  });
  await new Promise((res) => out.end(res));
  if (r.code !== 0) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`npm ${args[0]} failed (exit ${r.code}); see ${logFile}\n${tail}`);
  }
}

async function withInstallLock(fn) {
  mkdirSync(CACHE_ROOT, { recursive: true });
  const lock = path.join(CACHE_ROOT, `.lock-${CODE_SERVER_VERSION}`);
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let pid = 0;
      try {
        pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      let alive = false;
      try {
        if (pid) process.kill(pid, 0);
        alive = !!pid;
      } catch {
        alive = false;
      }
      if (pid && !alive) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another code-server install holds ${lock}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Installs code-server@CODE_SERVER_VERSION into the cache unless a valid install is there,
 * and returns the path of its entry script. Missing Debian packages are installed when root.
 */
export async function ensureCodeServer() {
  if (installIsValid()) return codeServerEntry();
  await ensureSystemPackages(CODE_SERVER_PACKAGES);
  return withInstallLock(async () => {
    if (installIsValid()) return codeServerEntry();
    const started = Date.now();
    const stage = path.join(CACHE_ROOT, `.stage-${CODE_SERVER_VERSION}-${process.pid}`);
    const logFile = path.join(CACHE_ROOT, `install-${CODE_SERVER_VERSION}.log`);
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    writeFileSync(logFile, `code-server ${CODE_SERVER_VERSION} install, ${new Date().toISOString()}\n`);
    // A package.json of its own so npm never walks up into the project.
    writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
    log(`installing code-server@${CODE_SERVER_VERSION} into ${INSTALL_DIR} (about 90 s; log: ${logFile})`);
    try {
      // 1. Fetch without scripts, so we can read which @vscode/ripgrep it will want ...
      await npmLogged(['install', '--prefix', stage, '--ignore-scripts', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], stage, logFile);
      // 2. ... seed that package's download cache with Debian's rg ...
      await seedRipgrepCache(stage);
      // 3. ... then run the install scripts (argon2 build, code-server's postinstall which
      //    installs and builds VS Code's own dependencies).
      await npmLogged(['rebuild', '--prefix', stage, '--foreground-scripts'], stage, logFile);
      const entry = codeServerEntry(stage);
      const home = mkdtempSync(path.join(os.tmpdir(), 'postfix-tls-cs-'));
      try {
        const v = execFileSync(process.execPath, [entry, '--version'], { env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') } }).toString();
        if (!v.split('\n').some((l) => l.startsWith(`${CODE_SERVER_VERSION} `))) throw new Error(`unexpected code-server --version output: ${v}`);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
      const rg = path.join(stage, 'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
      if (!existsSync(rg)) throw new Error(`ripgrep binary missing after install: ${rg}`);
      writeFileSync(path.join(stage, path.basename(MARKER)), JSON.stringify({ version: CODE_SERVER_VERSION, abi: process.versions.modules, arch: process.arch, node: process.version, installedAt: new Date().toISOString() }, null, 2));
      rmSync(INSTALL_DIR, { recursive: true, force: true });
      renameSync(stage, INSTALL_DIR);
    } catch (e) {
      rmSync(stage, { recursive: true, force: true });
      throw e;
    }
    log(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return codeServerEntry();
  });
}

// ---------------------------------------------------------------------------------------------
// Run

/** Environment that keeps code-server and Chromium out of the real home folder. */
export function isolatedEnv(home, extra = {}) {
  for (const d of ['.config', '.local/share', '.cache', '.local/state']) mkdirSync(path.join(home, d), { recursive: true });
  return {
    ...npmEnv(),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    ...extra,
  };
}

/** User settings for a fresh profile: no welcome page, tips, update checks or telemetry. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

/**
 * Starts code-server on 127.0.0.1 with a port the kernel picks, in its own process group.
 * Resolves once it listens: { port, origin, pid, stop() }. `onOutput(line)` gets its output.
 */
export async function startCodeServer({ entry, home, env = {}, settings = QUIET_SETTINGS, onOutput = () => {}, timeoutMs = 60_000 }) {
  const userData = path.join(home, 'user-data');
  const extensions = path.join(home, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  const settingsFile = path.join(userData, 'User', 'settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
  ];
  const child = spawnGroup(process.execPath, args, {
    cwd: home,
    stdio: ['ignore', 'pipe', 'pipe'],
    // VSCODE_CLI skips a login-shell spawn to resolve the environment; an empty gallery keeps
    // the workbench from reaching out to a marketplace.
    env: isolatedEnv(home, { VSCODE_CLI: '1', EXTENSIONS_GALLERY: '{}', ...env }),
  });
  const stop = () => killGroup(child.pid);
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      reject(new Error(`code-server did not start listening within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onData = (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        onOutput(line);
        const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited before listening (code ${code}, signal ${signal})`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { port, origin: `http://127.0.0.1:${port}`, pid: child.pid, child, stop };
}

function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${absPath.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionDevelopmentPath`
 * loaded from the working tree (and, for tests, `extensionTestsPath` run in the host).
 * The vscode-remote authority must equal the page's host:port exactly.
 */
export function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(port, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(port, extensionTestsPath)]);
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(folder)}`);
  if (payload.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://127.0.0.1:${port}/${q.length ? `?${q.join('&')}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  try {
    if (check) {
      const missing = [...CODE_SERVER_PACKAGES, 'chromium'].filter((n) => !SYSTEM_PACKAGES[n]());
      console.log(`system packages: ${missing.length ? `missing ${missing.join(' ')}` : 'ok'}`);
      console.log(`code-server ${CODE_SERVER_VERSION}: ${installIsValid() ? codeServerEntry() : 'not installed'}`);
      process.exitCode = missing.length || !installIsValid() ? 1 : 0;
    } else {
      const t = Date.now();
      console.log(await ensureCodeServer());
      log(`ready (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
  } catch (e) {
    console.error(`code-server: ${e.message}`);
    process.exitCode = 2;
  }
}

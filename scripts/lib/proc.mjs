// Process helpers shared by the test runner, `npm start` and the code-server installer.
// Everything is started with argument lists (never a shell) and long-running children get
// their own process group so that one kill takes down every grandchild (the extension host,
// the language server, Chromium's helpers) and nothing is left behind.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (the kernel picks it; released before returning). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** True while any process of the group `pgid` is alive. */
export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Ends a process group: SIGTERM, then SIGKILL after `graceMs` if anything of the group is
 * still alive. Resolves once the group is gone (or after a last SIGKILL attempt).
 */
export async function killGroup(pgid, graceMs = 5000) {
  if (!pgid) return;
  const send = (sig) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      /* already gone */
    }
  };
  if (!groupAlive(pgid)) return;
  send('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await delay(100);
  }
  send('SIGKILL');
  const hard = Date.now() + 5000;
  while (Date.now() < hard && groupAlive(pgid)) await delay(100);
}

/** Same as killGroup but synchronous-ish for `process.on('exit')`: SIGKILL right away. */
export function killGroupNow(pgid) {
  if (!pgid) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Spawns `cmd args` as the leader of a new process group. */
export function spawnGroup(cmd, args, options = {}) {
  return spawn(cmd, args, { ...options, detached: true });
}

/**
 * Runs a command to completion; resolves with { code, signal, stdout, stderr }.
 * `stdio: 'inherit'` streams instead of capturing. Never rejects for a non-zero exit.
 */
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const { capture = true, onLine, ...rest } = options;
    const child = spawn(cmd, args, { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', ...rest });
    let stdout = '';
    let stderr = '';
    if (capture) {
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d) => {
        stdout += d;
        onLine?.(d, 'stdout');
      });
      child.stderr.on('data', (d) => {
        stderr += d;
        onLine?.(d, 'stderr');
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Polls `fn` until it returns a truthy value or the deadline passes (then throws `what`). */
export async function pollUntil(fn, { timeoutMs = 30000, intervalMs = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await delay(intervalMs);
  }
}

/**
 * Calls `cleanup` once on SIGINT/SIGTERM/SIGHUP, then exits with 128+signal. Returns a
 * function that removes the handlers again.
 */
export function onTerminate(cleanup) {
  let done = false;
  const handler = (sig) => {
    if (done) return;
    done = true;
    const code = 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig] ?? 1);
    process.stderr.write(`\n${sig}: stopping...\n`);
    Promise.resolve()
      .then(cleanup)
      .catch((e) => process.stderr.write(`cleanup failed: ${e?.message ?? e}\n`))
      .finally(() => process.exit(code));
  };
  const sigs = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, handler);
  return () => {
    for (const s of sigs) process.off(s, handler);
  };
}

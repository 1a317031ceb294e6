/**
 * The fuzz runner behind `npm run fuzz` and the sample test: splits a total number of runs over
 * the targets by weight, runs each with fast-check from a seed derived from the main seed, times
 * every input, and reports counts, the slowest input and any (shrunk) counterexample.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { loadCorpus } from './corpus';
import { CheckError } from './checks';
import { KNOWN_ISSUES, TARGETS, type Target } from './targets';

export interface FuzzOptions {
  /** Total runs over all selected targets (split by weight). */
  runs: number;
  seed: number;
  /** Only these targets (default all). */
  targets?: string[];
  /**
   * An input of up to 10 KB may take at most this long (larger inputs proportionally more).
   * A slow input is run again; only a second slow run fails (a GC pause is not a bug).
   */
  boundMs?: number;
  /** Count inputs that hit a known, reported bug (KNOWN_ISSUES) and go on, instead of failing. */
  allowKnown?: boolean;
  /** Called with a line of progress text. */
  log?: (line: string) => void;
}

export interface TargetResult {
  name: string;
  seed: number;
  runs: number;
  generated: number;
  mutated: number;
  ms: number;
  slowestMs: number;
  slowestSize: number;
  /** The slowest input (shortened), to look into. */
  slowestInput?: string;
  /** Inputs that hit a known issue (with allowKnown), per issue id, with the first such input. */
  known: Record<string, { count: number; example: string }>;
  failure?: { message: string; counterexample: string; path?: string };
}

export interface FuzzResult {
  seed: number;
  corpusFound: boolean;
  targets: TargetResult[];
  total: number;
  failed: number;
}

/** A counterexample for humans: JSON, long strings cut in the middle. */
export function show(value: unknown, max = 4000): string {
  let s: string;
  try {
    s = JSON.stringify(value, (_k, v) => (typeof v === 'string' && v.length > 600 ? `${v.slice(0, 300)}…(${v.length} chars)…${v.slice(-200)}` : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function seedFor(seed: number, i: number): number {
  return (seed + Math.imul(i + 1, 0x9e3779b1)) | 0;
}

export function targetNames(): string[] {
  return TARGETS.map((t) => t.name);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function runTarget(t: Target<any>, runs: number, seed: number, boundMs: number, allowKnown: boolean): TargetResult {
  const corpus = loadCorpus();
  const res: TargetResult = { name: t.name, seed, runs, generated: 0, mutated: 0, ms: 0, slowestMs: 0, slowestSize: 0, known: {} };
  const known = allowKnown ? KNOWN_ISSUES.filter((k) => k.target === t.name) : [];
  let failedOnce = false;
  const arb = t.arbitrary(corpus);
  // Warm up (module loading, JIT) untimed and unchecked, so the first timed input is not penalised.
  for (const input of fc.sample(arb, { numRuns: 30, seed: seed ^ 0x5bd1e995 })) {
    try {
      t.run(input.value);
    } catch {
      /* the property run reports it */
    }
  }
  const started = performance.now();
  const prop = fc.property(arb, (input) => {
    const t0 = performance.now();
    try {
      t.run(input.value);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const k = e instanceof CheckError ? known.find((x) => x.matches(msg)) : undefined;
      if (k) {
        // Not a failure, also while shrinking another failure (shrinking must not drift to it).
        if (!failedOnce) {
          const entry = (res.known[k.id] ??= { count: 0, example: show(input.value, 600) });
          entry.count++;
          if (input.origin === 'generated') res.generated++;
          else res.mutated++;
        }
        return;
      }
      failedOnce = true;
      throw e;
    }
    let dt = performance.now() - t0;
    const size = t.size(input.value);
    const limit = boundMs * Math.max(1, size / 10240);
    if (dt > limit) {
      // Again, up to three times: a slow run may be a GC pause or another process on the machine.
      for (let i = 0; i < 3 && dt > limit; i++) {
        const t1 = performance.now();
        try {
          t.run(input.value);
        } catch {
          /* only the time matters here */
        }
        dt = Math.min(dt, performance.now() - t1);
      }
      if (dt > limit) {
        failedOnce = true;
        throw new CheckError(`pathological slowdown: ${dt.toFixed(0)} ms for an input of ${size} characters (bound ${limit.toFixed(0)} ms)`);
      }
    }
    if (!failedOnce) {
      if (input.origin === 'generated') res.generated++;
      else res.mutated++;
      if (dt > res.slowestMs) {
        res.slowestMs = dt;
        res.slowestSize = size;
        res.slowestInput = show(input.value, 2000);
      }
    }
  });
  const details = fc.check(prop, { numRuns: runs, seed });
  res.ms = performance.now() - started;
  if (details.failed) {
    const err = details.errorInstance as Error | undefined;
    res.failure = {
      message: err ? (err instanceof CheckError ? err.message : (err.stack ?? err.message)) : 'failed',
      counterexample: show(details.counterexample?.[0]),
      path: details.counterexamplePath ?? undefined,
    };
  }
  return res;
}

/** The runs and the fast-check seed of each selected target, in the order they run. */
export function plan(total: number, seed: number, targets?: string[]): { name: string; runs: number; seed: number }[] {
  const selected = TARGETS.filter((t) => !targets || targets.length === 0 || targets.includes(t.name));
  const weight = selected.reduce((n, t) => n + t.weight, 0);
  return selected.map((t) => ({ name: t.name, runs: Math.max(1, Math.round((total * t.weight) / weight)), seed: seedFor(seed, TARGETS.indexOf(t)) }));
}

export function runFuzz(opts: FuzzOptions): FuzzResult {
  const log = opts.log ?? (() => undefined);
  const boundMs = opts.boundMs ?? 1000;
  const corpus = loadCorpus();
  if (!corpus.found) log('[fuzz] warning: the reference corpus was not found (set POSTFIX_TLS_REFERENCE); mutations start from built-in samples');
  const results: TargetResult[] = [];
  for (const { name, runs, seed } of plan(opts.runs, opts.seed, opts.targets)) {
    const t = TARGETS.find((x) => x.name === name)!;
    log(`[fuzz] ${t.name}: ${runs} runs, seed ${seed} ...`);
    const r = runTarget(t, runs, seed, boundMs, !!opts.allowKnown);
    results.push(r);
    log(
      `[fuzz] ${t.name}: ${r.failure ? 'FAILED' : 'ok'} — ${r.generated} generated + ${r.mutated} mutated inputs in ${(r.ms / 1000).toFixed(1)} s; ` +
        `slowest ${r.slowestMs.toFixed(1)} ms (${r.slowestSize} chars)`,
    );
    for (const [id, k] of Object.entries(r.known)) {
      log(`[fuzz] ${t.name}: known issue ${id} hit by ${k.count} input(s), e.g. ${k.example}`);
    }
    if (r.failure) {
      log(`[fuzz] ${t.name}: ${r.failure.message}`);
      log(`[fuzz] ${t.name}: shrunk counterexample: ${r.failure.counterexample}`);
      log(`[fuzz] ${t.name}: fast-check seed ${seed}, path ${r.failure.path}`);
    }
  }
  return {
    seed: opts.seed,
    corpusFound: corpus.found,
    targets: results,
    total: results.reduce((n, r) => n + r.generated + r.mutated, 0),
    failed: results.filter((r) => r.failure).length,
  };
}

/**
 * A small, fixed-seed sample of `npm run fuzz` (test/fuzz/): a few thousand generated and
 * mutated-corpus inputs over every target (main.cf/master.cf parsers, expandValue, lint with
 * every rule, the log classifier with badges and hovers, classifyRange, config hovers,
 * completion and definitions, the cipher explanation, report rendering). Same properties as
 * the full run: no exception, well-formed results, inert Markdown/HTML. The per-input time
 * bound is the fuzzer's generous one (a slow input is re-run before it counts).
 *
 * Bugs already found and reported (test/fuzz/targets.ts KNOWN_ISSUES) are counted, not failed
 * here: each has its own focused failing test (found-by-fuzzing.test.ts and others), so this
 * sample stays able to find new problems in the same targets.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { plan, runFuzz } from '../../fuzz/run';

const SEED = 20240611;
const TOTAL = 4000;

describe(`fuzz sample (seed ${SEED}, ${TOTAL} inputs)`, () => {
  for (const p of plan(TOTAL, SEED)) {
    test(`${p.name}: ${p.runs} inputs`, (t) => {
      const r = runFuzz({ runs: p.runs, seed: SEED, targets: [p.name], boundMs: 2000, allowKnown: true });
      const [res] = r.targets;
      t.diagnostic(`${res.generated} generated + ${res.mutated} mutated inputs, fast-check seed ${res.seed}, slowest ${res.slowestMs.toFixed(1)} ms`);
      for (const [id, k] of Object.entries(res.known)) t.diagnostic(`known issue ${id}: ${k.count} input(s)`);
      assert.equal(
        res.failure,
        undefined,
        res.failure && `${res.failure.message}\ncounterexample: ${res.failure.counterexample}\nreproduce: node scripts/fuzz.mjs --target ${p.name} --seed ${SEED} --runs ${p.runs} --jobs 1 --allow-known`,
      );
      assert.ok(res.generated > 0 && res.mutated > 0, 'both generated and mutated inputs ran');
    });
  }
});

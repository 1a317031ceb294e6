/**
 * Regular-expression audit: every regex literal in core/, server/, cli/ and client/ (found with
 * the TypeScript parser, so new ones are audited automatically) is run on adversarial "pump"
 * inputs built from its own text and from classic worst cases (see regex-worker.js). A pattern
 * whose time grows clearly faster than the input (n -> 4n costs more than 6x, over a floor) or
 * that does not finish at all is reported with its file, line and worst input.
 *
 * Patterns built at run time (`new RegExp(...)`) cannot be pumped generically: the list of
 * those sites is pinned here after a review, so a new one fails this test until reviewed.
 *
 * The timing is relative (growth, not an absolute bound), so a loaded machine does not fail it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { collectRegexes, type RegexLiteral } from './regex-sites';

/** Characters per pump input; 4x this when a pattern looks slow. */
const N = 50_000;
/** A pattern slower than this at N is timed again at 4N. */
const SCREEN_MS = 25;
/** A pattern that gives no answer for this long is catastrophic (exponential). */
const STALL_MS = 60_000;

interface Verdict {
  re: RegexLiteral;
  worst?: { ms: number; frag: string; tail: string };
  superLinear?: { frag: string; tail: string; small: number; large: number; msSmall: number; msLarge: number };
  catastrophic?: boolean;
  error?: string;
}

function describeInput(frag: string, tail: string): string {
  return `${JSON.stringify(frag)} repeated + ${JSON.stringify(tail)}`;
}

/** Runs every pattern in a worker thread; a pattern that stalls the worker is marked and the worker replaced. */
async function audit(list: RegexLiteral[]): Promise<Verdict[]> {
  const verdicts: Verdict[] = list.map((re) => ({ re }));
  let next = 0;
  while (next < list.length) {
    await new Promise<void>((resolve) => {
      const worker = new Worker(path.join(__dirname, 'regex-worker.js'), { workerData: { n: N, screenMs: SCREEN_MS } });
      let current = -1;
      let timer: NodeJS.Timeout | undefined;
      const send = (): void => {
        if (next >= list.length) {
          clearTimeout(timer);
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        clearTimeout(timer);
        timer = setTimeout(() => {
          verdicts[current].catastrophic = true;
          void worker.terminate().then(() => resolve());
        }, STALL_MS);
        worker.postMessage({ index: current, source: list[current].source, flags: list[current].flags });
      };
      worker.on('message', (m: { index: number; worst?: Verdict['worst']; superLinear?: Verdict['superLinear']; error?: string }) => {
        Object.assign(verdicts[m.index], { worst: m.worst, superLinear: m.superLinear, error: m.error });
        send();
      });
      worker.on('error', (e) => {
        if (current >= 0) verdicts[current].error = String(e);
        clearTimeout(timer);
        resolve();
      });
      send();
    });
  }
  return verdicts;
}

/**
 * `new RegExp` sites, reviewed: fs-notes builds anchored names from a constant alternation of
 * daemon prefixes (linear); client/report.ts escapes the file name before building an anchored
 * pattern without nested quantifiers (linear).
 */
const REVIEWED_DYNAMIC: Record<string, number> = {
  'core/features/fs-notes.ts': 8,
  'client/report.ts': 1,
};

/**
 * Super-linear patterns whose input can never be the pumped shape, reviewed. Each is
 * quadratic only on a text with a line break after many `?`/`#`/`\n`; they run on URIs (an LSP
 * or VS Code URI has no raw line break: it is percent-encoded), on a constant, or on our own
 * report text (runs of line breaks there are a few section gaps). Reported as clean-ups.
 * Keyed by file and pattern source.
 */
const ACCEPTED: Record<string, string> = {
  'core/config/query.ts /[?#].*$/': 'runs on a document URI',
  'core/features/config-hover.ts /[?#].*$/': 'runs on a document URI',
  'server/documents.ts /[?#].*$/': 'runs on a document URI',
  'cli/lint.ts /#.*$/': 'runs on a constant URL',
  'core/report/render.ts /\\n+$/': 'runs on our own report text',
};

const key = (r: RegexLiteral): string => `${r.file.split(path.sep).join('/')} /${r.source}/`;

const { literals, dynamic } = collectRegexes(['core', 'server', 'cli', 'client']);

describe('regular expression audit', () => {
  test('finds the regular expressions of the tree', () => {
    assert.ok(literals.length > 100, `only ${literals.length} regex literals found: is the TypeScript parser working?`);
    assert.ok(literals.some((r) => r.file === path.join('core', 'log', 'classify.ts')), 'classify.ts patterns missing');
  });

  test('every dynamic RegExp construction has been reviewed', () => {
    const counts: Record<string, number> = {};
    for (const d of dynamic) counts[d.file] = (counts[d.file] ?? 0) + 1;
    const unreviewed = Object.entries(counts).filter(([f, n]) => (REVIEWED_DYNAMIC[f.split(path.sep).join('/')] ?? 0) < n);
    assert.deepEqual(
      unreviewed,
      [],
      `new RegExp(...) sites to review for backtracking (then add them to REVIEWED_DYNAMIC):\n${dynamic
        .filter((d) => unreviewed.some(([f]) => f === d.file))
        .map((d) => `  ${d.file}:${d.line} ${d.text}`)
        .join('\n')}`,
    );
  });

  test('no pattern is super-linear or catastrophic on pumped input', { timeout: 30 * 60_000 }, async (t) => {
    const verdicts = await audit(literals);
    const flagged = verdicts.filter((v) => v.superLinear || v.catastrophic);
    const bad = flagged.filter((v) => !(key(v.re) in ACCEPTED));
    for (const v of flagged.filter((x) => key(x.re) in ACCEPTED)) {
      t.diagnostic(`accepted super-linear pattern ${v.re.file}:${v.re.line} /${v.re.source}/ (${ACCEPTED[key(v.re)]}); a linear spelling is still preferable`);
    }
    const errors = verdicts.filter((v) => v.error);
    const slowest = [...verdicts].sort((a, b) => (b.worst?.ms ?? 0) - (a.worst?.ms ?? 0)).slice(0, 5);
    t.diagnostic(`audited ${verdicts.length} patterns at ${N} characters; slowest: ${slowest.map((v) => `${v.re.file}:${v.re.line} ${v.worst?.ms.toFixed(1)} ms`).join(', ')}`);
    assert.deepEqual(errors.map((v) => `${v.re.file}:${v.re.line} /${v.re.source}/${v.re.flags}: ${v.error}`), [], 'patterns the audit could not run');
    assert.deepEqual(
      bad.map((v) =>
        v.catastrophic
          ? `${v.re.file}:${v.re.line} /${v.re.source}/${v.re.flags}: no answer within ${STALL_MS / 1000} s (catastrophic backtracking)`
          : `${v.re.file}:${v.re.line} /${v.re.source}/${v.re.flags}: ${v.superLinear!.msSmall.toFixed(0)} ms at ${v.superLinear!.small} -> ${v.superLinear!.msLarge.toFixed(0)} ms at ${v.superLinear!.large} chars on ${describeInput(v.superLinear!.frag, v.superLinear!.tail)}`,
      ),
      [],
      'super-linear regular expressions',
    );
  });
});

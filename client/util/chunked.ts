/**
 * Cooperative background work for the extension host: process a range in slices, yielding to
 * the event loop (setImmediate) between slices so editor requests never wait behind us.
 */

/** A cancellable unit of background work. */
export interface ChunkedJob {
  cancel(): void;
  readonly cancelled: boolean;
  /** Resolves true when the job ran to the end, false when it was cancelled. */
  readonly done: Promise<boolean>;
}

/**
 * Calls `step(from, to)` for consecutive slices of [0, total) until done or cancelled.
 * Each slice is bounded by `sliceSize` items and by roughly `budgetMs` of wall time.
 */
export function runChunked(
  total: number,
  step: (from: number, to: number) => void,
  opts: { sliceSize?: number; budgetMs?: number } = {},
): ChunkedJob {
  const sliceSize = Math.max(1, opts.sliceSize ?? 2000);
  const budgetMs = opts.budgetMs ?? 8;
  let cancelled = false;
  let resolveDone!: (v: boolean) => void;
  const done = new Promise<boolean>((r) => (resolveDone = r));
  let next = 0;
  const tick = (): void => {
    if (cancelled) return resolveDone(false);
    const started = Date.now();
    try {
      while (next < total && Date.now() - started < budgetMs) {
        const to = Math.min(total, next + sliceSize);
        step(next, to);
        next = to;
        if (cancelled) return resolveDone(false);
      }
    } catch {
      // A failing slice ends the job; callers keep whatever they gathered so far.
      cancelled = true;
      return resolveDone(false);
    }
    if (next >= total) return resolveDone(true);
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    cancel: () => {
      cancelled = true;
    },
    get cancelled() {
      return cancelled;
    },
    done,
  };
}

/**
 * A trailing throttle: many calls within `delayMs` collapse into one run at the end of the
 * window. Used for scroll/edit bursts, where only the final state matters.
 */
export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  /** Runs a pending call now (if any). */
  flush(): void;
  /** Drops a pending call. */
  cancel(): void;
}

export function trailingThrottle<A extends unknown[]>(fn: (...args: A) => void, delayMs: number): Throttled<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const run = (): void => {
    timer = undefined;
    const args = pending;
    pending = undefined;
    if (args) fn(...args);
  };
  const throttled = ((...args: A) => {
    pending = args;
    if (timer === undefined) timer = setTimeout(run, delayMs);
  }) as Throttled<A>;
  throttled.flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    run();
  };
  throttled.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  return throttled;
}

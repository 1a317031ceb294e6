/**
 * Time budgets. The core runs synchronously, so while it runs the server cannot even read the
 * client's $/cancelRequest. A token that also turns "cancelled" after a deadline lets the
 * core's own cancellation checks stop a pathological analysis (e.g. 100 000 unknown names,
 * each with a did-you-mean search) and keeps the server answering.
 */
import type { CancellationTokenLike } from '../core/types';

/** Diagnostics of one document may take this long before the analysis is cut short. */
export const DIAGNOSTICS_BUDGET_MS = 3000;
/** Hover, completion and definition. */
export const FEATURE_BUDGET_MS = 1000;

/** A token that is cancelled when `token` is, or once `ms` milliseconds have passed. */
export interface BudgetToken extends CancellationTokenLike {
  /** True when the deadline (not the client) ended the work. */
  readonly expired: boolean;
}

export function withBudget(token: CancellationTokenLike, ms: number): BudgetToken {
  const deadline = Date.now() + ms;
  let expired = false;
  return {
    get isCancellationRequested() {
      if (token.isCancellationRequested) return true;
      if (!expired && Date.now() > deadline) expired = true;
      return expired;
    },
    get expired() {
      return expired;
    },
  };
}

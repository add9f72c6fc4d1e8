/**
 * Per-key request budgets in fixed windows: a key (a user or an address) may make `max` requests per window that
 * starts at its first request; the next request after that is refused until the window ends. Pure apart from the
 * clock passed in, so tests drive time.
 *
 * Fixed windows allow a burst of up to 2×max across a window boundary; for a budget meant to stop floods, not to
 * meter, that is the trade for O(1) memory per key. Expired keys are swept at most once per window, so the map
 * holds only the keys seen in the last window or two.
 */
export interface BudgetVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the key's window ends (and its budget is whole again). */
  resetInMs: number;
}

export class RequestBudget {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private nextSweepAt = 0;

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Counts one request for `key` at `now` and says whether it is within the budget. */
  take(key: string, now: number): BudgetVerdict {
    this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return {
      allowed: w.count <= this.max,
      limit: this.max,
      remaining: Math.max(0, this.max - w.count),
      resetInMs: w.endsAt - now,
    };
  }

  /** How many keys are tracked (for tests of the sweep). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.windowMs;
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
  }
}

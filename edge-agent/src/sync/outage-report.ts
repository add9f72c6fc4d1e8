/**
 * How a broker outage is logged: once when it starts, then one summary every `summaryEveryMs` while it lasts, then
 * once when the link is back. mqtt.js retries every reconnect period (2 s by default) and reports each failed
 * attempt; logging each one would fill a box's disk during a long outage and bury everything else.
 *
 * Pure: it is told what happened and when, and answers what to log (or nothing).
 */

export type OutageLine =
  | { kind: 'started'; reason: string }
  | { kind: 'ongoing'; downForS: number; attempts: number; lastError: string }
  | { kind: 'ended'; downForS: number; attempts: number };

/** Every few minutes: a long outage leaves a trace per interval, a short one a single line. */
export const DEFAULT_OUTAGE_SUMMARY_MS = 5 * 60_000;

export class OutageReport {
  private since: number | undefined;
  private lastSummaryAt = 0;
  private attempts = 0;
  private lastError = '';

  constructor(private readonly summaryEveryMs: number = DEFAULT_OUTAGE_SUMMARY_MS) {}

  get down(): boolean {
    return this.since !== undefined;
  }

  /** A failed attempt or lost connection (mqtt.js `offline`, `error` or `close`). */
  failed(now: number, reason: string): OutageLine | undefined {
    if (reason) this.lastError = reason;
    if (this.since === undefined) {
      this.since = now;
      this.lastSummaryAt = now;
      this.attempts = 1;
      return { kind: 'started', reason: this.lastError || 'connection lost' };
    }
    return this.due(now);
  }

  /** A reconnect attempt begins (mqtt.js `reconnect`). */
  retrying(now: number): OutageLine | undefined {
    if (this.since === undefined) return undefined;
    this.attempts++;
    return this.due(now);
  }

  connected(now: number): OutageLine | undefined {
    if (this.since === undefined) return undefined;
    const line: OutageLine = { kind: 'ended', downForS: seconds(now - this.since), attempts: this.attempts };
    this.since = undefined;
    this.attempts = 0;
    this.lastError = '';
    return line;
  }

  private due(now: number): OutageLine | undefined {
    if (this.since === undefined || now - this.lastSummaryAt < this.summaryEveryMs) return undefined;
    this.lastSummaryAt = now;
    return {
      kind: 'ongoing',
      downForS: seconds(now - this.since),
      attempts: this.attempts,
      lastError: this.lastError || 'connection lost',
    };
  }
}

const seconds = (ms: number) => Math.round(ms / 1000);

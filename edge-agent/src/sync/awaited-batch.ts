/**
 * One bucket or occupancy batch waiting for the cloud's ack: pure scheduling, no I/O (the Outbox reads, publishes
 * and marks the store).
 *
 * Those batches have no seq, so each is named (`batchId`) and at most one per channel is outstanding. It stays
 * unacknowledged until the cloud's `ack` names it; the broker's PUBACK proves nothing (a cloud that is not
 * subscribed, e.g. down behind an external broker, never sees it). When no ack comes within the wait, the batch is
 * forgotten here and the next cycle reads the store again and sends a new one (what was not acked is still there).
 * The wait doubles after each unanswered batch, from `ackTimeoutMs` up to `maxWaitMs`, so a cloud that is down for
 * a day costs a resend every few minutes, not every cycle; the first ack returns it to `ackTimeoutMs`.
 */
export interface AwaitedBatchOptions {
  ackTimeoutMs: number;
  maxWaitMs: number;
}

export class AwaitedBatch<T> {
  private pending: { id: string; item: T; sentAt: number } | undefined;
  private unanswered = 0;

  constructor(private readonly opts: AwaitedBatchOptions) {}

  /** Whether a new batch may be sent now: none outstanding, or the outstanding one waited too long (resend). */
  due(now: number): boolean {
    if (!this.pending) return true;
    if (now - this.pending.sentAt < this.waitMs()) return false;
    this.pending = undefined;
    this.unanswered++;
    return true;
  }

  sent(id: string, item: T, now: number): void {
    this.pending = { id, item, sentAt: now };
  }

  /** The cloud acknowledged batch `id`: returns what it carried (to mark stored), or undefined for a stale ack. */
  acked(id: string): T | undefined {
    if (this.pending?.id !== id) return undefined;
    const { item } = this.pending;
    this.pending = undefined;
    this.unanswered = 0;
    return item;
  }

  /** A new connection: whatever was outstanding may be lost; send again at once, keeping the backoff. */
  reset(): void {
    this.pending = undefined;
  }

  /** How long the current batch waits for its ack. */
  waitMs(): number {
    return Math.min(this.opts.maxWaitMs, this.opts.ackTimeoutMs * 2 ** Math.min(this.unanswered, 20));
  }
}

/**
 * Which seqs to send next: pure scheduling, no I/O (the Outbox does the reading and publishing).
 *
 * After a (re)connect everything above the settled seq (acknowledged or folded) up to the newest seq is BACKFILL;
 * anything stored after that is LIVE. Each cycle sends the next live batch first and then backfill within a token
 * bucket of `backfillRatePerS` (burst: one second or one batch), so a day of backlog never delays the events
 * happening now, and the resend cannot flood the broker or the cloud. When the cloud's ack has not moved for
 * `ackTimeoutMs` while something is unacknowledged, everything unacknowledged becomes backfill again (resend).
 * The cloud deduplicates on (deviceId, seq), so a resend is always safe.
 */
export interface CursorOptions {
  batchSize: number;
  backfillRatePerS: number;
  ackTimeoutMs: number;
}

export interface SendRange {
  kind: 'live' | 'backfill';
  from: number;
  to: number;
  limit: number;
}

export class OutboxCursor {
  private liveNext = 1;
  private backfillNext = 1;
  private boundary = 0;
  private tokens = 0;
  private refilledAt = 0;
  private settled = 0;
  private progressAt = 0;
  private highestSent = 0;
  /** A resync resends even acknowledged seqs up to here. */
  private resyncThrough = 0;

  constructor(private readonly opts: CursorOptions) {}

  /** A fresh connection: everything unsettled is backfill, live starts after the newest stored seq. */
  reset(settled: number, lastSeq: number, now: number): void {
    this.settled = settled;
    this.backfillNext = settled + 1;
    this.boundary = lastSeq;
    this.liveNext = lastSeq + 1;
    this.highestSent = settled;
    this.tokens = this.opts.batchSize;
    this.refilledAt = now;
    this.progressAt = now;
  }

  /** Resend everything stored from `fromSeq` on, acknowledged or not (the `resync` command). */
  resync(fromSeq: number, lastSeq: number): void {
    this.backfillNext = Math.min(this.backfillNext, fromSeq);
    this.boundary = Math.max(this.boundary, lastSeq);
    this.liveNext = Math.max(this.liveNext, lastSeq + 1);
    this.resyncThrough = Math.max(this.resyncThrough, this.settled);
  }

  /** The settled seq moved (ack or fold); returns true when it is progress. */
  settle(settled: number, now: number): boolean {
    if (settled <= this.settled) return false;
    this.settled = settled;
    this.progressAt = now;
    return true;
  }

  /** The next ranges to read and send this cycle, live first. Call `sent` after each. */
  plan(now: number, lastSeq: number): SendRange[] {
    this.refill(now);
    if (this.highestSent > this.settled && now - this.progressAt > this.opts.ackTimeoutMs) {
      // Nothing acknowledged for too long: resend everything unacknowledged as backfill.
      this.backfillNext = this.settled + 1;
      this.boundary = Math.max(this.boundary, this.liveNext - 1);
      this.progressAt = now;
    }
    if (this.backfillNext > this.resyncThrough)
      this.backfillNext = Math.max(this.backfillNext, this.settled + 1);
    this.liveNext = Math.max(this.liveNext, this.settled + 1);
    const ranges: SendRange[] = [];
    if (lastSeq >= this.liveNext) {
      ranges.push({ kind: 'live', from: this.liveNext, to: lastSeq, limit: this.opts.batchSize });
    }
    // Backfill goes in full batches: sending whatever few tokens trickled in since the last ack would shrink the
    // batches to a handful of events and make per-message overhead, not the ceiling, the limit.
    const need = Math.min(this.opts.batchSize, this.boundary - this.backfillNext + 1);
    if (need >= 1 && this.tokens >= need) {
      ranges.push({ kind: 'backfill', from: this.backfillNext, to: this.boundary, limit: need });
    }
    return ranges;
  }

  /** `upTo`: the last seq covered by what was sent (or found deleted); `count`: events actually sent. */
  sent(range: SendRange, upTo: number, count: number): void {
    this.highestSent = Math.max(this.highestSent, upTo);
    if (range.kind === 'live') this.liveNext = upTo + 1;
    else {
      this.backfillNext = upTo + 1;
      this.tokens -= count;
    }
  }

  /** True while backfill remains (the outbox keeps cycling without waiting for new events). */
  get backfilling(): boolean {
    return this.backfillNext <= this.boundary;
  }

  private refill(now: number): void {
    const capacity = Math.max(this.opts.batchSize, this.opts.backfillRatePerS);
    this.tokens = Math.min(
      capacity,
      this.tokens + ((now - this.refilledAt) / 1000) * this.opts.backfillRatePerS,
    );
    this.refilledAt = now;
  }
}

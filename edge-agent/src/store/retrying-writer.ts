import type { Logger } from 'pino';
import type { CountEventDraft, OccupancySample } from '../vision/types';

/** What the writer writes to: the event store (one transaction per call). */
export interface WriteTarget {
  appendEvents(drafts: readonly CountEventDraft[]): unknown;
  appendOccupancy(samples: readonly OccupancySample[]): unknown;
}

export interface RetryingWriterOptions {
  log: Logger;
  /** After each successful write of events (the outbox sends them). */
  onStored?: () => void;
  /** First retry delay; doubles up to `maxRetryMs` while writes keep failing. */
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * Events held in memory at most while the store fails (about 200 bytes each). Beyond it new counts are refused
   * loudly (error log, `droppedEvents` in health) instead of exhausting the box's memory.
   */
  maxPendingEvents?: number;
}

type Batch =
  | { kind: 'events'; items: readonly CountEventDraft[] }
  | { kind: 'occupancy'; items: readonly OccupancySample[] };

export interface WriterStats {
  failing: boolean;
  lastError?: string;
  pendingEvents: number;
  droppedEvents: number;
}

/**
 * The cameras' way into the store. A failed write (disk full, I/O error, a locked database) never drops a frame's
 * counts: the batch stays in memory, in order, and is written again with backoff until the store takes it; later
 * batches queue behind it so seqs keep the order counts happened in. `stats()` tells health the truth meanwhile.
 */
export class RetryingWriter {
  private readonly pending: Batch[] = [];
  private pendingEvents = 0;
  private droppedEvents = 0;
  private failing = false;
  private lastError: string | undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;

  constructor(
    private readonly target: WriteTarget,
    private readonly o: RetryingWriterOptions,
  ) {
    this.delay = o.retryMs ?? 200;
  }

  events(drafts: readonly CountEventDraft[]): void {
    if (drafts.length === 0) return;
    if (this.pendingEvents + drafts.length > (this.o.maxPendingEvents ?? 100_000)) {
      this.droppedEvents += drafts.length;
      this.o.log.error(
        { dropped: drafts.length, droppedTotal: this.droppedEvents, pending: this.pendingEvents },
        'store still failing and the memory buffer is full: counts refused',
      );
      return;
    }
    this.pending.push({ kind: 'events', items: drafts });
    this.pendingEvents += drafts.length;
    this.flush();
  }

  occupancy(samples: readonly OccupancySample[]): void {
    if (samples.length === 0) return;
    this.pending.push({ kind: 'occupancy', items: samples });
    this.flush();
  }

  stats(): WriterStats {
    return {
      failing: this.failing,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      pendingEvents: this.pendingEvents,
      droppedEvents: this.droppedEvents,
    };
  }

  /** A last attempt before the store closes; whatever still cannot be written is logged with its size. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush(false);
    if (this.pendingEvents > 0)
      this.o.log.error({ pendingEvents: this.pendingEvents }, 'stopping with counts the store never took');
  }

  /** Writes queued batches in order; stops at the first failure and retries later. */
  private flush(retry = true): void {
    let storedEvents = false;
    while (this.pending.length > 0) {
      const batch = this.pending[0]!;
      try {
        if (batch.kind === 'events') this.target.appendEvents(batch.items);
        else this.target.appendOccupancy(batch.items);
      } catch (err) {
        this.onFailure(err as Error, retry);
        break;
      }
      this.pending.shift();
      if (batch.kind === 'events') {
        this.pendingEvents -= batch.items.length;
        storedEvents = true;
      }
    }
    if (this.pending.length === 0 && this.failing) {
      this.o.log.warn({ failures: this.failures }, 'store writes recovered: held counts stored');
      this.failing = false;
      this.failures = 0;
      this.lastError = undefined;
      this.delay = this.o.retryMs ?? 200;
    }
    if (storedEvents) this.o.onStored?.();
  }

  private onFailure(err: Error, retry: boolean): void {
    this.failing = true;
    this.failures++;
    this.lastError = err.message;
    if (this.failures <= 3 || this.failures % 100 === 0)
      this.o.log.error(
        { err: err.message, failures: this.failures, pendingEvents: this.pendingEvents },
        'store write failed: counts held in memory, retrying',
      );
    if (!retry || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delay);
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, this.o.maxRetryMs ?? 5000);
  }
}

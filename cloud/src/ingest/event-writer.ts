import type { CountEvent } from '@tally/proto';
import type { Logger } from '@tally/proto/log';
import type { Database } from '../db/client';
import type { DeviceInfo } from './device-directory';
import {
  ADVANCE_ACKS_SQL,
  eventColumns,
  INSERT_EVENTS_SQL,
  toInsertedCounts,
  type InsertedCounts,
  type InsertedRow,
} from './event-statement';
import { isPoison, quarantine, reasonOf } from './quarantine';

export interface FlushResult {
  inserted: InsertedCounts[];
  /** Highest contiguous seq stored, per device in the flush. */
  acks: Map<string, number>;
  received: number;
}

export interface EventWriterOptions {
  /** Most events in one statement; a larger backlog is written in several. */
  maxRows?: number;
  /**
   * Statements in flight at once (PostgreSQL: 2 keeps the database busy while the next batch is prepared; PGlite
   * has one connection, so 1). Rollup rows are upserted in key order, so parallel statements wait, not deadlock.
   */
  parallel?: number;
  /** Retries of a statement that hit a deadlock or serialization failure (two instances on the same rows). */
  retries?: number;
  log: Logger;
  onFlushed: (result: FlushResult) => void;
  onError: (err: unknown, events: number) => void;
  /** An event that failed even alone was stored in `ingest_quarantine` (and is acked like a stored one). */
  onQuarantined?: (device: DeviceInfo, reason: string) => void;
}

const RETRYABLE = new Set(['40P01', '40001']);

interface QueuedBatch {
  device: DeviceInfo;
  events: CountEvent[];
  /** The batch's `foldedThrough`: seqs up to it that never arrive raw (0: none). */
  foldedThrough: number;
}

/**
 * Collects event batches from many devices and writes them together: while one statement runs, new batches queue,
 * and the next statement takes all of them. Under light load a batch is written at once; under heavy load batches
 * grow, which is what keeps throughput up. A lock conflict between statements (two instances, or `parallel` > 1) is retried.
 */
export class EventWriter {
  private queue: QueuedBatch[] = [];
  private queuedEvents = 0;
  private readonly running = new Set<Promise<void>>();
  private readonly maxRows: number;
  private readonly parallel: number;
  private readonly retries: number;

  constructor(
    private readonly database: Pick<Database, 'query'>,
    private readonly options: EventWriterOptions,
  ) {
    this.maxRows = options.maxRows ?? 5000;
    this.retries = options.retries ?? 3;
    this.parallel = options.parallel ?? 1;
  }

  get backlog(): number {
    return this.queuedEvents;
  }

  enqueue(device: DeviceInfo, events: CountEvent[], foldedThrough = 0): void {
    this.queue.push({ device, events, foldedThrough });
    this.queuedEvents += events.length;
    if (this.running.size < this.parallel) {
      const drain: Promise<void> = this.drain().finally(() => this.running.delete(drain));
      this.running.add(drain);
    }
  }

  /** Resolves when everything queued so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const take = this.takeBatch();
      const count = take.reduce((n, t) => n + t.events.length, 0);
      try {
        this.options.onFlushed(await this.write(take, count));
      } catch (err) {
        this.options.onError(err, count);
      }
    }
  }

  private takeBatch() {
    let rows = 0;
    let i = 0;
    while (i < this.queue.length && (i === 0 || rows + this.queue[i]!.events.length <= this.maxRows)) {
      rows += this.queue[i]!.events.length;
      i += 1;
    }
    this.queuedEvents -= rows;
    return this.queue.splice(0, i);
  }

  private async write(items: QueuedBatch[], received: number): Promise<FlushResult> {
    const rows = await this.store(items);
    const folded = new Map<string, number>();
    for (const i of items) {
      folded.set(i.device.deviceId, Math.max(folded.get(i.device.deviceId) ?? 0, i.foldedThrough));
    }
    const ackRows = await this.withRetry(() =>
      this.database.query<{ device_id: string; acked_seq: string | number }>(ADVANCE_ACKS_SQL, [
        [...folded.keys()],
        [...folded.values()],
      ]),
    );
    return {
      inserted: rows.map(toInsertedCounts),
      acks: new Map(ackRows.map((r) => [r.device_id, Number(r.acked_seq)])),
      received,
    };
  }

  /**
   * One statement for all items; when it fails on its input (not a transient failure), the poison is narrowed down —
   * per device, then per message, then per event — so everything else is stored and what fails alone is
   * quarantined. One bad device or message never stops another device's counts.
   */
  private async store(items: QueuedBatch[]): Promise<InsertedRow[]> {
    try {
      return await this.withRetry(() =>
        this.database.query<InsertedRow>(INSERT_EVENTS_SQL, eventColumns(items)),
      );
    } catch (err) {
      if (!isPoison(err)) throw err;
      const parts = narrow(items);
      if (parts) {
        const rows: InsertedRow[] = [];
        for (const part of parts) rows.push(...(await this.store(part)));
        return rows;
      }
      const { device, events } = items[0]!;
      const reason = reasonOf(err);
      for (const e of events)
        await quarantine(this.database, device, { channel: 'events', seq: e.seq, payload: e, reason });
      this.options.log.warn({ deviceId: device.deviceId, seq: events[0]?.seq, reason }, 'event quarantined');
      this.options.onQuarantined?.(device, reason);
      return [];
    }
  }

  private async withRetry<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (attempt >= this.retries || !code || !RETRYABLE.has(code)) throw err;
        this.options.log.warn({ code, attempt }, 'ingest statement hit a lock conflict; retrying');
      }
    }
  }
}

/** The next narrower split of items that failed together: per device, else per message, else per event; null: one event. */
function narrow(items: QueuedBatch[]): QueuedBatch[][] | null {
  const byDevice = new Map<string, QueuedBatch[]>();
  for (const i of items) byDevice.set(i.device.deviceId, [...(byDevice.get(i.device.deviceId) ?? []), i]);
  if (byDevice.size > 1) return [...byDevice.values()];
  if (items.length > 1) return items.map((i) => [i]);
  const only = items[0];
  if (only && only.events.length > 1) return only.events.map((e) => [{ ...only, events: [e] }]);
  return null;
}

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  CountEvent,
  MinuteBucket,
  OccupancySample,
  SCHEMA_VERSION,
  decode,
  decodeMessage,
  type BatchRef,
} from '@tally/proto';
import type { EventStore } from '../store/event-store';
import { AwaitedBatch } from './awaited-batch';
import type { MqttLink } from './mqtt-link';
import { OutboxCursor, type CursorOptions } from './outbox-cursor';

export interface OutboxOptions extends CursorOptions {
  cycleMs: number;
  maxInflightBatches: number;
  bucketIntervalS: number;
}

export interface OutboxStats {
  backlog: number;
  lastSeq: number;
  ackedSeq: number;
  lastAckAt: number | undefined;
  eventsSent: number;
  batchesSent: number;
  /** Stored rows that failed validation, kept aside and never sent. */
  quarantined: number;
}

/** The longest a bucket or occupancy batch waits for its ack before it is sent again (the backoff's ceiling). */
const BATCH_ACK_MAX_WAIT_MS = 60_000;
/** Acknowledged buckets older than this are deleted (at most once an hour): the cloud has their totals. */
const BUCKET_KEEP_MS = 48 * 3_600_000;
const BUCKET_PRUNE_EVERY_MS = 3_600_000;

/**
 * Sends what the store holds: count events (live first, then rate-limited backfill; see OutboxCursor), changed
 * minute buckets, and occupancy samples. It never sends from memory: every batch is read from SQLite, so a crash
 * or a reconnect only means reading again. Acks from the cloud move the store's acked seq, mark acknowledged
 * bucket totals and delete acknowledged occupancy samples; until then they are resent (see AwaitedBatch).
 */
export class Outbox {
  private readonly cursor: OutboxCursor;
  private timer: NodeJS.Timeout | undefined;
  private inflight = 0;
  private bucketsAt = 0;
  private prunedAt = 0;
  private readonly bucketBatch: AwaitedBatch<MinuteBucket[]>;
  private readonly occupancyBatch: AwaitedBatch<number[]>;
  private cycling = false;
  private eventsSent = 0;
  private batchesSent = 0;

  constructor(
    private readonly store: EventStore,
    private readonly link: MqttLink,
    private readonly opts: OutboxOptions,
    private readonly log: Logger,
  ) {
    this.cursor = new OutboxCursor(opts);
    const wait = {
      ackTimeoutMs: opts.ackTimeoutMs,
      maxWaitMs: Math.max(opts.ackTimeoutMs, BATCH_ACK_MAX_WAIT_MS),
    };
    this.bucketBatch = new AwaitedBatch(wait);
    this.occupancyBatch = new AwaitedBatch(wait);
  }

  start(): void {
    const deviceId = this.link.deviceId;
    this.link.on('ack', (payload) => this.onAck(payload, deviceId));
    this.link.onConnect(() => {
      // A new connection may have lost anything in flight: start from the settled seq again.
      this.inflight = 0;
      this.bucketBatch.reset();
      this.occupancyBatch.reset();
      this.cursor.reset(this.store.settledThrough(), this.store.lastSeq(), Date.now());
      this.kick();
    });
    this.timer = setInterval(() => this.kick(), this.opts.cycleMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resend everything from `fromSeq` on (the `resync` command). */
  resync(fromSeq: number): void {
    this.cursor.resync(fromSeq, this.store.lastSeq());
    this.kick();
  }

  stats(): OutboxStats {
    const s = this.store.syncState();
    return {
      backlog: this.store.backlog(),
      lastSeq: this.store.lastSeq(),
      ackedSeq: s.ackedSeq,
      lastAckAt: s.lastAckAt,
      eventsSent: this.eventsSent,
      batchesSent: this.batchesSent,
      quarantined: this.store.quarantinedCount(),
    };
  }

  /** Runs one send cycle now (new events were stored, or the timer fired). */
  kick(): void {
    if (this.cycling || !this.link.connected) return;
    this.cycling = true;
    try {
      this.sendEvents();
      this.sendBuckets();
      this.sendOccupancy();
    } catch (err) {
      this.log.error({ err }, 'outbox cycle failed');
    } finally {
      this.cycling = false;
    }
  }

  private onAck(payload: Buffer, deviceId: string): void {
    const r = decodeMessage('ack', payload, deviceId);
    if (!r.ok) {
      this.log.warn({ issues: r.error.issues }, 'ignoring malformed ack');
      return;
    }
    if (r.value.batch) this.onBatchAck(r.value.batch);
    if (r.value.seq === undefined) return;
    this.store.recordAck(r.value.seq, Date.now());
    this.store.passQuarantined();
    if (this.cursor.settle(this.store.settledThrough(), Date.now())) this.kick();
  }

  /** The cloud stored a bucket or occupancy batch: those totals are delivered, those samples can go. */
  private onBatchAck(batch: BatchRef): void {
    if (batch.channel === 'buckets') {
      const buckets = this.bucketBatch.acked(batch.id);
      if (buckets) this.store.markBucketsSent(buckets);
      this.pruneBuckets(Date.now());
    } else {
      const ids = this.occupancyBatch.acked(batch.id);
      if (ids) this.store.deleteOccupancy(ids);
    }
  }

  private sendEvents(): void {
    const deviceId = this.link.deviceId;
    const now = Date.now();
    this.cursor.settle(this.store.settledThrough(), now);
    const lastSeq = this.store.lastSeq();
    const foldedThrough = this.store.syncState().foldedThrough;
    for (let guard = 0; guard < 64 && this.inflight < this.opts.maxInflightBatches; guard++) {
      const ranges = this.cursor.plan(Date.now(), lastSeq);
      if (ranges.length === 0) return;
      for (const range of ranges) {
        const read = this.store.readEvents(deviceId, range.from, range.limit, range.to);
        // Rows may be missing (folded or pruned): the range is covered up to the last row read, or entirely.
        const upTo = read.length === range.limit ? read[read.length - 1]!.seq : range.to;
        const events = this.valid(read);
        this.cursor.sent(range, upTo, events.length);
        if (events.length === 0) continue;
        this.inflight++;
        this.eventsSent += events.length;
        this.batchesSent++;
        this.link
          .publish('events', {
            v: SCHEMA_VERSION,
            deviceId,
            sentAt: Date.now(),
            events,
            ...(foldedThrough > 0 ? { foldedThrough } : {}),
          })
          .catch((err: Error) =>
            this.log.debug({ err: err.message }, 'event batch not delivered; will resend'),
          )
          .finally(() => {
            this.inflight = Math.max(0, this.inflight - 1);
          });
      }
    }
  }

  private pruneBuckets(now: number): void {
    if (now - this.prunedAt < BUCKET_PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    const n = this.store.pruneAckedBuckets(now - BUCKET_KEEP_MS);
    if (n > 0) this.log.info({ buckets: n }, 'pruned acknowledged minute buckets');
  }

  /**
   * The stored events the contract accepts. A row it refuses would make every batch holding it unsendable, and the
   * contiguous ack would stop at it: it is quarantined instead (kept with the reason, logged once, counted in
   * stats), and the batch goes without it.
   */
  private valid(events: CountEvent[]): CountEvent[] {
    const kept: CountEvent[] = [];
    for (const e of events) {
      const r = decode(CountEvent, e, { versioned: false, what: 'stored event' });
      if (r.ok) {
        kept.push(e);
        continue;
      }
      this.quarantined('event', e.seq, r.error.message, () =>
        this.store.quarantineEvent(e, r.error.message, Date.now()),
      );
    }
    if (kept.length < events.length) this.cursor.settle(this.store.settledThrough(), Date.now());
    return kept;
  }

  /** Moves a row aside (it leaves the outbox, so this is logged once per row). */
  private quarantined(what: string, key: number, reason: string, move: () => void): void {
    move();
    this.log.error({ row: what, key, reason }, `stored ${what} fails the contract: quarantined`);
  }

  /** Due bucket totals, one batch outstanding at a time; marked sent only on the cloud's ack. */
  private sendBuckets(): void {
    const now = Date.now();
    if (now - this.bucketsAt < this.opts.bucketIntervalS * 1000 || !this.bucketBatch.due(now)) return;
    this.bucketsAt = now;
    const buckets = this.store.dueBuckets(5000).filter((b) => {
      const r = decode(MinuteBucket, b, { versioned: false, what: 'stored bucket' });
      if (!r.ok)
        this.quarantined('bucket', b.minute, r.error.message, () =>
          this.store.quarantineBucket(b, r.error.message, now),
        );
      return r.ok;
    });
    if (buckets.length === 0) return;
    const batchId = randomUUID();
    const delivery = this.link.publish('buckets', {
      v: SCHEMA_VERSION,
      deviceId: this.link.deviceId,
      sentAt: now,
      batchId,
      buckets,
    });
    this.bucketBatch.sent(batchId, buckets, now);
    delivery.catch((err: Error) =>
      this.log.debug({ err: err.message }, 'buckets not delivered; will resend'),
    );
  }

  /** Stored occupancy samples, one batch outstanding at a time; deleted only on the cloud's ack. */
  private sendOccupancy(): void {
    const now = Date.now();
    if (!this.occupancyBatch.due(now)) return;
    const pending = this.store.pendingOccupancy(1000);
    const ids: number[] = [];
    const samples: OccupancySample[] = [];
    pending.samples.forEach((s, i) => {
      const id = pending.ids[i]!;
      const r = decode(OccupancySample, s, { versioned: false, what: 'stored occupancy sample' });
      if (r.ok) {
        ids.push(id);
        samples.push(s);
      } else
        this.quarantined('occupancy sample', id, r.error.message, () =>
          this.store.quarantineOccupancy(id, s, r.error.message, now),
        );
    });
    if (samples.length === 0) return;
    const batchId = randomUUID();
    const delivery = this.link.publish('occupancy', {
      v: SCHEMA_VERSION,
      deviceId: this.link.deviceId,
      sentAt: now,
      batchId,
      samples,
    });
    this.occupancyBatch.sent(batchId, ids, now);
    delivery.catch((err: Error) =>
      this.log.debug({ err: err.message }, 'occupancy not delivered; will resend'),
    );
  }
}

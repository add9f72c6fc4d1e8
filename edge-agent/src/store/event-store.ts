import { and, asc, gt, gte, lte, sql } from 'drizzle-orm';
import type { CountEvent, MinuteBucket, OccupancySample } from '@tally/proto';
import type { CountEventDraft } from '../vision/types';
import type { StoreDb } from './database';
import { countEvents, minuteBuckets, occupancySamples, syncState } from './schema';

export interface SyncState {
  ackedSeq: number;
  lastAckAt: number | undefined;
  foldedThrough: number;
  foldedEvents: number;
}

/** The start of the minute that holds `ts` (ms UTC). */
export function minuteOf(ts: number): number {
  return ts - (ts % 60_000);
}

/**
 * The outbox's durable side: count events with their seq, minute totals, occupancy samples and the acknowledged
 * seq. Every write is one transaction, so a crash leaves either all of a frame's events or none.
 */
export class EventStore {
  constructor(private readonly db: StoreDb) {}

  /**
   * Stores one frame's events: seq comes from SQLite's AUTOINCREMENT inside this transaction, and each event adds
   * one to its minute bucket in the same transaction. Returns the stored events' seqs, in order.
   */
  appendEvents(drafts: readonly CountEventDraft[]): number[] {
    if (drafts.length === 0) return [];
    return this.db.transaction((tx) => {
      const seqs: number[] = [];
      for (const d of drafts) {
        const [row] = tx
          .insert(countEvents)
          .values({
            cameraId: d.cameraId,
            ruleId: d.ruleId,
            kind: d.kind,
            direction: d.direction ?? null,
            objectClass: d.objectClass,
            trackId: d.trackId,
            ts: d.ts,
            confidence: d.confidence,
            dwellMs: d.dwellMs ?? null,
          })
          .returning({ seq: countEvents.seq })
          .all();
        seqs.push(row!.seq);
        tx.insert(minuteBuckets)
          .values({
            cameraId: d.cameraId,
            ruleId: d.ruleId,
            kind: d.kind,
            direction: d.direction ?? '',
            objectClass: d.objectClass,
            minute: minuteOf(d.ts),
            count: 1,
          })
          .onConflictDoUpdate({
            target: [
              minuteBuckets.cameraId,
              minuteBuckets.ruleId,
              minuteBuckets.kind,
              minuteBuckets.direction,
              minuteBuckets.objectClass,
              minuteBuckets.minute,
            ],
            set: { count: sql`${minuteBuckets.count} + 1` },
          })
          .run();
      }
      return seqs;
    });
  }

  appendOccupancy(samples: readonly OccupancySample[]): void {
    if (samples.length === 0) return;
    this.db
      .insert(occupancySamples)
      .values(
        samples.map((s) => ({
          cameraId: s.cameraId,
          zoneId: s.zoneId,
          ts: s.ts,
          counts: JSON.stringify(s.counts),
        })),
      )
      .run();
  }

  /** The highest seq ever assigned (0: none), even if its row was since deleted. */
  lastSeq(): number {
    const row = this.db.$client
      .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'count_events'")
      .get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  syncState(): SyncState {
    const row = this.db.select().from(syncState).get();
    return {
      ackedSeq: row?.ackedSeq ?? 0,
      lastAckAt: row?.lastAckAt ?? undefined,
      foldedThrough: row?.foldedThrough ?? 0,
      foldedEvents: row?.foldedEvents ?? 0,
    };
  }

  /** Records the cloud's ack; it only moves forward, and never past what was assigned. Returns the new acked seq. */
  recordAck(seq: number, at: number): number {
    const capped = Math.min(seq, this.lastSeq());
    this.db
      .update(syncState)
      .set({ ackedSeq: sql`max(${syncState.ackedSeq}, ${capped})`, lastAckAt: at })
      .run();
    return this.syncState().ackedSeq;
  }

  /** Everything at or below this seq needs no raw send: acknowledged, or folded into buckets. */
  settledThrough(): number {
    const s = this.syncState();
    return Math.max(s.ackedSeq, s.foldedThrough);
  }

  /** Events stored but neither acknowledged nor folded. */
  backlog(): number {
    return Math.max(0, this.lastSeq() - this.settledThrough());
  }

  /** Up to `limit` stored events with fromSeq ≤ seq ≤ toSeq, in seq order, stamped with the device id. */
  readEvents(
    deviceId: string,
    fromSeq: number,
    limit: number,
    toSeq = Number.MAX_SAFE_INTEGER,
  ): CountEvent[] {
    return this.db
      .select()
      .from(countEvents)
      .where(and(gte(countEvents.seq, fromSeq), lte(countEvents.seq, toSeq)))
      .orderBy(asc(countEvents.seq))
      .limit(limit)
      .all()
      .map((r) => ({
        deviceId,
        seq: r.seq,
        cameraId: r.cameraId,
        ruleId: r.ruleId,
        kind: r.kind,
        ...(r.direction ? { direction: r.direction } : {}),
        objectClass: r.objectClass,
        trackId: r.trackId,
        ts: r.ts,
        confidence: r.confidence,
        ...(r.dwellMs !== null ? { dwellMs: r.dwellMs } : {}),
      }));
  }

  /** Buckets whose total changed since the broker last took them, oldest minute first. */
  dueBuckets(limit: number): MinuteBucket[] {
    return this.db
      .select()
      .from(minuteBuckets)
      .where(sql`${minuteBuckets.count} != ${minuteBuckets.sentCount}`)
      .orderBy(asc(minuteBuckets.minute))
      .limit(limit)
      .all()
      .map((b) => ({
        cameraId: b.cameraId,
        ruleId: b.ruleId,
        kind: b.kind,
        ...(b.direction ? { direction: b.direction as 'in' | 'out' } : {}),
        objectClass: b.objectClass,
        minute: b.minute,
        count: b.count,
      }));
  }

  /** After the PUBACK: these totals reached the broker (a bucket that grew meanwhile stays due). */
  markBucketsSent(buckets: readonly MinuteBucket[]): void {
    const stmt = this.db.$client.prepare(
      `UPDATE minute_buckets SET sent_count = ? WHERE camera_id = ? AND rule_id = ? AND kind = ?
         AND direction = ? AND object_class = ? AND minute = ?`,
    );
    this.db.$client.transaction(() => {
      for (const b of buckets)
        stmt.run(b.count, b.cameraId, b.ruleId, b.kind, b.direction ?? '', b.objectClass, b.minute);
    })();
  }

  /** Up to `limit` unsent occupancy samples, oldest first, with their row ids for deletion after the PUBACK. */
  pendingOccupancy(limit: number): { ids: number[]; samples: OccupancySample[] } {
    const rows = this.db.select().from(occupancySamples).orderBy(asc(occupancySamples.id)).limit(limit).all();
    return {
      ids: rows.map((r) => r.id),
      samples: rows.map((r) => ({
        cameraId: r.cameraId,
        zoneId: r.zoneId,
        ts: r.ts,
        counts: JSON.parse(r.counts) as Record<string, number>,
      })),
    };
  }

  deleteOccupancy(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.db
      .delete(occupancySamples)
      .where(and(gte(occupancySamples.id, Math.min(...ids)), lte(occupancySamples.id, Math.max(...ids))))
      .run();
  }

  /** Rows of raw events still on disk above a seq (for tests and the health page). */
  storedEventsAbove(seq: number): number {
    const row = this.db
      .select({ n: sql<number>`count(*)` })
      .from(countEvents)
      .where(gt(countEvents.seq, seq))
      .get();
    return row?.n ?? 0;
  }
}

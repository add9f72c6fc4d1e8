import { and, asc, gt, gte, lte, sql } from 'drizzle-orm';
import type { CountEvent, MinuteBucket, OccupancySample } from '@tally/proto';
import type { CountEventDraft } from '../vision/types';
import type { StoreDb } from './database';
import { countEvents, minuteBuckets, occupancySamples, quarantinedRows, syncState } from './schema';

export interface SyncState {
  ackedSeq: number;
  lastAckAt: number | undefined;
  foldedThrough: number;
  foldedEvents: number;
}

function parseCounts(text: string): Record<string, number> {
  try {
    return JSON.parse(text) as Record<string, number>;
  } catch {
    return text as unknown as Record<string, number>;
  }
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
   * Hot path (every frame with events, and a day of backlog in the benchmark): prepared statements, compiled once,
   * instead of building the drizzle query per call.
   */
  appendEvents(drafts: readonly CountEventDraft[]): number[] {
    if (drafts.length === 0) return [];
    const st = this.statements();
    return this.db.$client.transaction(() =>
      drafts.map((d) => {
        const row = st.insertEvent.get(
          d.cameraId,
          d.ruleId,
          d.kind,
          d.direction ?? null,
          d.objectClass,
          d.trackId,
          d.ts,
          d.confidence,
          d.dwellMs ?? null,
          d.endReason ?? null,
        ) as { seq: number };
        st.bumpBucket.run(d.cameraId, d.ruleId, d.kind, d.direction ?? '', d.objectClass, minuteOf(d.ts));
        return row.seq;
      }),
    )();
  }

  private prepared: ReturnType<EventStore['prepare']> | undefined;

  private statements() {
    this.prepared ??= this.prepare();
    return this.prepared;
  }

  private prepare() {
    const c = this.db.$client;
    return {
      insertEvent: c.prepare(
        `INSERT INTO count_events (camera_id, rule_id, kind, direction, object_class, track_id, ts, confidence, dwell_ms, end_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
      ),
      bumpBucket: c.prepare(
        `INSERT INTO minute_buckets (camera_id, rule_id, kind, direction, object_class, minute, count)
         VALUES (?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT (camera_id, rule_id, kind, direction, object_class, minute) DO UPDATE SET count = count + 1`,
      ),
      readEvents: c.prepare(
        `SELECT seq, camera_id, rule_id, kind, direction, object_class, track_id, ts, confidence, dwell_ms, end_reason
         FROM count_events WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
      ),
    };
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
    const rows = this.statements().readEvents.all(fromSeq, toSeq, limit) as {
      seq: number;
      camera_id: string;
      rule_id: string;
      kind: CountEvent['kind'];
      direction: 'in' | 'out' | null;
      object_class: string;
      track_id: number;
      ts: number;
      confidence: number;
      dwell_ms: number | null;
      end_reason: CountEvent['endReason'] | null;
    }[];
    return rows.map((r) => ({
      deviceId,
      seq: r.seq,
      cameraId: r.camera_id,
      ruleId: r.rule_id,
      kind: r.kind,
      ...(r.direction ? { direction: r.direction } : {}),
      objectClass: r.object_class,
      trackId: r.track_id,
      ts: r.ts,
      confidence: r.confidence,
      ...(r.dwell_ms !== null ? { dwellMs: r.dwell_ms } : {}),
      ...(r.end_reason ? { endReason: r.end_reason } : {}),
    }));
  }

  /** Buckets whose total changed since the cloud last acknowledged them, oldest minute first. */
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

  /** After the cloud's ack: these totals are stored there (a bucket that grew meanwhile stays due). */
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

  /**
   * Deletes buckets the cloud acknowledged (count = sentCount) whose minute began before `before`; returns how many.
   * Safe because the cloud holds each such total; the horizon keeps it safe against a late event recreating a
   * minute's row with a smaller total (the cloud keeps the larger).
   */
  pruneAckedBuckets(before: number): number {
    return this.db.$client
      .prepare('DELETE FROM minute_buckets WHERE count = sent_count AND minute < ?')
      .run(before).changes;
  }

  /** Up to `limit` unacknowledged occupancy samples, oldest first, with their row ids for deletion on the ack. */
  pendingOccupancy(limit: number): { ids: number[]; samples: OccupancySample[] } {
    const rows = this.db.select().from(occupancySamples).orderBy(asc(occupancySamples.id)).limit(limit).all();
    return {
      ids: rows.map((r) => r.id),
      samples: rows.map((r) => ({
        cameraId: r.cameraId,
        zoneId: r.zoneId,
        ts: r.ts,
        // Unreadable JSON is passed on as the text, for the outbox's validation to refuse and quarantine.
        counts: parseCounts(r.counts),
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

  /**
   * Moves an event the contract refuses out of the outbox into `quarantined_rows` (kept, with the reason), in one
   * transaction, then lets the settled seq pass it (see passQuarantined).
   */
  quarantineEvent(event: CountEvent, reason: string, at: number): void {
    this.db.$client.transaction(() => {
      this.db
        .insert(quarantinedRows)
        .values({ sourceTable: 'count_events', rowKey: event.seq, row: JSON.stringify(event), reason, at })
        .run();
      this.db
        .delete(countEvents)
        .where(sql`${countEvents.seq} = ${event.seq}`)
        .run();
    })();
    this.passQuarantined();
  }

  /**
   * A quarantined seq never reaches the cloud, and the cloud's ack is contiguous: so once everything below it is
   * settled, the seq is recorded as folded (`folded_through`), which the next event batch tells the cloud, whose
   * ack then passes it. Only the seq right after the settled one may pass: claiming more would let the cloud ack
   * seqs still in flight. Returns the settled seq.
   */
  passQuarantined(): number {
    const next = this.db.$client.prepare(
      `SELECT 1 FROM quarantined_rows WHERE source_table = 'count_events' AND row_key = ?`,
    );
    let settled = this.settledThrough();
    while (next.get(settled + 1)) {
      settled += 1;
      this.db
        .update(syncState)
        .set({ foldedThrough: sql`max(${syncState.foldedThrough}, ${settled})` })
        .run();
    }
    return settled;
  }

  /** Moves a bucket the contract refuses out of the due set into `quarantined_rows`, with the reason. */
  quarantineBucket(bucket: MinuteBucket, reason: string, at: number): void {
    this.db.$client.transaction(() => {
      this.db
        .insert(quarantinedRows)
        .values({
          sourceTable: 'minute_buckets',
          rowKey: bucket.minute,
          row: JSON.stringify(bucket),
          reason,
          at,
        })
        .run();
      this.db.$client
        .prepare(
          `DELETE FROM minute_buckets WHERE camera_id = ? AND rule_id = ? AND kind = ? AND direction = ?
             AND object_class = ? AND minute = ?`,
        )
        .run(
          bucket.cameraId,
          bucket.ruleId,
          bucket.kind,
          bucket.direction ?? '',
          bucket.objectClass,
          bucket.minute,
        );
    })();
  }

  /** Moves an occupancy sample the contract refuses into `quarantined_rows`, with the reason. */
  quarantineOccupancy(id: number, sample: unknown, reason: string, at: number): void {
    this.db.$client.transaction(() => {
      this.db
        .insert(quarantinedRows)
        .values({ sourceTable: 'occupancy_samples', rowKey: id, row: JSON.stringify(sample), reason, at })
        .run();
      this.db
        .delete(occupancySamples)
        .where(sql`${occupancySamples.id} = ${id}`)
        .run();
    })();
  }

  /** How many stored rows were quarantined (for the heartbeat and /healthz). */
  quarantinedCount(): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(quarantinedRows)
        .get()?.n ?? 0
    );
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

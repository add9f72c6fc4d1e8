import type { Logger } from 'pino';
import type { OpenedDatabase } from './database';

export interface DiskUse {
  usedBytes: number;
  budgetBytes: number;
  foldedEvents: number;
}

export interface EnforceResult {
  deletedSynced: number;
  folded: number;
  deletedOccupancy: number;
}

const CHUNK = 2000;

/**
 * Keeps the database within a byte budget. Order of sacrifice, cheapest loss first:
 * 1. raw events the cloud already acknowledged (they only serve a `resync`), oldest first;
 * 2. occupancy samples older than an hour (a chart gap, not a lost count);
 * 3. unsynced raw events, oldest first, FOLDED: their counts already live in `minute_buckets` (updated with every
 *    insert), so deleting them loses the per-event detail but no count. Their buckets are marked due again and
 *    `sync_state.folded_through` tells the cloud, in the next event batch, that those seqs will never come raw.
 * Every step logs what it removed; the heartbeat reports the running total of folded events.
 */
export class DiskBudget {
  constructor(
    private readonly store: OpenedDatabase,
    private readonly budgetBytes: number,
    private readonly log: Logger,
  ) {}

  use(): DiskUse {
    const s = this.store.sqlite;
    const row = s.prepare('SELECT folded_events AS f FROM sync_state WHERE id = 1').get() as { f: number };
    return { usedBytes: this.usedBytes(), budgetBytes: this.budgetBytes, foldedEvents: row.f };
  }

  /** Database file plus its write-ahead log, as pages SQLite holds (free pages excluded). */
  usedBytes(): number {
    const s = this.store.sqlite;
    const pageSize = s.pragma('page_size', { simple: true }) as number;
    const pages = s.pragma('page_count', { simple: true }) as number;
    const free = s.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  enforce(now = Date.now()): EnforceResult {
    const result: EnforceResult = { deletedSynced: 0, folded: 0, deletedOccupancy: 0 };
    if (this.usedBytes() <= this.budgetBytes) return result;
    const s = this.store.sqlite;
    const acked = () =>
      (s.prepare('SELECT acked_seq AS a FROM sync_state WHERE id = 1').get() as { a: number }).a;
    while (this.usedBytes() > this.budgetBytes) {
      const n = s
        .prepare(
          `DELETE FROM count_events WHERE seq IN (SELECT seq FROM count_events WHERE seq <= ? ORDER BY seq LIMIT ?)`,
        )
        .run(acked(), CHUNK).changes;
      if (n === 0) break;
      result.deletedSynced += n;
      this.reclaim();
    }
    while (this.usedBytes() > this.budgetBytes) {
      const n = s.prepare('DELETE FROM occupancy_samples WHERE ts < ?').run(now - 3_600_000).changes;
      result.deletedOccupancy += n;
      this.reclaim();
      break;
    }
    while (this.usedBytes() > this.budgetBytes) {
      const n = this.foldOldest(CHUNK);
      if (n === 0) break;
      result.folded += n;
      this.reclaim();
    }
    if (result.deletedSynced)
      this.log.warn({ events: result.deletedSynced }, 'disk budget: deleted acknowledged raw events');
    if (result.deletedOccupancy)
      this.log.warn({ samples: result.deletedOccupancy }, 'disk budget: deleted old occupancy samples');
    if (result.folded)
      this.log.warn(
        { events: result.folded, budgetBytes: this.budgetBytes },
        'disk budget: folded unsynced raw events into minute buckets (counts kept, per-event detail dropped)',
      );
    if (this.usedBytes() > this.budgetBytes)
      this.log.error(
        { usedBytes: this.usedBytes(), budgetBytes: this.budgetBytes },
        'disk budget: still over budget',
      );
    return result;
  }

  /** Deletes the oldest unsynced events in one transaction, marking their buckets due and moving folded_through. */
  private foldOldest(limit: number): number {
    const s = this.store.sqlite;
    return s.transaction(() => {
      const range = s
        .prepare(
          `SELECT min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM
             (SELECT seq FROM count_events WHERE seq > (SELECT acked_seq FROM sync_state WHERE id = 1)
              ORDER BY seq LIMIT ?)`,
        )
        .get(limit) as { lo: number | null; hi: number | null; n: number };
      if (range.n === 0 || range.hi === null) return 0;
      // Mark every bucket these events counted in as due again (-1 never equals a count).
      s.prepare(
        `UPDATE minute_buckets SET sent_count = -1 WHERE (camera_id, rule_id, kind, direction, object_class, minute) IN
           (SELECT camera_id, rule_id, kind, coalesce(direction, ''), object_class, ts - (ts % 60000)
              FROM count_events WHERE seq BETWEEN ? AND ?)`,
      ).run(range.lo, range.hi);
      const n = s
        .prepare('DELETE FROM count_events WHERE seq BETWEEN ? AND ?')
        .run(range.lo, range.hi).changes;
      s.prepare(
        `UPDATE sync_state SET folded_through = max(folded_through, ?), folded_events = folded_events + ? WHERE id = 1`,
      ).run(range.hi, n);
      return n;
    })();
  }

  private reclaim(): void {
    this.store.sqlite.pragma('incremental_vacuum');
  }
}

import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { openStore, type Store } from '../../src/store';
import { databasePath } from '../../src/store/database';
import { DiskBudget } from '../../src/store/disk-budget';
import { draft, T0 } from '../helpers/drafts';
import { tempDir } from '../helpers/temp-dir';

const log = createLogger('test', 'silent');

describe('edge store (SQLite, real file)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  function open(budget = 1 << 30): { store: Store; dir: string } {
    const t = tempDir('store');
    const store = openStore(t.dir, budget, log);
    cleanups.push(() => {
      store.close();
      t.remove();
    });
    return { store, dir: t.dir };
  }

  it('applies migrations, uses WAL and FULL sync, and creates the file with mode 0600', () => {
    const { store, dir } = open();
    expect(store.database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(statSync(databasePath(dir)).mode & 0o777).toBe(0o600);
    const tables = store.database.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'count_events',
        'minute_buckets',
        'occupancy_samples',
        'sync_state',
        'applied_configs',
        'device_identity',
      ]),
    );
  });

  it('assigns strictly increasing seqs in the insert transaction and never reuses one after deletes', () => {
    const { store } = open();
    expect(store.events.appendEvents([draft(1), draft(2), draft(3)])).toEqual([1, 2, 3]);
    store.database.sqlite.prepare('DELETE FROM count_events').run();
    expect(store.events.appendEvents([draft(4)])).toEqual([4]);
    expect(store.events.lastSeq()).toBe(4);
  });

  it('keeps minute totals per key in the same transaction, and tracks which totals are due', () => {
    const { store } = open();
    store.events.appendEvents([draft(1), draft(2), draft(4), draft(3)]); // 3 is 'out'
    const due = store.events.dueBuckets(100);
    expect(due).toEqual([
      expect.objectContaining({ direction: 'in', minute: T0, count: 3 }),
      expect.objectContaining({ direction: 'out', minute: T0, count: 1 }),
    ]);
    store.events.markBucketsSent(due);
    expect(store.events.dueBuckets(100)).toEqual([]);
    store.events.appendEvents([draft(5)]);
    expect(store.events.dueBuckets(100)).toEqual([expect.objectContaining({ direction: 'in', count: 4 })]);
  });

  it('prunes only acknowledged buckets older than the horizon; an unacknowledged one stays due', () => {
    const { store } = open();
    const later = { ...draft(1), ts: T0 + 120_000 }; // the minute T0 + 2 min
    store.events.appendEvents([draft(1), draft(3), later]); // T0: one 'in', one 'out'
    const inT0 = store.events.dueBuckets(100).filter((b) => b.minute === T0 && b.direction === 'in');
    store.events.markBucketsSent(inT0); // only T0's 'in' total was acknowledged
    expect(store.events.pruneAckedBuckets(T0 + 60_000)).toBe(1);
    expect(store.events.dueBuckets(100)).toEqual([
      expect.objectContaining({ direction: 'out', minute: T0, count: 1 }),
      expect.objectContaining({ direction: 'in', minute: T0 + 120_000, count: 1 }),
    ]);
  });

  it('reads events back in seq order with the device id, and acks only move forward', () => {
    const { store } = open();
    store.events.appendEvents([draft(1), draft(2), draft(3)]);
    const events = store.events.readEvents('dev-a', 2, 10);
    expect(events.map((e) => [e.deviceId, e.seq])).toEqual([
      ['dev-a', 2],
      ['dev-a', 3],
    ]);
    expect(store.events.recordAck(2, T0)).toBe(2);
    expect(store.events.recordAck(1, T0)).toBe(2);
    expect(store.events.recordAck(99, T0)).toBe(3); // never past what was assigned
    expect(store.events.backlog()).toBe(0);
  });

  it("keeps a zone exit's end reason (a camera restart) through the store", () => {
    const { store } = open();
    const exit = {
      ...draft(1),
      kind: 'zone_exit' as const,
      dwellMs: 1200,
      endReason: 'camera_restart' as const,
    };
    store.events.appendEvents([draft(0), exit]);
    const [plain, ended] = store.events.readEvents('dev-a', 1, 10);
    expect(plain!.endReason).toBeUndefined();
    expect(ended).toMatchObject({ kind: 'zone_exit', dwellMs: 1200, endReason: 'camera_restart' });
  });

  it('survives a reopen: events, seqs and the acked seq are durable', () => {
    const t = tempDir('store-reopen');
    cleanups.push(t.remove);
    const a = openStore(t.dir, 1 << 30, log);
    a.events.appendEvents([draft(1), draft(2)]);
    a.events.recordAck(1, T0);
    a.close();
    const b = openStore(t.dir, 1 << 30, log);
    cleanups.push(() => b.close());
    expect(b.events.appendEvents([draft(3)])).toEqual([3]);
    expect(b.events.syncState().ackedSeq).toBe(1);
    expect(b.events.backlog()).toBe(2);
  });

  it('under the disk budget deletes synced events first, then folds unsynced ones into buckets without losing counts', () => {
    const { store } = open(1 << 30);
    const N = 6000;
    for (let i = 0; i < N; i += 100)
      store.events.appendEvents(Array.from({ length: 100 }, (_, j) => draft(i + j + 1)));
    store.events.recordAck(2000, T0);
    const before = store.disk.usedBytes();
    const totalBefore = store.events.dueBuckets(10_000).reduce((n, b) => n + b.count, 0);
    // A budget a bit below what the synced events occupy forces step 1 only.
    const tight = openStoreBudget(store, Math.floor(before * 0.8));
    const r1 = tight.enforce();
    expect(r1.deletedSynced).toBeGreaterThan(0);
    expect(r1.folded).toBe(0);
    expect(store.events.storedEventsAbove(2000)).toBe(N - 2000); // no unsynced event touched
    // A budget far below forces folding of unsynced events, oldest first.
    const tiny = openStoreBudget(store, 40_000);
    const r2 = tiny.enforce();
    expect(r2.folded).toBeGreaterThan(0);
    const state = store.events.syncState();
    expect(state.foldedEvents).toBe(r2.folded);
    expect(state.foldedThrough).toBeGreaterThan(2000);
    expect(store.events.storedEventsAbove(state.foldedThrough)).toBe(N - state.foldedThrough);
    // The minute totals still hold every count, and the folded minutes are due again.
    const totalAfter = store.events.dueBuckets(10_000).reduce((n, b) => n + b.count, 0);
    expect(totalAfter).toBe(totalBefore);
    expect(store.events.backlog()).toBe(N - state.foldedThrough);
    expect(tiny.use().foldedEvents).toBe(r2.folded);
  });
});

function openStoreBudget(store: Store, budget: number): DiskBudget {
  // Same database, another budget: DiskBudget is a thin policy over the open file.
  return new DiskBudget(store.database, budget, log);
}

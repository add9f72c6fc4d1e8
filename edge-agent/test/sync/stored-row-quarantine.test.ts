import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { decodeMessage } from '@tally/proto';
import { openStore, type Store } from '../../src/store';
import { buildHeartbeat } from '../../src/health/heartbeat';
import { MqttLink } from '../../src/sync/mqtt-link';
import { Outbox } from '../../src/sync/outbox';
import { CloudIngest } from '../helpers/cloud-ingest';
import { startAedes } from '../helpers/brokers';
import { T0, draft } from '../helpers/drafts';
import { tempDir, waitFor } from '../helpers/temp-dir';

const SYNC = {
  batchSize: 50,
  backfillRatePerS: 5000,
  ackTimeoutMs: 1000,
  cycleMs: 20,
  maxInflightBatches: 8,
  bucketIntervalS: 0.2,
};

/**
 * Issue 9 item 10, edge side: a stored event row the contract refuses (here written straight into SQLite with a
 * confidence of 7, as a bug or a damaged file could) must not stall sync. It is quarantined on the box (kept with
 * the reason, logged once, counted in the heartbeat), and the rows around it reach the cloud's real ingest, whose
 * contiguous ack passes the quarantined seq.
 */
describe('a stored row that fails validation', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  it('is quarantined with its reason and the next valid rows still sync and are acked', async () => {
    const deviceId = `dev-poison-${Math.random().toString(16).slice(2, 8)}`;
    const lines: { msg: string; key?: number; reason?: string }[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    const broker = await startAedes();
    cleanups.push(() => broker.close());
    const t = tempDir('poison');
    const store: Store = openStore(t.dir, 1 << 30, log);
    cleanups.push(() => {
      store.close();
      t.remove();
    });
    store.events.appendEvents([draft(1), draft(2), draft(3)]);
    store.database.sqlite
      .prepare(
        `INSERT INTO count_events (camera_id, rule_id, kind, direction, object_class, track_id, ts, confidence)
         VALUES ('cam-entrance', 'door-line', 'line_cross', 'in', 'person', 4, ?, 7)`,
      )
      .run(T0 + 4000);
    store.events.appendEvents([draft(5), draft(6), draft(7), draft(8)]);

    const cloud = new CloudIngest(broker.url, { devices: [deviceId] });
    await cloud.start();
    cleanups.push(() => cloud.stop());
    const link = new MqttLink({ url: broker.url, deviceId, reconnectPeriodMs: 200, keepaliveS: 10, log });
    const outbox = new Outbox(store.events, link, SYNC, log);
    outbox.start();
    link.start();
    cleanups.push(async () => {
      outbox.stop();
      await link.stop();
    });

    await waitFor(() => store.events.syncState().ackedSeq === 8, 'the ack past the quarantined seq 4');
    expect(await cloud.stored(deviceId)).toEqual([1, 2, 3, 5, 6, 7, 8]);
    // Live events after it sync as usual.
    store.events.appendEvents([draft(9)]);
    outbox.kick();
    await waitFor(() => store.events.syncState().ackedSeq === 9, 'the ack of a live event after it');
    expect(await cloud.counted(deviceId)).toBe(8); // 1-3 and 5-9, each once

    const kept = store.database.sqlite
      .prepare('SELECT source_table, row_key, row, reason FROM quarantined_rows')
      .all() as { source_table: string; row_key: number; row: string; reason: string }[];
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ source_table: 'count_events', row_key: 4 });
    expect(kept[0]!.reason).toContain('/confidence');
    expect(JSON.parse(kept[0]!.row)).toMatchObject({ seq: 4, confidence: 7 });
    expect(lines.filter((l) => l.msg.includes('quarantined'))).toEqual([
      expect.objectContaining({ key: 4, reason: expect.stringContaining('/confidence') }),
    ]);

    const stats = outbox.stats();
    expect(stats).toMatchObject({ quarantined: 1, backlog: 0 });
    const hb = buildHeartbeat({
      deviceId,
      now: Date.now(),
      startedAt: Date.now() - 1000,
      agentVersion: '0.1.0',
      configVersion: undefined,
      model: undefined,
      outbox: stats,
      disk: { usedBytes: 0, budgetBytes: 1 << 30, foldedEvents: 0 },
      cameras: [],
    });
    expect(decodeMessage('heartbeat', hb, deviceId).ok).toBe(true);
    expect(hb.outbox.quarantined).toBe(1);
  });

  it('holds up neither the bucket nor the occupancy channel: a bad bucket or sample is quarantined, the rest sync', async () => {
    const deviceId = `dev-poison-b-${Math.random().toString(16).slice(2, 8)}`;
    const log = pino({ level: 'silent' });
    const broker = await startAedes();
    cleanups.push(() => broker.close());
    const t = tempDir('poison-b');
    const store: Store = openStore(t.dir, 1 << 30, log);
    cleanups.push(() => {
      store.close();
      t.remove();
    });
    const minute = T0 - (T0 % 60_000);
    store.events.appendEvents([draft(1), draft(2)]); // a valid 'in' total of 2 in T0's minute
    const sql = store.database.sqlite;
    // An empty class (the contract wants 1-64 characters), and a sample whose counts are not JSON.
    sql
      .prepare(
        `INSERT INTO minute_buckets (camera_id, rule_id, kind, direction, object_class, minute, count)
         VALUES ('cam-entrance', 'door-line', 'line_cross', 'in', '', ?, 5)`,
      )
      .run(minute - 60_000);
    sql
      .prepare(
        `INSERT INTO occupancy_samples (camera_id, zone_id, ts, counts) VALUES ('cam-entrance', 'queue', ?, ?)`,
      )
      .run(T0, '{"person": 3');
    store.events.appendOccupancy([
      { cameraId: 'cam-entrance', zoneId: 'queue', ts: T0 + 1000, counts: { person: 1 } },
    ]);

    const cloud = new CloudIngest(broker.url, { devices: [deviceId] });
    await cloud.start();
    cleanups.push(() => cloud.stop());
    const link = new MqttLink({ url: broker.url, deviceId, reconnectPeriodMs: 200, keepaliveS: 10, log });
    const outbox = new Outbox(store.events, link, SYNC, log);
    outbox.start();
    link.start();
    cleanups.push(async () => {
      outbox.stop();
      await link.stop();
    });

    await waitFor(
      async () => (await cloud.deviceBuckets(deviceId)).length === 1,
      'the valid bucket in the cloud',
    );
    expect(await cloud.deviceBuckets(deviceId)).toEqual([
      { ruleId: 'door-line', direction: 'in', minute, count: 2 },
    ]);
    await waitFor(
      async () => (await cloud.occupancy(deviceId)).length === 1,
      'the valid sample in the cloud',
    );
    expect(await cloud.occupancy(deviceId)).toEqual([
      { zoneId: 'queue', objectClass: 'person', ts: T0 + 1000, count: 1 },
    ]);
    const kept = sql
      .prepare('SELECT source_table, row_key, reason FROM quarantined_rows ORDER BY source_table')
      .all();
    expect(kept).toEqual([
      {
        source_table: 'minute_buckets',
        row_key: minute - 60_000,
        reason: expect.stringContaining('/objectClass'),
      },
      { source_table: 'occupancy_samples', row_key: 1, reason: expect.stringContaining('/counts') },
    ]);
    expect(outbox.stats().quarantined).toBe(2);
  });
});

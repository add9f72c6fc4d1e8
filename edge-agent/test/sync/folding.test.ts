import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, topics, type BucketBatch } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { openStore } from '../../src/store';
import { DiskBudget } from '../../src/store/disk-budget';
import { MqttLink } from '../../src/sync/mqtt-link';
import { Outbox } from '../../src/sync/outbox';
import { CloudIngest } from '../helpers/cloud-ingest';
import { startAedes } from '../helpers/brokers';
import { draft } from '../helpers/drafts';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('folding', 'silent');

describe('disk budget reached while offline: unsynced events folded into buckets, nothing lost silently', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  it('sends the folded counts as buckets and the ack passes the folded seqs', async () => {
    const t = tempDir('folding');
    cleanups.push(t.remove);
    const store = openStore(t.dir, 1 << 30, log);
    cleanups.push(() => store.close());
    const N = 3000;
    for (let i = 0; i < N; i += 100)
      store.events.appendEvents(Array.from({ length: 100 }, (_, j) => draft(i + j + 1)));
    // A budget that forces folding part of the backlog (the oldest events first).
    const folded = new DiskBudget(store.database, Math.floor(store.disk.usedBytes() * 0.7), log).enforce();
    expect(folded.folded).toBeGreaterThan(0);
    const foldedThrough = store.events.syncState().foldedThrough;
    const rawLeft = N - foldedThrough;
    expect(rawLeft).toBeGreaterThan(0);

    const broker = await startAedes();
    cleanups.push(() => broker.close());
    const consumer = new CloudIngest(broker.url);
    await consumer.start();
    cleanups.push(() => consumer.stop());
    const probe = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    cleanups.push(() => probe.endAsync(true));
    const buckets: BucketBatch[] = [];
    probe.on('message', (_t, p) => buckets.push(JSON.parse(p.toString()) as BucketBatch));
    const deviceId = 'dev-fold';
    await probe.subscribeAsync(topics.buckets(deviceId), { qos: 1 });

    const link = new MqttLink({ url: broker.url, deviceId, reconnectPeriodMs: 200, keepaliveS: 10, log });
    const outbox = new Outbox(
      store.events,
      link,
      {
        batchSize: 200,
        backfillRatePerS: 10_000,
        ackTimeoutMs: 5000,
        cycleMs: 20,
        maxInflightBatches: 8,
        bucketIntervalS: 0.1,
      },
      log,
    );
    outbox.start();
    link.start();
    cleanups.push(async () => {
      outbox.stop();
      await link.stop();
    });

    await waitFor(() => consumer.ackedFor(deviceId) === N, 'ack through every seq, folded ones included');
    const stored = await consumer.stored(deviceId);
    expect(stored).toHaveLength(rawLeft); // only the raw survivors travelled as events
    expect(stored[0]).toBe(foldedThrough + 1);
    await waitFor(() => buckets.length > 0 && store.events.dueBuckets(10).length === 0, 'buckets sent');
    // A bucket is a minute's total, and the device may send one again (a publish not confirmed in time on a busy
    // machine is resent): keep the latest total per minute and key, as the cloud does, then add them up.
    const totals = new Map<string, number>();
    for (const b of buckets.flatMap((m) => (decodeMessage('buckets', m, deviceId).ok ? m.buckets : []))) {
      const key = [b.minute, b.cameraId, b.ruleId, b.kind, b.direction ?? '', b.objectClass].join('|');
      totals.set(key, Math.max(totals.get(key) ?? 0, b.count));
    }
    const total = [...totals.values()].reduce((n, c) => n + c, 0);
    expect(total).toBe(N); // every count arrives, in the buckets
    expect(store.disk.use().foldedEvents).toBe(folded.folded);
    // The cloud's analytics count all N once: folded minutes from the device's totals, raw ones not twice.
    await waitFor(async () => (await consumer.counted(deviceId)) === N, `the cloud counting ${N}`);
    await waitFor(() => store.events.backlog() === 0, 'the device sees the ack');
  });
});

import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, topics, type BucketBatch } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { openStore } from '../../src/store';
import { DiskBudget } from '../../src/store/disk-budget';
import { MqttLink } from '../../src/sync/mqtt-link';
import { Outbox } from '../../src/sync/outbox';
import { AckConsumer } from '../helpers/ack-consumer';
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
    const consumer = new AckConsumer(broker.url);
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
    expect(consumer.stored(deviceId)).toHaveLength(rawLeft); // only the raw survivors travelled as events
    expect(consumer.stored(deviceId)[0]).toBe(foldedThrough + 1);
    await waitFor(() => buckets.length > 0 && store.events.dueBuckets(10).length === 0, 'buckets sent');
    const total = buckets
      .flatMap((b) => (decodeMessage('buckets', b, deviceId).ok ? b.buckets : []))
      .reduce((n, b) => n + b.count, 0);
    expect(total).toBe(N); // every count arrives, in the buckets
    expect(store.disk.use().foldedEvents).toBe(folded.folded);
    await waitFor(() => store.events.backlog() === 0, 'the device sees the ack');
  });
});

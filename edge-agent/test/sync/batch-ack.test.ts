import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { topics } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { openStore, type Store } from '../../src/store';
import { MqttLink } from '../../src/sync/mqtt-link';
import { Outbox } from '../../src/sync/outbox';
import { CloudIngest } from '../helpers/cloud-ingest';
import { startAedes } from '../helpers/brokers';
import { T0, draft } from '../helpers/drafts';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('test', 'silent');
const SYNC = {
  batchSize: 50,
  backfillRatePerS: 5000,
  ackTimeoutMs: 1000,
  cycleMs: 20,
  maxInflightBatches: 8,
  bucketIntervalS: 0.2,
};

/**
 * Issue 9 item 7: minute buckets and occupancy samples are delivered only when the cloud's ingest acknowledges
 * them, not when the broker takes them. Here the broker takes them while no ingest is subscribed (a cloud that is
 * down behind an external broker: nothing is queued for it), and they must still arrive once ingest is back.
 */
const BROKERS = [
  { name: 'aedes', start: async () => startAedes() },
  {
    name: 'mosquitto 127.0.0.1:1883',
    start: async () => ({ url: 'mqtt://127.0.0.1:1883', close: async () => {} }),
  },
];

describe.each(BROKERS)('buckets and occupancy over $name', ({ start }) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  it('published while ingest is not subscribed, they are resent and arrive once ingest is back', async () => {
    const deviceId = `dev-batch-ack-${Math.random().toString(16).slice(2, 8)}`;
    const broker = await start();
    cleanups.push(() => broker.close());
    const t = tempDir('batch-ack');
    const store: Store = openStore(t.dir, 1 << 30, log);
    cleanups.push(() => {
      store.close();
      t.remove();
    });
    // Three crossings in T0's minute (drafts 1, 2 go "in", 3 goes "out"), and one occupancy sample.
    store.events.appendEvents([draft(1), draft(2), draft(3)]);
    store.events.appendOccupancy([
      { cameraId: 'cam-entrance', zoneId: 'queue', ts: T0, counts: { person: 2 } },
    ]);

    // A probe (not ingest) proves the broker took both channels while nothing of the cloud listened.
    const probe = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    cleanups.push(() => probe.endAsync(true));
    const seen = new Set<string>();
    probe.on('message', (topic) => seen.add(topic));
    await probe.subscribeAsync([topics.buckets(deviceId), topics.occupancy(deviceId)], { qos: 1 });

    const link = new MqttLink({ url: broker.url, deviceId, reconnectPeriodMs: 200, keepaliveS: 10, log });
    const outbox = new Outbox(store.events, link, SYNC, log);
    outbox.start();
    link.start();
    cleanups.push(async () => {
      outbox.stop();
      await link.stop();
    });
    await waitFor(
      () => seen.has(topics.buckets(deviceId)) && seen.has(topics.occupancy(deviceId)),
      'buckets and occupancy published to the broker',
    );
    // Still unacknowledged: kept on the box.
    expect(store.events.dueBuckets(10)).toHaveLength(2);
    expect(store.events.pendingOccupancy(10).samples).toHaveLength(1);

    const cloud = new CloudIngest(broker.url, { devices: [deviceId] });
    await cloud.start();
    cleanups.push(() => cloud.stop());

    const minute = T0 - (T0 % 60_000);
    await waitFor(
      async () => (await cloud.deviceBuckets(deviceId)).length === 2,
      'buckets stored in the cloud',
    );
    expect(await cloud.deviceBuckets(deviceId)).toEqual([
      { ruleId: 'door-line', direction: 'in', minute, count: 2 },
      { ruleId: 'door-line', direction: 'out', minute, count: 1 },
    ]);
    await waitFor(
      async () => (await cloud.occupancy(deviceId)).length === 1,
      'occupancy stored in the cloud',
    );
    expect(await cloud.occupancy(deviceId)).toEqual([
      { zoneId: 'queue', objectClass: 'person', ts: T0, count: 2 },
    ]);
    // The acks arrived: the totals are no longer due and the samples are gone from the box.
    await waitFor(
      () =>
        store.events.dueBuckets(10).length === 0 && store.events.pendingOccupancy(10).samples.length === 0,
      'buckets marked acknowledged and occupancy pruned on the box',
    );
  });
});

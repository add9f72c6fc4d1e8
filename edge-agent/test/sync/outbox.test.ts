import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { decodeMessage, topics } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { openStore, type Store } from '../../src/store';
import { MqttLink } from '../../src/sync/mqtt-link';
import { Outbox } from '../../src/sync/outbox';
import { CloudIngest } from '../helpers/cloud-ingest';
import { startEmbeddedBroker } from '../../../cloud/src/broker/embedded';
import { startAedes } from '../helpers/brokers';
import { draft } from '../helpers/drafts';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('test', 'silent');
const SYNC = {
  batchSize: 50,
  backfillRatePerS: 5000,
  ackTimeoutMs: 2000,
  cycleMs: 20,
  maxInflightBatches: 8,
  bucketIntervalS: 0.2,
};

interface Broker {
  url: string;
  close(): Promise<void>;
  /** Credentials for a device id (the cloud's broker checks them), and for the trusted consumer. */
  device?: (deviceId: string) => { username: string; password: string };
  consumer?: { username: string; password: string };
}

/**
 * Brokers the outbox must work against: a plain aedes, the system Mosquitto, and THE CLOUD'S embedded broker
 * (cloud/src/broker/embedded.ts) with its device authentication and ACL.
 */
const BROKERS: { name: string; start: () => Promise<Broker> }[] = [
  { name: 'aedes', start: async () => startAedes() },
  {
    name: 'mosquitto 127.0.0.1:1883',
    start: async () => ({ url: 'mqtt://127.0.0.1:1883', close: async () => {} }),
  },
  {
    name: "the cloud's embedded broker (device auth + ACL)",
    start: async () => {
      const b = await startEmbeddedBroker({
        port: 0,
        host: '127.0.0.1',
        wsPort: null,
        // Test credentials: every device's password is its id reversed.
        authenticateDevice: async (u, p) => (p === [...u].reverse().join('') ? u : null),
        log,
      });
      return {
        url: `mqtt://127.0.0.1:${b.ports.mqtt}`,
        close: () => b.close(),
        device: (id) => ({ username: id, password: [...id].reverse().join('') }),
        consumer: b.internal,
      };
    },
  },
];

describe.each(BROKERS)('outbox over $name', ({ start }) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  /** Broker, store, ack consumer and the agent's link + outbox; `backlog` events are stored before it connects. */
  async function setup(deviceId: string, backlog = 0) {
    const broker = await start();
    cleanups.push(() => broker.close());
    const t = tempDir('outbox');
    const store: Store = openStore(t.dir, 1 << 30, log);
    cleanups.push(() => {
      store.close();
      t.remove();
    });
    // The backlog exists before the agent connects: a day offline in miniature.
    for (let i = 0; i < backlog; i += 50)
      store.events.appendEvents(Array.from({ length: 50 }, (_, j) => draft(i + j + 1)));
    const consumer = new CloudIngest(broker.url, {
      devices: [deviceId],
      ...(broker.consumer ? { credentials: broker.consumer } : {}),
    });
    await consumer.start();
    cleanups.push(() => consumer.stop());
    const link = new MqttLink({
      url: broker.url,
      deviceId,
      reconnectPeriodMs: 200,
      keepaliveS: 10,
      log,
      ...broker.device?.(deviceId),
    });
    const outbox = new Outbox(store.events, link, SYNC, log);
    outbox.start();
    link.start();
    cleanups.push(async () => {
      outbox.stop();
      await link.stop();
    });
    return { broker, store, consumer, link, outbox };
  }

  it('delivers a stored backlog and live events exactly once each, and the acked seq follows', async () => {
    const deviceId = `dev-outbox-${Math.random().toString(16).slice(2, 8)}`;
    const { store, consumer } = await setup(deviceId, 400);
    for (let i = 0; i < 20; i++) store.events.appendEvents([draft(1000 + i)]);
    await waitFor(() => store.events.syncState().ackedSeq === 420, 'ack of all 420 events');
    expect(await consumer.stored(deviceId)).toEqual(Array.from({ length: 420 }, (_, i) => i + 1));
    expect(await consumer.counted(deviceId)).toBe(420); // the cloud's analytics: each counted once
    expect(store.events.backlog()).toBe(0);
  });

  it('publishes a retained online status on connect and sends changed minute buckets', async () => {
    const deviceId = `dev-status-${Math.random().toString(16).slice(2, 8)}`;
    const { broker, store } = await setup(deviceId);
    store.events.appendEvents([draft(1), draft(2)]);
    const probe = await mqtt.connectAsync(broker.url, { protocolVersion: 4, ...broker.consumer });
    cleanups.push(() => probe.endAsync(true));
    const seen: { topic: string; body: unknown; retain: boolean }[] = [];
    probe.on('message', (topic, payload, packet) =>
      seen.push({ topic, body: JSON.parse(payload.toString()), retain: packet.retain }),
    );
    await probe.subscribeAsync([topics.status(deviceId), topics.buckets(deviceId)], { qos: 1 });
    await waitFor(() => seen.find((m) => m.topic === topics.status(deviceId)), 'status');
    // A late subscriber gets it too: the status is retained.
    const late = await mqtt.connectAsync(broker.url, { protocolVersion: 4, ...broker.consumer });
    cleanups.push(() => late.endAsync(true));
    const retained = new Promise<{ body: unknown; retain: boolean }>((resolve) =>
      late.on('message', (_t, payload, packet) =>
        resolve({ body: JSON.parse(payload.toString()), retain: packet.retain }),
      ),
    );
    await late.subscribeAsync(topics.status(deviceId), { qos: 1 });
    const status = await retained;
    expect(status.retain).toBe(true);
    expect(status.body).toMatchObject({ state: 'online', deviceId });
    const buckets = await waitFor(() => seen.find((m) => m.topic === topics.buckets(deviceId)), 'buckets');
    const decoded = decodeMessage('buckets', buckets.body, deviceId);
    expect(decoded.ok).toBe(true);
    await waitFor(() => store.events.dueBuckets(10).length === 0, 'buckets marked sent');
  });
});

import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, topics } from '@tally/proto';
import { validMessages } from '@tally/proto/fixtures';
import { createLogger } from '@tally/proto/log';
import type { CloudConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { testConfig } from '../app/build';
import { FakeDevice, MOSQUITTO_URL, seedDevice, seedSite, uniqueId, waitFor } from './support';

const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Regression (issue 9, item 7): with an external broker the cloud subscribed with a random client id per process,
 * so while it was down (a restart, a crash) the broker kept nothing for it, and buckets and occupancy samples the
 * devices published then were lost. Ingest now has a stable client id per instance (MQTT_CLIENT_ID) with a
 * persistent session (clean: false, QoS 1): the broker queues for it, and it takes the queue when it comes back.
 * Real Mosquitto, real PostgreSQL, the whole server as `cloud serve` runs it.
 */
describe('the cloud ingest down, the devices publishing, the cloud back: nothing lost', () => {
  let dbName: string;
  let config: CloudConfig;
  let server: RunningServer | undefined;
  let device: FakeDevice | undefined;
  const log = createLogger('ingest-restart', 'silent');

  beforeAll(async () => {
    dbName = `tally_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    config = testConfig({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: url.toString(),
      mqttUrl: MOSQUITTO_URL,
      mqttShareGroup: uniqueId('share').replace(/[^A-Za-z0-9_-]/g, '_'),
      mqttClientId: uniqueId('tally-ingest-test'),
    });
  });
  afterAll(async () => {
    await device?.close();
    await server?.stop();
    // Drop the persistent session this test left on the shared Mosquitto.
    const clear = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: config.mqttClientId, clean: true });
    await clear.endAsync();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('takes the buckets, occupancy samples and events queued while it was down', async () => {
    server = await startServer(config, { log });
    const db = server.ctx.database;
    const deviceId = await seedDevice(db, await seedSite(db, 'Europe/Berlin'));
    await server.stop();
    server = undefined;

    device = await FakeDevice.connect(MOSQUITTO_URL, deviceId);
    const minute = Date.UTC(2026, 4, 1, 10);
    const bucket = { ...validMessages.buckets.buckets[0]!, minute, count: 7 };
    await device.sendRaw(topics.buckets(deviceId), {
      v: SCHEMA_VERSION,
      deviceId,
      sentAt: Date.now(),
      buckets: [bucket],
    });
    await device.sendRaw(topics.occupancy(deviceId), { ...validMessages.occupancy, deviceId });
    await device.sendEvents([1, 2, 3]);

    server = await startServer(config, { log });
    const again = server.ctx.database;
    const sum = async (sql: string) => Number((await again.query<{ n: string }>(sql, [deviceId]))[0]!.n);
    await waitFor(
      async () =>
        (await sum(`SELECT coalesce(sum(count), 0) AS n FROM device_buckets WHERE device_id = $1`)) === 7 &&
        (await sum(`SELECT count(*) AS n FROM occupancy_samples WHERE device_id = $1`)) > 0 &&
        device!.lastAck === 3,
      'the queued buckets, occupancy and events stored and the events acked',
      60_000,
    );
    expect(await sum(`SELECT count(*) AS n FROM events WHERE device_id = $1`)).toBe(3);
  }, 120_000);
});

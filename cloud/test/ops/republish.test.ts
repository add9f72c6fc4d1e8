import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, topics } from '@tally/proto';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { createLogger } from '@tally/proto/log';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { connectDevice, eventually } from '../broker/harness';
import { createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('startServer on PostgreSQL with the embedded broker', () => {
  let database: TestDatabase;
  let dataDir: string;
  let url: string;
  beforeAll(async () => {
    database = await freshPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'tally-republish-'));
    // The server opens its own pool on the same per-run database.
    const rows = await database.query<{ db: string }>('select current_database() as db');
    const base = new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    base.pathname = `/${rows[0]!.db}`;
    url = base.toString();
  });
  afterAll(async () => {
    await database?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (): Promise<RunningServer> =>
    startServer(
      loadConfig(
        {},
        {
          dataDir,
          databaseUrl: url,
          port: 0,
          host: '127.0.0.1',
          mqttPort: 0,
          mqttWsPort: 0,
          jwtSecret: 'republish-test-secret-republish-test',
        },
      ).config,
      { log: createLogger('test-server', 'silent') },
    );

  it('re-publishes retained configs after a restart, since aedes keeps them in memory', async () => {
    const first = await start();
    let deviceId: string;
    let password: string;
    let version: number;
    try {
      const orgId = await seedOrg(database.db);
      const admin = (await signedIn(first.app, database.db, orgId, 'admin')).headers;
      const dev = await provisionDevice(first.app, admin, await createSite(first.app, admin));
      expect(dev.mqtt.url).toBe(`mqtt://127.0.0.1:${first.ctx.broker!.ports.mqtt}`);
      ({ deviceId, password } = { deviceId: dev.deviceId, password: dev.mqtt.password });
      version = (await createCamera(first.app, admin, deviceId)).config.version;
    } finally {
      await first.stop();
    }

    const second = await start();
    try {
      const device = await connectDevice(
        `mqtt://127.0.0.1:${second.ctx.broker!.ports.mqtt}`,
        deviceId,
        password,
      );
      const got: string[] = [];
      device.on('message', (_t, payload) => got.push(payload.toString()));
      await device.subscribeAsync(topics.config(deviceId), { qos: 1 });
      await eventually(() => got.length > 0);
      const decoded = decodeMessage('config', got[0]!, deviceId);
      expect(decoded.ok && decoded.value.version).toBe(version);
      await device.endAsync(true);
    } finally {
      await second.stop();
    }
  });

  it('uses an external broker when MQTT_URL is set and tells devices where it is', async () => {
    const ingestId = `tally-ingest-test-${process.pid}-${Date.now()}`;
    const server = await startServer(
      loadConfig(
        {},
        {
          dataDir,
          databaseUrl: url,
          port: 0,
          host: '127.0.0.1',
          mqttUrl: 'mqtt://127.0.0.1:1883',
          // Mosquitto is shared by everyone's tests: a share group and a persistent session of this test's own.
          mqttShareGroup: ingestId,
          mqttClientId: ingestId,
          publicMqttUrl: 'mqtts://mqtt.example.com:8883',
          jwtSecret: 'republish-test-secret-republish-test',
        },
      ).config,
      { log: createLogger('test-server', 'silent') },
    );
    try {
      expect(server.ctx.brokerMode).toBe('external');
      expect(server.ctx.broker).toBeUndefined();
      expect((await server.app.inject('/readyz')).json()).toEqual({ ok: true, database: true, broker: true });
      const orgId = await seedOrg(database.db, 'External');
      const admin = (await signedIn(server.app, database.db, orgId, 'admin')).headers;
      const dev = await provisionDevice(server.app, admin, await createSite(server.app, admin));
      expect(dev.mqtt.url).toBe('mqtts://mqtt.example.com:8883');
      // A config change reaches Mosquitto, retained.
      const { config } = await createCamera(server.app, admin, dev.deviceId);
      const watcher = await connectDevice('mqtt://127.0.0.1:1883', 'watcher', 'x');
      const got: string[] = [];
      watcher.on('message', (_t, payload) => got.push(payload.toString()));
      await watcher.subscribeAsync(topics.config(dev.deviceId), { qos: 1 });
      await eventually(() => got.length > 0);
      const decoded = decodeMessage('config', got[0]!, dev.deviceId);
      expect(decoded.ok && decoded.value.version).toBe(config.version);
      // Clear the retained message so Mosquitto does not keep test data.
      await watcher.publishAsync(topics.config(dev.deviceId), '', { retain: true, qos: 1 });
      await watcher.endAsync(true);
    } finally {
      await server.stop();
      // Drop the persistent session ingest left on Mosquitto.
      const clear = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: ingestId, clean: true });
      await clear.endAsync();
    }
  });
});

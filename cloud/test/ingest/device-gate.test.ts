import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import type { CloudConfig } from '../../src/config';
import { startServer, type RunningServer, type StageFactory } from '../../src/server';
import { testConfig } from '../app/build';
import { createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';
import { FakeDevice, waitFor } from './support';

/**
 * Regression (issue 9, item 7): the embedded broker accepted devices before ingest had subscribed, so a device that
 * connected early published its backlog into a broker nobody listened to and waited out its ack timeout. Now a
 * device gets its CONNACK only once every stage (ingest first) has started.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the embedded broker answers devices only once ingest is subscribed', () => {
  const log = createLogger('device-gate', 'silent');
  let config: CloudConfig;
  let server: RunningServer | undefined;
  const clients: mqtt.MqttClient[] = [];
  const devices: FakeDevice[] = [];

  afterAll(async () => {
    for (const c of clients) await c.endAsync(true);
    for (const d of devices) await d.close();
    await server?.stop();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('holds a connecting device until the stages are up, then its events are acked', async () => {
    config = testConfig({ port: 0, host: '127.0.0.1', mqttPort: await freePort(), mqttWsPort: 0 });
    const first = await startServer(config, { log });
    const orgId = await seedOrg(first.ctx.database.db);
    const admin = (await signedIn(first.app, first.ctx.database.db, orgId, 'admin')).headers;
    const { deviceId, mqtt: creds } = await provisionDevice(
      first.app,
      admin,
      await createSite(first.app, admin),
    );
    await first.stop();

    // The next start is held in a stage after ingest's until the test lets it go.
    let entered!: () => void;
    const inStage = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held: StageFactory = () => ({
      name: 'held',
      start: async () => {
        entered();
        await released;
      },
      stop: async () => undefined,
    });
    const starting = startServer(config, { log, stages: [held] });
    await inStage;

    const url = `mqtt://127.0.0.1:${config.mqttPort}`;
    const early = mqtt.connect(url, {
      username: creds.username,
      password: creds.password,
      clientId: `tally-edge-${deviceId}`,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
    });
    clients.push(early);
    let connectedEarly = false;
    early.on('connect', () => (connectedEarly = true));
    // Before the fix the CONNACK came in milliseconds; with it, none comes while the start is held.
    await waitFor(() => connectedEarly, 'an early CONNACK', 3000).catch(() => undefined);
    expect(connectedEarly).toBe(false);

    release();
    server = await starting;
    await waitFor(() => connectedEarly, 'the CONNACK once the stages are up');
    await early.endAsync(true);
    const device = await FakeDevice.connect(url, deviceId, {
      username: creds.username,
      password: creds.password,
    });
    devices.push(device);
    await device.sendEvents([1, 2]);
    await waitFor(() => device.lastAck === 2, 'ack 2');
  }, 120_000);
});

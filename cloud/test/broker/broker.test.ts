import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { allDevicesFilter, decodeMessage, encodeMessage, topics } from '@tally/proto';
import { validMessages } from '@tally/proto/fixtures';
import { DATABASES, freshPostgres, type TestDatabase } from '../helpers/databases';
import { createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';
import { closed, connectDevice, eventually, startHarness, type BrokerHarness } from './harness';

type Headers = { authorization: string };

describe.each(DATABASES)('embedded broker with device auth and ACL on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let h: BrokerHarness;
  let admin: Headers;
  let siteId: string;
  const clients: MqttClient[] = [];
  const track = (c: MqttClient) => (clients.push(c), c);
  beforeAll(async () => {
    database = await fresh();
    h = await startHarness(database);
    const orgId = await seedOrg(database.db);
    admin = (await signedIn(h.t.app, database.db, orgId, 'admin')).headers;
    siteId = await createSite(h.t.app, admin);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await h?.close();
    await database?.destroy();
  });

  it('lets a provisioned device connect, publish under its prefix, and receive its retained config', async () => {
    const dev = await provisionDevice(h.t.app, admin, siteId);
    expect(dev.mqtt.url).toBe(`mqtt://127.0.0.1:${h.broker.ports.mqtt}`);
    const { config } = await createCamera(h.t.app, admin, dev.deviceId);

    const received: Array<{ topic: string; payload: string }> = [];
    h.cloud.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    await h.cloud.subscribeAsync(allDevicesFilter('heartbeat'), { qos: 1 });

    const device = track(await connectDevice(dev.mqtt.url, dev.mqtt.username, dev.mqtt.password));
    const configs: string[] = [];
    device.on('message', (_topic, payload) => configs.push(payload.toString()));
    await device.subscribeAsync(topics.config(dev.deviceId), { qos: 1 });
    await eventually(() => configs.length > 0);
    const decoded = decodeMessage('config', configs[0]!, dev.deviceId);
    expect(decoded.ok && decoded.value.version).toBe(config.version);

    const heartbeat = { ...validMessages.heartbeat, deviceId: dev.deviceId };
    await device.publishAsync(topics.heartbeat(dev.deviceId), encodeMessage('heartbeat', heartbeat), {
      qos: 1,
    });
    await eventually(() => received.some((m) => m.topic === topics.heartbeat(dev.deviceId)));
  });

  it('refuses a wrong password and an unknown device', async () => {
    const dev = await provisionDevice(h.t.app, admin, siteId);
    await expect(connectDevice(dev.mqtt.url, dev.deviceId, 'wrong')).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connectDevice(dev.mqtt.url, 'dev-nobody', dev.mqtt.password)).rejects.toThrow();
    await expect(connectDevice(dev.mqtt.url, '$tally-cloud', 'guess')).rejects.toThrow();
  });

  it("refuses subscriptions outside the device prefix and drops a device publishing on another's topics", async () => {
    const a = await provisionDevice(h.t.app, admin, siteId, 'A');
    const b = await provisionDevice(h.t.app, admin, siteId, 'B');
    const received: string[] = [];
    h.cloud.on('message', (topic) => received.push(topic));
    await h.cloud.subscribeAsync(topics.events(b.deviceId), { qos: 1 });

    const deviceA = track(await connectDevice(a.mqtt.url, a.mqtt.username, a.mqtt.password));
    for (const filter of [topics.config(b.deviceId), 'tally/v1/#', '#', '$share/g/tally/v1/+/events']) {
      const granted = await deviceA.subscribeAsync(filter, { qos: 1 }).catch(() => [{ qos: 128 }]);
      expect(granted[0]!.qos, filter).toBe(128);
    }
    expect((await deviceA.subscribeAsync(topics.commands(a.deviceId), { qos: 1 }))[0]!.qos).toBe(1);

    // Forging B's events: aedes drops the connection (MQTT 3.1.1 has no negative PUBACK) and delivers nothing.
    const events = { ...validMessages.events, deviceId: b.deviceId, events: [] };
    deviceA.publish(topics.events(b.deviceId), JSON.stringify(events), { qos: 1 });
    await closed(deviceA);
    // A device may not write cloud → device channels of its own prefix either (its retained config).
    const again = track(await connectDevice(a.mqtt.url, a.mqtt.username, a.mqtt.password));
    again.publish(topics.config(a.deviceId), '{}', { qos: 1, retain: true });
    await closed(again);
    expect(received).toEqual([]);
  });

  it("refuses a device that names another device's client id, and leaves that device's session alone", async () => {
    const a = await provisionDevice(h.t.app, admin, siteId, 'A');
    const b = await provisionDevice(h.t.app, admin, siteId, 'B');
    const deviceB = track(await connectDevice(b.mqtt.url, b.mqtt.username, b.mqtt.password));
    let bClosed = false;
    deviceB.on('close', () => (bClosed = true));

    // A's own, valid credentials with B's client id: refused (CONNACK 2, identifier rejected).
    await expect(
      connectDevice(a.mqtt.url, a.mqtt.username, a.mqtt.password, `tally-edge-${b.deviceId}`),
    ).rejects.toThrow(/Identifier rejected/i);
    // Any other client id than its own is refused too.
    await expect(
      connectDevice(a.mqtt.url, a.mqtt.username, a.mqtt.password, 'something-else'),
    ).rejects.toThrow(/Identifier rejected/i);
    // B kept its connection: a command sent to B still reaches B.
    const commands: string[] = [];
    deviceB.on('message', (_t, payload) => commands.push(payload.toString()));
    await deviceB.subscribeAsync(topics.commands(b.deviceId), { qos: 1 });
    await h.cloud.publishAsync(topics.commands(b.deviceId), 'ping', { qos: 1 });
    await eventually(() => commands.length === 1);
    expect(bClosed).toBe(false);
    expect(h.broker.connectedDevices()).toContain(b.deviceId);
    // A with its own client id is welcome.
    expect(track(await connectDevice(a.mqtt.url, a.mqtt.username, a.mqtt.password)).connected).toBe(true);
  });

  it('disconnects a revoked device at once and refuses it afterwards', async () => {
    const dev = await provisionDevice(h.t.app, admin, siteId);
    const device = track(await connectDevice(dev.mqtt.url, dev.mqtt.username, dev.mqtt.password));
    const wasClosed = closed(device);
    const res = await h.t.app.inject({
      method: 'POST',
      url: `/api/devices/${dev.deviceId}/revoke`,
      headers: admin,
    });
    expect(res.json().revoked).toBe(true);
    await wasClosed;
    await expect(connectDevice(dev.mqtt.url, dev.mqtt.username, dev.mqtt.password)).rejects.toThrow();
  });

  it('rotates credentials over the current session: the box gets the new password, the old one works until the new one is used', async () => {
    const dev = await provisionDevice(h.t.app, admin, siteId);
    const device = track(await connectDevice(dev.mqtt.url, dev.mqtt.username, dev.mqtt.password));
    const handed: string[] = [];
    device.on('message', (topic, payload) => {
      if (topic === topics.credentials(dev.deviceId)) handed.push(payload.toString());
    });
    await device.subscribeAsync(topics.credentials(dev.deviceId), { qos: 1 });
    let closedByRotation = false;
    device.on('close', () => (closedByRotation = true));

    const res = await h.t.app.inject({
      method: 'POST',
      url: `/api/devices/${dev.deviceId}/credentials`,
      headers: admin,
    });
    const body = res.json();
    expect(body.handedOver).toBe(true);
    await eventually(() => handed.length === 1);
    const message = decodeMessage('credentials', handed[0]!, dev.deviceId);
    expect(message.ok && message.value.password).toBe(body.mqtt.password);
    expect(message.ok && message.value.previousValidUntil).toBe(Date.parse(body.previousValidUntil));
    expect(closedByRotation).toBe(false);

    // Overlap: the old password still connects (a box that missed the message comes back and gets it)...
    await device.endAsync();
    const again = track(await connectDevice(dev.mqtt.url, dev.deviceId, dev.mqtt.password));
    await again.endAsync();
    // ...until the box connects with the new one; from then on only the new one works.
    track(await connectDevice(dev.mqtt.url, dev.deviceId, body.mqtt.password)).end();
    await expect(connectDevice(dev.mqtt.url, dev.deviceId, dev.mqtt.password)).rejects.toThrow();
  });

  it('rotates with overlapS=0 (a leaked password): the session ends at once and the old password fails', async () => {
    const dev = await provisionDevice(h.t.app, admin, siteId);
    const device = track(await connectDevice(dev.mqtt.url, dev.mqtt.username, dev.mqtt.password));
    const wasClosed = closed(device);
    const res = await h.t.app.inject({
      method: 'POST',
      url: `/api/devices/${dev.deviceId}/credentials?overlapS=0`,
      headers: admin,
    });
    const { mqtt: creds, previousValidUntil, handedOver } = res.json();
    expect([previousValidUntil, handedOver]).toEqual([null, false]);
    await wasClosed;
    await expect(connectDevice(dev.mqtt.url, dev.deviceId, dev.mqtt.password)).rejects.toThrow();
    track(await connectDevice(dev.mqtt.url, creds.username, creds.password));
  });

  it('accepts devices over MQTT on WebSocket', async () => {
    const dev = await provisionDevice(h.t.app, admin, siteId);
    const ws = track(
      await connectDevice(`ws://127.0.0.1:${h.broker.ports.ws}`, dev.mqtt.username, dev.mqtt.password),
    );
    expect(ws.connected).toBe(true);
    await expect(
      connectDevice(`ws://127.0.0.1:${h.broker.ports.ws}`, dev.deviceId, 'wrong'),
    ).rejects.toThrow();
  });
});

describe('embedded broker with TLS', () => {
  it('listens with mqtts and wss when given a certificate and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const database = await freshPostgres();
    const h = await startHarness(database, { cert, key });
    try {
      const orgId = await seedOrg(database.db);
      const admin = (await signedIn(h.t.app, database.db, orgId, 'admin')).headers;
      const dev = await provisionDevice(h.t.app, admin, await createSite(h.t.app, admin));
      // Self-signed test certificate: connectDevice skips verification.
      const tls = await connectDevice(
        `mqtts://127.0.0.1:${h.broker.ports.mqtts}`,
        dev.mqtt.username,
        dev.mqtt.password,
      );
      const wss = await connectDevice(
        `wss://127.0.0.1:${h.broker.ports.wss}`,
        dev.mqtt.username,
        dev.mqtt.password,
      );
      expect([tls.connected, wss.connected]).toEqual([true, true]);
      await Promise.all([tls.endAsync(true), wss.endAsync(true)]);
    } finally {
      await h.close();
      await database.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

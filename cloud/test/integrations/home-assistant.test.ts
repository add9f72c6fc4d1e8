/**
 * The Home Assistant integration end to end (`startServer`: PGlite, embedded aedes with device auth): a device
 * counts over MQTT, and a real MQTT client — logged in as Home Assistant would be — reads the discovery configs and
 * the site's state, on the embedded broker with the read-only login and on a user-chosen broker (the machine's
 * Mosquitto on 1883, with topic prefixes of its own so parallel runs do not meet).
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, topics, type HaSiteState } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { generateDeviceSecret, hashDeviceSecret } from '../../src/auth/device-secret';
import { homeAssistantStage } from '../../src/integrations/home-assistant-stage';
import { startServer, type RunningServer } from '../../src/server';
import { testConfig } from '../app/build';
import { FakeDevice, MOSQUITTO_URL, range, waitFor } from '../ingest/support';

const READER_PASSWORD = 'reader-secret-for-tests';

interface Seen {
  retained: Map<string, string>;
}

async function watch(client: MqttClient, filters: string[]): Promise<Seen> {
  const seen: Seen = { retained: new Map() };
  client.on('message', (topic, payload) => seen.retained.set(topic, payload.toString()));
  const granted = await client.subscribeAsync(filters, { qos: 1 });
  expect(granted.map((g) => g.qos)).toEqual(filters.map(() => 1));
  return seen;
}

async function seed(server: RunningServer) {
  const db = server.ctx.database;
  const [org] = await db.query<{ id: string }>(
    `INSERT INTO organisations (name) VALUES ('Shop') RETURNING id`,
  );
  const [site] = await db.query<{ id: string }>(
    `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'High Street', 'Europe/Berlin') RETURNING id`,
    [org!.id],
  );
  const deviceId = `ha-dev-${randomBytes(3).toString('hex')}`;
  const secret = generateDeviceSecret();
  await db.query(
    `INSERT INTO devices (id, org_id, site_id, name, secret_hash) VALUES ($1, $2, $3, 'gate box', $4)`,
    [deviceId, org!.id, site!.id, hashDeviceSecret(secret)],
  );
  const [camera] = await db.query<{ id: string }>(
    `INSERT INTO cameras (org_id, site_id, device_id, camera_key, name, setup)
     VALUES ($1, $2, $3, 'cam-1', 'Entrance', '{}') RETURNING id`,
    [org!.id, site!.id, deviceId],
  );
  for (const [key, kind, name] of [
    ['door', 'line', 'Front door'],
    ['till', 'zone', 'Till queue'],
  ] as const) {
    await db.query(
      `INSERT INTO rules (org_id, site_id, camera_id, rule_key, kind, name, definition) VALUES ($1, $2, $3, $4, $5, $6, '{}')`,
      [org!.id, site!.id, camera!.id, key, kind, name],
    );
  }
  const device = await FakeDevice.connect(`mqtt://127.0.0.1:${server.ctx.broker!.ports.mqtt}`, deviceId, {
    username: deviceId,
    password: secret,
  });
  return { orgId: org!.id, siteId: site!.id, deviceId, device };
}

/** Six crossings (FakeDevice: seq 3 and 6 go out, the rest in), two people in the queue, the box online. */
async function count(device: FakeDevice) {
  await device.sendEvents(range(1, 6));
  await device.sendRaw(topics.occupancy(device.deviceId), {
    v: SCHEMA_VERSION,
    deviceId: device.deviceId,
    sentAt: Date.now(),
    samples: [{ cameraId: 'cam-1', zoneId: 'till', ts: Date.now(), counts: { person: 2 } }],
  });
  await device.sendRaw(topics.status(device.deviceId), {
    v: SCHEMA_VERSION,
    deviceId: device.deviceId,
    state: 'online',
    ts: Date.now(),
  });
}

function expectEntities(seen: Seen, discovery: string, state: string, siteId: string, deviceId: string) {
  const node = `tally_${siteId}`;
  const config = (component: string, object: string) =>
    JSON.parse(seen.retained.get(`${discovery}/${component}/${node}/${object}/config`) ?? 'null') as Record<
      string,
      unknown
    > | null;
  const doorIn = config('sensor', 'line_cam-1_door_in');
  expect(doorIn).toMatchObject({
    name: 'Front door in',
    state_topic: `${state}/sites/${siteId}/state`,
    availability_topic: `${state}/status`,
    value_template: "{{ value_json.lines['cam-1.door'].in }}",
    state_class: 'total_increasing',
    unique_id: `${node}_line_cam-1_door_in`,
    device: { identifiers: [node], name: 'Tally High Street' },
  });
  expect(config('sensor', 'line_cam-1_door_out')).toMatchObject({ name: 'Front door out' });
  expect(config('sensor', 'zone_cam-1_till_occupancy')).toMatchObject({
    name: 'Till queue occupancy',
    value_template: "{{ value_json.zones['cam-1.till'].occupancy }}",
  });
  expect(config('binary_sensor', `device_${deviceId}_connected`)).toMatchObject({
    device_class: 'connectivity',
    value_template: `{{ 'ON' if value_json.devices['${deviceId}'].online else 'OFF' }}`,
  });
  expect(seen.retained.get(`${state}/status`)).toBe('online');
}

const counted = (seen: Seen, state: string, siteId: string, deviceId: string) => {
  const text = seen.retained.get(`${state}/sites/${siteId}/state`);
  if (!text) return undefined;
  const s = JSON.parse(text) as HaSiteState;
  const door = s.lines['cam-1.door'];
  return door?.in === 4 &&
    door.out === 2 &&
    s.zones['cam-1.till']?.occupancy === 2 &&
    s.devices[deviceId]?.online
    ? s
    : undefined;
};

describe('Home Assistant integration on the embedded broker', () => {
  let server: RunningServer;
  let ha: MqttClient;
  let seeded: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    server = await startServer(testConfig({ port: 0, host: '127.0.0.1', mqttPort: 0, mqttWsPort: 0 }), {
      log: createLogger('ha-test', 'silent'),
      stages: [
        (ctx) =>
          homeAssistantStage(ctx, { HA_MQTT: 'on', HA_INTERVAL_S: '1', HA_READER_PASSWORD: READER_PASSWORD }),
      ],
    });
    seeded = await seed(server);
  });
  afterAll(async () => {
    await ha?.endAsync(true);
    await seeded?.device.close();
    await server?.stop();
  });

  it('publishes discovery and state that a read-only Home Assistant login reads', async () => {
    ha = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.ctx.broker!.ports.mqtt}`, {
      username: 'homeassistant',
      password: READER_PASSWORD,
      reconnectPeriod: 0,
    });
    const seen = await watch(ha, ['homeassistant/#', 'tally/sites/#', 'tally/status']);
    await count(seeded.device);
    const state = await waitFor(
      () => counted(seen, 'tally', seeded.siteId, seeded.deviceId),
      'the site state with the counts',
    );
    expect(state).toMatchObject({ siteId: seeded.siteId, name: 'High Street' });
    expectEntities(seen, 'homeassistant', 'tally', seeded.siteId, seeded.deviceId);
  });

  it('the integration login reads nothing else and publishes nothing', async () => {
    // Device topics carry camera URLs with passwords: refused (SUBACK 128), like a wrong password.
    for (const filter of [`tally/v1/${seeded.deviceId}/config`, 'tally/v1/#', 'tally/#', '#', '+/v1/#']) {
      await expect(ha.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
    }
    const spoof = `tally/sites/${seeded.siteId}/state`;
    // MQTT 3.1.1 has no negative PUBACK: the broker refuses by closing the forger's connection.
    const forger = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.ctx.broker!.ports.mqtt}`, {
      username: 'homeassistant',
      password: READER_PASSWORD,
      reconnectPeriod: 0,
    });
    forger.publish(spoof, '{"forged":true}', { qos: 1, retain: true });
    await waitFor(() => !forger.connected, 'the forger disconnected');
    await forger.endAsync(true);
    const wrong = mqtt.connectAsync(`mqtt://127.0.0.1:${server.ctx.broker!.ports.mqtt}`, {
      username: 'homeassistant',
      password: 'not-the-password',
      reconnectPeriod: 0,
    });
    await expect(wrong).rejects.toThrow(/Bad username or password|Not authorized/i);
    // The retained state is still the cloud's: read it afresh with a new reader session.
    const fresh = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.ctx.broker!.ports.mqtt}`, {
      username: 'homeassistant',
      password: READER_PASSWORD,
      reconnectPeriod: 0,
    });
    try {
      const seen = await watch(fresh, [spoof]);
      const text = await waitFor(() => seen.retained.get(spoof), 'the retained state');
      expect(JSON.parse(text!)).not.toHaveProperty('forged');
    } finally {
      await fresh.endAsync(true);
    }
  });
});

describe('Home Assistant integration on a user-chosen broker (Mosquitto)', () => {
  const run = randomBytes(4).toString('hex');
  const discovery = `ha-test-${run}`;
  const state = `tally-test-${run}`;
  let server: RunningServer;
  let ha: MqttClient;
  let seeded: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    server = await startServer(testConfig({ port: 0, host: '127.0.0.1', mqttPort: 0, mqttWsPort: 0 }), {
      log: createLogger('ha-test', 'silent'),
      stages: [
        (ctx) =>
          homeAssistantStage(ctx, {
            HA_MQTT: 'on',
            HA_MQTT_URL: MOSQUITTO_URL,
            HA_INTERVAL_S: '1',
            HA_DISCOVERY_PREFIX: discovery,
            HA_TOPIC_PREFIX: state,
          }),
      ],
    });
    seeded = await seed(server);
  });
  afterAll(async () => {
    await seeded?.device.close();
    await server?.stop();
    // Leave no retained messages behind on the shared broker.
    if (ha) {
      for (const topic of seenTopics) await ha.publishAsync(topic, '', { qos: 1, retain: true });
      await ha.endAsync();
    }
  });
  const seenTopics: string[] = [];

  it('publishes discovery and state there; offline on the status topic when the cloud stops', async () => {
    ha = await mqtt.connectAsync(MOSQUITTO_URL, { reconnectPeriod: 0 });
    const seen = await watch(ha, [`${discovery}/#`, `${state}/#`]);
    await count(seeded.device);
    await waitFor(
      () => counted(seen, state, seeded.siteId, seeded.deviceId),
      'the site state with the counts',
    );
    expectEntities(seen, discovery, state, seeded.siteId, seeded.deviceId);
    await seeded.device.close();
    await server.stop();
    await waitFor(() => seen.retained.get(`${state}/status`) === 'offline', 'offline on stop');
    seenTopics.push(...seen.retained.keys());
  });
});

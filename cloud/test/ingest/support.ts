import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceClientId, encodeMessage, SCHEMA_VERSION, topics, type CountEvent } from '@tally/proto';
import type { Database } from '../../src/db/client';

/** The Mosquitto every agent on this machine shares: topics and share groups get random names per run. */
export const MOSQUITTO_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** An organisation and one site in `timezone`, inserted directly (ingest needs only the rows). */
export async function seedSite(db: Pick<Database, 'query'>, timezone = 'Europe/Berlin') {
  const [org] = await db.query<{ id: string }>(`INSERT INTO organisations (name) VALUES ($1) RETURNING id`, [
    uniqueId('org'),
  ]);
  const [site] = await db.query<{ id: string }>(
    `INSERT INTO sites (org_id, name, timezone) VALUES ($1, $2, $3) RETURNING id`,
    [org!.id, uniqueId('site'), timezone],
  );
  return { orgId: org!.id, siteId: site!.id };
}

export async function seedDevice(
  db: Pick<Database, 'query'>,
  site: { orgId: string; siteId: string },
  id?: string,
) {
  const deviceId = id ?? uniqueId('dev');
  await db.query(
    `INSERT INTO devices (id, org_id, site_id, name, secret_hash) VALUES ($1, $2, $3, $4, 'unused')`,
    [deviceId, site.orgId, site.siteId, deviceId],
  );
  return deviceId;
}

/** An embedded aedes broker on a random port (never 1883), as tests' stand-in for cloud-A's embedded broker. */
export async function startAedes() {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    broker,
    url,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function event(
  deviceId: string,
  seq: number,
  ts: number,
  overrides: Partial<CountEvent> = {},
): CountEvent {
  return {
    deviceId,
    seq,
    cameraId: 'cam-1',
    ruleId: 'door',
    kind: 'line_cross',
    direction: seq % 3 === 0 ? 'out' : 'in',
    objectClass: 'person',
    trackId: seq,
    ts,
    confidence: 0.9,
    ...overrides,
  };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A simulated edge device: publishes batches and records the acks it receives. */
export class FakeDevice {
  acks: number[] = [];
  /** Bucket and occupancy batches acknowledged by batchId, as `<channel>:<id>`. */
  batchAcks: string[] = [];
  private constructor(
    readonly deviceId: string,
    readonly client: MqttClient,
  ) {}

  static async connect(
    url: string,
    deviceId: string,
    credentials: { username: string; password: string } | object = {},
  ): Promise<FakeDevice> {
    const client = await mqtt.connectAsync(url, {
      // With credentials (the cloud's embedded broker) the client id must be the one the contract binds to them.
      clientId: 'username' in credentials ? deviceClientId(deviceId) : uniqueId(deviceId),
      reconnectPeriod: 0,
      ...credentials,
    });
    const device = new FakeDevice(deviceId, client);
    client.on('message', (_topic, payload) => {
      const ack = JSON.parse(payload.toString()) as { seq?: number; batch?: { channel: string; id: string } };
      if (ack.seq !== undefined) device.acks.push(ack.seq);
      if (ack.batch) device.batchAcks.push(`${ack.batch.channel}:${ack.batch.id}`);
    });
    await client.subscribeAsync(topics.ack(deviceId), { qos: 1 });
    return device;
  }

  get lastAck(): number | undefined {
    return this.acks.at(-1);
  }

  async sendEvents(
    seqs: number[],
    ts: (seq: number) => number = () => Date.now(),
    foldedThrough?: number,
  ): Promise<void> {
    const batch = {
      v: SCHEMA_VERSION,
      deviceId: this.deviceId,
      sentAt: Date.now(),
      events: seqs.map((s) => event(this.deviceId, s, ts(s))),
      ...(foldedThrough === undefined ? {} : { foldedThrough }),
    };
    await this.client.publishAsync(topics.events(this.deviceId), encodeMessage('events', batch), { qos: 1 });
  }

  async sendRaw(topic: string, payload: string | object): Promise<void> {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    await this.client.publishAsync(topic, text, { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

/** Polls until `check` returns a truthy value or the deadline passes (no fixed sleeps: the machine is loaded). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

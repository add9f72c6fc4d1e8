import Sqlite from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import {
  SCHEMA_VERSION,
  allDevicesFilter,
  decodeMessage,
  encodeMessage,
  parseTopic,
  topics,
} from '@tally/proto';

/**
 * A TEST STAND-IN for the cloud's ingest (built in parallel in cloud/): it subscribes to every device's events,
 * stores each (deviceId, seq) once in a real SQLite database, and acknowledges the highest contiguous seq it holds
 * with a proto Ack — the contract the real ingest implements. It honours EventBatch.foldedThrough (seqs the device
 * folded into buckets count as present). It also records raw deliveries, so tests can tell duplicates delivered
 * (allowed: at-least-once) from duplicates stored (never).
 */
export class AckConsumer {
  readonly db = new Sqlite(':memory:');
  private client: MqttClient | undefined;
  private readonly contiguous = new Map<string, number>();
  deliveries = 0;
  batches = 0;
  paused = false;

  constructor(
    private readonly url: string,
    private readonly credentials?: { username: string; password: string },
    /** On a shared broker (the system Mosquitto) listen to these devices only: never ack another test's device. */
    private readonly only?: string[],
  ) {
    this.db.exec(
      'CREATE TABLE events (device_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (device_id, seq))',
    );
  }

  async start(): Promise<void> {
    this.client = await mqtt.connectAsync(this.url, {
      protocolVersion: 4,
      clientId: `ack-consumer-${Math.random().toString(16).slice(2)}`,
      clean: true,
      reconnectPeriod: 500,
      ...(this.credentials ?? {}),
    });
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
    await this.client.subscribeAsync(
      this.only ? this.only.map((d) => topics.events(d)) : allDevicesFilter('events'),
      {
        qos: 1,
      },
    );
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true);
    this.db.close();
  }

  /** Distinct seqs stored for a device. */
  stored(deviceId: string): number[] {
    return (
      this.db.prepare('SELECT seq FROM events WHERE device_id = ? ORDER BY seq').all(deviceId) as {
        seq: number;
      }[]
    ).map((r) => r.seq);
  }

  ackedFor(deviceId: string): number {
    return this.contiguous.get(deviceId) ?? 0;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (!parsed || this.paused) return;
    const r = decodeMessage('events', payload, parsed.deviceId);
    if (!r.ok) return;
    this.batches++;
    this.deliveries += r.value.events.length;
    const insert = this.db.prepare('INSERT OR IGNORE INTO events (device_id, seq, body) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const e of r.value.events) insert.run(e.deviceId, e.seq, JSON.stringify(e));
    })();
    let c = Math.max(this.contiguous.get(parsed.deviceId) ?? 0, r.value.foldedThrough ?? 0);
    const has = this.db.prepare('SELECT 1 FROM events WHERE device_id = ? AND seq = ?');
    while (has.get(parsed.deviceId, c + 1)) c++;
    this.contiguous.set(parsed.deviceId, c);
    this.client?.publish(
      topics.ack(parsed.deviceId),
      encodeMessage('ack', { v: SCHEMA_VERSION, deviceId: parsed.deviceId, seq: c, ts: Date.now() }),
      { qos: 1 },
    );
  }
}

import { randomBytes } from 'node:crypto';
import { parseTopic, topics } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { openDatabase, type Database } from '@tally/cloud/src/db/client';
import { scratchDatabase } from '@tally/cloud/src/db/scratch-database';
import { IngestConsumer } from '@tally/cloud/src/ingest/consumer';
import { cachedDeviceDirectory, type DeviceDirectory } from '@tally/cloud/src/ingest/device-directory';
import { connectMqttTransport } from '@tally/cloud/src/ingest/mqtt-transport';
import type { IngestTransport } from '@tally/cloud/src/ingest/transport';

/**
 * The cloud's real ingest (`IngestConsumer`, the statement that stores events and rollups once, the contiguous
 * ack) on a real database — PGlite in memory, or a scratch PostgreSQL database — reached over the test's broker,
 * as the edge's sync tests' other end. The only test-side part: devices are registered in the cloud's tables
 * directly (`devices` option), instead of by a provisioning round trip, since these tests are about sync.
 */
export class CloudIngest {
  private database: Database | undefined;
  private drop: (() => Promise<void>) | undefined;
  private transport: IngestTransport | undefined;
  private consumer: IngestConsumer | undefined;
  private site: { orgId: string; siteId: string } | undefined;
  private readonly acks = new Map<string, number>();

  constructor(
    private readonly url: string,
    private readonly options: {
      credentials?: { username: string; password: string };
      /**
       * The devices this cloud knows. Unset: any device that publishes is registered on first sight — only on
       * a broker of the test's own; on the shared Mosquitto name them, so another test's device is refused.
       */
      devices?: string[];
      database?: 'pglite' | 'postgres';
    } = {},
  ) {}

  async start(): Promise<void> {
    if (this.options.database === 'postgres') {
      const scratch = await scratchDatabase('tally_edge_test');
      this.database = scratch.database;
      this.drop = scratch.drop;
    } else {
      const db = await openDatabase();
      this.database = db;
      this.drop = () => db.close();
    }
    const db = this.database;
    const [org] = await db.query<{ id: string }>(
      `INSERT INTO organisations (name) VALUES ($1) RETURNING id`,
      [`edge-test-${randomBytes(4).toString('hex')}`],
    );
    const [site] = await db.query<{ id: string }>(
      `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'edge test', 'Europe/Berlin') RETURNING id`,
      [org!.id],
    );
    this.site = { orgId: org!.id, siteId: site!.id };
    for (const d of this.options.devices ?? []) await this.register(d);

    const transport = await connectMqttTransport(this.url, {
      clientId: `cloud-ingest-test-${randomBytes(4).toString('hex')}`,
      clean: true,
      ...(this.options.credentials ?? {}),
    });
    // Record the acks ingest publishes, so tests can wait on them without a second client.
    this.transport = {
      subscribe: (filters, onMessage) => transport.subscribe(filters, onMessage),
      publish: async (topic, payload) => {
        const parsed = parseTopic(topic);
        if (parsed && topic === topics.ack(parsed.deviceId)) {
          // Bucket and occupancy batches are acked by batchId, without a seq.
          const { seq } = JSON.parse(payload) as { seq?: number };
          if (seq !== undefined)
            this.acks.set(parsed.deviceId, Math.max(this.acks.get(parsed.deviceId) ?? 0, seq));
        }
        await transport.publish(topic, payload);
      },
      close: () => transport.close(),
    };
    this.consumer = new IngestConsumer({
      database: db,
      transport: this.transport,
      devices: this.options.devices ? cachedDeviceDirectory(db) : this.registering(cachedDeviceDirectory(db)),
      log: createLogger('cloud-ingest', 'silent'),
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.transport?.close();
    await this.consumer?.stop();
    await this.drop?.();
  }

  /** Events the cloud received (duplicates included: delivery is at least once). */
  get deliveries(): number {
    return this.consumer?.stats.eventsReceived ?? 0;
  }

  /** The highest contiguous seq the cloud acknowledged to the device. */
  ackedFor(deviceId: string): number {
    return this.acks.get(deviceId) ?? 0;
  }

  /** Distinct seqs stored for the device, ascending. */
  async stored(deviceId: string): Promise<number[]> {
    await this.consumer?.idle();
    const rows = await this.database!.query<{ seq: string }>(
      `SELECT seq FROM events WHERE device_id = $1 ORDER BY seq`,
      [deviceId],
    );
    return rows.map((r) => Number(r.seq));
  }

  /**
   * What the cloud's analytics count for the device (its day rollups): where a duplicate would show if one were
   * counted twice, unlike the events table whose key makes duplicates impossible.
   */
  async counted(deviceId: string): Promise<number> {
    await this.consumer?.idle();
    const [row] = await this.database!.query<{ n: string }>(
      `SELECT coalesce(sum(count), 0) AS n FROM rollup_day WHERE device_id = $1`,
      [deviceId],
    );
    return Number(row!.n);
  }

  /** The device's minute totals as the cloud stored them (`device_buckets`), minute in ms UTC. */
  async deviceBuckets(
    deviceId: string,
  ): Promise<{ ruleId: string; direction: string; minute: number; count: number }[]> {
    await this.consumer?.idle();
    const rows = await this.database!.query<{
      rule_id: string;
      direction: string;
      minute: Date;
      count: number;
    }>(
      `SELECT rule_id, direction, minute, count FROM device_buckets WHERE device_id = $1
        ORDER BY minute, rule_id, direction`,
      [deviceId],
    );
    return rows.map((r) => ({
      ruleId: r.rule_id,
      direction: r.direction,
      minute: new Date(r.minute).getTime(),
      count: Number(r.count),
    }));
  }

  /** The device's occupancy samples as the cloud stored them, ts in ms UTC. */
  async occupancy(
    deviceId: string,
  ): Promise<{ zoneId: string; objectClass: string; ts: number; count: number }[]> {
    await this.consumer?.idle();
    const rows = await this.database!.query<{
      zone_id: string;
      object_class: string;
      ts: Date;
      count: number;
    }>(
      `SELECT zone_id, object_class, ts, count FROM occupancy_samples WHERE device_id = $1 ORDER BY ts, object_class`,
      [deviceId],
    );
    return rows.map((r) => ({
      zoneId: r.zone_id,
      objectClass: r.object_class,
      ts: new Date(r.ts).getTime(),
      count: Number(r.count),
    }));
  }

  private async register(deviceId: string): Promise<void> {
    await this.database!.query(
      `INSERT INTO devices (id, org_id, site_id, name, secret_hash) VALUES ($1, $2, $3, $1, 'unused')
       ON CONFLICT (id) DO NOTHING`,
      [deviceId, this.site!.orgId, this.site!.siteId],
    );
  }

  private registering(inner: DeviceDirectory): DeviceDirectory {
    return {
      lookup: async (deviceId) => {
        await this.register(deviceId);
        return inner.lookup(deviceId);
      },
      invalidate: (deviceId) => inner.invalidate(deviceId),
    };
  }
}

/**
 * `pnpm bench:sync [--json]`: how fast a box drains a day of backlog after an outage.
 *
 * A 24-hour backlog of a 10-camera site (≥ 100,000 events) is written into a fresh edge store (SQLite), then the
 * agent's outbox (MqttLink + Outbox, the production code) replays it through a real broker (Mosquitto on
 * 127.0.0.1:1883 by default) to an acknowledging consumer that writes every event into PostgreSQL with batched
 * `INSERT … ON CONFLICT (device_id, seq) DO NOTHING` and acks the highest contiguous seq stored. Time to drain =
 * from connect until the device's acked seq reaches the last seq.
 *
 * Baseline, same run, same broker and consumer: a plain publisher sends the same events, pre-read into memory, in
 * the same batch size without reading SQLite or waiting for acks — what the broker + consumer + database can take.
 * The ratio outbox / baseline shows what the store, the cursor and the ack loop cost.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import mqtt from 'mqtt';
import pg from 'pg';
import {
  SCHEMA_VERSION,
  decodeMessage,
  encodeMessage,
  parseTopic,
  topics,
  type CountEvent,
} from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { openStore } from '../edge-agent/src/store';
import { MqttLink } from '../edge-agent/src/sync/mqtt-link';
import { Outbox } from '../edge-agent/src/sync/outbox';
import type { CountEventDraft } from '../edge-agent/src/vision/types';

const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = createLogger('bench-sync', process.env.LOG_LEVEL ?? 'warn');

interface Options {
  json?: boolean;
  broker: string;
  cameras: string;
  eventsPerCameraHour: string;
  batchSize: string;
  rate: string;
}

/** The acknowledging consumer: stores each (device, seq) once in PostgreSQL, acks the highest contiguous seq. */
class PgAckConsumer {
  private client: mqtt.MqttClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly contiguous = new Map<string, number>();
  private readonly above = new Map<string, Set<number>>();
  stored = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly brokerUrl: string,
    private readonly ack: boolean,
    /** The one device this run publishes as: the broker is shared, never store or ack anyone else's events. */
    private readonly deviceId: string,
  ) {}

  async start(): Promise<void> {
    this.client = await mqtt.connectAsync(this.brokerUrl, {
      protocolVersion: 4,
      clean: true,
      clientId: `bench-consumer-${randomBytes(4).toString('hex')}`,
    });
    this.client.on('message', (topic, payload) => {
      this.queue = this.queue
        .then(() => this.handle(topic, payload))
        .catch((err: Error) => log.error({ err: err.message }, 'consumer failed'));
    });
    await this.client.subscribeAsync(topics.events(this.deviceId), { qos: 1 });
  }

  async stop(): Promise<void> {
    await this.queue;
    await this.client?.endAsync(true);
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const parsed = parseTopic(topic);
    if (!parsed) return;
    const r = decodeMessage('events', payload, parsed.deviceId);
    if (!r.ok) return;
    const ev = r.value.events;
    const res = await this.pool.query(
      `INSERT INTO events (device_id, seq, camera_id, rule_id, kind, direction, object_class, ts, body)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::jsonb[])
       ON CONFLICT (device_id, seq) DO NOTHING`,
      [
        ev.map((e) => e.deviceId),
        ev.map((e) => e.seq),
        ev.map((e) => e.cameraId),
        ev.map((e) => e.ruleId),
        ev.map((e) => e.kind),
        ev.map((e) => e.direction ?? null),
        ev.map((e) => e.objectClass),
        ev.map((e) => e.ts),
        ev.map((e) => JSON.stringify(e)),
      ],
    );
    this.stored += res.rowCount ?? 0;
    if (!this.ack) return;
    // Stored (committed): advance the contiguous seq.
    const set = this.above.get(parsed.deviceId) ?? new Set<number>();
    this.above.set(parsed.deviceId, set);
    for (const e of ev) set.add(e.seq);
    let c = Math.max(this.contiguous.get(parsed.deviceId) ?? 0, r.value.foldedThrough ?? 0);
    while (set.delete(c + 1)) c++;
    this.contiguous.set(parsed.deviceId, c);
    await this.client!.publishAsync(
      topics.ack(parsed.deviceId),
      encodeMessage('ack', { v: SCHEMA_VERSION, deviceId: parsed.deviceId, seq: c, ts: Date.now() }),
      { qos: 1 },
    );
  }
}

/** A day at a 10-camera site: each camera counts `perHour` events an hour, spread over the 24 hours. */
function* dayOfEvents(cameras: number, perHour: number, start: number): Generator<CountEventDraft[]> {
  const perCamera = perHour * 24;
  const step = 86_400_000 / perCamera;
  for (let i = 0; i < perCamera; i++) {
    const frame: CountEventDraft[] = [];
    for (let c = 0; c < cameras; c++) {
      frame.push({
        cameraId: `cam-${c + 1}`,
        ruleId: c % 2 ? 'door-line' : 'gate-line',
        kind: 'line_cross',
        direction: (i + c) % 3 === 0 ? 'out' : 'in',
        objectClass: (i + c) % 7 === 0 ? 'car' : 'person',
        trackId: i,
        ts: Math.round(start + i * step + c),
        confidence: 0.8,
      });
    }
    yield frame;
  }
}

async function freshDatabase(): Promise<{ pool: pg.Pool; drop: () => Promise<void> }> {
  const name = `tally_bench_sync_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  await pool.query(`CREATE TABLE events (device_id text NOT NULL, seq bigint NOT NULL, camera_id text NOT NULL,
    rule_id text NOT NULL, kind text NOT NULL, direction text, object_class text NOT NULL, ts bigint NOT NULL,
    body jsonb NOT NULL, PRIMARY KEY (device_id, seq))`);
  return {
    pool,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function baseline(brokerUrl: string, events: CountEvent[], batchSize: number) {
  const db = await freshDatabase();
  const deviceId = `bench-base-${randomBytes(3).toString('hex')}`;
  const consumer = new PgAckConsumer(db.pool, brokerUrl, false, deviceId);
  await consumer.start();
  const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 4 });
  const batches: string[] = [];
  for (let i = 0; i < events.length; i += batchSize) {
    const slice = events.slice(i, i + batchSize).map((e) => ({ ...e, deviceId }));
    batches.push(encodeMessage('events', { v: SCHEMA_VERSION, deviceId, sentAt: Date.now(), events: slice }));
  }
  const t0 = performance.now();
  await Promise.all(batches.map((b) => client.publishAsync(topics.events(deviceId), b, { qos: 1 })));
  await waitUntil(() => consumer.stored === events.length, 300_000, 'baseline stored');
  const seconds = (performance.now() - t0) / 1000;
  await client.endAsync();
  await consumer.stop();
  await db.drop();
  return { seconds, eventsPerS: events.length / seconds };
}

async function main(o: Options): Promise<void> {
  const cameras = Number(o.cameras);
  const perHour = Number(o.eventsPerCameraHour);
  const batchSize = Number(o.batchSize);
  const rate = Number(o.rate);
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-sync-'));
  const store = openStore(dir, 4 * 1024 ** 3, log);
  const deviceId = `bench-dev-${randomBytes(3).toString('hex')}`;
  const db = await freshDatabase();
  try {
    // 1. The backlog, written as the cameras would (one transaction per frame's events).
    const start = Date.now() - 86_400_000;
    const tFill = performance.now();
    store.database.sqlite.transaction(() => {
      for (const frame of dayOfEvents(cameras, perHour, start)) store.events.appendEvents(frame);
    })();
    const fillS = (performance.now() - tFill) / 1000;
    const total = store.events.lastSeq();
    process.stderr.write(
      `backlog: ${total} events of ${cameras} cameras over 24 h (written in ${fillS.toFixed(1)} s)\n`,
    );

    // 2. Baseline: broker + consumer + PostgreSQL fed from memory.
    const base = await baseline(o.broker, store.events.readEvents(deviceId, 1, total), batchSize);
    process.stderr.write(`baseline (plain publisher from memory): ${Math.round(base.eventsPerS)} events/s\n`);

    // 3. The outbox drains the store through the broker, with acks.
    const consumer = new PgAckConsumer(db.pool, o.broker, true, deviceId);
    await consumer.start();
    const link = new MqttLink({ url: o.broker, deviceId, reconnectPeriodMs: 1000, keepaliveS: 30, log });
    const outbox = new Outbox(
      store.events,
      link,
      {
        batchSize,
        backfillRatePerS: rate,
        ackTimeoutMs: 30_000,
        cycleMs: 20,
        maxInflightBatches: 32,
        bucketIntervalS: 3600,
      },
      log,
    );
    outbox.start();
    const t0 = performance.now();
    link.start();
    await waitUntil(() => store.events.syncState().ackedSeq >= total, 600_000, 'the backlog to drain');
    const drainS = (performance.now() - t0) / 1000;
    outbox.stop();
    await link.stop();
    await consumer.stop();
    const stored = Number(
      (await db.pool.query('SELECT count(*) AS n FROM events WHERE device_id = $1', [deviceId])).rows[0].n,
    );
    if (stored !== total) throw new Error(`consumer stored ${stored} events, expected ${total}`);
    const result = {
      bench: 'sync',
      broker: o.broker,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      cameras,
      events: total,
      batchSize,
      backfillRatePerS: rate,
      drainSeconds: Math.round(drainS * 100) / 100,
      eventsPerS: Math.round(total / drainS),
      storedInPostgres: stored,
      baselineEventsPerS: Math.round(base.eventsPerS),
      ratioToBaseline: Math.round((total / drainS / base.eventsPerS) * 100) / 100,
      targetSeconds: 60,
      withinTarget: drainS < 60,
    };
    if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        [
          `drained ${total} events (${cameras} cameras, 24 h) in ${result.drainSeconds} s: ${result.eventsPerS} events/s`,
          `baseline (broker + consumer + PostgreSQL, no store/acks): ${result.baselineEventsPerS} events/s; ratio ${result.ratioToBaseline}`,
          `target < 60 s: ${result.withinTarget ? 'met' : 'NOT met'}`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

const program = new Command()
  .name('bench-sync')
  .description('drain a 24-hour, 10-camera backlog through a real broker into PostgreSQL')
  .option('--json', 'print one JSON line on stdout')
  .option('--broker <url>', 'MQTT broker', 'mqtt://127.0.0.1:1883')
  .option('--cameras <n>', 'cameras at the site', '10')
  .option(
    '--events-per-camera-hour <n>',
    'events each camera counts per hour (10 × 24 × 420 = 100,800)',
    '420',
  )
  .option('--batch-size <n>', 'events per EventBatch', '500')
  .option('--rate <events/s>', 'backfill rate ceiling (sync.backfillRatePerS)', '20000')
  .action(main);
await program.parseAsync(process.argv);
process.exit(0);

/**
 * `pnpm bench:sync [--json]`: how fast a box drains a day of backlog after an outage.
 *
 * A 24-hour backlog of a 10-camera site (≥ 100,000 events) is written into a fresh edge store (SQLite), then the
 * agent's outbox (MqttLink + Outbox, the production code) replays it through a real broker (Mosquitto on
 * 127.0.0.1:1883 by default) to the cloud's real ingest (IngestConsumer on PostgreSQL: events and rollups stored
 * once, the highest contiguous seq acked). Time to drain =
 * from connect until the device's acked seq reaches the last seq.
 *
 * Baseline, same run, same broker and ingest: a plain publisher sends the same events, pre-read into memory, in
 * the same batch size without reading SQLite or waiting for acks — what the broker + consumer + database can take.
 * The ratio outbox / baseline shows what the store, the cursor and the ack loop cost.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import mqtt from 'mqtt';
import { SCHEMA_VERSION, encodeMessage, topics, type CountEvent } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { scratchDatabase } from '../cloud/src/db/scratch-database';
import { IngestConsumer } from '../cloud/src/ingest/consumer';
import { connectMqttTransport } from '../cloud/src/ingest/mqtt-transport';
import { openStore } from '../edge-agent/src/store';
import { MqttLink } from '../edge-agent/src/sync/mqtt-link';
import { Outbox } from '../edge-agent/src/sync/outbox';
import type { CountEventDraft } from '../edge-agent/src/vision/types';

const log = createLogger('bench-sync', process.env.LOG_LEVEL ?? 'warn');

interface Options {
  json?: boolean;
  broker: string;
  cameras: string;
  eventsPerCameraHour: string;
  batchSize: string;
  rate: string;
}

/**
 * The cloud's real ingest (`IngestConsumer`: the one statement that stores events and rollups once, the contiguous
 * ack) on a scratch PostgreSQL database, knowing only the bench's devices — the broker is shared, and another's
 * device is refused.
 */
async function startIngest(brokerUrl: string, deviceIds: string[]) {
  const scratch = await scratchDatabase('tally_bench_sync', { poolSize: 4 });
  const db = scratch.database;
  const [org] = await db.query<{ id: string }>(
    `INSERT INTO organisations (name) VALUES ('bench') RETURNING id`,
  );
  const [site] = await db.query<{ id: string }>(
    `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'bench', 'UTC') RETURNING id`,
    [org!.id],
  );
  for (const id of deviceIds) {
    await db.query(
      `INSERT INTO devices (id, org_id, site_id, name, secret_hash) VALUES ($1, $2, $3, $1, 'unused')`,
      [id, org!.id, site!.id],
    );
  }
  const transport = await connectMqttTransport(brokerUrl, {
    clientId: `bench-ingest-${randomBytes(4).toString('hex')}`,
    clean: true,
  });
  // Quiet: the shared broker carries other devices' retained status, which ingest refuses with a warning each.
  const consumer = new IngestConsumer({
    database: db,
    transport,
    parallelStatements: 2,
    log: createLogger('bench-sync-ingest', 'error'),
  });
  await consumer.start();
  return {
    db,
    /** Events stored (replays excluded). */
    stored: () => consumer.stats.eventsInserted,
    stop: async () => {
      await transport.close();
      await consumer.stop();
      await scratch.drop();
    },
  };
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

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function baseline(brokerUrl: string, events: CountEvent[], batchSize: number) {
  const deviceId = `bench-base-${randomBytes(3).toString('hex')}`;
  const ingest = await startIngest(brokerUrl, [deviceId]);
  const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 4 });
  const batches: string[] = [];
  for (let i = 0; i < events.length; i += batchSize) {
    const slice = events.slice(i, i + batchSize).map((e) => ({ ...e, deviceId }));
    batches.push(encodeMessage('events', { v: SCHEMA_VERSION, deviceId, sentAt: Date.now(), events: slice }));
  }
  const t0 = performance.now();
  await Promise.all(batches.map((b) => client.publishAsync(topics.events(deviceId), b, { qos: 1 })));
  await waitUntil(() => ingest.stored() === events.length, 300_000, 'baseline stored');
  const seconds = (performance.now() - t0) / 1000;
  await client.endAsync();
  await ingest.stop();
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
  const ingest = await startIngest(o.broker, [deviceId]);
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
    const [row] = await ingest.db.query<{ n: string; counted: string }>(
      `SELECT count(*) AS n, (SELECT coalesce(sum(count), 0) FROM rollup_day WHERE device_id = $1) AS counted
         FROM events WHERE device_id = $1`,
      [deviceId],
    );
    const stored = Number(row!.n);
    if (stored !== total) throw new Error(`ingest stored ${stored} events, expected ${total}`);
    // Exactly once where a duplicate would show: the cloud's analytics total.
    if (Number(row!.counted) !== total)
      throw new Error(`ingest counted ${row!.counted} events, expected ${total}`);
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
    await ingest.stop();
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

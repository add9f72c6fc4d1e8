/**
 * `pnpm bench:ingest [--json] [--devices N] [--events N] [--batch N]`
 *
 * Sustained ingest throughput: N simulated devices publish count-event batches over real MQTT (Mosquitto,
 * MQTT_URL or 127.0.0.1:1883) at QoS 1; the cloud's ingest consumer validates them, stores them once on
 * (device, seq) in PostgreSQL with minute/hour/day rollups, and acks. The clock stops when every device has been
 * acked up to its last seq. Baseline, in the same run and database: the same rows written by a plain batched
 * `INSERT … ON CONFLICT DO NOTHING` (no MQTT, no validation, no rollups, no acks).
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import mqtt from 'mqtt';
import { encodeMessage, SCHEMA_VERSION, topics, type CountEvent } from '@tally/proto';
import { runMain, UsageError } from '@tally/proto/cli';
import { createLogger } from '@tally/proto/log';
import type { Database } from '../cloud/src/db/client';
import { scratchDatabase } from '../cloud/src/db/scratch-database';
import { IngestConsumer } from '../cloud/src/ingest/consumer';
import { connectMqttTransport } from '../cloud/src/ingest/mqtt-transport';

const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MQTT_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

interface Options {
  json: boolean;
  devices: number;
  events: number;
  batch: number;
  spreadMinutes: number;
}

function parse(): Options {
  const program = new Command('bench-ingest')
    .option('--json', 'print a JSON object as the last line', false)
    .option('--devices <n>', 'simulated devices', '50')
    .option('--events <n>', 'events in total', '200000')
    .option('--batch <n>', 'events per MQTT message', '100')
    .option(
      '--spread-minutes <n>',
      'how far back event timestamps reach (more minutes: more rollup rows)',
      '10',
    )
    .parse();
  const o = program.opts<{
    json: boolean;
    devices: string;
    events: string;
    batch: string;
    spreadMinutes: string;
  }>();
  const num = (name: string, v: string, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new UsageError(`--${name} must be an integer 1..${max}`);
    return n;
  };
  return {
    json: o.json,
    devices: num('devices', o.devices, 1000),
    events: num('events', o.events, 10_000_000),
    batch: num('batch', o.batch, 5000),
    spreadMinutes: num('spread-minutes', o.spreadMinutes, 60 * 24 * 365),
  };
}

async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  return scratchDatabase('tally_bench_ingest', { poolSize: 8, adminUrl: PG_ADMIN });
}

/**
 * Each device's events: seq 1..n, timestamps spread evenly over the last `spreadMinutes` (a live stream: 10 minutes;
 * a backfill: more), two cameras, two directions, three classes.
 */
function generate(deviceIds: string[], perDevice: number, spreadMinutes: number): Map<string, CountEvent[]> {
  const now = Date.now();
  const spread = spreadMinutes * 60_000;
  const classes = ['person', 'bicycle', 'car'];
  return new Map(
    deviceIds.map((deviceId) => [
      deviceId,
      Array.from({ length: perDevice }, (_, i) => ({
        deviceId,
        seq: i + 1,
        cameraId: `cam-${i % 2}`,
        ruleId: 'door',
        kind: 'line_cross' as const,
        direction: i % 3 === 0 ? ('out' as const) : ('in' as const),
        objectClass: classes[i % 3]!,
        trackId: i,
        ts: now - spread + Math.floor((i / perDevice) * spread),
        confidence: 0.8,
      })),
    ]),
  );
}

async function baseline(database: Database, events: Map<string, CountEvent[]>, site: Site, chunk: number) {
  await database.query(`CREATE TABLE events_baseline (LIKE events INCLUDING ALL)`);
  const rows = [...events.values()].flat();
  const start = performance.now();
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await database.query(
      `INSERT INTO events_baseline (device_id, seq, org_id, site_id, camera_id, rule_id, kind, direction,
                                    object_class, track_id, ts, confidence)
       SELECT d, s, $3, $4, c, r, k, dir, cls, t, to_timestamp(ts / 1000.0), conf
         FROM unnest($1::text[], $2::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::int[], $11::bigint[], $12::real[]) AS x(d, s, c, r, k, dir, cls, t, ts, conf)
       ON CONFLICT DO NOTHING`,
      [
        part.map((e) => e.deviceId),
        part.map((e) => e.seq),
        site.orgId,
        site.siteId,
        part.map((e) => e.cameraId),
        part.map((e) => e.ruleId),
        part.map((e) => e.kind),
        part.map((e) => e.direction ?? ''),
        part.map((e) => e.objectClass),
        part.map((e) => e.trackId),
        part.map((e) => e.ts),
        part.map((e) => e.confidence),
      ],
    );
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, eventsPerSec: rows.length / seconds };
}

interface Site {
  orgId: string;
  siteId: string;
}

async function seed(database: Database, deviceIds: string[]): Promise<Site> {
  const [org] = await database.query<{ id: string }>(
    `INSERT INTO organisations (name) VALUES ('bench') RETURNING id`,
  );
  const [site] = await database.query<{ id: string }>(
    `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'bench', 'Europe/Berlin') RETURNING id`,
    [org!.id],
  );
  for (const id of deviceIds) {
    await database.query(
      `INSERT INTO devices (id, org_id, site_id, name, secret_hash) VALUES ($1, $2, $3, $1, 'x')`,
      [id, org!.id, site!.id],
    );
  }
  return { orgId: org!.id, siteId: site!.id };
}

async function ingest(database: Database, events: Map<string, CountEvent[]>, batch: number) {
  const transport = await connectMqttTransport(MQTT_URL, {
    clientId: `bench-ingest-${randomBytes(3).toString('hex')}`,
  });
  const consumer = new IngestConsumer({
    database,
    transport,
    parallelStatements: Number(process.env.BENCH_PARALLEL ?? 2),
    log: createLogger('bench-ingest', 'error'),
  });
  await consumer.start();
  const clients = await Promise.all(
    [...events.keys()].map(async (deviceId) => {
      const client = await mqtt.connectAsync(MQTT_URL, { clientId: `bench-${deviceId}`, reconnectPeriod: 0 });
      await client.subscribeAsync(topics.ack(deviceId), { qos: 1 });
      return { deviceId, client };
    }),
  );
  const last = new Map([...events].map(([id, evs]) => [id, evs.length]));
  const acked = new Map<string, number>();
  let done!: () => void;
  const allAcked = new Promise<void>((resolve) => (done = resolve));
  for (const { deviceId, client } of clients) {
    client.on('message', (_t, payload) => {
      const seq = (JSON.parse(payload.toString()) as { seq: number }).seq;
      acked.set(deviceId, Math.max(acked.get(deviceId) ?? 0, seq));
      if (seq === last.get(deviceId) && [...last].every(([id, n]) => acked.get(id) === n)) done();
    });
  }
  const start = performance.now();
  await Promise.all(
    clients.map(async ({ deviceId, client }) => {
      const evs = events.get(deviceId)!;
      for (let i = 0; i < evs.length; i += batch) {
        const message = { v: SCHEMA_VERSION, deviceId, sentAt: Date.now(), events: evs.slice(i, i + batch) };
        await client.publishAsync(topics.events(deviceId), encodeMessage('events', message), { qos: 1 });
      }
    }),
  );
  const published = performance.now();
  await allAcked;
  const seconds = (performance.now() - start) / 1000;
  const total = [...last.values()].reduce((a, b) => a + b, 0);
  await Promise.all(clients.map(({ client }) => client.endAsync()));
  await consumer.stop();
  await transport.close();
  return {
    seconds,
    publishSeconds: (published - start) / 1000,
    eventsPerSec: total / seconds,
    stats: consumer.stats,
  };
}

async function main() {
  const options = parse();
  const perDevice = Math.ceil(options.events / options.devices);
  const run = randomBytes(3).toString('hex');
  const deviceIds = Array.from({ length: options.devices }, (_, i) => `bench-${run}-${i}`);
  const events = generate(deviceIds, perDevice, options.spreadMinutes);
  const total = perDevice * options.devices;
  const { database, drop } = await freshDatabase();
  try {
    const site = await seed(database, deviceIds);
    const base = await baseline(database, events, site, 5000);
    const result = await ingest(database, events, options.batch);
    const [check] = await database.query<{ n: string; r: string }>(
      `SELECT (SELECT count(*) FROM events) AS n, (SELECT sum(count) FROM rollup_hour) AS r`,
    );
    if (Number(check!.n) !== total || Number(check!.r) !== total) {
      throw new Error(`stored ${check!.n} events and ${check!.r} in rollups, expected ${total}`);
    }
    const summary = {
      bench: 'ingest',
      devices: options.devices,
      events: total,
      batch: options.batch,
      spreadMinutes: options.spreadMinutes,
      ingest: { eventsPerSec: Math.round(result.eventsPerSec), seconds: +result.seconds.toFixed(2) },
      baseline: { eventsPerSec: Math.round(base.eventsPerSec), seconds: +base.seconds.toFixed(2) },
      ratio: +(result.eventsPerSec / base.eventsPerSec).toFixed(3),
      targets: { eventsPerSec: 20_000, ratio: 0.5 },
      met: result.eventsPerSec >= 20_000 && result.eventsPerSec / base.eventsPerSec >= 0.5,
      rejected: result.stats.rejected,
    };
    if (!options.json) {
      console.log(`devices ${options.devices}, events ${total}, ${options.batch} per message`);
      console.log(
        `ingest   (MQTT → validate → dedup + rollups → ack): ${summary.ingest.eventsPerSec} events/s`,
      );
      console.log(
        `baseline (plain batched INSERT … ON CONFLICT DO NOTHING): ${summary.baseline.eventsPerSec} events/s`,
      );
      console.log(`ratio ${summary.ratio}`);
    }
    console.log(JSON.stringify(summary));
  } finally {
    await drop();
  }
}

runMain(main);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, topics } from '@tally/proto';
import { validMessages } from '@tally/proto/fixtures';
import { createLogger } from '@tally/proto/log';
import { IngestConsumer } from '../../src/ingest/consumer';
import { aedesTransport } from '../../src/ingest/aedes-transport';
import { connectMqttTransport } from '../../src/ingest/mqtt-transport';
import type { IngestTransport } from '../../src/ingest/transport';
import { CloudBus } from '../../src/live/bus';
import { freshPglite, freshPostgres, type TestDatabase } from '../helpers/databases';
import {
  FakeDevice,
  MOSQUITTO_URL,
  range,
  seedDevice,
  seedSite,
  startAedes,
  uniqueId,
  waitFor,
} from './support';

/**
 * The ingest consumer end to end: real broker, real database. Two combinations cover both of each: PGlite with the
 * embedded aedes broker (in-process transport, devices over TCP), and PostgreSQL with the machine's Mosquitto.
 */
const SETUPS = [
  {
    name: 'PGlite + embedded aedes',
    setup: async () => {
      const aedes = await startAedes();
      return {
        db: await freshPglite(),
        url: aedes.url,
        transport: aedesTransport(aedes.broker),
        close: aedes.close,
      };
    },
  },
  {
    name: 'PostgreSQL + Mosquitto',
    setup: async () => {
      const transport = await connectMqttTransport(MOSQUITTO_URL, { clientId: uniqueId('ingest') });
      return { db: await freshPostgres(), url: MOSQUITTO_URL, transport, close: async () => undefined };
    },
  },
] as const;

const log = createLogger('ingest-test', 'silent');

describe.each(SETUPS)('ingest on $name', ({ setup }) => {
  let db: TestDatabase;
  let url: string;
  let transport: IngestTransport;
  let closeBroker: () => Promise<void>;
  let consumer: IngestConsumer;
  let site: { orgId: string; siteId: string };
  const bus = new CloudBus();
  const devices: FakeDevice[] = [];

  beforeAll(async () => {
    ({ db, url, transport, close: closeBroker } = await setup());
    consumer = new IngestConsumer({ database: db, transport, bus, log });
    await consumer.start();
    site = await seedSite(db, 'Europe/Berlin');
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()));
    await consumer?.stop();
    await transport?.close();
    await closeBroker?.();
    await db?.destroy();
  });

  async function device(): Promise<FakeDevice> {
    const id = await seedDevice(db, site);
    const d = await FakeDevice.connect(url, id);
    devices.push(d);
    return d;
  }

  const countRows = async (table: string, deviceId: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          `SELECT coalesce(sum(${table === 'events' ? 1 : 'count'}), 0) AS n
          FROM ${table} WHERE device_id = $1`,
          [deviceId],
        )
      )[0]!.n,
    );

  it('stores a batch once and acks it; a replayed batch adds nothing and is acked again', async () => {
    const d = await device();
    await d.sendEvents(range(1, 5));
    await waitFor(() => d.lastAck === 5, 'ack 5');
    await d.sendEvents(range(1, 5));
    await waitFor(() => d.acks.length >= 2, 'second ack');
    await consumer.idle();
    expect(d.acks).toEqual([5, 5]);
    expect(await countRows('events', d.deviceId)).toBe(5);
    for (const table of ['rollup_minute', 'rollup_hour', 'rollup_day']) {
      expect(await countRows(table, d.deviceId), table).toBe(5);
    }
  });

  it('holds the ack at the contiguous point while a gap is open, and moves it when the gap fills', async () => {
    const d = await device();
    await d.sendEvents(range(1, 3));
    await waitFor(() => d.lastAck === 3, 'ack 3');
    await d.sendEvents(range(7, 9));
    await waitFor(() => d.acks.length >= 2, 'ack after the gap');
    expect(d.lastAck).toBe(3);
    await d.sendEvents([5, 4, 6].sort());
    await waitFor(() => d.lastAck === 9, 'ack 9 once the gap is filled');
    expect(await countRows('events', d.deviceId)).toBe(9);
  });

  it('treats seqs the device folded into buckets (foldedThrough) as present, so the ack passes them', async () => {
    const d = await device();
    await d.sendEvents(range(1, 2));
    await waitFor(() => d.lastAck === 2, 'ack 2');
    // 3..6 were folded into minute buckets on the box under disk pressure: they will never arrive raw.
    await d.sendEvents(range(7, 8));
    await waitFor(() => d.acks.length >= 2, 'ack after the gap');
    expect(d.lastAck).toBe(2);
    await d.sendEvents(range(9, 10), undefined, 6);
    await waitFor(() => d.lastAck === 10, 'ack 10 past the folded seqs');
    expect(await countRows('events', d.deviceId)).toBe(6);
  });

  it('counts, logs and drops malformed messages and keeps ingesting', async () => {
    const d = await device();
    const other = await device();
    const before = consumer.stats.rejected.invalid;
    const batch = { v: SCHEMA_VERSION, deviceId: d.deviceId, sentAt: Date.now(), events: [] as object[] };
    const ev = (deviceId: string) => ({ ...validMessages.events.events[0]!, deviceId, seq: 1 });
    await d.sendRaw(topics.events(d.deviceId), '{"v":1,"events":[');
    await d.sendRaw(topics.events(d.deviceId), { ...batch, v: 2, events: [ev(d.deviceId)] });
    // A device speaking for another: a payload naming the other device, and an event naming it.
    await d.sendRaw(topics.events(d.deviceId), {
      ...batch,
      deviceId: other.deviceId,
      events: [ev(other.deviceId)],
    });
    await d.sendRaw(topics.events(d.deviceId), { ...batch, events: [ev(other.deviceId)] });
    await d.sendRaw(topics.heartbeat(d.deviceId), { ...validMessages.heartbeat, deviceId: d.deviceId, v: 2 });
    await waitFor(() => consumer.stats.rejected.invalid - before >= 5, 'five rejections');
    await d.sendEvents([1]);
    await waitFor(() => d.lastAck === 1, 'ingest still works after bad input');
    await consumer.idle();
    expect(consumer.stats.rejected.invalid - before).toBe(5);
    expect(await countRows('events', other.deviceId)).toBe(0);
    expect(await countRows('events', d.deviceId)).toBe(1);
  });

  it('refuses messages from a device that is not provisioned', async () => {
    const ghostId = uniqueId('ghost');
    const ghost = await FakeDevice.connect(url, ghostId);
    devices.push(ghost);
    const before = consumer.stats.rejected.unknown_device;
    await ghost.sendEvents([1, 2]);
    await waitFor(() => consumer.stats.rejected.unknown_device > before, 'rejection');
    expect(await countRows('events', ghostId)).toBe(0);
    expect(ghost.acks).toEqual([]);
  });

  it('puts late events, days old, in the minute, hour and site-local day of their own timestamps', async () => {
    const d = await device();
    // 2026-03-28T23:30Z is 00:30 on 29 March in Berlin (CET, +1): the local day differs from the UTC day.
    const late = Date.UTC(2026, 2, 28, 23, 30, 15);
    await d.sendEvents([1, 2], () => late);
    await waitFor(() => d.lastAck === 2, 'ack');
    const day = await db.query<{ day: string; count: string }>(
      `SELECT day::text AS day, count FROM rollup_day WHERE device_id = $1`,
      [d.deviceId],
    );
    expect(day).toEqual([{ day: '2026-03-29', count: expect.anything() }]);
    expect(Number(day[0]!.count)).toBe(2);
    const hour = await db.query<{ ms: string }>(
      `SELECT (extract(epoch from bucket) * 1000)::bigint AS ms FROM rollup_hour WHERE device_id = $1`,
      [d.deviceId],
    );
    expect(hour.map((h) => Number(h.ms))).toEqual([Date.UTC(2026, 2, 28, 23)]);
    const minute = await db.query<{ ms: string }>(
      `SELECT (extract(epoch from bucket) * 1000)::bigint AS ms FROM rollup_minute WHERE device_id = $1`,
      [d.deviceId],
    );
    expect(minute.map((h) => Number(h.ms))).toEqual([Date.UTC(2026, 2, 28, 23, 30)]);
  });

  it('counts minutes the device folded into buckets once: max(raw events, device total) per minute', async () => {
    const d = await device();
    const minute = Date.UTC(2026, 4, 1, 10, 0);
    const bucket = (count: number, at = minute) => ({
      v: SCHEMA_VERSION,
      deviceId: d.deviceId,
      sentAt: Date.now(),
      buckets: [
        {
          cameraId: 'cam-1',
          ruleId: 'door',
          kind: 'line_cross',
          direction: 'in',
          objectClass: 'person',
          minute: at,
          count,
        },
      ],
    });
    const sums = async () => [
      await countRows('rollup_minute', d.deviceId),
      await countRows('rollup_hour', d.deviceId),
      await countRows('rollup_day', d.deviceId),
    ];
    // Two raw events in the minute (seq 1 and 2 are 'in': seq % 3 !== 0).
    await d.sendEvents([1, 2], () => minute + 5000);
    await waitFor(() => d.lastAck === 2, 'ack 2');
    expect(await sums()).toEqual([2, 2, 2]);
    // The device folded three more away: its total for the minute is 5.
    await d.sendRaw(topics.buckets(d.deviceId), bucket(5));
    await waitFor(async () => (await countRows('rollup_minute', d.deviceId)) === 5, 'bucket applied');
    expect(await sums()).toEqual([5, 5, 5]);
    // Resent bucket, and a late raw event that is one of the five: nothing changes.
    await d.sendRaw(topics.buckets(d.deviceId), bucket(5));
    await d.sendEvents([4], () => minute + 9000);
    await waitFor(() => d.lastAck === 2 && d.acks.length >= 2, 'ack after seq 4');
    await consumer.idle();
    expect(await sums()).toEqual([5, 5, 5]);
    // A minute known only from a bucket.
    await d.sendRaw(topics.buckets(d.deviceId), bucket(4, minute + 60_000));
    await waitFor(async () => (await countRows('rollup_hour', d.deviceId)) === 9, 'second minute');
    expect(await sums()).toEqual([9, 9, 9]);
  });

  it('records status, heartbeats, occupancy, device buckets and command results, and tells the bus', async () => {
    const d = await device();
    const id = d.deviceId;
    const seen: string[] = [];
    const offs = [
      bus.on('deviceStatus', (e) => e.deviceId === id && seen.push(`status:${e.state}`)),
      bus.on('heartbeat', (e) => e.deviceId === id && seen.push('heartbeat')),
      bus.on('occupancy', (e) => e.deviceId === id && seen.push(`occupancy:${e.counts.person}`)),
    ];
    const m = validMessages;
    await d.sendRaw(topics.status(id), { ...m.status, deviceId: id, ts: Date.now() });
    await d.sendRaw(topics.heartbeat(id), { ...m.heartbeat, deviceId: id });
    await d.sendRaw(topics.occupancy(id), { ...m.occupancy, deviceId: id });
    await d.sendRaw(topics.buckets(id), { ...m.buckets, deviceId: id });
    const resent = { ...m.buckets.buckets[0]!, count: 20 };
    await d.sendRaw(topics.buckets(id), { ...m.buckets, deviceId: id, buckets: [resent] });
    await d.sendRaw(topics.commandResult(id), { ...m['commands/result'], deviceId: id });
    await waitFor(async () => {
      const r = await db.query(`SELECT 1 FROM command_results WHERE device_id = $1`, [id]);
      return r.length === 1;
    }, 'command result');
    await consumer.idle();
    offs.forEach((off) => off());
    const [dev] = await db.query<{ status: string }>(`SELECT status FROM devices WHERE id = $1`, [id]);
    expect(dev!.status).toBe('online');
    const [health] = await db.query<{ heartbeat: { uptimeS: number } }>(
      `SELECT heartbeat FROM device_health WHERE device_id = $1`,
      [id],
    );
    expect(health!.heartbeat.uptimeS).toBe(m.heartbeat.uptimeS);
    expect(await countRows('occupancy_samples', id)).toBe(3);
    // A resent bucket replaces the device's total for its minute: 20, not 12 + 20.
    expect(await countRows('device_buckets', id)).toBe(20);
    expect(seen.sort()).toEqual(['heartbeat', 'occupancy:3', 'status:online']);
  });

  it('acks a bucket or occupancy batch that names itself (batchId) once it is stored, and no other', async () => {
    const d = await device();
    const id = d.deviceId;
    const m = validMessages;
    // First the two that must get no ack (one device's messages are handled in order, so once the later ones
    // are acked these were handled): an older edge's batch without batchId, and an invalid batch.
    await d.sendRaw(topics.buckets(id), { ...m.buckets, deviceId: id });
    await d.sendRaw(topics.occupancy(id), { ...m.occupancy, deviceId: id, batchId: 'o-2', samples: [] });
    await d.sendRaw(topics.buckets(id), { ...m.buckets, deviceId: id, batchId: 'b-1' });
    await d.sendRaw(topics.occupancy(id), { ...m.occupancy, deviceId: id, batchId: 'o-1' });
    await waitFor(() => d.batchAcks.length >= 2, 'batch acks');
    await consumer.idle();
    expect(d.batchAcks.sort()).toEqual(['buckets:b-1', 'occupancy:o-1']);
    expect(d.acks).toEqual([]);
    // Acked after the write: both are in the tables when the ack arrives.
    expect(await countRows('device_buckets', id)).toBe(12);
    expect(await countRows('occupancy_samples', id)).toBe(3);
  });
});

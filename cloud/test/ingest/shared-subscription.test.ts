import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { IngestConsumer } from '../../src/ingest/consumer';
import { connectMqttTransport } from '../../src/ingest/mqtt-transport';
import type { IngestTransport } from '../../src/ingest/transport';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { FakeDevice, MOSQUITTO_URL, range, seedDevice, seedSite, uniqueId, waitFor } from './support';

/**
 * Two cloud instances on one Mosquitto, consuming through one shared subscription (`$share/<group>/…`) into one
 * PostgreSQL: the broker splits the messages between them, devices replay some batches (as after a lost ack), and
 * every event must still be stored exactly once, with every ack reaching the end.
 */
describe('two ingest instances sharing a subscription on Mosquitto', () => {
  const DEVICES = 8;
  const BATCHES = 12;
  const PER_BATCH = 25;
  let db: TestDatabase;
  const transports: IngestTransport[] = [];
  const consumers: IngestConsumer[] = [];
  const devices: FakeDevice[] = [];

  beforeAll(async () => {
    db = await freshPostgres();
    const group = uniqueId('tally').replace(/[^A-Za-z0-9_-]/g, '_');
    for (const name of ['a', 'b']) {
      const transport = await connectMqttTransport(MOSQUITTO_URL, { clientId: uniqueId(`ingest-${name}`) });
      const consumer = new IngestConsumer({
        database: db,
        transport,
        sharedGroup: group,
        log: createLogger(`ingest-${name}`, 'silent'),
      });
      await consumer.start();
      transports.push(transport);
      consumers.push(consumer);
    }
    const site = await seedSite(db, 'UTC');
    for (let i = 0; i < DEVICES; i += 1) {
      devices.push(await FakeDevice.connect(MOSQUITTO_URL, await seedDevice(db, site)));
    }
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()));
    for (const c of consumers) await c.stop();
    for (const t of transports) await t.close();
    await db?.destroy();
  });

  it('stores every event exactly once and acks each device to its last seq', async () => {
    const total = BATCHES * PER_BATCH;
    await Promise.all(
      devices.map(async (d) => {
        for (let b = 0; b < BATCHES; b += 1) {
          const seqs = range(b * PER_BATCH + 1, (b + 1) * PER_BATCH);
          await d.sendEvents(seqs);
          // Every third batch is sent twice, as a device does when an ack was lost.
          if (b % 3 === 0) await d.sendEvents(seqs);
        }
      }),
    );
    await waitFor(
      () => devices.every((d) => Math.max(0, ...d.acks) === total),
      'every device acked to the end',
      60_000,
    );
    await Promise.all(consumers.map((c) => c.idle()));

    const rows = await db.query<{ device_id: string; n: string; distinct_seqs: string; max: string }>(
      `SELECT device_id, count(*) AS n, count(DISTINCT seq) AS distinct_seqs, max(seq) AS max
         FROM events GROUP BY device_id`,
    );
    expect(rows).toHaveLength(DEVICES);
    for (const r of rows) {
      expect([Number(r.n), Number(r.distinct_seqs), Number(r.max)]).toEqual([total, total, total]);
    }
    const [rollup] = await db.query<{ n: string }>(`SELECT sum(count) AS n FROM rollup_hour`);
    expect(Number(rollup!.n)).toBe(DEVICES * total);
    // Both instances took part, and between them they saw the replays as duplicates.
    const [a, b] = consumers.map((c) => c.stats);
    expect(a!.eventsInserted).toBeGreaterThan(0);
    expect(b!.eventsInserted).toBeGreaterThan(0);
    expect(a!.eventsInserted + b!.eventsInserted).toBe(DEVICES * total);
    expect(a!.eventsDuplicate + b!.eventsDuplicate).toBe(DEVICES * 4 * PER_BATCH);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, SCHEMA_VERSION, topics } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { IngestConsumer } from '../../src/ingest/consumer';
import type { IngestTransport } from '../../src/ingest/transport';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from './support';

/**
 * Regression (issue 9, item 11): a device's minute total was replaced outright, so with two ingest instances an
 * older resend delivered after a newer one lowered the total. A device's total for a minute only ever grows (it
 * counts the minute's events so far), so the larger of two copies is the truth whichever arrives last.
 */
const log = createLogger('bucket-order-test', 'silent');

/** Ingest receives straight from `receive()`: the order of delivery is the test's, not a broker's. */
const idleTransport: IngestTransport = {
  subscribe: async () => undefined,
  publish: async () => undefined,
  close: async () => undefined,
};

describe.each(DATABASES)('device bucket totals on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let one: IngestConsumer;
  let two: IngestConsumer;

  beforeAll(async () => {
    db = await fresh();
    one = new IngestConsumer({ database: db, transport: idleTransport, log });
    two = new IngestConsumer({ database: db, transport: idleTransport, log });
  });
  afterAll(async () => {
    await one?.stop();
    await two?.stop();
    await db?.destroy();
  });

  it('keeps the newer total when an older resend reaches the other instance afterwards', async () => {
    const site = await seedSite(db, 'Europe/Berlin');
    const deviceId = await seedDevice(db, site);
    const minute = Date.UTC(2026, 4, 1, 10, 0);
    const batch = (count: number) =>
      Buffer.from(
        encodeMessage('buckets', {
          v: SCHEMA_VERSION,
          deviceId,
          sentAt: Date.now(),
          buckets: [
            {
              cameraId: 'cam-1',
              ruleId: 'door',
              kind: 'line_cross',
              direction: 'in',
              objectClass: 'person',
              minute,
              count,
            },
          ],
        }),
      );
    // The device sent 3 (minute in progress), then 7 (the minute closed); the broker delivered 7 to instance one
    // first and the older 3 to instance two later.
    one.receive(topics.buckets(deviceId), batch(7));
    await one.idle();
    two.receive(topics.buckets(deviceId), batch(3));
    await two.idle();
    const sum = async (sql: string) => Number((await db.query<{ n: string }>(sql, [deviceId]))[0]!.n);
    expect(await sum(`SELECT coalesce(sum(count), 0) AS n FROM device_buckets WHERE device_id = $1`)).toBe(7);
    for (const table of ['rollup_minute', 'rollup_hour', 'rollup_day']) {
      expect(await sum(`SELECT coalesce(sum(count), 0) AS n FROM ${table} WHERE device_id = $1`), table).toBe(
        7,
      );
    }
  });
});

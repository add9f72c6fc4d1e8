import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, SCHEMA_VERSION, topics } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import type { Database } from '../../src/db/client';
import { scratchDatabase, type ScratchDatabase } from '../../src/db/scratch-database';
import { IngestConsumer } from '../../src/ingest/consumer';
import { APPLY_BUCKETS_SQL, eventColumns, INSERT_EVENTS_SQL } from '../../src/ingest/event-statement';
import type { IngestTransport } from '../../src/ingest/transport';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { event, seedDevice, seedSite, waitFor } from './support';

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

/**
 * Regression (found by the edge's SIGKILL test once it ran against the real ingest: the cloud counted 1,620 where
 * the box had 1,560): a device-bucket statement computed its change from its snapshot, so when an events statement
 * for the same minute committed while it waited for the row lock, that change was propagated twice to hours and
 * days. Two real PostgreSQL connections force exactly that interleaving.
 */
describe('a bucket statement racing an events statement for the same minute (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: Database;
  beforeAll(async () => {
    scratch = await scratchDatabase('tally_test');
    db = scratch.database;
  });
  afterAll(async () => scratch?.drop());

  it('propagates each change once', async () => {
    const site = await seedSite(db, 'Europe/Berlin');
    const deviceId = await seedDevice(db, site);
    const device = { deviceId, ...site, timezone: 'Europe/Berlin' };
    const minute = Date.UTC(2026, 4, 1, 10, 0);
    const events = [1, 2, 3].map((seq) => event(deviceId, seq, minute + seq * 1000, { direction: 'in' }));
    const a = new pg.Client({ connectionString: scratch.url });
    const b = new pg.Client({ connectionString: scratch.url });
    await a.connect();
    await b.connect();
    try {
      // A stores 3 raw events for the minute and holds its transaction open.
      await a.query('BEGIN');
      await a.query(INSERT_EVENTS_SQL, eventColumns([{ device, events }]));
      // B applies the device's total of 5 for that minute: it blocks on A's row lock.
      const bucket = b.query(APPLY_BUCKETS_SQL, [
        deviceId,
        site.siteId,
        ['cam-1'],
        ['door'],
        ['line_cross'],
        ['in'],
        ['person'],
        [minute],
        [5],
      ]);
      await waitFor(
        async () =>
          (
            await db.query(
              `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
            )
          ).length > 0,
        'the bucket statement waiting for the lock',
      );
      await a.query('COMMIT');
      await bucket;
    } finally {
      await a.end();
      await b.end();
    }
    // The minute counts max(3 raw, device total 5) = 5; so must its hour and day.
    for (const table of ['rollup_minute', 'rollup_hour', 'rollup_day']) {
      const [row] = await db.query<{ n: string }>(
        `SELECT coalesce(sum(count), 0) AS n FROM ${table} WHERE device_id = $1`,
        [deviceId],
      );
      expect(Number(row!.n), table).toBe(5);
    }
  });
});

import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, SCHEMA_VERSION, topics } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { cachedDeviceDirectory } from '../../src/ingest/device-directory';
import { IngestConsumer } from '../../src/ingest/consumer';
import type { IngestTransport } from '../../src/ingest/transport';
import { CloudBus } from '../../src/live/bus';
import { buildTestApp, type TestApp } from '../app/build';
import { signedIn } from '../app/seed';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { event, seedDevice, seedSite } from './support';

/**
 * Regression (issue 9, item 13): ingest's device cache kept accepting a revoked device for up to 10 s and never
 * evicted entries. Revoking or deleting through the API must take effect with the device's very next message, and
 * the cache must stay bounded.
 */
const log = createLogger('device-revoke-test', 'silent');
const idleTransport: IngestTransport = {
  subscribe: async () => undefined,
  publish: async () => undefined,
  close: async () => undefined,
};

describe('revoking a device in the API takes effect in ingest at once', () => {
  let db: TestDatabase;
  let t: TestApp;
  let consumer: IngestConsumer;
  const emitter = new EventEmitter();

  beforeAll(async () => {
    db = await freshPglite();
    t = await buildTestApp(db, { bus: emitter });
    consumer = new IngestConsumer({
      database: db,
      transport: idleTransport,
      bus: new CloudBus(emitter),
      log,
    });
  });
  afterAll(async () => {
    await consumer?.stop();
    await t?.close();
    await db?.destroy();
  });

  const send = async (deviceId: string, seq: number) => {
    const batch = {
      v: SCHEMA_VERSION,
      deviceId,
      sentAt: Date.now(),
      events: [event(deviceId, seq, Date.now())],
    };
    consumer.receive(topics.events(deviceId), Buffer.from(encodeMessage('events', batch)));
    await consumer.idle();
  };
  const stored = async (deviceId: string) =>
    Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE device_id = $1`, [deviceId]))[0]!
        .n,
    );

  for (const action of ['revoke', 'delete'] as const) {
    it(`refuses the next message after ${action}`, async () => {
      const site = await seedSite(db);
      const deviceId = await seedDevice(db, site);
      const owner = await signedIn(t.app, db.db, site.orgId, 'owner');
      await send(deviceId, 1);
      expect(await stored(deviceId)).toBe(1);
      const res =
        action === 'revoke'
          ? await t.app.inject({
              method: 'POST',
              url: `/api/devices/${deviceId}/revoke`,
              headers: owner.headers,
            })
          : await t.app.inject({ method: 'DELETE', url: `/api/devices/${deviceId}`, headers: owner.headers });
      expect(res.statusCode).toBeLessThan(300);
      const refusedBefore = consumer.stats.rejected.unknown_device;
      const storedBefore = await stored(deviceId);
      await send(deviceId, 2);
      expect(consumer.stats.rejected.unknown_device - refusedBefore).toBe(1);
      expect(await stored(deviceId)).toBe(storedBefore);
    });
  }
});

describe('the device directory is bounded', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshPglite();
  });
  afterAll(async () => db?.destroy());

  it('evicts the least recently used device beyond maxEntries', async () => {
    const site = await seedSite(db);
    const ids = [await seedDevice(db, site), await seedDevice(db, site), await seedDevice(db, site)];
    const queried: string[] = [];
    const counting = {
      query: async <T>(sql: string, params?: unknown[]) => {
        queried.push(String(params?.[0]));
        return db.query<T>(sql, params);
      },
    };
    const directory = cachedDeviceDirectory(counting, { maxEntries: 2 });
    for (const id of ids) expect((await directory.lookup(id))?.deviceId).toBe(id);
    // ids[1] and ids[2] are held; ids[0] was evicted, so reading it again queries the table.
    await directory.lookup(ids[2]!);
    await directory.lookup(ids[1]!);
    await directory.lookup(ids[0]!);
    expect(queried).toEqual([ids[0], ids[1], ids[2], ids[0]]);
  });
});

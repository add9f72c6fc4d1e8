import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, SCHEMA_VERSION, topics, type CountEvent } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { IngestConsumer } from '../../src/ingest/consumer';
import type { DeviceInfo } from '../../src/ingest/device-directory';
import { EventWriter, type FlushResult } from '../../src/ingest/event-writer';
import type { IngestTransport } from '../../src/ingest/transport';
import { buildTestApp, type TestApp } from '../app/build';
import { signedIn } from '../app/seed';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { event, range, seedDevice, seedSite, waitFor } from './support';

/**
 * Regression (issue 9, item 10): one poisoned input stopped everyone. A site whose time zone the database rejects
 * (`US/Pacific-New`: Node knows it, PostgreSQL does not) failed every statement that merged its events with other
 * devices', and a seq beyond bigint (1e20) failed its whole batch, forever. Now the statement is retried per device,
 * then per message, then per event; what still fails is quarantined (stored with the reason, counted, listed for
 * admins) and acked; everything else is stored and acked.
 */
const log = createLogger('poison-test', 'silent');
const POISON_ZONE = 'US/Pacific-New';

/** Acks published by ingest, per device (a transport that records instead of a broker: the test drives receive()). */
function recordingTransport() {
  const acks = new Map<string, number[]>();
  const transport: IngestTransport = {
    subscribe: async () => undefined,
    publish: async (topic, payload) => {
      const decoded = JSON.parse(payload) as { deviceId: string; seq: number };
      acks.set(decoded.deviceId, [...(acks.get(decoded.deviceId) ?? []), decoded.seq]);
      void topic;
    },
    close: async () => undefined,
  };
  return { transport, acks };
}

describe.each(DATABASES)('poison isolation on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let good: { orgId: string; siteId: string };
  let poisoned: { orgId: string; siteId: string };

  beforeAll(async () => {
    db = await fresh();
    good = await seedSite(db, 'Europe/Berlin');
    poisoned = await seedSite(db, 'America/Los_Angeles');
    // Stored before validation existed (or by hand): the column takes any text.
    await db.query(`UPDATE sites SET timezone = $1 WHERE id = $2`, [POISON_ZONE, poisoned.siteId]);
  });
  afterAll(async () => db?.destroy());

  const info = (site: { orgId: string; siteId: string }, deviceId: string): DeviceInfo => ({
    deviceId,
    ...site,
    timezone: 'UTC',
  });
  const storedSeqs = async (deviceId: string) =>
    (
      await db.query<{ seq: string }>(`SELECT seq FROM events WHERE device_id = $1 ORDER BY seq`, [deviceId])
    ).map((r) => Number(r.seq));
  const dayTotal = async (deviceId: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          `SELECT coalesce(sum(count), 0) AS n FROM rollup_day WHERE device_id = $1`,
          [deviceId],
        )
      )[0]!.n,
    );

  it('a statement merging a poisoned device with a healthy one still stores and acks the healthy one', async () => {
    const healthy = await seedDevice(db, good);
    const poison = await seedDevice(db, poisoned);
    const flushed: FlushResult[] = [];
    const writer = new EventWriter(db, { log, onFlushed: (r) => flushed.push(r), onError: () => undefined });
    const ev = (d: string, seqs: number[]): CountEvent[] => seqs.map((s) => event(d, s, Date.now()));
    // The first batch runs alone; the next two, queued while it runs, go into ONE statement together.
    writer.enqueue(info(good, healthy), ev(healthy, [1]));
    writer.enqueue(info(poisoned, poison), ev(poison, [1, 2]));
    writer.enqueue(info(good, healthy), ev(healthy, [2, 3]));
    await writer.idle();
    expect(await storedSeqs(healthy)).toEqual([1, 2, 3]);
    expect(await dayTotal(healthy)).toBe(3);
    const lastAck = (d: string) => Math.max(0, ...flushed.map((f) => f.acks.get(d) ?? 0));
    expect(lastAck(healthy)).toBe(3);
    // The poisoned device's events are kept in quarantine with the reason, and acked so it stops resending.
    const q = await db.query<{ seq: string; reason: string }>(
      `SELECT seq, reason FROM ingest_quarantine WHERE device_id = $1 ORDER BY seq`,
      [poison],
    );
    expect(q.map((r) => r.seq)).toEqual(['1', '2']);
    expect(q[0]!.reason).toContain(POISON_ZONE);
    expect(lastAck(poison)).toBe(2);
    expect(await storedSeqs(poison)).toEqual([]);
  });

  it('through the consumer: a seq beyond bigint is quarantined, the rest of its batch and other devices flow', async () => {
    const { transport, acks } = recordingTransport();
    const consumer = new IngestConsumer({ database: db, transport, log });
    try {
      const c = await seedDevice(db, good);
      const other = await seedDevice(db, good);
      const poison = await seedDevice(db, poisoned);
      const send = (deviceId: string, seqs: number[]) =>
        consumer.receive(
          topics.events(deviceId),
          Buffer.from(
            encodeMessage('events', {
              v: SCHEMA_VERSION,
              deviceId,
              sentAt: Date.now(),
              events: seqs.map((s) => event(deviceId, s, Date.now())),
            }),
          ),
        );
      // The wire really carries 1e20 as an integer the schema accepts.
      const wire = encodeMessage('events', {
        v: SCHEMA_VERSION,
        deviceId: c,
        sentAt: 0,
        events: [event(c, 1e20, Date.now())],
      });
      expect(decodeMessage('events', wire, c).ok).toBe(true);
      send(c, [1, 2, 1e20]);
      send(poison, range(1, 4));
      send(other, range(1, 5));
      await waitFor(async () => {
        await consumer.idle();
        return acks.get(other)?.includes(5) && acks.get(c)?.includes(2) && acks.get(poison)?.includes(4);
      }, 'acks for every device');
      send(c, [3]);
      await consumer.idle();
      expect(acks.get(c)?.at(-1)).toBe(3);
      expect(await storedSeqs(c)).toEqual([1, 2, 3]);
      expect(await storedSeqs(other)).toEqual([1, 2, 3, 4, 5]);
      expect(await dayTotal(other)).toBe(5);
      const q = await db.query<{ device_id: string; seq: string }>(
        `SELECT device_id, seq FROM ingest_quarantine WHERE device_id = ANY($1) ORDER BY device_id, seq`,
        [[c, poison]],
      );
      expect(q.filter((r) => r.device_id === c).map((r) => r.seq)).toEqual(['100000000000000000000']);
      expect(q.filter((r) => r.device_id === poison)).toHaveLength(4);
      expect(consumer.stats.quarantined).toBeGreaterThanOrEqual(2);
      // A resend of what is already quarantined is not stored twice.
      send(poison, range(1, 4));
      await consumer.idle();
      const again = await db.query(`SELECT 1 FROM ingest_quarantine WHERE device_id = $1`, [poison]);
      expect(again).toHaveLength(4);
    } finally {
      await consumer.stop();
    }
  });

  it('quarantines events naming a camera or rule no config issued to the device has, and acks past them', async () => {
    const { transport, acks } = recordingTransport();
    const consumer = new IngestConsumer({ database: db, transport, log });
    try {
      const deviceId = await seedDevice(db, good);
      const config = { cameras: [{ id: 'cam-1', lines: [{ id: 'door' }], zones: [{ id: 'queue' }] }] };
      await db.query(
        `INSERT INTO config_versions (org_id, device_id, version, hash, config, status)
         VALUES ($1, $2, 1, 'h1', $3::jsonb, 'applied')`,
        [good.orgId, deviceId, JSON.stringify(config)],
      );
      const events = [
        event(deviceId, 1, Date.now()), // cam-1/door: configured
        event(deviceId, 2, Date.now(), { ruleId: 'ghost' }),
        event(deviceId, 3, Date.now(), { cameraId: 'cam-9' }),
        event(deviceId, 4, Date.now(), { kind: 'zone_enter', ruleId: 'queue', direction: undefined }),
      ];
      consumer.receive(
        topics.events(deviceId),
        Buffer.from(encodeMessage('events', { v: SCHEMA_VERSION, deviceId, sentAt: Date.now(), events })),
      );
      await waitFor(async () => {
        await consumer.idle();
        return acks.get(deviceId)?.includes(4);
      }, 'ack 4');
      expect(await storedSeqs(deviceId)).toEqual([1, 4]);
      const q = await db.query<{ seq: string; reason: string }>(
        `SELECT seq, reason FROM ingest_quarantine WHERE device_id = $1 ORDER BY seq`,
        [deviceId],
      );
      expect(q.map((r) => r.seq)).toEqual(['2', '3']);
      expect(q[0]!.reason).toContain('ghost');
      expect(q[1]!.reason).toContain('cam-9');
    } finally {
      await consumer.stop();
    }
  });

  it('a poisoned bucket message is quarantined and the device keeps going', async () => {
    const { transport } = recordingTransport();
    const consumer = new IngestConsumer({ database: db, transport, log });
    try {
      const poison = await seedDevice(db, poisoned);
      const bucket = {
        v: SCHEMA_VERSION,
        deviceId: poison,
        sentAt: Date.now(),
        buckets: [
          {
            cameraId: 'cam-1',
            ruleId: 'door',
            kind: 'line_cross' as const,
            direction: 'in' as const,
            objectClass: 'person',
            minute: Date.UTC(2026, 4, 1, 10),
            count: 3,
          },
        ],
      };
      consumer.receive(topics.buckets(poison), Buffer.from(encodeMessage('buckets', bucket)));
      await consumer.idle();
      const q = await db.query<{ channel: string }>(
        `SELECT channel FROM ingest_quarantine WHERE device_id = $1`,
        [poison],
      );
      expect(q).toEqual([{ channel: 'buckets' }]);
      expect(consumer.stats.rejected.failed).toBe(0);
    } finally {
      await consumer.stop();
    }
  });
});

describe('the quarantine is visible to admins, and only to their organisation', () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await DATABASES[0].fresh();
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  it('lists quarantined items with the reason for owners and admins, 403 for viewers', async () => {
    const mine = await seedSite(db, 'America/Los_Angeles');
    const theirs = await seedSite(db, 'America/Los_Angeles');
    for (const site of [mine, theirs]) {
      await db.query(`UPDATE sites SET timezone = $1 WHERE id = $2`, [POISON_ZONE, site.siteId]);
      const deviceId = await seedDevice(db, site);
      const writer = new EventWriter(db, { log, onFlushed: () => undefined, onError: () => undefined });
      writer.enqueue(info(site, deviceId), [event(deviceId, 7, Date.now())]);
      await writer.idle();
    }
    const admin = await signedIn(t.app, db.db, mine.orgId, 'admin');
    const res = await t.app.inject({ url: '/api/ingest/quarantine', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { siteId: string; seq: string; reason: string; channel: string }[];
    expect(body.map((e) => [e.siteId, e.channel, e.seq])).toEqual([[mine.siteId, 'events', '7']]);
    expect(body[0]!.reason).toContain(POISON_ZONE);
    const viewer = await signedIn(t.app, db.db, mine.orgId, 'viewer');
    expect((await t.app.inject({ url: '/api/ingest/quarantine', headers: viewer.headers })).statusCode).toBe(
      403,
    );
  });

  function info(site: { orgId: string; siteId: string }, deviceId: string): DeviceInfo {
    return { deviceId, ...site, timezone: 'UTC' };
  }
});

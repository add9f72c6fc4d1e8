import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { startServer, type RunningServer } from '../../src/server';
import { testConfig } from '../app/build';
import { FakeDevice, MOSQUITTO_URL, range, seedDevice, seedSite, uniqueId, waitFor } from './support';

const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Two whole cloud instances (`startServer`, as `cloud serve` runs them) on one PostgreSQL database and one
 * Mosquitto, consuming through the shared subscription MQTT_SHARE_GROUP: every event stored exactly once.
 */
describe('two cloud instances on one broker and one database', () => {
  const servers: RunningServer[] = [];
  const devices: FakeDevice[] = [];
  let dbName: string;

  beforeAll(async () => {
    dbName = `tally_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    const group = uniqueId('share').replace(/[^A-Za-z0-9_-]/g, '_');
    for (const name of ['one', 'two']) {
      const config = testConfig({
        port: 0,
        host: '127.0.0.1',
        databaseUrl: url.toString(),
        mqttUrl: MOSQUITTO_URL,
        mqttShareGroup: group,
        // Two instances on one host: each its own stable client id (its persistent session).
        mqttClientId: uniqueId(`tally-ingest-${name}`),
      });
      servers.push(await startServer(config, { log: createLogger(`cloud-${name}`, 'silent') }));
    }
    const db = servers[0]!.ctx.database;
    const site = await seedSite(db, 'Europe/Berlin');
    for (let i = 0; i < 4; i += 1)
      devices.push(await FakeDevice.connect(MOSQUITTO_URL, await seedDevice(db, site)));
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()));
    for (const s of servers) await s.stop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    // Both servers closed their pools; wait until PostgreSQL has seen every backend go, so FORCE kills nobody's.
    await waitFor(
      async () =>
        (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1`, [dbName])).rowCount === 0,
      'connections closed',
      10_000,
    ).catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('stores every event once while both instances consume', async () => {
    await Promise.all(
      devices.map(async (d) => {
        for (let b = 0; b < 10; b += 1) {
          await d.sendEvents(range(b * 20 + 1, (b + 1) * 20));
          if (b % 2 === 0) await d.sendEvents(range(b * 20 + 1, (b + 1) * 20)); // a replay
        }
      }),
    );
    await waitFor(
      () => devices.every((d) => Math.max(0, ...d.acks) === 200),
      'every device acked to 200',
      60_000,
    );
    const db = servers[0]!.ctx.database;
    const [row] = await db.query<{ n: string; distinct_keys: string; rollup: string }>(
      `SELECT count(*) AS n, count(DISTINCT (device_id, seq)) AS distinct_keys,
              (SELECT sum(count) FROM rollup_day) AS rollup FROM events`,
    );
    expect([Number(row!.n), Number(row!.distinct_keys), Number(row!.rollup)]).toEqual([800, 800, 800]);
    // Both instances consumed: each registered inserted events in its own /metrics.
    for (const s of servers) {
      const body = await waitFor(async () => {
        const res = await s.app.inject({ method: 'GET', url: '/metrics' });
        const m = /tally_ingest_events_total\{result="inserted"\} (\d+)/.exec(res.body);
        return m && Number(m[1]) > 0 ? res.body : null;
      }, 'inserted counter on each instance');
      expect(body).toBeTruthy();
    }
  });
});

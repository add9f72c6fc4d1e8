import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountEvent, Overview } from '@tally/proto';
import { validMessages } from '@tally/proto/fixtures';
import { eventColumns, INSERT_EVENTS_SQL } from '../../src/ingest/event-statement';
import { recordHeartbeat, recordOccupancy, recordStatus } from '../../src/ingest/records';
import { buildTestApp, type TestApp } from '../app/build';
import { signedIn } from '../app/seed';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

/** `GET /api/overview`: every site the user may read with today's crossings, occupancy, 24 h, devices, alerts. */
describe('overview', () => {
  let db: TestDatabase;
  let t: TestApp;
  let site: { orgId: string; siteId: string };
  let other: string;
  let live: string;
  let silent: string;

  beforeAll(async () => {
    db = await freshPglite();
    t = await buildTestApp(db);
    site = await seedSite(db, 'UTC');
    [{ id: other }] = (await db.query<{ id: string }>(
      `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'Other', 'UTC') RETURNING id`,
      [site.orgId],
    )) as [{ id: string }];
    live = await seedDevice(db, site);
    silent = await seedDevice(db, site);
    const now = Date.now();
    const d = new Date(now);
    const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    // Today for sure, and in the past: between midnight and now.
    const today = (k: number) => Math.max(midnight + k * 1000, now - 60_000 + k * 1000);
    const ev = (seq: number, kind: CountEvent['kind'], direction?: 'in' | 'out'): CountEvent => ({
      deviceId: live,
      seq,
      cameraId: 'cam-1',
      ruleId: kind === 'line_cross' ? 'door' : 'plaza',
      kind,
      ...(direction ? { direction } : {}),
      objectClass: 'person',
      trackId: seq,
      ts: today(seq),
      confidence: 0.9,
    });
    const events = [ev(1, 'line_cross', 'in'), ev(2, 'line_cross', 'in'), ev(3, 'line_cross', 'in')];
    events.push(ev(4, 'line_cross', 'out'));
    for (let s = 5; s < 10; s++) events.push(ev(s, 'zone_enter'));
    const info = { deviceId: live, orgId: site.orgId, siteId: site.siteId, timezone: 'UTC' };
    await db.query(INSERT_EVENTS_SQL, eventColumns([{ device: info, events }]));
    await recordStatus(db, { v: 1, deviceId: live, state: 'online', ts: now - 60_000 });
    await recordHeartbeat(db, info, {
      ...validMessages.heartbeat,
      deviceId: live,
      ts: now - 5000,
      cameras: [{ ...validMessages.heartbeat.cameras[0]!, cameraId: 'cam-2', state: 'stalled' }],
    });
    await recordOccupancy(db, info, {
      v: 1,
      deviceId: live,
      sentAt: now,
      samples: [{ cameraId: 'cam-1', zoneId: 'plaza', ts: now - 10_000, counts: { person: 4 } }],
    });
    await recordStatus(db, { v: 1, deviceId: silent, state: 'online', ts: now - 3_600_000 });
    await db.query(`UPDATE devices SET last_seen_at = now() - interval '10 minutes' WHERE id = $1`, [silent]);
    const [rule] = await db.query<{ id: string }>(
      `INSERT INTO alert_rules (org_id, site_id, name, kind, params) VALUES ($1, $2, 'R', 'device_offline',
        '{"kind":"device_offline","forMinutes":0}') RETURNING id`,
      [site.orgId, site.siteId],
    );
    for (const state of ['firing', 'resolved']) {
      await db.query(
        `INSERT INTO alert_events (org_id, site_id, rule_id, state, message, details, started_at)
         VALUES ($1, $2, $3, $4, 'm', '{}', now())`,
        [site.orgId, site.siteId, rule!.id, state],
      );
    }
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  it('answers each visible site in one call, crossings apart from zone events', async () => {
    const { headers } = await signedIn(t.app, db.db, site.orgId, 'owner');
    const res = await t.app.inject({ url: '/api/overview', headers });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Overview;
    expect(body.sites.map((s) => s.siteId).sort()).toEqual([site.siteId, other].sort());
    const s = body.sites.find((x) => x.siteId === site.siteId)!;
    expect(s.today.crossings).toEqual({ in: 3, out: 1, total: 4, net: 2 });
    expect(s.occupancy).toEqual({ now: 4, staleZones: 0 });
    expect(s.spark).toHaveLength(24);
    expect(s.spark.reduce((n, p) => n + p.total, 0)).toBe(4);
    expect(s.devices).toMatchObject({ total: 2, online: 1 });
    expect(s.devices.offline).toEqual([expect.objectContaining({ deviceId: silent, reason: 'silent' })]);
    expect(s.devices.camerasDown).toEqual([{ deviceId: live, cameraId: 'cam-2', state: 'stalled' }]);
    expect(s.openAlerts).toBe(1);
  });

  it('shows a scoped user only their sites', async () => {
    const { headers } = await signedIn(t.app, db.db, site.orgId, 'viewer', [other]);
    const body = (await t.app.inject({ url: '/api/overview', headers })).json() as Overview;
    expect(body.sites.map((s) => s.siteId)).toEqual([other]);
  });
});

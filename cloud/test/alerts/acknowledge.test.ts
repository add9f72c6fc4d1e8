import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@tally/proto';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { freshPglite, type TestDatabase } from '../helpers/databases';

/**
 * Acknowledging alerts (who, when), audited, and listing a site's open and past alerts with filters. PGlite: the
 * queries are plain SQL that the engine tests run on PostgreSQL too.
 */
describe('alert acknowledgement and filters', () => {
  let db: TestDatabase;
  let t: TestApp;
  let siteA: string;
  let ruleA: string;
  let managerId: string;
  let managerEmail: string;
  const alerts: Record<string, string> = {};
  const h: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    db = await freshPglite();
    t = await buildTestApp(db);
    const a = await seedOrg(db.db, 'A');
    const b = await seedOrg(db.db, 'B');
    [{ id: siteA }] = (await db.query<{ id: string }>(
      `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'A1', 'UTC') RETURNING id`,
      [a],
    )) as [{ id: string }];
    [{ id: ruleA }] = (await db.query<{ id: string }>(
      `INSERT INTO alert_rules (org_id, site_id, name, kind, params) VALUES ($1, $2, 'Queue', 'occupancy_above',
        '{"kind":"occupancy_above","threshold":5,"forMinutes":0}') RETURNING id`,
      [a, siteA],
    )) as [{ id: string }];
    const alert = async (name: string, state: string, startedAt: string) => {
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO alert_events (org_id, site_id, rule_id, subject, state, message, details, started_at, resolved_at)
         VALUES ($1, $2, $3, 'queue', $4, $5, '{}', $6, CASE WHEN $4 = 'resolved' THEN now() END) RETURNING id`,
        [a, siteA, ruleA, state, name, startedAt],
      );
      alerts[name] = row!.id;
    };
    await alert('old', 'resolved', '2026-05-01T10:00:00Z');
    await alert('open', 'firing', '2026-05-02T10:00:00Z');
    await alert('newer', 'firing', '2026-05-03T10:00:00Z');
    const manager = await signedIn(t.app, db.db, a, 'site_manager', [siteA]);
    h.manager = manager.headers;
    managerId = manager.id;
    managerEmail = manager.email;
    h.viewer = (await signedIn(t.app, db.db, a, 'viewer')).headers;
    h.ownerB = (await signedIn(t.app, db.db, b, 'owner')).headers;
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  const call = (who: string, method: 'GET' | 'POST', url: string) =>
    t.app.inject({ method, url, headers: h[who] });
  const ack = (who: string, name: string) =>
    call(who, 'POST', `/api/sites/${siteA}/alerts/${alerts[name]}/ack`);
  const list = async (query: string) =>
    ((await call('viewer', 'GET', `/api/sites/${siteA}/alerts?${query}`)).json() as AlertEvent[]).map(
      (e) => e.message,
    );

  it('records who acknowledged an alert and when, once, and audits it', async () => {
    const before = Date.now();
    const res = await ack('manager', 'open');
    expect(res.statusCode).toBe(200);
    const event = res.json() as AlertEvent;
    expect(event).toMatchObject({
      id: alerts.open,
      state: 'firing',
      acknowledged: { userId: managerId, email: managerEmail },
    });
    expect(Date.parse(event.acknowledged!.at)).toBeGreaterThanOrEqual(before - 5000);
    // Again: the first acknowledgement stands, and only one audit row.
    const again = (await ack('manager', 'open')).json() as AlertEvent;
    expect(again.acknowledged).toEqual(event.acknowledged);
    const audits = await db.query<{ actor_user_id: string }>(
      `SELECT actor_user_id FROM audit_log WHERE action = 'alert.ack' AND target_id = $1`,
      [alerts.open],
    );
    expect(audits).toEqual([{ actor_user_id: managerId }]);
  });

  it('refuses a viewer (403), another organisation (404) and an unknown alert (404)', async () => {
    expect((await ack('viewer', 'newer')).statusCode).toBe(403);
    expect((await ack('ownerB', 'newer')).statusCode).toBe(404);
    const unknown = await call(
      'manager',
      'POST',
      `/api/sites/${siteA}/alerts/00000000-0000-4000-8000-000000000000/ack`,
    );
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'TALLY_NOT_FOUND']);
  });

  it('lists open and past alerts with filters, newest first', async () => {
    expect(await list('')).toEqual(['newer', 'open', 'old']);
    expect(await list('state=firing')).toEqual(['newer', 'open']);
    expect(await list('state=resolved')).toEqual(['old']);
    expect(await list('state=firing&acknowledged=false')).toEqual(['newer']);
    expect(await list('acknowledged=true')).toEqual(['open']);
    expect(await list(`ruleId=${ruleA}&from=2026-05-02T00:00:00Z&to=2026-05-03T00:00:00Z`)).toEqual(['open']);
    expect(await list('limit=1')).toEqual(['newer']);
  });
});

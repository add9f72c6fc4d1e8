import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountEvent, CountsReport } from '@tally/proto';
import { eventColumns, INSERT_EVENTS_SQL } from '../../src/ingest/event-statement';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { seedDevice } from '../ingest/support';

/**
 * The analytics routes through HTTP: schemas, permissions (organisations and scoped roles), CSV and JSON export.
 * On PGlite only: the same SQL runs on PostgreSQL in counts.test.ts, and each signed-in user costs an argon2 hash.
 */
describe('analytics routes', () => {
  const fresh = freshPglite;
  let db: TestDatabase;
  let t: TestApp;
  const sites: Record<string, string> = {};
  const headers: Record<string, { authorization: string }> = {};
  const range = 'from=2026-05-01T00:00:00%2B02:00&to=2026-05-02T00:00:00%2B02:00';

  async function site(orgId: string, name: string) {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO sites (org_id, name, timezone) VALUES ($1, $2, 'Europe/Berlin') RETURNING id`,
      [orgId, name],
    );
    sites[name] = row!.id;
    const deviceId = await seedDevice(db, { orgId, siteId: row!.id });
    const events: CountEvent[] = [1, 2, 3].map((seq) => ({
      deviceId,
      seq,
      cameraId: 'cam-1',
      ruleId: 'door',
      kind: 'line_cross',
      direction: seq === 3 ? 'out' : 'in',
      objectClass: 'person',
      trackId: seq,
      ts: Date.parse('2026-05-01T10:00:00+02:00') + seq * 60_000,
      confidence: 0.9,
    }));
    const device = { deviceId, orgId, siteId: row!.id, timezone: 'Europe/Berlin' };
    await db.query(INSERT_EVENTS_SQL, eventColumns([{ device, events }]));
  }

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    const a = await seedOrg(db.db, 'A');
    const b = await seedOrg(db.db, 'B');
    await site(a, 'a1');
    await site(a, 'a2');
    await site(b, 'b1');
    headers.ownerA = (await signedIn(t.app, db.db, a, 'owner')).headers;
    headers.managerA1 = (await signedIn(t.app, db.db, a, 'site_manager', [sites.a1!])).headers;
    headers.installerA1 = (await signedIn(t.app, db.db, a, 'installer', [sites.a1!])).headers;
    headers.ownerB = (await signedIn(t.app, db.db, b, 'owner')).headers;
    headers.viewerA = (await signedIn(t.app, db.db, a, 'viewer')).headers;
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: headers[who] });

  it('answers counts in site time with totals and net flow', async () => {
    const res = await get(
      'ownerA',
      `/api/sites/${sites.a1}/analytics/counts?${range}&bucket=hour&compare=true`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json() as CountsReport;
    expect(body.byKind.line_cross).toEqual({ in: 2, out: 1, total: 3, net: 1 });
    expect(body.series[0]!.points).toHaveLength(24);
    expect(body.series[0]!.points.filter((p) => p.total > 0)).toEqual([
      expect.objectContaining({ start: '2026-05-01T10:00:00+02:00', total: 3 }),
    ]);
    expect(body.previous!.byKind.line_cross.total).toBe(0);
    expect(body.previous!.change.line_cross.total).toBeNull();
  });

  it('hides other organisations and sites outside a scoped role, as 404', async () => {
    expect((await get('ownerB', `/api/sites/${sites.a1}/analytics/counts?${range}`)).statusCode).toBe(404);
    expect((await get('managerA1', `/api/sites/${sites.a2}/analytics/counts?${range}`)).statusCode).toBe(404);
    expect((await get('managerA1', `/api/sites/${sites.a1}/analytics/counts?${range}`)).statusCode).toBe(200);
    expect((await get('ownerB', `/api/sites/${sites.a1}/analytics/occupancy?${range}`)).statusCode).toBe(404);
    expect((await get('ownerB', `/api/sites/${sites.a1}/analytics/dwell?${range}`)).statusCode).toBe(404);
    expect((await get('ownerB', `/api/sites/${sites.a1}/analytics/export?${range}`)).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/sites/${sites.a1}/analytics/counts?${range}` }))
        .statusCode,
    ).toBe(401);
  });

  it('validates the query: schema, range order and size', async () => {
    const base = `/api/sites/${sites.a1}/analytics/counts`;
    expect((await get('ownerA', `${base}?from=yesterday&to=today`)).statusCode).toBe(400);
    expect((await get('ownerA', `${base}?${range}&bucket=fortnight`)).statusCode).toBe(400);
    const reversed = await get('ownerA', `${base}?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.message).toMatch(/after/);
    const huge = await get('ownerA', `${base}?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=15m`);
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.message).toMatch(/at most 31 days/);
  });

  it('exports CSV and JSON for roles with data.export, audits it, and refuses an installer', async () => {
    const csv = await get(
      'managerA1',
      `/api/sites/${sites.a1}/analytics/export?${range}&bucket=day&groupBy=direction`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'start,start_ms,kind,device_id,camera_id,rule_id,object_class,direction,in,out,total,net',
    );
    expect(lines.slice(1).sort()).toEqual([
      `2026-05-01T00:00:00+02:00,${Date.parse('2026-05-01T00:00:00+02:00')},line_cross,,,,,in,2,0,2,2`,
      `2026-05-01T00:00:00+02:00,${Date.parse('2026-05-01T00:00:00+02:00')},line_cross,,,,,out,0,1,1,-1`,
    ]);
    const json = await get(
      'ownerA',
      `/api/sites/${sites.a1}/analytics/export?${range}&format=json&bucket=day`,
    );
    expect(json.statusCode).toBe(200);
    expect((json.json() as CountsReport).byKind.line_cross.total).toBe(3);
    expect((await get('installerA1', `/api/sites/${sites.a1}/analytics/export?${range}`)).statusCode).toBe(
      403,
    );
    // A viewer reads the counts but does not export them (issue 10: site managers and up export).
    expect((await get('viewerA', `/api/sites/${sites.a1}/analytics/counts?${range}`)).statusCode).toBe(200);
    expect((await get('viewerA', `/api/sites/${sites.a1}/analytics/export?${range}`)).statusCode).toBe(403);
    const audits = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'data.export' AND target_id = $1`,
      [sites.a1],
    );
    expect(Number(audits[0]!.n)).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertRule } from '@tally/proto';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { freshPglite, type TestDatabase } from '../helpers/databases';

/** Alert rule, alert history and report routes: schemas, roles and organisation scoping (PGlite; the queries are plain SQL run on PostgreSQL by the engine tests). */
describe('alert routes', () => {
  let db: TestDatabase;
  let t: TestApp;
  let siteA: string;
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
    h.manager = (await signedIn(t.app, db.db, a, 'site_manager', [siteA])).headers;
    h.viewer = (await signedIn(t.app, db.db, a, 'viewer')).headers;
    h.ownerB = (await signedIn(t.app, db.db, b, 'owner')).headers;
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  const call = (who: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: h[who], ...(payload ? { payload } : {}) });

  it('lets a site manager create, list and delete rules; viewers read; other organisations see 404', async () => {
    const body = {
      name: 'Busy',
      condition: { kind: 'occupancy_above', threshold: 10, forMinutes: 5 },
      webhookUrl: 'https://hooks.example.com/x',
    };
    const created = await call('manager', 'POST', `/api/sites/${siteA}/alert-rules`, body);
    expect(created.statusCode).toBe(201);
    const rule = created.json() as AlertRule;
    expect(rule).toMatchObject({ name: 'Busy', enabled: true, condition: body.condition });
    expect((await call('viewer', 'GET', `/api/sites/${siteA}/alert-rules`)).json()).toHaveLength(1);
    expect((await call('viewer', 'POST', `/api/sites/${siteA}/alert-rules`, body)).statusCode).toBe(403);
    expect((await call('ownerB', 'GET', `/api/sites/${siteA}/alert-rules`)).statusCode).toBe(404);
    expect((await call('ownerB', 'GET', `/api/sites/${siteA}/alerts`)).statusCode).toBe(404);
    expect((await call('ownerB', 'DELETE', `/api/sites/${siteA}/alert-rules/${rule.id}`)).statusCode).toBe(
      404,
    );
    expect((await call('manager', 'GET', `/api/sites/${siteA}/alerts?state=firing`)).json()).toEqual([]);
    expect((await call('manager', 'DELETE', `/api/sites/${siteA}/alert-rules/${rule.id}`)).statusCode).toBe(
      204,
    );
    expect((await call('manager', 'DELETE', `/api/sites/${siteA}/alert-rules/${rule.id}`)).statusCode).toBe(
      404,
    );
  });

  it('validates conditions and report targets', async () => {
    const bad = await call('manager', 'POST', `/api/sites/${siteA}/alert-rules`, {
      name: 'x',
      condition: { kind: 'occupancy_above', threshold: -1, forMinutes: 5 },
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await call('manager', 'POST', `/api/sites/${siteA}/alert-rules`, {
      name: 'x',
      condition: { kind: 'teleport' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(
      (await call('manager', 'POST', `/api/sites/${siteA}/reports`, { period: 'daily' })).statusCode,
    ).toBe(400);
    vi.stubEnv('SMTP_URL', 'smtp://mail.example.com:587');
    const report = await call('manager', 'POST', `/api/sites/${siteA}/reports`, {
      period: 'weekly',
      emailTo: 'boss@example.com',
    });
    vi.unstubAllEnvs();
    expect(report.statusCode).toBe(201);
    expect((await call('viewer', 'GET', `/api/sites/${siteA}/reports`)).json()).toMatchObject([
      { period: 'weekly', lastPeriodStart: null },
    ]);
  });

  it('refuses email alert rules and reports while no SMTP is configured, and says why', async () => {
    vi.stubEnv('SMTP_URL', '');
    try {
      const rule = await call('manager', 'POST', `/api/sites/${siteA}/alert-rules`, {
        name: 'crowd',
        condition: { kind: 'occupancy_above', threshold: 10, forMinutes: 5 },
        emailTo: 'boss@example.com',
      });
      expect(rule.statusCode).toBe(400);
      expect(rule.json().error.message).toMatch(/email delivery is not configured.*SMTP_URL/);
      const report = await call('manager', 'POST', `/api/sites/${siteA}/reports`, {
        period: 'daily',
        emailTo: 'boss@example.com',
      });
      expect(report.statusCode).toBe(400);
      expect(report.json().error.message).toMatch(/SMTP_URL/);
      // A webhook needs no SMTP.
      const hook = await call('manager', 'POST', `/api/sites/${siteA}/alert-rules`, {
        name: 'crowd hook',
        condition: { kind: 'occupancy_above', threshold: 10, forMinutes: 5 },
        webhookUrl: 'https://hooks.example.com/tally',
      });
      expect(hook.statusCode, hook.body).toBe(201);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

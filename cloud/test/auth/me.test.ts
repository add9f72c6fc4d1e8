import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '@tally/proto';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { freshPglite, type TestDatabase } from '../helpers/databases';

/** `GET /api/me` tells the dashboard what the user may do and where, so it never shows a button that would fail. */
describe('GET /api/me', () => {
  let db: TestDatabase;
  let t: TestApp;
  let orgId: string;
  let siteId: string;
  beforeAll(async () => {
    db = await freshPglite();
    t = await buildTestApp(db);
    orgId = await seedOrg(db.db);
    [{ id: siteId }] = (await db.query<{ id: string }>(
      `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'S', 'UTC') RETURNING id`,
      [orgId],
    )) as [{ id: string }];
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  const me = async (role: 'viewer' | 'site_manager' | 'owner', sites: string[] = []) => {
    const { headers } = await signedIn(t.app, db.db, orgId, role, sites);
    const res = await t.app.inject({ url: '/api/me', headers });
    expect(res.statusCode).toBe(200);
    return res.json() as Me;
  };

  it('lists the role’s permissions and the sites it covers', async () => {
    const viewer = await me('viewer');
    expect(viewer).toMatchObject({ role: 'viewer', sites: 'all' });
    expect(viewer.permissions).toEqual(['site.read']);
    const manager = await me('site_manager', [siteId]);
    expect(manager.sites).toEqual([siteId]);
    expect(manager.permissions).toEqual(expect.arrayContaining(['alert.ack', 'alert.manage', 'data.export']));
    expect(manager.permissions).not.toContain('user.manage');
    const owner = await me('owner');
    expect(owner.permissions).toHaveLength(13);
    expect(owner.sites).toBe('all');
  });
});

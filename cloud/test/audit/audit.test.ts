import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import {
  LINE,
  createCamera,
  createSite,
  login,
  provisionDevice,
  seedOrg,
  seedUser,
  signedIn,
} from '../app/seed';

type Headers = { authorization: string };

describe.each(DATABASES)('audit log on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let orgId: string;
  let admin: Headers & { id?: string };
  let adminId: string;
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    orgId = await seedOrg(database.db);
    const a = await signedIn(t.app, database.db, orgId, 'admin');
    admin = a.headers;
    adminId = a.id;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const entries = async (action?: string) =>
    (
      await t.app.inject({ url: `/api/audit${action ? `?action=${action}` : ''}`, headers: admin })
    ).json() as Array<{
      action: string;
      actorUserId: string | null;
      targetId: string | null;
      details: Record<string, unknown> | null;
      ip: string | null;
    }>;

  it('records logins and failed logins with the address', async () => {
    const user = await seedUser(database.db, orgId, 'viewer');
    await login(t.app, user.email);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'wrong' },
    });
    expect((await entries('auth.login')).some((e) => e.actorUserId === user.id && e.ip === '127.0.0.1')).toBe(
      true,
    );
    expect((await entries('auth.login_failed')).some((e) => e.targetId === user.id)).toBe(true);
  });

  it('records config changes with their version, newest first, and pages by id', async () => {
    const siteId = await createSite(t.app, admin);
    const { deviceId } = await provisionDevice(t.app, admin, siteId);
    const { camera } = await createCamera(t.app, admin, deviceId);
    await t.app.inject({
      method: 'POST',
      url: `/api/cameras/${camera.id}/rules`,
      headers: admin,
      payload: LINE,
    });
    const all = await entries();
    expect(all.slice(0, 4).map((e) => e.action)).toEqual([
      'rule.create',
      'camera.create',
      'device.provision',
      'claim_code.create',
    ]);
    expect(all[0]).toMatchObject({ actorUserId: adminId, details: { configVersion: 2 } });
    const older = (
      await t.app.inject({
        url: `/api/audit?limit=2&before=${(all[0] as unknown as { id: number }).id}`,
        headers: admin,
      })
    ).json();
    expect(older.map((e: { action: string }) => e.action)).toEqual(['camera.create', 'device.provision']);
  });

  it('is for owners and admins only', async () => {
    for (const role of ['site_manager', 'installer', 'viewer'] as const) {
      const { headers } = await signedIn(t.app, database.db, orgId, role);
      expect((await t.app.inject({ url: '/api/audit', headers })).statusCode, role).toBe(403);
    }
  });

  it('cuts off a disabled user at once, and audits it', async () => {
    const victim = await signedIn(t.app, database.db, orgId, 'viewer');
    expect((await t.app.inject({ url: '/api/me', headers: victim.headers })).statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${victim.id}`,
      headers: admin,
      payload: { disabled: true },
    });
    expect(res.json().disabled).toBe(true);
    expect((await t.app.inject({ url: '/api/me', headers: victim.headers })).statusCode).toBe(401);
    expect((await entries('user.disable'))[0]?.targetId).toBe(victim.id);
  });
});

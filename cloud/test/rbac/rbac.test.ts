import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { LINE, SETUP, createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

type Headers = { authorization: string };

describe.each(DATABASES)('RBAC and tenant isolation on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let adminA: Headers;
  let adminB: Headers;
  let orgA: string;
  let siteA: string;
  let siteA2: string;
  let deviceA: string;
  let cameraA: string;
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    orgA = await seedOrg(database.db, 'A');
    const orgB = await seedOrg(database.db, 'B');
    adminA = (await signedIn(t.app, database.db, orgA, 'admin')).headers;
    adminB = (await signedIn(t.app, database.db, orgB, 'owner')).headers;
    siteA = await createSite(t.app, adminA, 'A1');
    siteA2 = await createSite(t.app, adminA, 'A2');
    deviceA = (await provisionDevice(t.app, adminA, siteA)).deviceId;
    cameraA = (await createCamera(t.app, adminA, deviceA)).camera.id;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const req = (
    method: 'GET' | 'PATCH' | 'POST' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: object,
  ) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it("answers 404 to another organisation reading or changing org A's site, device, camera, rules", async () => {
    const attempts = [
      req('GET', `/api/sites/${siteA}`, adminB),
      req('PATCH', `/api/sites/${siteA}`, adminB, { name: 'pwned' }),
      req('DELETE', `/api/sites/${siteA}`, adminB),
      req('GET', `/api/devices/${deviceA}`, adminB),
      req('PATCH', `/api/devices/${deviceA}`, adminB, { name: 'pwned' }),
      req('POST', `/api/devices/${deviceA}/revoke`, adminB),
      req('POST', `/api/devices/${deviceA}/credentials`, adminB),
      req('GET', `/api/devices/${deviceA}/config`, adminB),
      req('GET', `/api/devices/${deviceA}/cameras`, adminB),
      req('POST', `/api/devices/${deviceA}/cameras`, adminB, { key: 'x', name: 'x', setup: SETUP }),
      req('GET', `/api/cameras/${cameraA}`, adminB),
      req('PATCH', `/api/cameras/${cameraA}`, adminB, { name: 'pwned' }),
      req('DELETE', `/api/cameras/${cameraA}`, adminB),
      req('POST', `/api/cameras/${cameraA}/rules`, adminB, LINE),
      req('POST', `/api/sites/${siteA}/claim-codes`, adminB, {}),
    ];
    const results = await Promise.all(attempts);
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 404));
    // Lists never leak across organisations either.
    expect((await req('GET', '/api/sites', adminB)).json()).toEqual([]);
    expect((await req('GET', '/api/devices', adminB)).json()).toEqual([]);
    expect((await req('GET', '/api/cameras', adminB)).json()).toEqual([]);
    // And org A's rows are untouched.
    expect((await req('GET', `/api/sites/${siteA}`, adminA)).json().name).toBe('A1');
    expect((await req('GET', `/api/devices/${deviceA}`, adminA)).json().revoked).toBe(false);
  });

  it('scopes a site manager to its sites', async () => {
    const manager = (await signedIn(t.app, database.db, orgA, 'site_manager', [siteA])).headers;
    expect((await req('GET', '/api/sites', manager)).json().map((s: { id: string }) => s.id)).toEqual([
      siteA,
    ]);
    expect((await req('GET', `/api/sites/${siteA2}`, manager)).statusCode).toBe(404);
    expect((await req('PATCH', `/api/devices/${deviceA}`, manager, { name: 'Gate 3b' })).statusCode).toBe(
      200,
    );
    expect((await req('POST', '/api/sites', manager, { name: 'x', timezone: 'UTC' })).statusCode).toBe(403);
    expect((await req('GET', '/api/users', manager)).statusCode).toBe(403);
  });

  it('lets an installer provision and edit camera setup on its sites, nothing more', async () => {
    const installer = (await signedIn(t.app, database.db, orgA, 'installer', [siteA])).headers;
    expect((await req('POST', `/api/sites/${siteA}/claim-codes`, installer, {})).statusCode).toBe(201);
    expect((await req('POST', `/api/sites/${siteA2}/claim-codes`, installer, {})).statusCode).toBe(404);
    const patch = await req('PATCH', `/api/cameras/${cameraA}`, installer, { setup: { ...SETUP, fps: 5 } });
    expect(patch.statusCode).toBe(200);
    expect((await req('POST', `/api/devices/${deviceA}/revoke`, installer)).statusCode).toBe(403);
    expect((await req('DELETE', `/api/sites/${siteA}`, installer)).statusCode).toBe(403);
  });

  it('lets a viewer read but not change anything', async () => {
    const viewer = (await signedIn(t.app, database.db, orgA, 'viewer', [siteA])).headers;
    expect((await req('GET', `/api/cameras/${cameraA}`, viewer)).statusCode).toBe(200);
    expect((await req('PATCH', `/api/cameras/${cameraA}`, viewer, { name: 'x' })).statusCode).toBe(403);
    expect((await req('POST', `/api/sites/${siteA}/claim-codes`, viewer, {})).statusCode).toBe(403);
    expect((await req('PATCH', `/api/sites/${siteA}`, viewer, { name: 'x' })).statusCode).toBe(403);
  });

  it('lets admins manage users, audits role changes, and keeps owners for owners', async () => {
    const created = await req('POST', '/api/users', adminA, {
      email: 'new.user@example.com',
      password: 'long enough password',
      role: 'viewer',
    });
    expect(created.statusCode).toBe(201);
    const userId = created.json().id;
    const promoted = await req('PATCH', `/api/users/${userId}`, adminA, {
      role: 'site_manager',
      siteIds: [siteA],
    });
    expect(promoted.json()).toMatchObject({ role: 'site_manager', siteIds: [siteA] });
    expect((await req('PATCH', `/api/users/${userId}`, adminA, { role: 'owner' })).statusCode).toBe(403);
    expect((await req('PATCH', `/api/users/${userId}`, adminB, { role: 'viewer' })).statusCode).toBe(404);
    const audit = await req('GET', '/api/audit?action=user.role', adminA);
    expect(audit.json()[0]).toMatchObject({
      action: 'user.role',
      targetId: userId,
      details: { from: { role: 'viewer' }, to: { role: 'site_manager', siteIds: [siteA] } },
    });
    expect(
      (await req('GET', '/api/audit', adminB))
        .json()
        .some((e: { targetId: string }) => e.targetId === userId),
    ).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenClaimCode } from '@tally/proto';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { createSite, seedOrg, signedIn } from '../app/seed';

type Headers = { authorization: string };

/**
 * Open claim codes on real PostgreSQL: listed without the code, revoked before use (provisioning through the real
 * route then fails), scoped by site, refused to roles that cannot provision, audited.
 */
describe('claim codes: list and revoke (PostgreSQL)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: { id: string; email: string; headers: Headers };
  let installer: { id: string; email: string; headers: Headers };
  let otherInstaller: Headers;
  let viewer: Headers;
  let siteId: string;
  let otherSiteId: string;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database, { configOverrides: { provisionRateLimit: 1000 } });
    const orgId = await seedOrg(database.db);
    admin = await signedIn(t.app, database.db, orgId, 'admin');
    siteId = await createSite(t.app, admin.headers, 'HQ');
    otherSiteId = await createSite(t.app, admin.headers, 'Warehouse');
    installer = await signedIn(t.app, database.db, orgId, 'installer', [siteId]);
    otherInstaller = (await signedIn(t.app, database.db, orgId, 'installer', [otherSiteId])).headers;
    viewer = (await signedIn(t.app, database.db, orgId, 'viewer', [siteId])).headers;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const create = async (headers: Headers, site: string, payload: object = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/sites/${site}/claim-codes`,
      headers,
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; code: string; name: string | null; expiresAt: string };
  };
  const list = (headers: Headers, url: string) => t.app.inject({ url, headers });
  const revoke = (headers: Headers, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/claim-codes/${id}`, headers });
  const provision = (code: string) =>
    t.app.inject({ method: 'POST', url: '/api/provision', payload: { code, name: 'Gate' } });

  it('lists open codes with name, prefix, creator and expiry, never the code', async () => {
    const made = await create(installer.headers, siteId, { name: 'Gate 3', ttlMinutes: 30 });
    const res = await list(installer.headers, `/api/sites/${siteId}/claim-codes`);
    expect(res.statusCode).toBe(200);
    const open = (res.json() as OpenClaimCode[]).find((c) => c.id === made.id);
    expect(open).toEqual({
      id: made.id,
      siteId,
      name: 'Gate 3',
      prefix: made.code.slice(0, 2),
      createdBy: { userId: installer.id, email: installer.email },
      createdAt: expect.any(String),
      expiresAt: made.expiresAt,
    });
    const codeChars = made.code.replace('-', '');
    expect(res.body).not.toContain(made.code);
    expect(res.body).not.toContain(codeChars);
  });

  it('revokes a code: the real provision route then refuses it, and the list no longer shows it', async () => {
    const made = await create(installer.headers, siteId, { name: 'Doomed' });
    const res = await revoke(installer.headers, made.id);
    expect(res.statusCode, res.body).toBe(204);
    const refused = await provision(made.code);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('TALLY_CLAIM_CODE_INVALID');
    const open = (
      await list(installer.headers, `/api/sites/${siteId}/claim-codes`)
    ).json() as OpenClaimCode[];
    expect(open.map((c) => c.id)).not.toContain(made.id);
    // Again: nothing changes, still 204.
    expect((await revoke(installer.headers, made.id)).statusCode).toBe(204);
    const audit = (
      await t.app.inject({ url: '/api/audit?action=claim_code.revoke', headers: admin.headers })
    ).json();
    expect(audit.filter((a: { targetId: string }) => a.targetId === made.id)).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: installer.id, targetType: 'claim_code' });
  });

  it('a used code cannot be revoked (409 says to revoke the device) and leaves the list', async () => {
    const made = await create(admin.headers, siteId);
    const provisioned = await provision(made.code);
    expect(provisioned.statusCode).toBe(201);
    const res = await revoke(admin.headers, made.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain(provisioned.json().deviceId);
    const open = (await list(admin.headers, '/api/claim-codes')).json() as OpenClaimCode[];
    expect(open.map((c) => c.id)).not.toContain(made.id);
  });

  it('expired codes are not listed', async () => {
    const made = await create(admin.headers, siteId, { ttlMinutes: 1 });
    await database.query(`update claim_codes set expires_at = now() - interval '1 second' where id = $1`, [
      made.id,
    ]);
    const open = (await list(admin.headers, '/api/claim-codes')).json() as OpenClaimCode[];
    expect(open.map((c) => c.id)).not.toContain(made.id);
  });

  it('scopes by site: an installer of another site sees none of these and cannot revoke them (404)', async () => {
    const made = await create(installer.headers, siteId, { name: 'Scoped' });
    const theirs = await create(otherInstaller, otherSiteId, { name: 'Theirs' });
    const orgWide = (await list(otherInstaller, '/api/claim-codes')).json() as OpenClaimCode[];
    expect(orgWide.map((c) => c.id)).toEqual([theirs.id]);
    expect((await list(otherInstaller, `/api/sites/${siteId}/claim-codes`)).statusCode).toBe(404);
    expect((await revoke(otherInstaller, made.id)).statusCode).toBe(404);
    const all = (await list(admin.headers, '/api/claim-codes')).json() as OpenClaimCode[];
    expect(all.map((c) => c.id)).toEqual(expect.arrayContaining([made.id, theirs.id]));
    expect((await provision(made.code)).statusCode).toBe(201);
  });

  it('a viewer can neither list nor revoke (403), and a bad id is a 400 that says what is wrong', async () => {
    const made = await create(admin.headers, siteId);
    expect((await list(viewer, `/api/sites/${siteId}/claim-codes`)).statusCode).toBe(403);
    expect((await list(viewer, '/api/claim-codes')).statusCode).toBe(403);
    expect((await revoke(viewer, made.id)).statusCode).toBe(403);
    const bad = await revoke(admin.headers, 'not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/claimCodeId/);
    expect((await provision(made.code)).statusCode).toBe(201);
  });
});

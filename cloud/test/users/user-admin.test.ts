import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNoOwner } from '../../src/auth/last-owner';
import { buildTestApp, type TestApp } from '../app/build';
import { login, seedOrg, signedIn } from '../app/seed';
import { DATABASES, type TestDatabase } from '../helpers/databases';

type Headers = { authorization: string };

describe('the last-owner rule (pure)', () => {
  const owner = { id: 'a', role: 'owner', disabled: false };
  it('refuses demoting, disabling or deleting the only enabled owner', () => {
    expect(leavesNoOwner(owner, { role: 'admin' }, ['a'])).toBe(true);
    expect(leavesNoOwner(owner, { disabled: true }, ['a'])).toBe(true);
    expect(leavesNoOwner(owner, { deleted: true }, ['a'])).toBe(true);
  });
  it('allows it when another enabled owner remains, and any change that keeps the owner', () => {
    expect(leavesNoOwner(owner, { role: 'admin' }, ['a', 'b'])).toBe(false);
    expect(leavesNoOwner(owner, { role: 'owner', disabled: false }, ['a'])).toBe(false);
    expect(leavesNoOwner({ ...owner, role: 'admin' }, { deleted: true }, [])).toBe(false);
    // A disabled owner does not count as one, and removing it changes nothing.
    expect(leavesNoOwner({ ...owner, disabled: true }, { deleted: true }, ['b'])).toBe(false);
  });
});

describe.each(DATABASES)('user administration on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let orgId: string;
  let owner: { id: string; email: string; headers: Headers };
  let admin: { id: string; email: string; headers: Headers };

  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database, { configOverrides: { loginRateLimit: 1000 } });
    orgId = await seedOrg(database.db);
    owner = await signedIn(t.app, database.db, orgId, 'owner');
    admin = await signedIn(t.app, database.db, orgId, 'admin');
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const call = (method: 'PATCH' | 'DELETE' | 'POST', url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('refuses to demote, disable or delete the last owner with a clear 409, whoever asks', async () => {
    for (const [method, payload] of [
      ['PATCH', { role: 'admin' }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      for (const caller of [owner, admin]) {
        const res = await call(method, `/api/users/${owner.id}`, caller.headers, payload);
        expect(res.statusCode, `${method} ${JSON.stringify(payload)}`).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'TALLY_LAST_OWNER' });
        expect(res.json().error.message).toMatch(/last owner.*make another user an owner first/);
      }
    }
    // Nothing changed.
    const me = (await t.app.inject({ url: '/api/me', headers: owner.headers })).json();
    expect(me).toMatchObject({ role: 'owner', disabled: false });
  });

  it('with a second owner, one owner may demote the other; then the remaining one is the last', async () => {
    const second = await signedIn(t.app, database.db, orgId, 'owner');
    const demoted = await call('PATCH', `/api/users/${second.id}`, owner.headers, { role: 'admin' });
    expect(demoted.statusCode).toBe(200);
    expect(demoted.json().role).toBe('admin');
    const again = await call('PATCH', `/api/users/${owner.id}`, owner.headers, { role: 'viewer' });
    expect(again.json().error.code).toBe('TALLY_LAST_OWNER');
  });

  it('disables and enables a user; a disabled user cannot sign in, an enabled one can again', async () => {
    const viewer = await signedIn(t.app, database.db, orgId, 'viewer');
    const off = await call('PATCH', `/api/users/${viewer.id}`, admin.headers, { disabled: true });
    expect(off.json().disabled).toBe(true);
    await expect(login(t.app, viewer.email)).rejects.toThrow(/401/);
    const on = await call('PATCH', `/api/users/${viewer.id}`, admin.headers, { disabled: false });
    expect(on.json().disabled).toBe(false);
    await expect(login(t.app, viewer.email)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('changes role and site scope, and refuses unknown sites', async () => {
    const site = (
      await call('POST', '/api/sites', admin.headers, { name: 'Depot', timezone: 'Europe/Paris' })
    ).json() as { id: string };
    const user = await signedIn(t.app, database.db, orgId, 'viewer');
    const res = await call('PATCH', `/api/users/${user.id}`, admin.headers, {
      role: 'installer',
      siteIds: [site.id],
    });
    expect(res.json()).toMatchObject({ role: 'installer', siteIds: [site.id] });
    const bad = await call('PATCH', `/api/users/${user.id}`, admin.headers, {
      siteIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/unknown site ids/);
  });

  it('resets a password: a temporary one shown once, the old one and every session stop working', async () => {
    const user = await signedIn(t.app, database.db, orgId, 'site_manager');
    const before = await login(t.app, user.email);
    const res = await call('POST', `/api/users/${user.id}/password-reset`, admin.headers);
    expect(res.statusCode).toBe(200);
    const { temporaryPassword } = res.json() as { temporaryPassword: string };
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await expect(login(t.app, user.email)).rejects.toThrow(/401/);
    await expect(login(t.app, user.email, temporaryPassword)).resolves.toBeTruthy();
    // The old refresh token was revoked.
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: before.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    // Audited without the secret.
    const entries = (
      await t.app.inject({
        url: `/api/audit?action=user.password_reset&targetId=${user.id}`,
        headers: admin.headers,
      })
    ).json() as Array<{ actorUserId: string; details: unknown }>;
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actorUserId).toBe(admin.id);
    expect(JSON.stringify(entries[0])).not.toContain(temporaryPassword);
  });

  it('an admin cannot reset an owner, nobody resets their own, others cannot at all', async () => {
    expect((await call('POST', `/api/users/${owner.id}/password-reset`, admin.headers)).statusCode).toBe(403);
    expect((await call('POST', `/api/users/${admin.id}/password-reset`, admin.headers)).statusCode).toBe(403);
    const manager = await signedIn(t.app, database.db, orgId, 'site_manager');
    expect((await call('POST', `/api/users/${admin.id}/password-reset`, manager.headers)).statusCode).toBe(
      403,
    );
    const ok = await call('POST', `/api/users/${admin.id}/password-reset`, owner.headers);
    expect(ok.statusCode).toBe(200);
  });
});

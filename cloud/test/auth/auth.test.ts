import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { PASSWORD, login, seedOrg, seedUser } from '../app/seed';

describe.each(DATABASES)('auth on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let orgId: string;
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    orgId = await seedOrg(database.db);
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('signs in with the right password and refuses a wrong one', async () => {
    const user = await seedUser(database.db, orgId, 'viewer');
    const tokens = await login(t.app, user.email);
    expect(tokens.expiresIn).toBe(t.config.accessTokenTtlS);
    const me = await t.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(me.json()).toMatchObject({ email: user.email, role: 'viewer' });

    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('TALLY_INVALID_CREDENTIALS');
  });

  it('refuses requests without a valid token', async () => {
    expect((await t.app.inject('/api/me')).statusCode).toBe(401);
    const forged = await t.app.inject({ url: '/api/me', headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('TALLY_UNAUTHORIZED');
  });

  it('rotates refresh tokens and revokes the whole family when an old one is reused', async () => {
    const user = await seedUser(database.db, orgId, 'admin');
    const first = await login(t.app, user.email);
    const refresh = (token: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: token } });

    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    const secondTokens = second.json();
    expect(secondTokens.refreshToken).not.toBe(first.refreshToken);

    // The first token is replayed (stolen copy): refused, and the family dies with it.
    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('TALLY_TOKEN_REUSED');
    const legit = await refresh(secondTokens.refreshToken);
    expect(legit.statusCode).toBe(401);

    // Another login is a new family and works.
    const again = await login(t.app, user.email);
    expect((await refresh(again.refreshToken)).statusCode).toBe(200);
  });

  it('logs out by revoking the refresh token', async () => {
    const user = await seedUser(database.db, orgId, 'viewer');
    const tokens = await login(t.app, user.email);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: { refreshToken: tokens.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: tokens.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('changes the password: old one refused, new one accepted, other sessions revoked', async () => {
    const user = await seedUser(database.db, orgId, 'viewer');
    const tokens = await login(t.app, user.email);
    const headers = { authorization: `Bearer ${tokens.accessToken}` };
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: 'not it', newPassword: 'a much better passphrase' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: PASSWORD, newPassword: 'a much better passphrase' },
    });
    expect(ok.statusCode).toBe(204);
    await expect(login(t.app, user.email)).rejects.toThrow(/401/);
    await login(t.app, user.email, 'a much better passphrase');
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: tokens.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('validates the body against proto schemas', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('TALLY_VALIDATION');
    expect(res.json().error.issues.length).toBeGreaterThan(0);
  });

  it('answers 429 after too many login attempts from one address', async () => {
    const limited = await buildTestApp(database, { configOverrides: { loginRateLimit: 3 } });
    try {
      const attempt = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'a@b.co', password: 'x' },
        });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await attempt()).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      expect((await attempt()).json().error.code).toBe('TALLY_RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { PASSWORD, seedOrg, seedUser } from '../app/seed';

/** The value of the tally_refresh cookie a response sets ('' when it clears it), and the whole header. */
function setCookie(res: { headers: Record<string, unknown> }): { value: string; header: string } {
  const raw = res.headers['set-cookie'];
  const header = String(Array.isArray(raw) ? raw.find((c) => String(c).startsWith('tally_refresh=')) : raw);
  const match = /^tally_refresh=([^;]*)/.exec(header);
  if (!match) throw new Error(`no tally_refresh cookie in ${header}`);
  return { value: match[1]!, header };
}

/**
 * Browser sessions: the refresh token lives only in an httpOnly, SameSite=Strict cookie on /api/auth; refresh and
 * logout accept the cookie; a reused or revoked token ends the session (cookie cleared, 401 with a stable code).
 */
describe.each(DATABASES)('browser session cookie on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let email: string;
  beforeAll(async () => {
    database = await fresh();
    // The test's requests come from 127.0.0.1, configured here as the TLS-terminating proxy (TRUST_PROXY), so its
    // X-Forwarded-Proto is believed; from anyone else it would be ignored.
    t = await buildTestApp(database, { configOverrides: { trustProxy: ['127.0.0.1'] } });
    const orgId = await seedOrg(database.db);
    email = (await seedUser(database.db, orgId, 'viewer')).email;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const signIn = (headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers,
      payload: { email, password: PASSWORD, session: 'cookie' },
    });
  const refreshWith = (cookie: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      headers: { cookie: `tally_refresh=${cookie}` },
    });

  it('sets the refresh token in an httpOnly SameSite=Strict cookie on /api/auth, never in the body', async () => {
    const res = await signIn();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('refreshToken');
    const { value, header } = setCookie(res);
    expect(value.length).toBeGreaterThan(20);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/api/auth');
    expect(header).toContain(`Max-Age=${t.config.refreshTokenTtlS}`);
    // Plain http (a dev server): not Secure, or the browser would never send it back.
    expect(header).not.toContain('Secure');
  });

  it('marks the cookie Secure when the request came over https (through a proxy)', async () => {
    const res = await signIn({ 'x-forwarded-proto': 'https' });
    expect(setCookie(res).header).toContain('Secure');
  });

  it('refreshes from the cookie alone, rotating it', async () => {
    const first = setCookie(await signIn()).value;
    const res = await refreshWith(first);
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty('refreshToken');
    const me = await t.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${res.json().accessToken}` },
    });
    expect(me.json().email).toBe(email);
    const second = setCookie(res).value;
    expect(second).not.toBe(first);
    expect((await refreshWith(second)).statusCode).toBe(200);
  });

  it('signs out when a rotated cookie is presented again: 401 TALLY_TOKEN_REUSED, cookie cleared, family revoked', async () => {
    const first = setCookie(await signIn()).value;
    const second = setCookie(await refreshWith(first)).value;
    const replay = await refreshWith(first);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('TALLY_TOKEN_REUSED');
    expect(setCookie(replay)).toMatchObject({ value: '' });
    expect(setCookie(replay).header).toContain('Max-Age=0');
    const legit = await refreshWith(second);
    expect(legit.statusCode).toBe(401);
    expect(legit.json().error.code).toBe('TALLY_SESSION_ENDED');
  });

  it('logs out from the cookie: revoked, cleared, and a later refresh ends the session', async () => {
    const token = setCookie(await signIn()).value;
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: `other=1; tally_refresh=${token}` },
    });
    expect(out.statusCode).toBe(204);
    expect(setCookie(out)).toMatchObject({ value: '' });
    const after = await refreshWith(token);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('TALLY_SESSION_ENDED');
    expect(setCookie(after).header).toContain('Max-Age=0');
  });

  it('answers 401 TALLY_SESSION_ENDED to a refresh with neither body nor cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/refresh' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('TALLY_SESSION_ENDED');
  });

  it('keeps the JSON body form for CLIs: the token in the body, no cookie', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(login.headers['set-cookie']).toBeUndefined();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: login.json().refreshToken },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().refreshToken).toEqual(expect.any(String));
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

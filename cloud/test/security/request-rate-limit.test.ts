import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestBudget } from '../../src/http/request-budget';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import type { CloudConfig } from '../../src/config';

describe('RequestBudget (pure, fixed windows)', () => {
  it('allows max requests per window per key, then refuses until the window ends', () => {
    const b = new RequestBudget(3, 1000);
    expect([0, 10, 20].map((t) => b.take('a', t).allowed)).toEqual([true, true, true]);
    const refused = b.take('a', 30);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 3, resetInMs: 970 });
    expect(b.take('b', 30).allowed).toBe(true);
    expect(b.take('a', 999).allowed).toBe(false);
    expect(b.take('a', 1000)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('forgets keys whose window has ended', () => {
    const b = new RequestBudget(1, 1000);
    for (let i = 0; i < 50; i++) b.take(`k${i}`, 0);
    expect(b.size).toBe(50);
    b.take('late', 2000);
    expect(b.size).toBe(1);
  });
});

describe('every route is rate limited per user and per address (PGlite)', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    database = await freshPglite();
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
    await database?.destroy();
  });
  const build = async (o: Partial<CloudConfig>) => {
    const t = await buildTestApp(database, { configOverrides: { loginRateLimit: 1000, ...o } });
    apps.push(t);
    return t;
  };

  it('two users from one address are limited separately; the 429 says who, when, and why', async () => {
    const t = await build({ rateLimitUser: 5, rateLimitAddress: 1000, rateLimitWindowS: 60 });
    const orgId = await seedOrg(database.db);
    const a = await signedIn(t.app, database.db, orgId, 'viewer');
    const b = await signedIn(t.app, database.db, orgId, 'viewer');
    for (let i = 0; i < 5; i++) {
      const ok = await t.app.inject({ url: '/api/me', headers: a.headers });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const refused = await t.app.inject({ url: '/api/sites', headers: a.headers });
    expect(refused.statusCode).toBe(429);
    const retry = Number(refused.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(refused.json()).toEqual({
      error: {
        code: 'TALLY_RATE_LIMITED',
        message: `too many requests from this account: at most 5 every 60 s; try again in ${retry} s`,
      },
    });
    // Same address, another user: untouched.
    expect((await t.app.inject({ url: '/api/me', headers: b.headers })).statusCode).toBe(200);
    // A forged token is no user: it counts against the address only (and is refused as unauthenticated).
    const forged = await t.app.inject({ url: '/api/me', headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.statusCode).toBe(401);
  });

  it('limits an address, signed in or not, but not another address; health and metrics stay exempt', async () => {
    const t = await build({ rateLimitUser: 0, rateLimitAddress: 4, rateLimitWindowS: 60 });
    for (let i = 0; i < 4; i++) expect((await t.app.inject({ url: '/api/me' })).statusCode).toBe(401);
    const refused = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: {} });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toMatch(
      /^too many requests from this address: at most 4 every 60 s/,
    );
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    // X-Forwarded-For is not believed without TRUST_PROXY: it does not buy a fresh budget.
    const spoofed = await t.app.inject({ url: '/api/me', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(spoofed.statusCode).toBe(429);
    expect((await t.app.inject({ url: '/api/me', remoteAddress: '10.1.2.3' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('through a trusted proxy, each forwarded client has its own budget', async () => {
    const t = await build({ rateLimitUser: 0, rateLimitAddress: 2, trustProxy: ['127.0.0.1'] });
    const from = (ip: string) => t.app.inject({ url: '/api/me', headers: { 'x-forwarded-for': ip } });
    expect((await from('198.51.100.1')).statusCode).toBe(401);
    expect((await from('198.51.100.1')).statusCode).toBe(401);
    expect((await from('198.51.100.1')).statusCode).toBe(429);
    expect((await from('198.51.100.2')).statusCode).toBe(401);
  });

  it('the budget is whole again when the window ends', async () => {
    const t = await build({ rateLimitUser: 0, rateLimitAddress: 2, rateLimitWindowS: 1 });
    await t.app.inject({ url: '/api/me' });
    await t.app.inject({ url: '/api/me' });
    expect((await t.app.inject({ url: '/api/me' })).statusCode).toBe(429);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await t.app.inject({ url: '/api/me' })).statusCode).toBe(401);
  });
});

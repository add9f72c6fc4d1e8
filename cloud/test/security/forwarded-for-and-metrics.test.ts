import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudConfig } from '../../src/config';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, seedUser, signedIn } from '../app/seed';

/**
 * Regressions of issue 9 item 2 and 6: X-Forwarded-For from anyone bypassed the login rate limit and was written
 * to the audit log; /metrics answered anyone.
 */
describe('X-Forwarded-For is believed only from TRUST_PROXY; /metrics is not public', () => {
  let database: TestDatabase;
  let orgId: string;
  const apps: TestApp[] = [];
  const build = async (configOverrides: Partial<CloudConfig>) => {
    const t = await buildTestApp(database, { configOverrides });
    apps.push(t);
    return t;
  };
  beforeAll(async () => {
    database = await freshPostgres();
    orgId = await seedOrg(database.db);
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
    await database?.destroy();
  });

  const failedLogin = (t: TestApp, email: string, forwardedFor: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { email, password: 'not the password' },
    });

  it('rate-limits sign-ins by the TCP peer when a client rotates X-Forwarded-For', async () => {
    const t = await build({ loginRateLimit: 3 });
    const statuses: number[] = [];
    // Unknown emails, so only the per-address limit (not the per-account one) can answer 429.
    for (let i = 0; i < 6; i++) {
      statuses.push((await failedLogin(t, `nobody-${i}@example.com`, `198.51.100.${i + 1}`)).statusCode);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it('writes the TCP peer, not a forged X-Forwarded-For, to the audit log', async () => {
    const t = await build({});
    const user = await seedUser(database.db, orgId, 'viewer');
    await failedLogin(t, user.email, '198.51.100.77', '203.0.113.9');
    const rows = await database.query<{ ip: string }>(
      `select ip from audit_log where action = 'auth.login_failed' and target_id = $1`,
      [user.id],
    );
    expect(rows.map((r) => r.ip)).toEqual(['203.0.113.9']);
  });

  it('believes X-Forwarded-For from a configured proxy only', async () => {
    const t = await build({ trustProxy: ['10.0.0.1'] });
    const user = await seedUser(database.db, orgId, 'viewer');
    await failedLogin(t, user.email, '198.51.100.8', '10.0.0.1');
    await failedLogin(t, user.email, '198.51.100.9', '10.0.0.2');
    const rows = await database.query<{ ip: string }>(
      `select ip from audit_log where action = 'auth.login_failed' and target_id = $1 order by id`,
      [user.id],
    );
    expect(rows.map((r) => r.ip)).toEqual(['198.51.100.8', '10.0.0.2']);
  });

  it('serves /metrics only to a direct local connection when no METRICS_TOKEN is set', async () => {
    const t = await build({});
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode).toBe(403);
    const viaLocalProxy = await t.app.inject({
      url: '/metrics',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(viaLocalProxy.statusCode).toBe(403);
    const local = await t.app.inject({ url: '/metrics' });
    expect(local.statusCode).toBe(200);
    expect(local.body).toContain('tally_cloud_db_pool_connections');
  });

  it('serves /metrics to whoever has METRICS_TOKEN, and no one else', async () => {
    const token = 'metrics-token-0123456789';
    const t = await build({ metricsToken: token });
    const remote = { remoteAddress: '203.0.113.9' };
    expect((await t.app.inject({ url: '/metrics', ...remote })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const wrong = { authorization: 'Bearer metrics-token-9876543210' };
    expect((await t.app.inject({ url: '/metrics', headers: wrong, ...remote })).statusCode).toBe(401);
    const right = await t.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
      ...remote,
    });
    expect(right.statusCode).toBe(200);
  });

  it('still signs in (sanity of the setup above)', async () => {
    const t = await build({});
    const { headers } = await signedIn(t.app, database.db, orgId, 'viewer');
    expect((await t.app.inject({ url: '/api/me', headers })).statusCode).toBe(200);
  });
});

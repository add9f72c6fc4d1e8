import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { LINE, SETUP, createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

/**
 * Regression of issue 9 item 4: the audit row was written after the change had committed, so when it failed (a
 * lone surrogate in the details did) the change stayed with no audit row. Here PostgreSQL itself refuses the audit
 * row (a trigger, for the actions listed in a table), and each write must then leave nothing behind.
 */
describe('every write and its audit row commit together', () => {
  let database: TestDatabase;
  let t: TestApp;
  let headers: { authorization: string };
  let siteId: string;
  let deviceId: string;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    headers = (await signedIn(t.app, database.db, orgId, 'owner')).headers;
    siteId = await createSite(t.app, headers);
    deviceId = (await provisionDevice(t.app, headers, siteId)).deviceId;
    await database.query(`
      CREATE TABLE refused_audit_actions (action text PRIMARY KEY);
      CREATE FUNCTION refuse_audit() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM refused_audit_actions WHERE action = NEW.action) THEN
          RAISE EXCEPTION 'audit row refused by the test';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit();`);
  });
  beforeEach(async () => {
    await database.query('DELETE FROM refused_audit_actions');
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const refuse = (action: string) =>
    database.query('INSERT INTO refused_audit_actions VALUES ($1)', [action]);
  const count = async (sql: string, params: unknown[] = []) =>
    (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) s`, params))[0]!.n;
  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('site create', async () => {
    await refuse('site.create');
    expect((await send('POST', '/api/sites', { name: 'Never', timezone: 'UTC' })).statusCode).toBe(500);
    expect(await count(`SELECT 1 FROM sites WHERE name = 'Never'`)).toBe(0);
  });

  it('user create', async () => {
    await refuse('user.create');
    const body = {
      email: 'never@example.com',
      name: 'N',
      password: 'a long password',
      role: 'viewer',
      siteIds: [],
    };
    expect((await send('POST', '/api/users', body)).statusCode).toBe(500);
    expect(await count(`SELECT 1 FROM users WHERE email = 'never@example.com'`)).toBe(0);
  });

  it('camera create, and the config version it would have issued', async () => {
    await refuse('camera.create');
    const versions = await count('SELECT 1 FROM config_versions');
    const res = await send('POST', `/api/devices/${deviceId}/cameras`, {
      key: 'never',
      name: 'N',
      setup: SETUP,
    });
    expect(res.statusCode).toBe(500);
    expect(await count(`SELECT 1 FROM cameras WHERE camera_key = 'never'`)).toBe(0);
    expect(await count('SELECT 1 FROM config_versions')).toBe(versions);
  });

  it('rule create on a camera', async () => {
    const { camera } = await createCamera(t.app, headers, deviceId, 'cam-rules');
    await refuse('rule.create');
    expect((await send('POST', `/api/cameras/${camera.id}/rules`, LINE)).statusCode).toBe(500);
    expect(await count('SELECT 1 FROM rules WHERE camera_id = $1', [camera.id])).toBe(0);
  });

  it('claim code, alert rule and report schedule create', async () => {
    await refuse('claim_code.create');
    await refuse('alert_rule.create');
    await refuse('report.create');
    const codes = await count('SELECT 1 FROM claim_codes');
    expect((await send('POST', `/api/sites/${siteId}/claim-codes`, {})).statusCode).toBe(500);
    expect(await count('SELECT 1 FROM claim_codes')).toBe(codes);
    const rule = { name: 'Busy', condition: { kind: 'occupancy_above', threshold: 1, forMinutes: 0 } };
    expect((await send('POST', `/api/sites/${siteId}/alert-rules`, rule)).statusCode).toBe(500);
    expect(await count('SELECT 1 FROM alert_rules')).toBe(0);
    // A webhook target: an email one is refused (400) before any write on a server without SMTP_URL.
    const report = { period: 'daily', webhookUrl: 'https://hooks.example.com/tally' };
    expect((await send('POST', `/api/sites/${siteId}/reports`, report)).statusCode).toBe(500);
    expect(await count('SELECT 1 FROM report_schedules')).toBe(0);
  });

  it('device revoke and delete', async () => {
    await refuse('device.revoke');
    await refuse('device.delete');
    expect((await send('POST', `/api/devices/${deviceId}/revoke`)).statusCode).toBe(500);
    expect(await count('SELECT 1 FROM devices WHERE id = $1 AND revoked_at IS NULL', [deviceId])).toBe(1);
    expect((await send('DELETE', `/api/devices/${deviceId}`)).statusCode).toBe(500);
    expect(await count('SELECT 1 FROM devices WHERE id = $1', [deviceId])).toBe(1);
  });

  it('commits both when the audit row is accepted', async () => {
    const res = await send('POST', '/api/sites', { name: 'Kept', timezone: 'UTC' });
    expect(res.statusCode).toBe(201);
    expect(
      await count(`SELECT 1 FROM audit_log WHERE action = 'site.create' AND target_id = $1`, [res.json().id]),
    ).toBe(1);
  });
});

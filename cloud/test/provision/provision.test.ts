import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { devices } from '../../src/db/schema/index';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { createSite, seedOrg, signedIn } from '../app/seed';
import { CLAIM_ALPHABET, normaliseClaimCode } from '../../src/auth/claim-code';

type Headers = { authorization: string };

describe.each(DATABASES)('provisioning on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let installer: Headers;
  let admin: Headers;
  let siteId: string;
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database, { configOverrides: { provisionRateLimit: 1000 } });
    const orgId = await seedOrg(database.db);
    admin = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    siteId = await createSite(t.app, admin);
    installer = (await signedIn(t.app, database.db, orgId, 'installer', [siteId])).headers;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const claim = async (payload: object = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/sites/${siteId}/claim-codes`,
      headers: installer,
      payload,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { code: string; expiresAt: string };
  };
  const provision = (code: string, name = 'Gate') =>
    t.app.inject({ method: 'POST', url: '/api/provision', payload: { code, name } });

  it('issues short, human-friendly, one-time codes', async () => {
    const { code, expiresAt } = await claim();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect([...normaliseClaimCode(code)].every((c) => CLAIM_ALPHABET.includes(c))).toBe(true);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);

    // Typed back in lower case with a space: still accepted, once.
    const first = await provision(code.toLowerCase().replace('-', ' '));
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body).toMatchObject({ siteId, mqtt: { username: body.deviceId } });
    expect(body.deviceId).toMatch(/^dev-[a-z0-9]{12}$/);
    expect(body.mqtt.password.length).toBeGreaterThanOrEqual(40);
    expect(body.apiUrl).toMatch(/^http/);

    const again = await provision(code);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('TALLY_CLAIM_CODE_INVALID');
  });

  it('stores the device secret hashed, never in clear', async () => {
    const { code } = await claim();
    const { deviceId, mqtt } = (await provision(code)).json();
    const [row] = await database.db.select().from(devices).where(eq(devices.id, deviceId));
    expect(row!.secretHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(row!.secretHash).not.toContain(mqtt.password);
    expect(row!.siteId).toBe(siteId);
  });

  it('refuses an expired code and an unknown one', async () => {
    const { code } = await claim({ ttlMinutes: 1 });
    await database.query(`update claim_codes set expires_at = now() - interval '1 second'`);
    expect((await provision(code)).json().error.code).toBe('TALLY_CLAIM_CODE_INVALID');
    expect((await provision('ZZZZ-ZZZZ')).statusCode).toBe(400);
  });

  it('audits provisioning with the device and the installer who made the code', async () => {
    const { code } = await claim();
    const { deviceId } = (await provision(code, 'Audited')).json();
    const audit = (await t.app.inject({ url: '/api/audit?action=device.provision', headers: admin })).json();
    expect(audit[0]).toMatchObject({
      action: 'device.provision',
      actorDeviceId: deviceId,
      details: { name: 'Audited' },
    });
    expect(audit[0].actorUserId).toBeTruthy();
  });

  it('rate-limits provisioning attempts', async () => {
    const limited = await buildTestApp(database, { configOverrides: { provisionRateLimit: 2 } });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) {
        codes.push(
          (
            await limited.app.inject({
              method: 'POST',
              url: '/api/provision',
              payload: { code: 'AAAA-AAAA', name: 'x' },
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([400, 400, 429]);
    } finally {
      await limited.close();
    }
  });
});

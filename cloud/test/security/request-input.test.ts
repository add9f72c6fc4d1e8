import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnsafeString } from '../../src/http/unsafe-strings';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { SETUP, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

/**
 * Regressions of issue 9 item 4: a JSON body was type-coerced ("fps":"10" stored as 10), and a NUL or a lone
 * surrogate in a string was a 500 — for a lone surrogate after the change had committed, with no audit row.
 */
describe('request input that must be refused', () => {
  let database: TestDatabase;
  let t: TestApp;
  let headers: { authorization: string };
  let deviceId: string;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    headers = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    const siteId = await createSite(t.app, headers);
    deviceId = (await provisionDevice(t.app, headers, siteId)).deviceId;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const siteCount = async () =>
    (await database.query<{ n: number }>('select count(*)::int as n from sites'))[0]!.n;
  const auditCount = async () =>
    (await database.query<{ n: number }>('select count(*)::int as n from audit_log'))[0]!.n;

  it('does not coerce a JSON body: "fps":"10" is a 400 naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/devices/${deviceId}/cameras`,
      headers,
      payload: { key: 'cam-a', name: 'A', setup: { ...SETUP, fps: '10' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('TALLY_VALIDATION');
    expect(JSON.stringify(res.json().error.issues)).toContain('fps');
    const cameras = await database.query(`select 1 from cameras where camera_key = 'cam-a'`);
    expect(cameras).toHaveLength(0);
  });

  it.each(['file:///etc/passwd', '/etc/passwd', '-i', '-f lavfi -i testsrc', 'concat:/a.avi|/b.avi'])(
    'refuses the camera source %j (not rtsp/http, a device or a video file)',
    async (url) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/devices/${deviceId}/cameras`,
        headers,
        payload: { key: 'cam-bad', name: 'Bad', setup: { ...SETUP, source: { url } } },
      });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().error.issues)).toContain('/setup/source/url');
    },
  );

  it('accepts an RTSP source with credentials', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/devices/${deviceId}/cameras`,
      headers,
      payload: { key: 'cam-ok', name: 'Ok', setup: { ...SETUP, source: { url: 'rtsp://u:p@10.0.0.5/s' } } },
    });
    expect(res.statusCode).toBe(201);
  });

  it('still coerces query strings (numbers arrive as text)', async () => {
    const res = await t.app.inject({ url: '/api/audit?limit=2', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().length).toBeLessThanOrEqual(2);
  });

  it.each([
    ['a NUL character', 'Shop\u0000front', 'NUL character'],
    ['a lone high surrogate', 'Shop\ud800front', 'unpaired UTF-16 surrogate'],
    ['a lone low surrogate', 'Shop\udc00front', 'unpaired UTF-16 surrogate'],
  ])('refuses %s in a string with a 400 and changes nothing', async (_what, name, reason) => {
    const [sites, audits] = [await siteCount(), await auditCount()];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sites',
      headers: { ...headers, 'content-type': 'application/json' },
      // JSON.stringify escapes the character (\u0000, \ud800): the server sees exactly what a client would send.
      payload: JSON.stringify({ name, timezone: 'Europe/Paris' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('TALLY_VALIDATION');
    expect(res.json().error.message).toContain(reason);
    expect(res.json().error.message).toContain('body/name');
    expect(await siteCount()).toBe(sites);
    expect(await auditCount()).toBe(audits);
  });

  it('checks parsed JSON only, never a streamed upload or a Buffer', () => {
    // A streamed body is an object with back-references (socket ↔ request): walking it never ended (a 500).
    class Streamed extends Readable {
      readonly self = this;
      readonly note = 'not\u0000text';
    }
    expect(findUnsafeString(new Streamed())).toBeNull();
    expect(findUnsafeString(Buffer.from([0, 0xd8, 0]))).toBeNull();
    expect(findUnsafeString({ a: [{ b: 'x\u0000' }] })).toEqual({ path: '/a/0/b', reason: 'NUL character' });
  });

  it('accepts a well-formed surrogate pair (an emoji)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sites',
      headers,
      payload: { name: 'Café 🚲', timezone: 'Europe/Paris' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe('Café 🚲');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, decodeMessage, parseTopic, type DeviceConfig } from '@tally/proto';
import { recordConfigApplied } from '../../src/db/queries/config-versions';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { SETUP, createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

type Headers = { authorization: string };

const line = (key: string, y: number) => ({
  key,
  kind: 'line' as const,
  name: `Line ${key}`,
  definition: { p1: { x: 0.1, y }, p2: { x: 0.9, y } },
});
const zone = {
  key: 'queue',
  kind: 'zone' as const,
  name: 'Queue',
  definition: {
    polygon: [
      { x: 0.2, y: 0.2 },
      { x: 0.6, y: 0.2 },
      { x: 0.6, y: 0.7 },
    ],
    dwellThresholdS: 30,
    classes: ['person'],
  },
};

/** Saving a camera's rules as one version, the versions' states, and restoring an older one, on real PostgreSQL. */
describe('camera rules as one version, and restoring a version', () => {
  let database: TestDatabase;
  let t: TestApp;
  let installer: Headers;
  let viewer: Headers;
  let deviceId: string;
  let cameraId: string;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    const admin = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    const siteId = await createSite(t.app, admin);
    installer = (await signedIn(t.app, database.db, orgId, 'installer', [siteId])).headers;
    viewer = (await signedIn(t.app, database.db, orgId, 'viewer', [siteId])).headers;
    deviceId = (await provisionDevice(t.app, admin, siteId)).deviceId;
    cameraId = (await createCamera(t.app, admin, deviceId, 'cam-entrance')).camera.id;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const putRules = (headers: Headers, rules: object[]) =>
    t.app.inject({ method: 'PUT', url: `/api/cameras/${cameraId}/rules`, headers, payload: { rules } });
  const versions = async () =>
    (
      await t.app.inject({ url: `/api/devices/${deviceId}/config-versions`, headers: viewer })
    ).json() as Array<{
      version: number;
      status: string;
      errors?: { message: string }[];
    }>;
  const lastConfig = (): DeviceConfig => {
    const sent = t.published.filter((p) => parseTopic(p.topic)?.channel === 'config').at(-1)!;
    const decoded = decodeMessage('config', sent.payload, deviceId);
    if (!decoded.ok) throw new Error(decoded.error.message);
    return decoded.value;
  };
  const answer = (version: number, status: 'applied' | 'rejected', message?: string) =>
    recordConfigApplied(database.db, deviceId, {
      v: SCHEMA_VERSION,
      deviceId,
      version,
      status,
      ...(message ? { errors: [{ path: '/cameras/0', message }] } : {}),
      ts: Date.now(),
    });

  it('saves a whole rule set as one pending version; the device answer makes it applied', async () => {
    const res = await putRules(installer, [line('door', 0.6), zone]);
    expect(res.statusCode).toBe(200);
    const { config, rules } = res.json();
    expect(rules.map((r: { key: string }) => r.key).sort()).toEqual(['door', 'queue']);
    const published = lastConfig();
    expect(published.version).toBe(config.version);
    expect(published.cameras[0]!.lines).toEqual([
      { id: 'door', name: 'Line door', ...line('door', 0.6).definition },
    ]);
    expect(published.cameras[0]!.zones[0]).toMatchObject({ id: 'queue', dwellThresholdS: 30 });
    expect((await versions())[0]).toMatchObject({ version: config.version, status: 'pending' });
    await answer(config.version, 'applied');
    expect((await versions())[0]).toMatchObject({ version: config.version, status: 'applied' });
  });

  it('updates a kept key in place (same rule id), adds new keys and deletes the ones left out', async () => {
    const before = (await t.app.inject({ url: `/api/cameras/${cameraId}/rules`, headers: viewer })).json();
    const doorId = before.find((r: { key: string }) => r.key === 'door').id;
    const res = await putRules(installer, [line('door', 0.5), line('exit', 0.8)]);
    expect(res.statusCode).toBe(200);
    const after = res.json().rules as Array<{ id: string; key: string }>;
    expect(after.find((r) => r.key === 'door')!.id).toBe(doorId);
    expect(after.map((r) => r.key).sort()).toEqual(['door', 'exit']);
    expect(lastConfig().cameras[0]!.zones).toEqual([]);
    await answer(res.json().config.version, 'rejected', 'exit line too close to the frame edge');
    const [latest] = await versions();
    expect(latest).toMatchObject({
      status: 'rejected',
      errors: [{ message: 'exit line too close to the frame edge' }],
    });
  });

  it('refuses invalid sets with the issues and changes nothing', async () => {
    const count = t.published.length;
    const flat = await putRules(installer, [
      {
        ...zone,
        definition: {
          polygon: [
            { x: 0.1, y: 0.1 },
            { x: 0.2, y: 0.2 },
            { x: 0.3, y: 0.3 },
          ],
        },
      },
    ]);
    expect(flat.statusCode).toBe(400);
    expect(flat.json().error.issues[0].message).toContain('no area');
    const twice = await putRules(installer, [line('a', 0.3), line('a', 0.4)]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.message).toContain('used twice');
    expect((await putRules(viewer, [line('a', 0.3)])).statusCode).toBe(403);
    expect(t.published.length).toBe(count);
  });

  it("restores an applied version's rules and setup as a new pending version", async () => {
    const all = await versions();
    const applied = all.find((v) => v.status === 'applied')!;
    // Change the setup after that version, so the restore has something to put back.
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${cameraId}`,
      headers: installer,
      payload: { setup: { ...SETUP, classes: ['person'], detectFps: 5 } },
    });
    expect(patched.statusCode).toBe(200);

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/devices/${deviceId}/config-versions/${applied.version}/restore`,
      headers: installer,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.restoredFrom).toBe(applied.version);
    expect(body.cameras).toEqual([{ key: 'cam-entrance', action: 'restored' }]);
    expect(body.config.version).toBeGreaterThan(patched.json().config.version);

    const restored = lastConfig().cameras[0]!;
    expect(restored.lines.map((l) => [l.id, l.p1.y])).toEqual([['door', 0.6]]);
    expect(restored.zones.map((z) => z.id)).toEqual(['queue']);
    expect(restored.classes).toEqual(SETUP.classes);
    expect(restored.detectFps).toBeUndefined();
    expect((await versions())[0]).toMatchObject({ version: body.config.version, status: 'pending' });

    const audit = await database.query<{ details: { restoredFrom: number } }>(
      `SELECT details FROM audit_log WHERE action = 'device.config.restore' AND target_id = $1`,
      [deviceId],
    );
    expect(audit.map((a) => a.details.restoredFrom)).toEqual([applied.version]);
  });

  it('adds back a camera deleted since, keeps one added later, and refuses rejected or unknown versions', async () => {
    const applied = (await versions()).find((v) => v.status === 'applied')!;
    await t.app.inject({ method: 'DELETE', url: `/api/cameras/${cameraId}`, headers: installer });
    await createCamera(t.app, installer, deviceId, 'cam-yard');
    const url = (v: number) => `/api/devices/${deviceId}/config-versions/${v}/restore`;
    const res = await t.app.inject({ method: 'POST', url: url(applied.version), headers: installer });
    expect(res.statusCode).toBe(200);
    expect(res.json().cameras).toEqual([
      { key: 'cam-entrance', action: 'recreated' },
      { key: 'cam-yard', action: 'kept' },
    ]);
    expect(
      lastConfig()
        .cameras.map((c) => c.id)
        .sort(),
    ).toEqual(['cam-entrance', 'cam-yard']);

    const rejected = (await versions()).find((v) => v.status === 'rejected')!;
    const refused = await t.app.inject({ method: 'POST', url: url(rejected.version), headers: installer });
    expect(refused.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: url(9999), headers: installer })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'POST', url: url(applied.version), headers: viewer })).statusCode,
    ).toBe(403);
  });
});

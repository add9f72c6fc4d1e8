import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '@tally/proto';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { SETUP, createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

/** Motion gating and the detection rate are camera settings like any other: set through the API, pushed in the config. */
describe.each(DATABASES)('camera detectFps and motionGating on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let headers: { authorization: string };
  let deviceId: string;
  let cameraId: string;
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    ({ headers } = await signedIn(t.app, database.db, orgId, 'admin'));
    const siteId = await createSite(t.app, headers);
    ({ deviceId } = await provisionDevice(t.app, headers, siteId));
    cameraId = (await createCamera(t.app, headers, deviceId)).camera.id;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const patch = (setup: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/cameras/${cameraId}`, headers, payload: { setup } });

  it('stores them, answers them and pushes them in the device config', async () => {
    const motionGating = {
      enabled: true,
      keepAliveFps: 0.5,
      ignore: [
        [
          { x: 0.7, y: 0 },
          { x: 1, y: 0 },
          { x: 1, y: 0.3 },
        ],
      ],
    };
    const res = await patch({ ...SETUP, detectFps: 5, motionGating });
    expect(res.statusCode).toBe(200);
    expect(res.json().camera.setup).toMatchObject({ detectFps: 5, motionGating });
    const got = await t.app.inject({ url: `/api/cameras/${cameraId}`, headers });
    expect(got.json().setup).toMatchObject({ detectFps: 5, motionGating });
    const last = t.published.at(-1)!;
    const decoded = decodeMessage('config', last.payload, deviceId);
    if (!decoded.ok) throw new Error(JSON.stringify(decoded));
    expect(decoded.value.cameras[0]).toMatchObject({ detectFps: 5, motionGating });

    const off = await patch({ ...SETUP, motionGating: { enabled: false } });
    expect(off.statusCode).toBe(200);
    const again = decodeMessage('config', t.published.at(-1)!.payload, deviceId);
    if (!again.ok) throw new Error(JSON.stringify(again));
    expect(again.value.cameras[0]!.motionGating).toEqual({ enabled: false });
    expect(again.value.cameras[0]!.detectFps).toBeUndefined();
  });

  it('refuses a detectFps above the camera fps, a degenerate ignore polygon and unknown keys, changing nothing', async () => {
    const published = t.published.length;
    const fast = await patch({ ...SETUP, fps: 10, detectFps: 12 });
    expect(fast.statusCode).toBe(400);
    expect(JSON.stringify(fast.json())).toMatch(/detectFps 12 is above the camera's fps 10/);
    const flat = await patch({
      ...SETUP,
      motionGating: {
        ignore: [
          [
            { x: 0.1, y: 0.1 },
            { x: 0.1, y: 0.1 },
            { x: 0.2, y: 0.3 },
          ],
        ],
      },
    });
    expect(flat.statusCode).toBe(400);
    expect(JSON.stringify(flat.json())).toMatch(/motionGating\/ignore\/0/);
    const unknown = await patch({ ...SETUP, motionGating: { sensitivity: 3 } });
    expect(unknown.statusCode).toBe(400);
    expect(t.published.length).toBe(published);
  });
});

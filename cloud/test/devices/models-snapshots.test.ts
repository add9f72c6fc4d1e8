import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

type Headers = { authorization: string };
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/** A real JPEG: the first frame of the shared video, through ffmpeg. */
function jpegFrame(): Buffer {
  return execFileSync('/usr/bin/ffmpeg', [
    '-loglevel',
    'error',
    '-i',
    requireAsset(assets.video()),
    '-frames:v',
    '1',
    '-f',
    'image2pipe',
    '-vcodec',
    'mjpeg',
    '-',
  ]);
}

describe.each(DATABASES)('models and snapshots on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: Headers;
  let other: Headers;
  let device: { deviceId: string; mqtt: { password: string } };
  let cameraId: string;
  const modelBytes = readFileSync(requireAsset(assets.model()));
  const modelSha = createHash('sha256').update(modelBytes).digest('hex');
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    admin = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    other = (await signedIn(t.app, database.db, await seedOrg(database.db, 'Other'), 'owner')).headers;
    device = await provisionDevice(t.app, admin, await createSite(t.app, admin));
    cameraId = (await createCamera(t.app, admin, device.deviceId)).camera.id;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('catalogues a model, computes its sha256, and sends a config naming it when assigned', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/models',
      headers: admin,
      payload: { key: 'yolox-nano', name: 'YOLOX-Nano', version: '0.1.1', layout: 'yolox' },
    });
    expect(created.statusCode).toBe(201);
    const modelId = created.json().id;

    // Not assignable before its file is uploaded.
    const early = await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${cameraId}`,
      headers: admin,
      payload: { modelId },
    });
    expect(early.statusCode).toBe(400);

    const upload = await t.app.inject({
      method: 'PUT',
      url: `/api/models/${modelId}/file`,
      headers: { ...admin, 'content-type': 'application/octet-stream' },
      payload: modelBytes,
    });
    expect(upload.statusCode).toBe(200);
    expect(upload.json()).toMatchObject({ sha256: modelSha, sizeBytes: modelBytes.length });

    const before = t.published.length;
    const assign = await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${cameraId}`,
      headers: admin,
      payload: { modelId },
    });
    expect(assign.statusCode).toBe(200);
    const decoded = decodeMessage('config', t.published[before]!.payload, device.deviceId);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const ref = decoded.value.models![0]!;
    expect(ref).toMatchObject({ id: 'yolox-nano', layout: 'yolox', sha256: modelSha });
    expect(decoded.value.cameras[0]!.modelId).toBe('yolox-nano');

    // The device downloads it by the signed URL in its config, and the bytes hash to the advertised sha256.
    const url = new URL(ref.url);
    const download = await t.app.inject({ url: `${url.pathname}${url.search}` });
    expect(download.statusCode).toBe(200);
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(modelSha);
    // With Basic device auth too; a tampered signature or another organisation gets 404.
    const viaBasic = await t.app.inject({
      url: url.pathname,
      headers: basic(device.deviceId, device.mqtt.password),
    });
    expect(viaBasic.statusCode).toBe(200);
    expect((await t.app.inject({ url: `${url.pathname}?sig=forged` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: url.pathname, headers: other })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: url.pathname, headers: basic(device.deviceId, 'wrong') })).statusCode,
    ).toBe(401);
  });

  it('stores a JPEG uploaded by the device and serves it to users of the site only', async () => {
    const jpeg = jpegFrame();
    const path = `/api/devices/${device.deviceId}/cameras/cam-entrance/snapshot`;
    const put = (headers: Record<string, string>, payload: Buffer) =>
      t.app.inject({
        method: 'PUT',
        url: path,
        headers: { ...headers, 'content-type': 'image/jpeg' },
        payload,
      });
    expect((await put(basic(device.deviceId, device.mqtt.password), jpeg)).statusCode).toBe(204);
    expect((await put(basic(device.deviceId, 'wrong'), jpeg)).statusCode).toBe(401);
    expect(
      (await put(basic(device.deviceId, device.mqtt.password), Buffer.from('not a jpeg'))).statusCode,
    ).toBe(400);

    const got = await t.app.inject({ url: path, headers: admin });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.rawPayload.equals(jpeg)).toBe(true);
    expect((await t.app.inject({ url: path, headers: other })).statusCode).toBe(404);
    expect((await t.app.inject({ url: path })).statusCode).toBe(401);
  });
});

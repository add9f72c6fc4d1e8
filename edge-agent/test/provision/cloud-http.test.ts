import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type DeviceConfig, type ModelRef } from '@tally/proto';
import { runCaptured } from '@tally/proto/cli';
import { createLogger } from '@tally/proto/log';
// The REAL cloud app (cloud/src/app.ts via its test builder) on an in-memory PGlite database, listening on the
// port its config names, so the API URL it hands out at provisioning (PUBLIC_API_URL unset) is the one it serves.
import { buildTestApp, type TestApp } from '../../../cloud/test/app/build';
import { createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../../../cloud/test/app/seed';
import { freshPglite, type TestDatabase } from '../../../cloud/test/helpers/databases';
import { buildProgram } from '../../src/cli/main';
import { uploadSnapshot, snapshotPath } from '../../src/commands/snapshot-upload';
import { ensureModel } from '../../src/config/model-fetcher';
import { encodeJpeg } from '../../src/draw/ffmpeg-encoders';
import { openStore } from '../../src/store';
import { identityModel } from '../detect/tiny-onnx';
import { freePort } from '../helpers/brokers';
import { vtestFrame } from '../helpers/media';
import { claimCode } from '../helpers/claim-code';
import { tempDir } from '../helpers/temp-dir';

const cli = (args: string[]) => runCaptured(buildProgram(), ['node', 'tally-edge', ...args]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Identity {
  deviceId: string;
  mqttUsername: string;
  mqttPassword: string;
  apiUrl: string;
}

describe('edge ↔ real cloud over HTTP: snapshot upload and model download', () => {
  let database: TestDatabase;
  let t: TestApp;
  let url: string;
  let admin: { authorization: string };
  let siteUser: { authorization: string };
  let otherSiteUser: { authorization: string };
  let siteId: string;
  let id: Identity;
  const dir = tempDir('cloud-http');
  const dataDir = join(dir.dir, 'data');
  const CAMERA = 'cam-entrance';

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'silent';
    database = await freshPglite();
    t = await buildTestApp(database, {
      configOverrides: { provisionRateLimit: 1000, port: await freePort() },
    });
    const orgId = await seedOrg(database.db);
    admin = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    siteId = await createSite(t.app, admin);
    const otherSite = await createSite(t.app, admin, 'Depot');
    const installer = (await signedIn(t.app, database.db, orgId, 'installer', [siteId])).headers;
    siteUser = (await signedIn(t.app, database.db, orgId, 'viewer', [siteId])).headers;
    otherSiteUser = (await signedIn(t.app, database.db, orgId, 'viewer', [otherSite])).headers;
    await t.app.listen({ port: t.config.port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${t.config.port}`;

    // Provision with the CLI, as an installer would, then read what the box stored.
    const r = await cli([
      'provision',
      '--cloud',
      url,
      '--code',
      await claimCode(t.app, siteId, installer),
      '--name',
      'Gate 3',
      '--data-dir',
      dataDir,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const store = openStore(dataDir, 1 << 30, createLogger('t', 'silent'));
    try {
      const stored = store.identity.get()!;
      expect(stored.apiUrl).toBe(url);
      id = {
        deviceId: stored.deviceId,
        mqttUsername: stored.mqttUsername,
        mqttPassword: stored.mqttPassword,
        apiUrl: stored.apiUrl!,
      };
    } finally {
      store.close();
    }
    await createCamera(t.app, admin, id.deviceId, CAMERA);
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
    dir.remove();
  });

  describe('snapshot', () => {
    let jpeg: Buffer;
    beforeAll(async () => {
      const frame = vtestFrame(10);
      jpeg = await encodeJpeg(frame.data, frame.width, frame.height);
      expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    });

    const upload = (body: Buffer, over: Partial<Parameters<typeof uploadSnapshot>[1]> = {}) =>
      uploadSnapshot(body, {
        apiUrl: id.apiUrl,
        deviceId: id.deviceId,
        cameraId: CAMERA,
        username: id.mqttUsername,
        password: id.mqttPassword,
        ...over,
      });

    it('the device uploads with its stored credentials; a user of the site reads back the same bytes', async () => {
      const where = await upload(jpeg);
      expect(where).toBe(snapshotPath(id.deviceId, CAMERA));
      const res = await fetch(new URL(where, url), { headers: siteUser });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\/jpeg/);
      expect(Buffer.from(await res.arrayBuffer()).equals(jpeg)).toBe(true);
    });

    it('a newer upload replaces the snapshot', async () => {
      const frame = vtestFrame(40);
      const second = await encodeJpeg(frame.data, frame.width, frame.height);
      expect(second.equals(jpeg)).toBe(false);
      await upload(second);
      const res = await fetch(new URL(snapshotPath(id.deviceId, CAMERA), url), { headers: siteUser });
      expect(Buffer.from(await res.arrayBuffer()).equals(second)).toBe(true);
    });

    it('a user without access to the site does not get it', async () => {
      const res = await fetch(new URL(snapshotPath(id.deviceId, CAMERA), url), { headers: otherSiteUser });
      expect([403, 404]).toContain(res.status);
      const anonymous = await fetch(new URL(snapshotPath(id.deviceId, CAMERA), url));
      expect(anonymous.status).toBe(401);
    });

    it('a wrong password is rejected with the HTTP status', async () => {
      await expect(upload(jpeg, { password: 'not-the-password' })).rejects.toThrow(
        /snapshot upload to .* failed with HTTP 401/,
      );
    });

    it("another device's id is rejected", async () => {
      const other = await provisionDevice(t.app, admin, siteId, 'Gate 4');
      await createCamera(t.app, admin, other.deviceId, CAMERA);
      await expect(upload(jpeg, { deviceId: other.deviceId })).rejects.toThrow(/failed with HTTP 403/);
      const res = await fetch(new URL(snapshotPath(other.deviceId, CAMERA), url), { headers: siteUser });
      expect(res.status).toBe(404);
    });

    it('an unknown camera is rejected', async () => {
      await expect(upload(jpeg, { cameraId: 'cam-nope' })).rejects.toThrow(/failed with HTTP 404/);
    });
  });

  describe('model', () => {
    const file = identityModel([1, 3, 32, 32]);
    const fileSha = sha256(file);
    let modelId: string;
    const modelsDir = join(dir.dir, 'models');
    const auth = () => ({ username: id.mqttUsername, password: id.mqttPassword });
    const ref = (over: Partial<ModelRef> = {}): ModelRef => ({
      id: 'tiny',
      name: 'Tiny identity',
      version: '1',
      layout: 'yolox',
      url: `/api/models/${modelId}/file`,
      sha256: fileSha,
      ...over,
    });

    beforeAll(async () => {
      const created = await fetch(`${url}/api/models`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'tiny', name: 'Tiny identity', version: '1', layout: 'yolox' }),
      });
      expect(created.status).toBe(201);
      modelId = ((await created.json()) as { id: string }).id;
      const uploaded = await fetch(`${url}/api/models/${modelId}/file`, {
        method: 'PUT',
        headers: { ...admin, 'content-type': 'application/octet-stream' },
        body: file,
      });
      expect(uploaded.status).toBe(200);
      expect(await uploaded.json()).toMatchObject({ id: modelId, sha256: fileSha, sizeBytes: file.length });
    });

    it('the device downloads it (URL relative to its API URL, Basic auth) and the file has the right sha256', async () => {
      const dest = join(modelsDir, 'relative');
      const path = await ensureModel(ref(), { dir: dest, apiUrl: id.apiUrl, auth: auth() });
      expect(path).toBe(join(dest, `${fileSha}.onnx`));
      expect(sha256(readFileSync(path))).toBe(fileSha);
      expect(readdirSync(dest)).toEqual([`${fileSha}.onnx`]);
    });

    it('the ref the cloud puts in the device config (signed URL) downloads too', async () => {
      const cameras = await t.app.inject({
        method: 'GET',
        url: `/api/devices/${id.deviceId}/cameras`,
        headers: admin,
      });
      expect(cameras.statusCode).toBe(200);
      const camera = (cameras.json() as { id: string; key: string }[]).find((c) => c.key === CAMERA)!;
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/api/cameras/${camera.id}`,
        headers: admin,
        payload: { modelId },
      });
      expect(patched.statusCode).toBe(200);
      // What the device receives: the config the cloud published (retained) on the device's config topic.
      const version = (patched.json() as { config: { version: number } }).config.version;
      const message = t.published.filter((p) => p.topic === topics.config(id.deviceId)).at(-1)!;
      const config = JSON.parse(message.payload) as DeviceConfig;
      expect(config.version).toBe(version);
      const pushed = config.models?.find((m) => m.id === 'tiny');
      expect(pushed).toMatchObject({ sha256: fileSha, layout: 'yolox' });
      expect(pushed!.url.startsWith(`${id.apiUrl}/api/models/${modelId}/file?sig=`)).toBe(true);
      const dest = join(modelsDir, 'signed');
      // As the agent calls it: its API URL and credentials go along (same origin, so Basic auth is sent too).
      const path = await ensureModel(pushed!, { dir: dest, apiUrl: id.apiUrl, auth: auth() });
      expect(sha256(readFileSync(path))).toBe(fileSha);
      // The signature alone is enough.
      const bare = await ensureModel(pushed!, { dir: join(modelsDir, 'signed-bare') });
      expect(sha256(readFileSync(bare))).toBe(fileSha);
    });

    it('a wrong sha256 in the ref is a clear error and leaves no file in place', async () => {
      const dest = join(modelsDir, 'wrong-sha');
      const wrong = '0'.repeat(64);
      await expect(
        ensureModel(ref({ sha256: wrong }), { dir: dest, apiUrl: id.apiUrl, auth: auth() }),
      ).rejects.toThrow(
        `model tiny (Tiny identity 1): sha256 ${fileSha} does not match the config's ${wrong}`,
      );
      expect(existsSync(join(dest, `${wrong}.onnx`))).toBe(false);
      expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
    });

    it('a model id that does not exist is a clear error naming the HTTP status', async () => {
      const dest = join(modelsDir, 'missing');
      const missing = randomUUID();
      await expect(
        ensureModel(ref({ url: `/api/models/${missing}/file` }), {
          dir: dest,
          apiUrl: id.apiUrl,
          auth: auth(),
        }),
      ).rejects.toThrow(
        `model tiny (Tiny identity 1): download from ${url}/api/models/${missing}/file failed with HTTP 404`,
      );
      expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
    });

    it('wrong device credentials are refused with the HTTP status', async () => {
      const dest = join(modelsDir, 'bad-auth');
      await expect(
        ensureModel(ref(), { dir: dest, apiUrl: id.apiUrl, auth: { ...auth(), password: 'nope' } }),
      ).rejects.toThrow(/failed with HTTP 401/);
      expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
    });
  });
});

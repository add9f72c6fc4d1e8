import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, topics } from '@tally/proto';
import { configContentHash } from '@tally/proto/hash';
import { recordConfigApplied } from '../../src/db/queries/config-versions';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { LINE, SETUP, createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

describe.each(DATABASES)('sites, cameras, rules and config push on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: { headers: { authorization: string } };
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    admin = await signedIn(t.app, database.db, orgId, 'admin');
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('creates, reads, updates and deletes a site, validating the IANA time zone', async () => {
    const { headers } = admin;
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/sites',
      headers,
      payload: { name: 'X', timezone: 'Mars/Olympus' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues).toEqual([{ path: '/timezone', message: 'not an IANA time zone' }]);

    const id = await createSite(t.app, headers, 'Store', 'America/New_York');
    const got = await t.app.inject({ url: `/api/sites/${id}`, headers });
    expect(got.json()).toMatchObject({ id, name: 'Store', timezone: 'America/New_York' });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/sites/${id}`,
      headers,
      payload: { timezone: 'Asia/Kolkata' },
    });
    expect(patched.json().timezone).toBe('Asia/Kolkata');
    const list = await t.app.inject({ url: '/api/sites', headers });
    expect(list.json().map((s: { id: string }) => s.id)).toContain(id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/sites/${id}`, headers })).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/sites/${id}`, headers })).statusCode).toBe(404);
  });

  it('publishes a retained, valid config with version+1 and the content hash on each camera or rule change', async () => {
    const { headers } = admin;
    const siteId = await createSite(t.app, headers);
    const { deviceId } = await provisionDevice(t.app, headers, siteId);
    const before = t.published.length;

    const created = await createCamera(t.app, headers, deviceId);
    expect(created.config.version).toBe(1);
    const rule = await t.app.inject({
      method: 'POST',
      url: `/api/cameras/${created.camera.id}/rules`,
      headers,
      payload: LINE,
    });
    expect(rule.statusCode).toBe(201);
    expect(rule.json().config.version).toBe(2);

    const sent = t.published.slice(before);
    expect(sent.map((p) => [p.topic, p.retain])).toEqual([
      [topics.config(deviceId), true],
      [topics.config(deviceId), true],
    ]);
    const decoded = decodeMessage('config', sent[1]!.payload, deviceId);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const config = decoded.value;
    expect(config.version).toBe(2);
    expect(config.hash).toBe(configContentHash(config));
    expect(config.cameras[0]).toMatchObject({
      id: 'cam-entrance',
      ...SETUP,
      lines: [{ id: 'door-line', ...LINE.definition }],
    });

    const state = await t.app.inject({ url: `/api/devices/${deviceId}/config`, headers });
    expect(state.json().state).toEqual({ version: 2, status: 'pending', appliedVersion: null });
    expect(state.json().config.hash).toBe(config.hash);
  });

  it('refuses a setup the device would reject with 400 and the issues, changing nothing', async () => {
    const { headers } = admin;
    const siteId = await createSite(t.app, headers);
    const { deviceId } = await provisionDevice(t.app, headers, siteId);
    const { camera } = await createCamera(t.app, headers, deviceId);
    const published = t.published.length;
    // A line whose two end points are equal passes the schema but not the device's geometry check.
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cameras/${camera.id}/rules`,
      headers,
      payload: { ...LINE, definition: { p1: { x: 0.5, y: 0.5 }, p2: { x: 0.5, y: 0.5 } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('TALLY_INVALID_CONFIG');
    expect(res.json().error.issues[0].path).toMatch(/lines/);
    expect(t.published.length).toBe(published);
    const rules = await t.app.inject({ url: `/api/cameras/${camera.id}/rules`, headers });
    expect(rules.json()).toEqual([]);
    const state = await t.app.inject({ url: `/api/devices/${deviceId}/config`, headers });
    expect(state.json().state.version).toBe(1);

    const schemaBad = await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${camera.id}`,
      headers,
      payload: { setup: { ...SETUP, fps: 500 } },
    });
    expect(schemaBad.statusCode).toBe(400);
    expect(schemaBad.json().error.code).toBe('TALLY_VALIDATION');
  });

  it('reports applied, then the device error, from config/applied answers', async () => {
    const { headers } = admin;
    const siteId = await createSite(t.app, headers);
    const { deviceId } = await provisionDevice(t.app, headers, siteId);
    const { camera, config } = await createCamera(t.app, headers, deviceId);
    await recordConfigApplied(database.db, deviceId, {
      v: 1,
      deviceId,
      version: config.version,
      hash: config.hash,
      status: 'applied',
      ts: Date.now(),
    });
    let state = (await t.app.inject({ url: `/api/devices/${deviceId}/config`, headers })).json().state;
    expect(state).toEqual({ version: 1, status: 'applied', appliedVersion: 1 });

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${camera.id}`,
      headers,
      payload: { setup: { ...SETUP, source: { url: '/dev/video9' } } },
    });
    expect(patched.json().config.version).toBe(2);
    const errors = [{ path: '/cameras/0/source/url', message: 'no such device' }];
    expect(
      await recordConfigApplied(database.db, deviceId, {
        v: 1,
        deviceId,
        version: 2,
        status: 'rejected',
        errors,
        ts: Date.now(),
      }),
    ).toBe(true);
    state = (await t.app.inject({ url: `/api/devices/${deviceId}/config`, headers })).json().state;
    expect(state).toEqual({ version: 2, status: 'rejected', appliedVersion: 1, errors });
    const history = (await t.app.inject({ url: `/api/devices/${deviceId}/config-versions`, headers })).json();
    expect(history.map((h: { version: number; status: string }) => [h.version, h.status])).toEqual([
      [2, 'rejected'],
      [1, 'applied'],
    ]);
    expect(
      await recordConfigApplied(database.db, 'dev-unknown', {
        v: 1,
        deviceId: 'dev-unknown',
        version: 1,
        status: 'applied',
        ts: 0,
      }),
    ).toBe(false);
  });

  it('gives concurrent edits distinct versions and leaves the newest one retained', async () => {
    // Publishes that finish in reverse order (a slow first publish), as a loaded broker connection can make them.
    const sent: Array<{ version: number }> = [];
    const slowFirst = await buildTestApp(database, {
      publish: async (_topic, payload) => {
        const config = JSON.parse(payload.toString()) as { version: number };
        if (config.version === 2) await new Promise((r) => setTimeout(r, 300));
        sent.push(config);
      },
    });
    try {
      const { headers } = admin;
      const siteId = await createSite(slowFirst.app, headers);
      const { deviceId } = await provisionDevice(slowFirst.app, headers, siteId);
      const { camera } = await createCamera(slowFirst.app, headers, deviceId);
      const edits = await Promise.all(
        [5, 6, 7, 8].map((fps) =>
          slowFirst.app.inject({
            method: 'PATCH',
            url: `/api/cameras/${camera.id}`,
            headers,
            payload: { setup: { ...SETUP, fps } },
          }),
        ),
      );
      const versions = edits.map((e) => e.json().config.version).sort();
      expect(versions).toEqual([2, 3, 4, 5]);
      // Whatever the order they left in, the last publish is the newest version: that is what the broker retains.
      expect(sent.at(-1)!.version).toBe(5);
      expect(sent.map((c) => c.version)).toEqual([...sent.map((c) => c.version)].sort());
    } finally {
      await slowFirst.close();
    }
  });
});

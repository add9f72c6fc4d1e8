import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type DeviceConfig, type Role } from '@tally/proto';
import { configContentHash } from '@tally/proto/hash';
import { createLogger } from '@tally/proto/log';
import { explainStartError } from '../../src/cli/start-errors';
import { loadConfig, type CloudConfig } from '../../src/config';
import { sealCameraUrlsAtRest, SecretKeyMismatch } from '../../src/secrets/camera-urls-at-rest';
import { openConfig } from '../../src/secrets/camera-sources';
import { keyringOf } from '../../src/secrets/config-keyring';
import { keyId, SEALED_PREFIX } from '../../src/secrets/secret-box';
import { startServer, type RunningServer } from '../../src/server';
import { connectDevice, eventually } from '../broker/harness';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { SETUP, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

/**
 * Issue 12 item 5: camera URLs hold passwords. On real PostgreSQL with the embedded broker: no table holds the
 * password in plain (read with SQL), the device's config (read from a real MQTT subscription) has the full URL,
 * every API answer masks it for every role, a masked URL sent back keeps the password, plain rows from before are
 * encrypted at start (with key rotation), and a server with the wrong key refuses to start with a clear error.
 */
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const TOKEN = `tok-${randomBytes(6).toString('hex')}`;
const FULL = `rtsp://admin:${PASSWORD}@10.0.0.5:554/stream1?channel=1&token=${TOKEN}`;
const MASKED = 'rtsp://admin:***@10.0.0.5:554/stream1?channel=1&token=***';
const NEW = `rtsp://admin:new-${PASSWORD}@10.0.0.6/stream2`;

describe('camera URL passwords: encrypted at rest, in full to the device, masked in the API', () => {
  let database: TestDatabase;
  let dataDir: string;
  let url: string;
  const keyA = randomBytes(32).toString('base64');
  const keyB = randomBytes(32).toString('hex');
  let server: RunningServer | undefined;
  let device: MqttClient | undefined;
  const configs: DeviceConfig[] = [];
  let deviceId = '';
  let devicePassword = '';
  let cameraId = '';
  const headers = {} as Record<Role, { authorization: string }>;

  const config = (secretKey: string, previous: string[] = []): CloudConfig =>
    loadConfig(
      {},
      {
        dataDir,
        databaseUrl: url,
        port: 0,
        host: '127.0.0.1',
        mqttPort: 0,
        mqttWsPort: 0,
        jwtSecret: 'camera-url-test-secret-camera-url-test',
        secretKey,
        secretKeysPrevious: previous,
      },
    ).config;
  const start = (c: CloudConfig) => startServer(c, { log: createLogger('test-server', 'silent') });
  const listen = async (s: RunningServer) => {
    device = await connectDevice(`mqtt://127.0.0.1:${s.ctx.broker!.ports.mqtt}`, deviceId, devicePassword);
    device.on('message', (_t, payload) => configs.push(JSON.parse(payload.toString()) as DeviceConfig));
    await device.subscribeAsync(topics.config(deviceId), { qos: 1 });
  };
  const latestPushed = async (version: number) => {
    await eventually(() => configs.some((c) => c.version === version));
    return configs.find((c) => c.version === version)!;
  };
  /** Every row of every table, as text. */
  const everyTable = async () => {
    const tables = await database.query<{ t: string }>(
      `select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const texts = await Promise.all(
      tables.map(async ({ t }) =>
        (await database.query<{ r: string }>(`select x::text as r from "${t}" x`)).map((r) => r.r),
      ),
    );
    return texts.flat().join('\n');
  };
  const api = (path: string, role: Role, init: { method?: string; payload?: object } = {}) =>
    server!.app.inject({ url: `/api${path}`, headers: headers[role], ...init } as never);

  beforeAll(async () => {
    database = await freshPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'tally-camera-url-'));
    const rows = await database.query<{ db: string }>('select current_database() as db');
    const base = new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    base.pathname = `/${rows[0]!.db}`;
    url = base.toString();
    server = await start(config(keyA));
    const orgId = await seedOrg(database.db);
    headers.owner = (await signedIn(server.app, database.db, orgId, 'owner')).headers;
    const siteId = await createSite(server.app, headers.owner);
    for (const role of ['admin', 'site_manager', 'installer', 'viewer'] as const) {
      headers[role] = (await signedIn(server.app, database.db, orgId, role, [siteId])).headers;
    }
    const dev = await provisionDevice(server.app, headers.owner, siteId);
    ({ deviceId } = dev);
    devicePassword = dev.mqtt.password;
    await listen(server);
  });
  afterAll(async () => {
    await device?.endAsync(true);
    await server?.stop();
    await database?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the URL sealed, pushes it in full, and shows it masked to every role', async () => {
    const res = await api(`/devices/${deviceId}/cameras`, 'installer', {
      method: 'POST',
      payload: { key: 'cam-door', name: 'Door', setup: { ...SETUP, source: { url: FULL } } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain(PASSWORD);
    expect(res.json().camera.setup.source.url).toBe(MASKED);
    cameraId = res.json().camera.id;

    const pushed = await latestPushed(res.json().config.version);
    expect(pushed.cameras[0]!.source.url).toBe(FULL);
    expect(configContentHash(pushed)).toBe(pushed.hash);

    const [camera] = await database.query<{ url: string }>(
      `select setup->'source'->>'url' as url from cameras where id = $1`,
      [cameraId],
    );
    expect(camera!.url.startsWith(`${SEALED_PREFIX}${keyId(Buffer.from(keyA, 'base64'))}:`)).toBe(true);
    const all = await everyTable();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);

    for (const role of ['owner', 'admin', 'site_manager', 'installer', 'viewer'] as const) {
      for (const path of [
        '/cameras',
        `/cameras/${cameraId}`,
        `/devices/${deviceId}/cameras`,
        `/devices/${deviceId}/config`,
        `/devices/${deviceId}/config-versions`,
        `/devices/${deviceId}`,
        '/audit',
      ]) {
        const answer = await api(path, role);
        expect(answer.body, `${role} ${path}`).not.toContain(PASSWORD);
        expect(answer.body, `${role} ${path}`).not.toContain(TOKEN);
        if (path.includes('camera') || path.endsWith('/config')) {
          expect(answer.statusCode, `${role} ${path}`).toBe(200);
          if (!path.endsWith('config-versions')) expect(answer.body, `${role} ${path}`).toContain(MASKED);
        }
      }
    }
    const cfg = await api(`/devices/${deviceId}/config`, 'viewer');
    expect(cfg.json().config.cameras[0].source.url).toBe(MASKED);
  });

  it('keeps the password when the masked URL is sent back, replaces it with a new URL', async () => {
    const echoed = await api(`/cameras/${cameraId}`, 'installer', {
      method: 'PATCH',
      payload: { setup: { ...SETUP, fps: 12, source: { url: MASKED } } },
    });
    expect(echoed.statusCode, echoed.body).toBe(200);
    expect(echoed.json().camera.setup.source.url).toBe(MASKED);
    const kept = await latestPushed(echoed.json().config.version);
    expect(kept.cameras[0]!.fps).toBe(12);
    expect(kept.cameras[0]!.source.url).toBe(FULL);

    const elsewhere = await api(`/cameras/${cameraId}`, 'installer', {
      method: 'PATCH',
      payload: { setup: { ...SETUP, source: { url: 'rtsp://admin:***@attacker.example:554/stream1' } } },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.message).toMatch(/host changed: type the password/);

    const replaced = await api(`/cameras/${cameraId}`, 'admin', {
      method: 'PATCH',
      payload: { setup: { ...SETUP, source: { url: NEW } } },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().camera.setup.source.url).toBe('rtsp://admin:***@10.0.0.6/stream2');
    expect((await latestPushed(replaced.json().config.version)).cameras[0]!.source.url).toBe(NEW);
    expect(await everyTable()).not.toContain(PASSWORD);
  });

  it('encrypts plain rows from before at start, re-encrypts under a new key, and refuses a wrong key', async () => {
    // Rows as an older cloud stored them: every URL in plain, in the camera and in each config version.
    const ringA = keyringOf(server!.ctx.config);
    await database.query(
      `update cameras set setup = jsonb_set(setup, '{source,url}', to_jsonb($1::text)) where id = $2`,
      [NEW, cameraId],
    );
    const versions = await database.query<{ id: string; config: DeviceConfig }>(
      'select id, config from config_versions where device_id = $1',
      [deviceId],
    );
    for (const v of versions) {
      await database.query('update config_versions set config = $1 where id = $2', [
        JSON.stringify(openConfig(ringA, v.config)),
        v.id,
      ]);
    }
    expect(await everyTable()).toContain(PASSWORD);
    await device?.endAsync(true);
    await server!.stop();

    // A new key, the old one as previous: plain rows sealed, old-key rows sealed again, under the new key.
    configs.length = 0;
    server = await start(config(keyB, [keyA]));
    const all = await everyTable();
    expect(all).not.toContain(PASSWORD);
    const urls = await database.query<{ url: string }>(
      `select setup->'source'->>'url' as url from cameras
       union all select c->'source'->>'url' from config_versions, jsonb_array_elements(config->'cameras') c`,
    );
    const kidB = keyId(Buffer.from(keyB, 'hex'));
    expect(urls.length).toBeGreaterThan(3);
    expect(urls.every((u) => u.url.startsWith(`${SEALED_PREFIX}${kidB}:`))).toBe(true);
    // Idempotent: nothing more to do.
    const ring = keyringOf(server.ctx.config);
    expect(await sealCameraUrlsAtRest(server.ctx.database, ring)).toEqual({ cameras: 0, configVersions: 0 });
    // The embedded broker started empty: the retained config is re-published, opened, to the device.
    await listen(server);
    await eventually(() => configs.length > 0);
    const republished = configs.at(-1)!;
    expect(republished.cameras[0]!.source.url).toBe(NEW);
    // What the box checks before applying: the hash (computed over the full URL) matches the content.
    expect(configContentHash(republished)).toBe(republished.hash);
    await device?.endAsync(true);
    device = undefined;
    await server.stop();
    server = undefined;

    // A key that opens none of them: a clear start error, not a config the device cannot use.
    const wrong = config(randomBytes(32).toString('base64'));
    const err = await start(wrong).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SecretKeyMismatch);
    const explained = explainStartError(err, wrong)!;
    expect(explained.message).toBe(
      `camera URLs in the database were encrypted with another TALLY_SECRET_KEY (key id ${kidB})`,
    );
    expect(explained.hint).toMatch(/set TALLY_SECRET_KEY to the key they were encrypted with/);
    // As an operator sees it: `serve` prints that line and a hint, no stack, and exits 2.
    const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        TALLY_SECRET_KEY: randomBytes(32).toString('hex'),
        TALLY_SECRET_KEYS_PREVIOUS: '',
        JWT_SECRET: 'camera-url-test-secret-camera-url-test',
        PORT: '0',
        HOST: '127.0.0.1',
        MQTT_PORT: '0',
        MQTT_WS_PORT: '0',
        MQTT_URL: '',
        LOG_LEVEL: 'warn',
      },
    });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain(`error: ${explained.message}`);
    expect(run.stderr).toContain('hint: set TALLY_SECRET_KEY');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);
});

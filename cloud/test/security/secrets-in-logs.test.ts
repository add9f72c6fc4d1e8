import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '@tally/proto/log';
import { startServer, type RunningServer } from '../../src/server';
import { testConfig } from '../app/build';
import { PASSWORD, SETUP, seedOrg, seedUser } from '../app/seed';
import { waitFor } from '../ingest/support';

/** The fields of the API's answers this flow reads. */
interface Answer {
  id: string;
  code: string;
  accessToken: string;
  refreshToken: string;
  deviceId: string;
  mqtt: { url: string; username: string; password: string };
}

/**
 * Regression of issue 9 item 3: `/api/live?token=…` was logged with the access token. A whole flow through the
 * real server (HTTP, WebSocket, embedded broker) at the most verbose level, every log line captured, and then each
 * secret of the flow searched for in them.
 */
describe('no token, password or camera credential reaches a log line', () => {
  let server: RunningServer;
  const lines: string[] = [];
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    const config = testConfig({ port: 0, host: '127.0.0.1', mqttPort: 0, mqttWsPort: 0 });
    secrets.jwtSecret = config.jwtSecret;
    server = await startServer(config, {
      log: createLogger('cloud', 'trace', { write: (line: string) => lines.push(line) }),
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };

  it('runs sign-in, refresh, live socket, provisioning, a camera with credentials and a device connection', async () => {
    const db = server.ctx.database.db;
    const orgId = await seedOrg(db);
    const owner = await seedUser(db, orgId, 'owner');
    secrets.password = PASSWORD;
    secrets.wrongPassword = 'not-the-password-but-secret-too';

    expect(
      (await api('/api/auth/login', { body: { email: owner.email, password: secrets.wrongPassword } }))
        .status,
    ).toBe(401);
    const login = await api('/api/auth/login', { body: { email: owner.email, password: PASSWORD } });
    expect(login.status).toBe(200);
    secrets.firstRefreshToken = login.body.refreshToken;
    const refreshed = await api('/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    const token = (secrets.accessToken = refreshed.body.accessToken);
    secrets.refreshToken = refreshed.body.refreshToken;
    secrets.firstAccessToken = login.body.accessToken;

    // A client that still puts the token in the URL is refused (400); its request line is logged, redacted.
    const refused = new WebSocket(
      `${server.url.replace('http', 'ws')}/api/live?token=${encodeURIComponent(token)}`,
    );
    await new Promise<void>((resolve) => {
      refused.once('unexpected-response', () => resolve());
      refused.once('error', () => resolve());
    });
    refused.terminate();
    // The dashboard's way: the token in the first message, never in the URL.
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/live`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
      ws.once('message', () => resolve());
      ws.once('error', reject);
    });
    ws.close();

    const site = await api('/api/sites', { token, body: { name: 'HQ', timezone: 'Europe/Paris' } });
    const claim = await api(`/api/sites/${site.body.id}/claim-codes`, { token, body: {} });
    expect(claim.status).toBe(201);
    secrets.claimCode = claim.body.code;
    const provisioned = await api('/api/provision', { body: { code: claim.body.code, name: 'Gate' } });
    expect(provisioned.status).toBe(201);
    secrets.mqttPassword = provisioned.body.mqtt.password;

    secrets.cameraPassword = 'cam-pass-8c1f2';
    const camera = await api(`/api/devices/${provisioned.body.deviceId}/cameras`, {
      token,
      body: {
        key: 'cam-1',
        name: 'Door',
        setup: { ...SETUP, source: { url: `rtsp://admin:${secrets.cameraPassword}@10.0.0.5:554/s1` } },
      },
    });
    expect(camera.status).toBe(201);

    // The device connects with its credentials and receives its config (with the camera URL) from the broker.
    const device = await mqtt.connectAsync(provisioned.body.mqtt.url.replace('0.0.0.0', '127.0.0.1'), {
      clientId: `tally-edge-${provisioned.body.deviceId}`,
      username: provisioned.body.mqtt.username,
      password: provisioned.body.mqtt.password,
      reconnectPeriod: 0,
    });
    const configs: string[] = [];
    device.on('message', (_topic, payload) => configs.push(payload.toString()));
    await device.subscribeAsync(`tally/v1/${provisioned.body.deviceId}/config`, { qos: 1 });
    await waitFor(() => configs.some((c) => c.includes(secrets.cameraPassword!)), 'the config on the device');
    await device.endAsync();

    // A request that fails, with the token in its query string, is logged too.
    expect((await api(`/api/nope?token=${encodeURIComponent(token)}&password=${PASSWORD}`)).status).toBe(404);

    const log = lines.join('');
    expect(log).toContain('/api/live?token=[REDACTED]');
    expect(log).toContain('/api/nope?token=[REDACTED]&password=[REDACTED]');
    for (const [what, secret] of Object.entries(secrets)) expect(secret, what).toBeTruthy();
    const leaked = Object.entries(secrets)
      .filter(([, secret]) => log.includes(secret) || log.includes(encodeURIComponent(secret)))
      .map(([what]) => what);
    expect(leaked).toEqual([]);
  });
});

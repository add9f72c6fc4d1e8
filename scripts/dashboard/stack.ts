/**
 * The dashboard's real stack for screenshots and the end-to-end test: the built dashboard served by a real
 * `cloud serve` on a scratch PostgreSQL database, with its embedded broker on free ports, seeded through the API
 * (site, camera with a line and a zone, users of three roles, an alert rule) and a provisioned device simulator
 * publishing real MQTT messages (a month of counts, occupancy, heartbeats).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProvisionResponse } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import { scratchDatabase } from '../../cloud/src/db/scratch-database';
import { cachedDashboardBuild } from './cached-build';
import { DeviceSimulator, type SimulatedEvent } from './device-simulator';

const ROOT = resolve(import.meta.dirname, '../..');
const CLOUD_CLI = join(ROOT, 'cloud/src/cli/main.ts');

export interface Account {
  email: string;
  password: string;
}

export interface DashboardStack {
  url: string;
  siteId: string;
  siteName: string;
  timezone: string;
  deviceId: string;
  cameraKey: string;
  lineKey: string;
  zoneKey: string;
  owner: Account;
  manager: Account;
  viewer: Account;
  sim: DeviceSimulator;
  /** Calls the API as `account` (a fresh token per call: simple, and these are test helpers). */
  api<T>(account: Account, method: string, path: string, body?: unknown): Promise<T>;
  logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

/** `vite build` of the dashboard into `outDir`; returns it. */
export function buildDashboard(outDir: string): string {
  const r = spawnSync(
    'pnpm',
    ['--filter', '@tally/dashboard', 'exec', 'vite', 'build', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`dashboard build failed:\n${r.stdout}\n${r.stderr}`);
  return outDir;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The box's snapshot of its camera, as an agent uploads it (device Basic auth): the first frame of the shared video,
 * through ffmpeg, so the camera setup page has a picture to draw on.
 */
async function uploadSnapshot(url: string, device: ProvisionResponse, cameraKey: string): Promise<void> {
  const jpeg = spawnSync(
    'ffmpeg',
    [
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
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (jpeg.status !== 0) throw new Error(`ffmpeg snapshot failed: ${String(jpeg.stderr)}`);
  const auth = Buffer.from(`${device.mqtt.username}:${device.mqtt.password}`).toString('base64');
  const res = await fetch(`${url}/api/devices/${device.deviceId}/cameras/${cameraKey}/snapshot`, {
    method: 'PUT',
    headers: { 'content-type': 'image/jpeg', authorization: `Basic ${auth}` },
    body: jpeg.stdout,
  });
  if (!res.ok) throw new Error(`snapshot upload: ${res.status} ${await res.text()}`);
}

/** A month of line crossings and zone entries, a daily rhythm, deterministic (hourly counts known to the test). */
export function historyEvents(
  nowMs: number,
  keys: { camera: string; line: string; zone: string },
): SimulatedEvent[] {
  const events: SimulatedEvent[] = [];
  const HOUR = 3_600_000;
  const start = Math.floor(nowMs / HOUR) * HOUR - 35 * 24 * HOUR;
  for (let h = start; h < nowMs - HOUR; h += HOUR) {
    const hourOfDay = new Date(h).getUTCHours();
    // Daytime hours, and the last few hours whatever the time, so "today" is never empty.
    const busy = (hourOfDay >= 7 && hourOfDay <= 19) || h >= nowMs - 4 * HOUR ? 3 : 0;
    for (let i = 0; i < busy; i++) {
      const ts = h + (i + 1) * 600_000;
      events.push({
        cameraId: keys.camera,
        ruleId: keys.line,
        kind: 'line_cross',
        direction: i === 2 ? 'out' : 'in',
        objectClass: 'person',
        ts,
      });
    }
    if (busy)
      events.push({
        cameraId: keys.camera,
        ruleId: keys.zone,
        kind: 'zone_enter',
        objectClass: 'person',
        ts: h + 1_200_000,
      });
    if (busy)
      events.push({
        cameraId: keys.camera,
        ruleId: keys.zone,
        kind: 'zone_exit',
        objectClass: 'person',
        ts: h + 1_500_000,
        dwellMs: 300_000,
      });
  }
  return events;
}

export async function startDashboardStack(
  opts: {
    accessTokenTtlS?: number;
    log?: (m: string) => void;
    alertRule?: boolean;
    /** More environment for the cloud (e.g. ALLOW_PRIVATE_WEBHOOKS for a webhook receiver on this machine). */
    env?: Record<string, string>;
    /** false: no month of counts (pages that do not chart, e.g. users and audit, start faster). */
    history?: boolean;
  } = {},
): Promise<DashboardStack> {
  const say = opts.log ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), 'tally-dash-stack-'));
  say('building the dashboard (or reusing the build of the same sources)');
  const dist = await cachedDashboardBuild(buildDashboard);
  say(`dashboard in ${dist}`);
  const db = await scratchDatabase('tally_dash');
  // The stack's cloud opens its own pool; this one only created and migrated the database.
  const children: ChildProcess[] = [];
  const stop = async () => {
    await sim?.close().catch(() => {});
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
    );
    await db.drop().catch(() => {});
  };
  let sim: DeviceSimulator | undefined;
  try {
    const [httpPort, mqttPort, wsPort] = [await freePort(), await freePort(), await freePort()];
    const url = `http://127.0.0.1:${httpPort}`;
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      DATA_DIR: join(work, 'data'),
      PORT: String(httpPort),
      MQTT_PORT: String(mqttPort),
      MQTT_WS_PORT: String(wsPort),
      PUBLIC_MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
      PUBLIC_API_URL: url,
      DASHBOARD_DIR: dist,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ACCESS_TOKEN_TTL_S: String(opts.accessTokenTtlS ?? 900),
      ALERT_INTERVAL_S: '2',
      LOG_LEVEL: 'info',
      ...opts.env,
    };
    const owner = { email: 'owner@example.com', password: 'owner-password-1' };
    const made = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        CLOUD_CLI,
        'create-owner',
        '--email',
        owner.email,
        '--password',
        owner.password,
        '--org',
        'Example',
      ],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`create-owner failed: ${made.stderr}`);
    const logFile = join(work, 'cloud.log');
    const fd = openSync(logFile, 'a');
    children.push(
      spawn(process.execPath, ['--import', 'tsx', CLOUD_CLI, 'serve'], {
        cwd: ROOT,
        env,
        stdio: ['ignore', fd, fd],
      }),
    );
    await waitFor('the cloud to be ready', async () => (await fetch(`${url}/readyz`)).ok);
    say(`cloud ready at ${url} (logs ${logFile})`);

    // Tokens are reused while young: signing in per call would trip the cloud's login rate limit (10/min).
    const tokens = new Map<string, { token: string; at: number }>();
    const tokenFor = async (account: Account): Promise<string> => {
      const cached = tokens.get(account.email);
      if (cached && Date.now() - cached.at < 15_000) return cached.token;
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      if (!login.ok) throw new Error(`login ${account.email}: ${login.status} ${await login.text()}`);
      const token = ((await login.json()) as { accessToken: string }).accessToken;
      tokens.set(account.email, { token, at: Date.now() });
      return token;
    };
    const api = async <T>(
      account: Account | null,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<T> => {
      const token = account ? await tokenFor(account) : undefined;
      const res = await fetch(`${url}/api${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
    };

    const timezone = 'Europe/Paris';
    const site = await api<{ id: string; name: string }>(owner, 'POST', '/sites', {
      name: 'Riverside Mall',
      timezone,
    });
    const claim = await api<{ code: string }>(owner, 'POST', `/sites/${site.id}/claim-codes`, {
      ttlMinutes: 30,
    });
    const provisioned = await api<ProvisionResponse>(null, 'POST', '/provision', {
      code: claim.code,
      name: 'Main entrance box',
    });
    sim = await DeviceSimulator.connect(provisioned);
    const keys = { camera: 'gate-cam', line: 'entrance', zone: 'lobby' };
    const { camera } = await api<{ camera: { id: string } }>(
      owner,
      'POST',
      `/devices/${provisioned.deviceId}/cameras`,
      {
        key: keys.camera,
        name: 'Entrance camera',
        setup: {
          // The simulator never opens it; a camera URL of the documentation range (RFC 5737).
          source: { url: 'rtsp://192.0.2.10/entrance' },
          fps: 10,
          inputSize: { width: 768, height: 576 },
          classes: ['person'],
          scoreThreshold: 0.3,
        },
      },
    );
    await api(owner, 'POST', `/cameras/${camera.id}/rules`, {
      key: keys.line,
      kind: 'line',
      name: 'Main doors',
      definition: { p1: { x: 0.5, y: 0.1 }, p2: { x: 0.5, y: 0.9 } },
    });
    await api(owner, 'POST', `/cameras/${camera.id}/rules`, {
      key: keys.zone,
      kind: 'zone',
      name: 'Lobby',
      definition: {
        polygon: [
          { x: 0.1, y: 0.5 },
          { x: 0.9, y: 0.5 },
          { x: 0.9, y: 0.95 },
          { x: 0.1, y: 0.95 },
        ],
        dwellThresholdS: 60,
      },
    });
    await uploadSnapshot(url, provisioned, keys.camera);
    const manager = { email: 'manager@example.com', password: 'manager-password-1' };
    const viewer = { email: 'viewer@example.com', password: 'viewer-password-1' };
    await api(owner, 'POST', '/users', {
      ...manager,
      name: 'Sam Manager',
      role: 'site_manager',
      siteIds: [site.id],
    });
    await api(owner, 'POST', '/users', { ...viewer, name: 'Vic Viewer', role: 'viewer', siteIds: [site.id] });

    const now = Date.now();
    if (opts.history !== false) await sim.sendEvents(historyEvents(now, keys));
    for (const [hoursAgo, people] of [
      [5, 2],
      [4, 6],
      [3, 3],
      [2, 8],
      [1, 5],
    ] as const) {
      await sim.sendOccupancy(keys.camera, keys.zone, { person: people }, now - hoursAgo * 3_600_000);
    }
    await sim.sendOccupancy(keys.camera, keys.zone, { person: 4 }, now - 60_000);
    await sim.sendHeartbeat([{ cameraId: keys.camera, fps: 9.8 }]);
    if (opts.alertRule) {
      // Fires at once: the seeded last hour has more crossings than this.
      await api(owner, 'POST', `/sites/${site.id}/alert-rules`, {
        name: 'Busy main doors',
        condition: { kind: 'count_above', threshold: 1, periodMinutes: 120, ruleId: keys.line },
      });
      // One with a webhook (a documentation domain: deliveries fail, which the rules page shows).
      await api(owner, 'POST', `/sites/${site.id}/alert-rules`, {
        name: 'Lobby crowded',
        condition: { kind: 'occupancy_above', threshold: 3, forMinutes: 0, zoneId: keys.zone },
        webhookUrl: 'https://hooks.example.com/tally',
      });
    }
    say(`seeded: site, camera, line, zone, users${opts.history === false ? '' : ', a month of counts'}`);
    return {
      url,
      siteId: site.id,
      siteName: site.name,
      timezone,
      deviceId: provisioned.deviceId,
      cameraKey: keys.camera,
      lineKey: keys.line,
      zoneKey: keys.zone,
      owner,
      manager,
      viewer,
      sim,
      api: (account, method, path, body) => api(account, method, path, body),
      logFile,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

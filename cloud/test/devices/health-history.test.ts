import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraHealth, Device, DeviceStateChange, Heartbeat } from '@tally/proto';
import { validMessages } from '@tally/proto/fixtures';
import { cameraStateChanges } from '../../src/devices/state-changes';
import { recordHeartbeat, recordStatus } from '../../src/ingest/records';
import { buildTestApp, type TestApp } from '../app/build';
import { signedIn } from '../app/seed';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

const MIN = 60_000;

/**
 * Device and camera health through the API: per camera state, fps, drops, detector latency and backlog from the
 * heartbeats; a history of state changes; and a status that turns offline when a box stops talking for any reason
 * (regression: a box locked out by a credential rotation never says "offline" and stayed "online").
 */
describe.each(DATABASES)('device health and history on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let t: TestApp;
  let deviceId: string;
  let info: { deviceId: string; orgId: string; siteId: string; timezone: string };
  let headers: { authorization: string };
  const t0 = Date.now() - 60 * MIN;

  const camera = (cameraId: string, state: CameraHealth['state'], extra: Partial<CameraHealth> = {}) => ({
    ...validMessages.heartbeat.cameras[0]!,
    cameraId,
    state,
    ...extra,
  });
  const heartbeat = (ts: number, cameras: CameraHealth[], backlog = 0): Heartbeat => ({
    ...validMessages.heartbeat,
    deviceId,
    ts,
    outbox: { ...validMessages.heartbeat.outbox, backlog },
    cameras,
  });

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    const site = await seedSite(db, 'Europe/Berlin');
    deviceId = await seedDevice(db, site);
    info = { deviceId, orgId: site.orgId, siteId: site.siteId, timezone: 'Europe/Berlin' };
    headers = (await signedIn(t.app, db.db, site.orgId, 'site_manager', [site.siteId])).headers;
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  const get = async <T>(url: string) => {
    const res = await t.app.inject({ url, headers });
    expect(res.statusCode).toBe(200);
    return res.json() as T;
  };

  it('records each change of the device and of its cameras, and nothing for a repeat', async () => {
    await recordStatus(db, { v: 1, deviceId, state: 'online', ts: t0 });
    await recordHeartbeat(
      db,
      info,
      heartbeat(t0 + MIN, [camera('cam-1', 'live'), camera('cam-2', 'connecting')]),
    );
    await recordHeartbeat(
      db,
      info,
      heartbeat(t0 + 2 * MIN, [camera('cam-1', 'live'), camera('cam-2', 'connecting')]),
    );
    await recordHeartbeat(
      db,
      info,
      heartbeat(
        t0 + 3 * MIN,
        [
          camera('cam-1', 'stalled', { reason: 'no frame for 10 s', fps: 0, framesDropped: 17 }),
          camera('cam-2', 'connecting'),
        ],
        412,
      ),
    );
    await recordStatus(db, { v: 1, deviceId, state: 'offline', ts: t0 + 4 * MIN });
    await recordStatus(db, { v: 1, deviceId, state: 'offline', ts: t0 + 5 * MIN });
    const history = await get<DeviceStateChange[]>(`/api/devices/${deviceId}/history`);
    const at = (ms: number) => new Date(ms).toISOString();
    expect(history).toEqual([
      { cameraId: '', state: 'offline', reason: null, at: at(t0 + 4 * MIN) },
      { cameraId: 'cam-1', state: 'stalled', reason: 'no frame for 10 s', at: at(t0 + 3 * MIN) },
      { cameraId: 'cam-2', state: 'connecting', reason: null, at: at(t0 + MIN) },
      { cameraId: 'cam-1', state: 'live', reason: null, at: at(t0 + MIN) },
      { cameraId: '', state: 'online', reason: null, at: at(t0) },
    ]);
    const cam1 = await get<DeviceStateChange[]>(`/api/devices/${deviceId}/history?cameraId=cam-1`);
    expect(cam1.map((c) => c.state)).toEqual(['stalled', 'live']);
  });

  it('shows per camera state, fps, drops and detector latency, and the backlog, from the latest heartbeat', async () => {
    const device = await get<Device>(`/api/devices/${deviceId}`);
    expect(device).toMatchObject({ status: 'offline', statusReason: 'disconnected' });
    expect(device.health).toMatchObject({
      heartbeatAt: new Date(t0 + 3 * MIN).toISOString(),
      agentVersion: validMessages.heartbeat.versions.agent,
      backlog: 412,
    });
    expect(device.health!.cameras[0]).toEqual({
      cameraId: 'cam-1',
      state: 'stalled',
      reason: 'no frame for 10 s',
      fps: 0,
      framesProcessed: validMessages.heartbeat.cameras[0]!.framesProcessed,
      framesDropped: 17,
      detectorLatencyMs: validMessages.heartbeat.cameras[0]!.detectorLatencyMs,
      lastFrameAt: new Date(validMessages.heartbeat.cameras[0]!.lastFrameAt!).toISOString(),
    });
    const [listed] = await get<Device[]>(`/api/devices?siteId=${info.siteId}`);
    expect(listed!.health!.backlog).toBe(412);
  });

  it('turns a device that stopped talking offline though its last status said online', async () => {
    await recordStatus(db, { v: 1, deviceId, state: 'online', ts: Date.now() - 10 * MIN });
    expect((await get<Device>(`/api/devices/${deviceId}`)).status).toBe('online');
    // Locked out (e.g. refused after a credential rotation): no last will, no heartbeat for 10 minutes.
    await db.query(`UPDATE devices SET last_seen_at = now() - interval '10 minutes' WHERE id = $1`, [
      deviceId,
    ]);
    const device = await get<Device>(`/api/devices/${deviceId}`);
    expect(device).toMatchObject({ status: 'offline', statusReason: 'silent' });
    expect(Date.parse(device.statusSince!)).toBe(Date.parse(device.lastSeenAt!));
  });
});

describe('camera state changes (pure)', () => {
  const cam = (cameraId: string, state: CameraHealth['state']) =>
    ({ ...validMessages.heartbeat.cameras[0]!, cameraId, state }) as CameraHealth;
  it('reports new cameras and changed states only', () => {
    expect(cameraStateChanges(null, [cam('a', 'live')])).toEqual([
      { cameraId: 'a', state: 'live', reason: null },
    ]);
    expect(cameraStateChanges([cam('a', 'live')], [cam('a', 'live')])).toEqual([]);
    expect(cameraStateChanges([cam('a', 'live'), cam('b', 'live')], [cam('a', 'failed')])).toEqual([
      { cameraId: 'a', state: 'failed', reason: null },
    ]);
  });
});

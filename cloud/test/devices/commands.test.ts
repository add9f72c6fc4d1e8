import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TIMEOUT_MS, SCHEMA_VERSION, decodeMessage, parseTopic } from '@tally/proto';
import { recordCommandResult } from '../../src/ingest/records';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { createCamera, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

type Headers = { authorization: string };

/**
 * Commands to a device on real PostgreSQL: what goes out on MQTT is checked against the contract (the device's own
 * decoder), and the device's answer is stored by ingest's own function, as the consumer does off `commands/result`.
 */
describe('device commands', () => {
  let database: TestDatabase;
  let t: TestApp;
  let installer: Headers;
  let viewer: Headers;
  let manager: Headers;
  let elsewhere: Headers;
  let deviceId: string;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    const admin = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    const siteId = await createSite(t.app, admin);
    const otherSite = await createSite(t.app, admin, 'Depot');
    installer = (await signedIn(t.app, database.db, orgId, 'installer', [siteId])).headers;
    manager = (await signedIn(t.app, database.db, orgId, 'site_manager', [siteId])).headers;
    viewer = (await signedIn(t.app, database.db, orgId, 'viewer', [siteId])).headers;
    elsewhere = (await signedIn(t.app, database.db, orgId, 'installer', [otherSite])).headers;
    deviceId = (await provisionDevice(t.app, admin, siteId)).deviceId;
    await createCamera(t.app, admin, deviceId, 'cam-entrance');
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const send = (headers: Headers, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/devices/${deviceId}/commands`, headers, payload });
  const read = (headers: Headers, commandId: string) =>
    t.app.inject({ method: 'GET', url: `/api/devices/${deviceId}/commands/${commandId}`, headers });
  const lastCommand = () => {
    const sent = t.published.filter((p) => parseTopic(p.topic)?.channel === 'commands').at(-1)!;
    return { sent, decoded: decodeMessage('commands', sent.payload, deviceId) };
  };

  it('sends a snapshot command the device can decode, pending until the device answers, then succeeded', async () => {
    const res = await send(installer, { type: 'snapshot', cameraId: 'cam-entrance' });
    expect(res.statusCode).toBe(202);
    const { commandId, status, timeoutAt, issuedAt } = res.json();
    expect(status).toBe('pending');
    expect(Date.parse(timeoutAt) - Date.parse(issuedAt)).toBe(COMMAND_TIMEOUT_MS);

    const { sent, decoded } = lastCommand();
    expect(sent.retain).toBe(false);
    expect(parseTopic(sent.topic)).toEqual({ deviceId, channel: 'commands' });
    expect(decoded.ok && decoded.value).toMatchObject({
      id: commandId,
      type: 'snapshot',
      cameraId: 'cam-entrance',
    });

    expect((await read(installer, commandId)).json().status).toBe('pending');
    await recordCommandResult(database, {
      v: SCHEMA_VERSION,
      deviceId,
      commandId,
      type: 'snapshot',
      ok: true,
      snapshotUrl: `/api/devices/${deviceId}/cameras/cam-entrance/snapshot`,
      ts: Date.now(),
    });
    const done = (await read(viewer, commandId)).json();
    expect(done).toMatchObject({ status: 'succeeded', error: null, cameraId: 'cam-entrance' });
    expect(done.answeredAt).not.toBeNull();
  });

  it("reports a failed command with the device's own message", async () => {
    const commandId = (await send(manager, { type: 'restart_camera', cameraId: 'cam-entrance' })).json()
      .commandId;
    await recordCommandResult(database, {
      v: SCHEMA_VERSION,
      deviceId,
      commandId,
      type: 'restart_camera',
      ok: false,
      error: 'no running camera cam-entrance',
      ts: Date.now(),
    });
    expect((await read(installer, commandId)).json()).toMatchObject({
      status: 'failed',
      error: 'no running camera cam-entrance',
    });
  });

  it('reports timed_out once the device has not answered in time', async () => {
    const res = await send(installer, { type: 'resync', fromSeq: 5 });
    expect(res.statusCode).toBe(202);
    const { commandId } = res.json();
    expect(lastCommand().decoded.ok && lastCommand().decoded).toMatchObject({ value: { fromSeq: 5 } });
    await database.query(
      `UPDATE device_commands SET timeout_at = now() - interval '1 second' WHERE id = $1`,
      [commandId],
    );
    expect((await read(installer, commandId)).json().status).toBe('timed_out');
  });

  it('refuses viewers (403), other sites (404), unknown cameras and bad bodies (400), unknown commands (404)', async () => {
    expect((await send(viewer, { type: 'snapshot', cameraId: 'cam-entrance' })).statusCode).toBe(403);
    expect((await send(elsewhere, { type: 'snapshot', cameraId: 'cam-entrance' })).statusCode).toBe(404);
    const unknown = await send(installer, { type: 'snapshot', cameraId: 'cam-nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('cam-nope');
    expect((await send(installer, { type: 'snapshot' })).statusCode).toBe(400);
    expect((await send(installer, { type: 'reboot', cameraId: 'cam-entrance' })).statusCode).toBe(400);
    expect((await read(installer, 'no-such-command')).statusCode).toBe(404);
  });

  it('audits every command sent', async () => {
    const rows = await database.query<{ action: string; details: { commandId: string } }>(
      `SELECT action, details FROM audit_log WHERE target_id = $1 AND action LIKE 'device.command.%' ORDER BY id`,
      [deviceId],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'device.command.snapshot',
      'device.command.restart_camera',
      'device.command.resync',
    ]);
    expect(rows.every((r) => typeof r.details.commandId === 'string')).toBe(true);
  });
});

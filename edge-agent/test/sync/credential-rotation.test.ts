import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { verifyDeviceCredentials } from '../../../cloud/src/auth/device-credentials';
import { Agent } from '../../src/agent';
import { parseSettings } from '../../src/config/load-settings';
import { provision } from '../../src/provision/provision';
import type { CountEventDraft } from '../../src/vision/types';
import { startRealCloud, type RealCloud } from '../helpers/real-cloud';
import { syntheticRunners } from '../helpers/synthetic-runner';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('rotation-test', 'silent');

function crossings(from: number, n: number): CountEventDraft[] {
  const ts = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    cameraId: 'cam-entrance',
    ruleId: 'door-line',
    kind: 'line_cross' as const,
    direction: 'in' as const,
    objectClass: 'person',
    trackId: from + i,
    ts,
    confidence: 0.8,
  }));
}

/**
 * Issue 9 item 9: `POST /api/devices/:id/credentials` while the box counts. The real cloud (embedded broker with
 * device auth, ingest, analytics API) and the real agent (store, outbox, MQTT link); counts are written straight
 * into the agent's store writer (no camera needed to count).
 */
describe('credential rotation (real cloud, embedded broker)', () => {
  let cloud: RealCloud;
  let agent: Agent;
  const t = tempDir('rotation');
  const dataDir = join(t.dir, 'data');

  beforeAll(async () => {
    cloud = await startRealCloud();
  });
  afterAll(async () => {
    await agent?.stop();
    await cloud?.stop();
    t.remove();
  });

  it('hands the new password over the current session: the box switches, never stops syncing, every count arrives', async () => {
    const started = Date.now();
    const { identity } = await provision({
      cloudUrl: cloud.url,
      code: await cloud.claim(),
      name: 'Gate',
      dataDir,
      log,
    });
    const deviceId = identity.deviceId;
    await cloud.setUpCamera(deviceId);
    const settings = parseSettings(
      {
        dataDir,
        mqtt: { reconnectPeriodMs: 200 },
        sync: { cycleMs: 20, bucketIntervalS: 0.2, heartbeatIntervalS: 5 },
        health: { port: 0 },
      },
      t.dir,
    );
    agent = new Agent({ settings, runnerFactory: syntheticRunners().factory, log });
    await agent.start();
    await waitFor(() => agent.link?.connected, 'connected', 60_000);

    // Count all along: two events every 20 ms, before, during and after the rotation.
    let counted = 0;
    const counting = setInterval(() => {
      agent.writer.events(crossings(counted, 2));
      counted += 2;
    }, 20);
    try {
      await waitFor(() => agent.store.events.syncState().ackedSeq >= 20, 'counts acknowledged', 60_000);
      const res = await cloud.app.inject({
        method: 'POST',
        url: `/api/devices/${deviceId}/credentials`,
        headers: cloud.admin,
      });
      expect(res.statusCode).toBe(200);
      const rotated = res.json() as {
        mqtt: { password: string };
        handedOver: boolean;
        previousValidUntil: string;
      };
      expect(rotated.handedOver).toBe(true);
      expect(Date.parse(rotated.previousValidUntil)).toBeGreaterThan(Date.now());

      await waitFor(
        () => agent.store.identity.get()?.mqttPassword === rotated.mqtt.password,
        'the box stored the new password',
        60_000,
      );
      // Once the box connects with the new password the old one is refused (the overlap ends early).
      await waitFor(
        async () =>
          (await verifyDeviceCredentials(cloud.server.ctx.database.db, deviceId, identity.mqttPassword)) ===
          null,
        'the old password retired',
        60_000,
      );
      expect(
        await verifyDeviceCredentials(cloud.server.ctx.database.db, deviceId, rotated.mqtt.password),
      ).not.toBeNull();
      const atSwitch = counted;
      await waitFor(
        () => agent.link?.connected && agent.store.events.syncState().ackedSeq >= atSwitch + 20,
        'counts after the switch acknowledged',
        60_000,
      );
    } finally {
      clearInterval(counting);
    }
    await waitFor(
      () => agent.store.events.backlog() === 0 && agent.store.events.dueBuckets(10).length === 0,
      'everything sent and acknowledged',
      60_000,
    );
    expect(agent.store.events.lastSeq()).toBe(counted);
    await waitFor(
      async () => (await cloud.siteTotal(started - 3_600_000, Date.now() + 3_600_000)) === counted,
      `the cloud counting all ${counted} events`,
      60_000,
    );
    expect(agent.link!.refusals).toBe(0);
    expect(agent.assessHealth()).toMatchObject({ ok: true, reasons: [] });
  }, 300_000);

  it('a box cut off by a rotation without overlap (a leaked password) shows offline in the cloud and reports the refusal', async () => {
    const deviceId = agent.deviceId;
    const status = async () =>
      (
        (await cloud.app.inject({ url: `/api/devices/${deviceId}`, headers: cloud.admin })).json() as {
          status: string | null;
        }
      ).status;
    await waitFor(async () => (await status()) === 'online', 'online in the cloud', 30_000);
    const res = await cloud.app.inject({
      method: 'POST',
      url: `/api/devices/${deviceId}/credentials?overlapS=0`,
      headers: cloud.admin,
    });
    expect(res.json()).toMatchObject({ handedOver: false, previousValidUntil: null });
    // Its last will (stamped when it connected, like its `online`) tells the cloud it is gone.
    await waitFor(async () => (await status()) === 'offline', 'offline in the cloud', 30_000);
    await waitFor(() => agent.link?.refusal, 'the box sees the refusal', 30_000);
    const health = agent.assessHealth();
    expect(health.ok).toBe(false);
    expect(health.reasons.join('\n')).toMatch(/broker refuses this box/);
  }, 180_000);
});

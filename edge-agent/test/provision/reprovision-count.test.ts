import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { parseSettings } from '../../src/config/load-settings';
import { provision } from '../../src/provision/provision';
import type { CountEventDraft } from '../../src/vision/types';
import { startRealCloud, type RealCloud } from '../helpers/real-cloud';
import { syntheticRunners } from '../helpers/synthetic-runner';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('reprovision-test', 'silent');
/** Every count of this test falls in one minute, so the minute totals of both identities share a key. */
const MINUTE = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000;

function crossings(from: number, n: number): CountEventDraft[] {
  return Array.from({ length: n }, (_, i) => ({
    cameraId: 'cam-entrance',
    ruleId: 'door-line',
    kind: 'line_cross' as const,
    direction: 'in' as const,
    objectClass: 'person',
    trackId: from + i,
    ts: MINUTE + (from + i) * 100,
    confidence: 0.8,
  }));
}

/**
 * Issue 9 item 8: a box provisioned again into the same data folder must not count twice. The real cloud (ingest,
 * rollups, analytics API) and the real agent (store, outbox, MQTT link); camera stand-ins only, since the counts
 * are written straight into the agent's store writer.
 */
describe('re-provisioning into the same data folder (real cloud ingest)', () => {
  let cloud: RealCloud;
  const t = tempDir('reprovision');
  const dataDir = join(t.dir, 'data');

  beforeAll(async () => {
    cloud = await startRealCloud();
  });
  afterAll(async () => {
    await cloud?.stop();
    t.remove();
  });

  async function runAgent(counts: CountEventDraft[]): Promise<string> {
    const settings = parseSettings(
      {
        dataDir,
        mqtt: { reconnectPeriodMs: 200 },
        sync: { cycleMs: 20, bucketIntervalS: 0.2, heartbeatIntervalS: 5 },
        health: { enabled: false },
      },
      t.dir,
    );
    const agent = new Agent({ settings, runnerFactory: syntheticRunners().factory, log });
    await agent.start();
    try {
      agent.writer.events(counts);
      // Synced: every event acknowledged and every minute total taken by the broker.
      await waitFor(
        () => agent.store.events.backlog() === 0 && agent.store.events.dueBuckets(10).length === 0,
        'everything sent and acknowledged',
        60_000,
      );
      return agent.deviceId;
    } finally {
      await agent.stop();
    }
  }

  const deviceBucketTotal = async (deviceId: string) =>
    Number(
      (
        await cloud.server.ctx.database.query<{ n: string }>(
          'SELECT coalesce(sum(count), 0) AS n FROM device_buckets WHERE device_id = $1',
          [deviceId],
        )
      )[0]!.n,
    );

  it("sends only what was counted after the switch: the site's total equals what the box counted", async () => {
    const first = await provision({
      cloudUrl: cloud.url,
      code: await cloud.claim(),
      name: 'Gate',
      dataDir,
      log,
    });
    await cloud.setUpCamera(first.identity.deviceId);
    const oldId = await runAgent(crossings(0, 30));
    await waitFor(async () => (await deviceBucketTotal(oldId)) === 30, 'the old identity synced', 60_000);

    // Provisioned again (e.g. after a credential problem), into the same folder.
    const second = await provision({
      cloudUrl: cloud.url,
      code: await cloud.claim(),
      name: 'Gate',
      dataDir,
      log,
    });
    expect(second.replaced).toBe(oldId);
    const newId = second.identity.deviceId;
    await cloud.setUpCamera(newId);
    await runAgent(crossings(30, 20));
    await waitFor(async () => (await deviceBucketTotal(newId)) > 0, 'the new identity synced', 60_000);

    // The box counted 30 + 20 = 50; the new identity's minute total holds only its own 20.
    expect(await deviceBucketTotal(newId)).toBe(20);
    expect(await cloud.siteTotal(MINUTE - 3_600_000, MINUTE + 3_600_000)).toBe(50);
  });
});

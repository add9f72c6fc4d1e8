import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceStateChange } from '@tally/proto';
import { silenceTransitions } from '../../src/devices/silence';
import { watchSilence } from '../../src/devices/silence-watch';
import { recordStatus } from '../../src/ingest/records';
import { CloudBus, type BusEvents } from '../../src/live/bus';
import { listStateChanges } from '../../src/db/queries/device-health';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

const MIN = 60_000;

/**
 * A box that stops talking without saying so (locked out by a credential rotation, cut off without a last will)
 * goes offline in its history and on the live socket, and comes back online when it talks again.
 */
describe.each(DATABASES)('silence watch on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let site: { orgId: string; siteId: string };
  let deviceId: string;
  const bus = new CloudBus();
  const pushed: BusEvents['deviceStatus'][] = [];
  beforeAll(async () => {
    db = await fresh();
    site = await seedSite(db, 'UTC');
    deviceId = await seedDevice(db, site);
    bus.on('deviceStatus', (e) => pushed.push(e));
  });
  afterAll(() => db?.destroy());

  const history = (): Promise<DeviceStateChange[]> =>
    listStateChanges(db, site.orgId, deviceId, { cameraId: '' });

  it('marks a silent device offline once, at its last message, and back online when it talks', async () => {
    const now = Date.now();
    await recordStatus(db, { v: 1, deviceId, state: 'online', ts: now - 20 * MIN });
    await db.query(`UPDATE devices SET last_seen_at = to_timestamp($2 / 1000.0) WHERE id = $1`, [
      deviceId,
      now - 10 * MIN,
    ]);
    expect(await watchSilence(db, bus, now)).toHaveLength(1);
    expect(await watchSilence(db, bus, now + MIN)).toHaveLength(0);
    expect((await history()).map((h) => [h.state, h.reason, Date.parse(h.at)])).toEqual([
      ['offline', 'silent', now - 10 * MIN],
      ['online', null, now - 20 * MIN],
    ]);
    expect(pushed).toEqual([
      { siteId: site.siteId, orgId: site.orgId, deviceId, state: 'offline', ts: now - 10 * MIN },
    ]);

    // It talks again (a heartbeat updates last_seen_at).
    await db.query(`UPDATE devices SET last_seen_at = to_timestamp($2 / 1000.0) WHERE id = $1`, [
      deviceId,
      now + MIN,
    ]);
    expect(await watchSilence(db, bus, now + 2 * MIN)).toEqual([
      { deviceId, state: 'online', reason: 'resumed', at: now + MIN },
    ]);
    expect(pushed.at(-1)).toMatchObject({ state: 'online' });
  });
});

describe('silence transitions (pure)', () => {
  const now = 1_000_000_000;
  const base = { deviceId: 'd', status: 'online', statusAt: now - 60 * MIN, lastReason: null };
  it('leaves a device that said offline, or is talking, alone', () => {
    expect(
      silenceTransitions(
        [
          { ...base, status: 'offline', lastSeenAt: now - 60 * MIN, lastState: 'offline' },
          { ...base, lastSeenAt: now - 30_000, lastState: 'online' },
        ],
        now,
      ),
    ).toEqual([]);
  });
});

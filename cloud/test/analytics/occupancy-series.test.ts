import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occupancyAbove } from '../../src/alerts/observations';
import { deviceLiveness } from '../../src/devices/liveness';
import { occupancyReport } from '../../src/db/queries/analytics';
import { recordOccupancy, recordStatus } from '../../src/ingest/records';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

/** 1 May 2026 in Berlin (CEST, UTC+2). */
const at = (hhmmss: string) => Date.parse(`2026-05-01T${hhmmss}+02:00`);

/**
 * Occupancy over time (mean, max, last per bucket) and staleness: an offline or silent box's last occupancy is
 * reported with its age and left out of "now". Hand-made samples; expected values counted by hand.
 */
describe.each(DATABASES)('occupancy series and staleness on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let info: { deviceId: string; orgId: string; siteId: string; timezone: string };
  const ref = () => ({ siteId: info.siteId, timezone: 'Europe/Berlin' });

  beforeAll(async () => {
    db = await fresh();
    const site = await seedSite(db, 'Europe/Berlin');
    const deviceId = await seedDevice(db, site);
    info = { deviceId, orgId: site.orgId, siteId: site.siteId, timezone: 'Europe/Berlin' };
    const s = (zoneId: string, hhmmss: string, counts: Record<string, number>) => ({
      cameraId: 'cam-1',
      zoneId,
      ts: at(hhmmss),
      counts,
    });
    await recordOccupancy(db, info, {
      v: 1,
      deviceId,
      sentAt: at('10:41:00'),
      samples: [
        s('queue', '10:00:00', { person: 2 }),
        s('queue', '10:05:00', { person: 4 }),
        s('queue', '10:20:00', { person: 6, bicycle: 1 }),
        s('queue', '10:40:00', { person: 5 }),
        s('door', '10:10:00', { person: 3 }),
      ],
    });
    await recordStatus(db, { v: 1, deviceId, state: 'online', ts: at('09:00:00') });
  });
  afterAll(() => db?.destroy());

  it('gives mean, max and last per 15 minutes, null where no sample came', async () => {
    const r = await occupancyReport(db, ref(), at('10:00:00'), at('11:00:00'), {
      bucket: '15m',
      now: at('10:41:30'),
    });
    const queue = r.zones.find((z) => z.zoneId === 'queue')!;
    expect(queue.series!.map((p) => [p.start, p.mean, p.max, p.last, p.samples])).toEqual([
      ['2026-05-01T10:00:00+02:00', 3, 4, 4, 2],
      ['2026-05-01T10:15:00+02:00', 7, 7, 7, 1],
      ['2026-05-01T10:30:00+02:00', 5, 5, 5, 1],
      ['2026-05-01T10:45:00+02:00', null, null, null, 0],
    ]);
    const door = r.zones.find((z) => z.zoneId === 'door')!;
    expect(door.series!.map((p) => p.last)).toEqual([3, null, null, null]);
  });

  it('reports a zone without a recent sample as stale with its age, and leaves it out of now', async () => {
    const r = await occupancyReport(db, ref(), at('10:00:00'), at('11:00:00'), { now: at('10:41:30') });
    const byZone = Object.fromEntries(r.zones.map((z) => [z.zoneId, z]));
    expect(byZone.queue).toMatchObject({ now: 5, stale: false, ageMs: 90_000 });
    expect(byZone.door).toMatchObject({ now: 3, stale: true, ageMs: 31 * 60_000 + 30_000 });
    expect(r.now).toBe(5);
  });

  it('reports every zone of an offline box as stale', async () => {
    await recordStatus(db, { v: 1, deviceId: info.deviceId, state: 'offline', ts: at('10:41:00') });
    const r = await occupancyReport(db, ref(), at('10:00:00'), at('11:00:00'), { now: at('10:41:30') });
    expect(r.zones.every((z) => z.stale)).toBe(true);
    expect(r.now).toBe(0);
  });
});

describe('occupancy alerts and device liveness (pure)', () => {
  const condition = { kind: 'occupancy_above' as const, threshold: 5, forMinutes: 0, zoneId: 'hall' };

  it('does not hold on a stale value, and says the occupancy is unknown', () => {
    const stale = occupancyAbove([{ zoneId: 'hall', count: 9, stale: true }], condition).get('hall')!;
    expect(stale.holds).toBe(false);
    expect(stale.detail).toMatch(/unknown/);
    expect(occupancyAbove([{ zoneId: 'hall', count: 9, stale: false }], condition).get('hall')!.holds).toBe(
      true,
    );
  });

  it('turns a device offline when it goes silent, even without an offline status', () => {
    const now = at('12:00:00');
    const online = { status: 'online', statusAt: at('08:00:00') };
    expect(deviceLiveness({ ...online, lastSeenAt: now - 30_000 }, now).state).toBe('online');
    expect(deviceLiveness({ ...online, lastSeenAt: now - 121_000 }, now)).toEqual({
      state: 'offline',
      since: now - 121_000,
      reason: 'silent',
    });
    expect(deviceLiveness({ status: 'offline', statusAt: now - 5000, lastSeenAt: now }, now)).toMatchObject({
      state: 'offline',
      reason: 'disconnected',
    });
    expect(deviceLiveness({ status: null, statusAt: null, lastSeenAt: null }, now).reason).toBe('never_seen');
  });
});

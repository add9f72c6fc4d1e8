import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occupancyReport } from '../../src/db/queries/analytics';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

/**
 * Regression (issue 9, item 14): the occupancy report ignored its `to` bound for "now": asking for yesterday
 * returned today's latest sample. Within [from, to), "now" is the latest sample before `to`.
 */
describe.each(DATABASES)('occupancy report on $kind', ({ fresh }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await fresh();
  });
  afterAll(async () => db?.destroy());

  it('reports the latest sample before `to`, not a later one', async () => {
    const site = await seedSite(db, 'UTC');
    const deviceId = await seedDevice(db, site);
    const at = (iso: string, count: number) =>
      db.query(
        `INSERT INTO occupancy_samples (site_id, device_id, camera_id, zone_id, object_class, ts, count)
         VALUES ($1, $2, 'cam-1', 'queue', 'person', $3, $4)`,
        [site.siteId, deviceId, iso, count],
      );
    await at('2026-05-01T10:00:00Z', 4);
    await at('2026-05-01T11:00:00Z', 6);
    await at('2026-05-02T09:00:00Z', 9); // after `to`
    const report = await occupancyReport(
      db,
      { siteId: site.siteId, timezone: 'UTC' },
      Date.parse('2026-05-01T00:00:00Z'),
      Date.parse('2026-05-02T00:00:00Z'),
    );
    expect(report.now).toBe(6);
    expect(report.zones).toEqual([
      expect.objectContaining({
        zoneId: 'queue',
        now: 6,
        nowAt: '2026-05-01T11:00:00+00:00',
        peak: 6,
        peakAt: '2026-05-01T11:00:00+00:00',
      }),
    ]);
  });
});

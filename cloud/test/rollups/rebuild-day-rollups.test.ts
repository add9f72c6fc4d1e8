import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountEvent } from '@tally/proto';
import { countsReport } from '../../src/db/queries/analytics';
import { eventColumns, INSERT_EVENTS_SQL } from '../../src/ingest/event-statement';
import { rebuildDayRollups } from '../../src/rollups/rebuild-day-rollups';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

/** A site moved to another timezone: its local days are recomputed from the minute rollup. */
describe.each(DATABASES)('rebuilding day rollups on $kind', ({ fresh }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await fresh();
  });
  afterAll(() => db?.destroy());

  it('moves counts to the local dates of the new timezone', async () => {
    const site = await seedSite(db, 'UTC');
    const deviceId = await seedDevice(db, site);
    // 22:30 UTC on 1 June: 1 June in UTC, 2 June in Tokyo (+09:00).
    const ts = Date.parse('2026-06-01T22:30:00Z');
    const events: CountEvent[] = [1, 2, 3].map((seq) => ({
      deviceId,
      seq,
      cameraId: 'cam-1',
      ruleId: 'door',
      kind: 'line_cross',
      direction: 'in',
      objectClass: 'person',
      trackId: seq,
      ts,
      confidence: 0.9,
    }));
    await db.query(
      INSERT_EVENTS_SQL,
      eventColumns([{ device: { deviceId, ...site, timezone: 'UTC' }, events }]),
    );
    const days = async () =>
      db.query<{ day: string; count: string }>(
        `SELECT day::text AS day, count FROM rollup_day WHERE site_id = $1`,
        [site.siteId],
      );
    expect((await days()).map((d) => [d.day, Number(d.count)])).toEqual([['2026-06-01', 3]]);

    await db.query(`UPDATE sites SET timezone = 'Asia/Tokyo' WHERE id = $1`, [site.siteId]);
    expect(await rebuildDayRollups(db, site.siteId)).toBe(1);
    expect((await days()).map((d) => [d.day, Number(d.count)])).toEqual([['2026-06-02', 3]]);
    const report = await countsReport(
      db,
      { siteId: site.siteId, timezone: 'Asia/Tokyo' },
      {
        from: '2026-06-02T00:00:00+09:00',
        to: '2026-06-03T00:00:00+09:00',
        bucket: 'day',
      },
    );
    expect(report.series[0]!.points).toMatchObject([{ start: '2026-06-02T00:00:00+09:00', total: 3 }]);
  });
});

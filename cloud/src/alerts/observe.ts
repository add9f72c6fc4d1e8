import type { AlertCondition, CameraHealth } from '@tally/proto';
import type { Database } from '../db/client';
import type { Observation } from './condition-tracker';
import { occupancyFreshness } from '../analytics/occupancy-freshness';
import { deviceLiveness, wentQuiet } from '../devices/liveness';
import { cameraStalled, countThreshold, deviceOffline, occupancyAbove } from './observations';

type Query = Pick<Database, 'query'>;

/** Reads what a rule's condition looks at, for one site, and returns its observations per subject. */
export async function observe(
  db: Query,
  siteId: string,
  condition: AlertCondition,
  now: number,
): Promise<Map<string, Observation>> {
  const forMs = (condition.forMinutes ?? 0) * 60_000;
  switch (condition.kind) {
    case 'device_offline': {
      const rows = await db.query<{
        id: string;
        status: string | null;
        status_at: number | null;
        seen: number | null;
      }>(
        `SELECT id, status, (extract(epoch FROM status_at) * 1000)::float8 AS status_at,
                (extract(epoch FROM last_seen_at) * 1000)::float8 AS seen
           FROM devices WHERE site_id = $1 AND revoked_at IS NULL`,
        [siteId],
      );
      return deviceOffline(
        rows.map((r) => ({ deviceId: r.id, status: r.status, statusAt: r.status_at, lastSeenAt: r.seen })),
        now,
        forMs,
      );
    }
    case 'camera_stalled': {
      const rows = await db.query<{ device_id: string; heartbeat: { ts: number; cameras: CameraHealth[] } }>(
        `SELECT h.device_id, h.heartbeat FROM device_health h JOIN devices d ON d.id = h.device_id
          WHERE h.site_id = $1 AND d.site_id = $1 AND d.revoked_at IS NULL`,
        [siteId],
      );
      return cameraStalled(
        rows.map((r) => ({ deviceId: r.device_id, ts: r.heartbeat.ts, cameras: r.heartbeat.cameras })),
      );
    }
    case 'occupancy_above': {
      const rows = await db.query<{
        zone_id: string;
        n: string;
        ts_ms: number;
        status: string | null;
        status_at: number | null;
        seen: number | null;
      }>(
        `WITH last AS (
           SELECT DISTINCT ON (device_id, camera_id, zone_id) device_id, camera_id, zone_id, ts
             FROM occupancy_samples WHERE site_id = $1 ORDER BY device_id, camera_id, zone_id, ts DESC)
         SELECT o.zone_id, sum(o.count) AS n, (extract(epoch FROM o.ts) * 1000)::float8 AS ts_ms, d.status,
                (extract(epoch FROM d.status_at) * 1000)::float8 AS status_at,
                (extract(epoch FROM d.last_seen_at) * 1000)::float8 AS seen
           FROM occupancy_samples o JOIN last l USING (device_id, camera_id, zone_id, ts)
           LEFT JOIN devices d ON d.id = o.device_id
          WHERE o.site_id = $1
          GROUP BY o.device_id, o.camera_id, o.zone_id, o.ts, d.status, d.status_at, d.last_seen_at`,
        [siteId],
      );
      return occupancyAbove(
        rows.map((r) => {
          const device = deviceLiveness(
            { status: r.status, statusAt: r.status_at, lastSeenAt: r.seen === null ? null : Number(r.seen) },
            now,
          );
          const { stale } = occupancyFreshness(Number(r.ts_ms), !wentQuiet(device), now);
          return { zoneId: r.zone_id, count: Number(r.n), stale };
        }),
        condition,
      );
    }
    case 'count_above':
    case 'count_below': {
      const values: unknown[] = [siteId, now - condition.periodMinutes * 60_000];
      let where = `site_id = $1 AND bucket >= to_timestamp($2 / 1000.0)`;
      if (condition.ruleId) {
        values.push(condition.ruleId);
        where += ` AND rule_id = $${values.length}`;
      }
      if (condition.direction) {
        values.push(condition.direction);
        where += ` AND direction = $${values.length}`;
      }
      const [row] = await db.query<{ n: string | null }>(
        `SELECT sum(count) AS n FROM rollup_minute WHERE ${where}`,
        values,
      );
      return countThreshold(Number(row?.n ?? 0), condition);
    }
  }
}

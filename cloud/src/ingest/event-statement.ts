import type { CountEvent } from '@tally/proto';
import type { DeviceInfo } from './device-directory';

/**
 * The one statement that stores count events and their rollups, atomically: a batched multi-row
 * `INSERT … ON CONFLICT (device_id, seq) DO NOTHING RETURNING`, whose returned rows (only those actually
 * inserted) feed the minute, hour and day rollup upserts in the same statement. A replayed event is not returned,
 * so it adds nothing anywhere; a late event lands in the buckets of its own timestamp.
 *
 * Rows travel as one array per column (`unnest`), so a batch of 5,000 events is 13 parameters, not 65,000.
 * Minute and hour buckets are truncated in UTC (`date_trunc(…, 'UTC')`, independent of the session TimeZone); the
 * day bucket is the event's calendar date in its site's timezone, read from the sites table. Hours and days are
 * summed from the minute groups (`m`), not from every event: a minute start has the same local date as the events
 * in it, because every zone's offset is a whole number of minutes.
 * Rollup rows are upserted in key order so concurrent writers (two cloud instances) lock them in the same order.
 */
export const INSERT_EVENTS_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::int[], $11::bigint[], $12::real[], $13::int[])
    AS t(device_id, seq, org_id, site_id, camera_id, rule_id, kind, direction, object_class, track_id, ts_ms,
         confidence, dwell_ms)
),
ins AS (
  INSERT INTO events (device_id, seq, org_id, site_id, camera_id, rule_id, kind, direction, object_class, track_id,
                      ts, confidence, dwell_ms)
  SELECT device_id, seq, org_id, site_id, camera_id, rule_id, kind, direction, object_class, track_id,
         to_timestamp(ts_ms / 1000.0), confidence, dwell_ms
    FROM input
  ON CONFLICT (device_id, seq) DO NOTHING
  RETURNING site_id, device_id, camera_id, rule_id, kind, direction, object_class, ts
),
m AS (
  SELECT site_id, date_trunc('minute', ts, 'UTC') AS bucket, device_id, camera_id, rule_id, kind, direction,
         object_class, count(*) AS n
    FROM ins GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
),
minute_up AS (
  INSERT INTO rollup_minute AS r (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class, count)
  SELECT site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class, n
    FROM m ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class)
  DO UPDATE SET count = r.count + excluded.count
),
hour_up AS (
  INSERT INTO rollup_hour AS r (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class, count)
  SELECT site_id, date_trunc('hour', bucket, 'UTC'), device_id, camera_id, rule_id, kind, direction, object_class,
         sum(n)
    FROM m GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class)
  DO UPDATE SET count = r.count + excluded.count
),
day_up AS (
  INSERT INTO rollup_day AS r (site_id, day, device_id, camera_id, rule_id, kind, direction, object_class, count)
  SELECT m.site_id, (m.bucket AT TIME ZONE s.timezone)::date, device_id, camera_id, rule_id, kind, direction,
         object_class, sum(n)
    FROM m JOIN sites s ON s.id = m.site_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (site_id, day, device_id, camera_id, rule_id, kind, direction, object_class)
  DO UPDATE SET count = r.count + excluded.count
)
SELECT site_id, device_id, camera_id, rule_id, kind, direction, object_class,
       count(*)::int AS n, (extract(epoch from max(ts)) * 1000)::float8 AS last_ts
  FROM ins GROUP BY 1, 2, 3, 4, 5, 6, 7`;

/** What one statement inserted, per key: the new counts pushed live and to the alert engine. */
export interface InsertedCounts {
  siteId: string;
  deviceId: string;
  cameraId: string;
  ruleId: string;
  kind: string;
  direction: string;
  objectClass: string;
  count: number;
  lastTs: number;
}

export interface InsertedRow {
  site_id: string;
  device_id: string;
  camera_id: string;
  rule_id: string;
  kind: string;
  direction: string;
  object_class: string;
  n: number;
  last_ts: number;
}

export function toInsertedCounts(row: InsertedRow): InsertedCounts {
  return {
    siteId: row.site_id,
    deviceId: row.device_id,
    cameraId: row.camera_id,
    ruleId: row.rule_id,
    kind: row.kind,
    direction: row.direction,
    objectClass: row.object_class,
    count: Number(row.n),
    lastTs: Number(row.last_ts),
  };
}

/** Events from several devices and batches, turned into the statement's 13 column arrays. */
export function eventColumns(
  items: readonly { device: DeviceInfo; events: readonly CountEvent[] }[],
): unknown[] {
  const cols: unknown[][] = Array.from({ length: 13 }, () => []);
  for (const { device, events } of items) {
    for (const e of events) {
      cols[0]!.push(device.deviceId);
      cols[1]!.push(e.seq);
      cols[2]!.push(device.orgId);
      cols[3]!.push(device.siteId);
      cols[4]!.push(e.cameraId);
      cols[5]!.push(e.ruleId);
      cols[6]!.push(e.kind);
      cols[7]!.push(e.direction ?? '');
      cols[8]!.push(e.objectClass);
      cols[9]!.push(e.trackId);
      cols[10]!.push(e.ts);
      cols[11]!.push(e.confidence);
      cols[12]!.push(e.dwellMs ?? null);
    }
  }
  return cols;
}

/**
 * Advances each device's acknowledged seq to the end of its contiguous run of stored events (gaps-and-islands:
 * in a run that starts right after `acked`, `seq - row_number()` equals `acked`). GREATEST keeps it monotonic when
 * two instances race. Returns the ack to publish per device.
 */
export const ADVANCE_ACKS_SQL = `
WITH d AS (
  SELECT x.device_id, coalesce(p.acked_seq, 0) AS acked
    FROM unnest($1::text[]) AS x(device_id) LEFT JOIN ingest_progress p ON p.device_id = x.device_id
),
r AS (
  SELECT e.device_id, e.seq, d.acked, e.seq - row_number() OVER (PARTITION BY e.device_id ORDER BY e.seq) AS g
    FROM events e JOIN d ON e.device_id = d.device_id AND e.seq > d.acked
),
hi AS (
  SELECT d.device_id, coalesce(max(r.seq) FILTER (WHERE r.g = r.acked), d.acked) AS seq
    FROM d LEFT JOIN r ON r.device_id = d.device_id GROUP BY d.device_id, d.acked
)
INSERT INTO ingest_progress AS p (device_id, acked_seq)
SELECT device_id, seq FROM hi ORDER BY device_id
ON CONFLICT (device_id) DO UPDATE SET acked_seq = GREATEST(p.acked_seq, excluded.acked_seq), updated_at = now()
RETURNING device_id, acked_seq`;

import type { CountEvent } from '@tally/proto';
import type { DeviceInfo } from './device-directory';

/**
 * Propagates changes of minute counts (`d`: key, bucket, delta) to the hour and site-local day rollups. Shared by
 * the events statement and the device-buckets statement.
 */
const PROPAGATE_SQL = `
hour_up AS (
  INSERT INTO rollup_hour AS r (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class, count)
  SELECT site_id, date_trunc('hour', bucket, 'UTC'), device_id, camera_id, rule_id, kind, direction, object_class,
         sum(delta)
    FROM d WHERE delta <> 0 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class)
  DO UPDATE SET count = r.count + excluded.count
),
day_up AS (
  INSERT INTO rollup_day AS r (site_id, day, device_id, camera_id, rule_id, kind, direction, object_class, count)
  SELECT d.site_id, (d.bucket AT TIME ZONE s.timezone)::date, device_id, camera_id, rule_id, kind, direction,
         object_class, sum(delta)
    FROM d JOIN sites s ON s.id = d.site_id WHERE delta <> 0
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (site_id, day, device_id, camera_id, rule_id, kind, direction, object_class)
  DO UPDATE SET count = r.count + excluded.count
)`;

const KEY = 'site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class';

/**
 * The one statement that stores count events and their rollups, atomically: a batched multi-row
 * `INSERT … ON CONFLICT (device_id, seq) DO NOTHING RETURNING`, whose returned rows (only those actually
 * inserted) feed the minute, hour and day rollup upserts in the same statement. A replayed event is not returned,
 * so it adds nothing anywhere; a late event lands in the buckets of its own timestamp.
 *
 * Rows travel as one array per column (`unnest`), so a batch of 5,000 events is 13 parameters, not 65,000.
 * Minute and hour buckets are truncated in UTC (`date_trunc(…, 'UTC')`, independent of the session TimeZone); the
 * day bucket is the event's calendar date in its site's timezone, read from the sites table. Hours and days get
 * the change of each minute's count (see rollup_minute: count = max(raw events, the device's bucket total)), summed
 * from minute groups, not from every event: a minute start has the same local date as the events in it, because
 * every zone's offset is a whole number of minutes.
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
  INSERT INTO rollup_minute AS r (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class,
                                  raw_count, count)
  SELECT site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class, n, n
    FROM m ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class)
  DO UPDATE SET raw_count = r.raw_count + excluded.raw_count,
                count = GREATEST(r.raw_count + excluded.raw_count, r.device_count)
  RETURNING site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class, raw_count, device_count,
            count
),
d AS (
  -- How much each minute's count moved: raw events only raise it where they exceed the device's own total.
  SELECT u.site_id, u.bucket, u.device_id, u.camera_id, u.rule_id, u.kind, u.direction, u.object_class,
         u.count - GREATEST(u.raw_count - m.n, u.device_count) AS delta
    FROM minute_up u JOIN m USING (${KEY})
),${PROPAGATE_SQL}
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
 * two instances race. The run starts at the batch's `foldedThrough` ($2, parallel to the device ids) when that is
 * higher: those seqs were folded into minute buckets on the device and will never arrive raw. Quarantined events
 * count as present: they are stored (in `ingest_quarantine`), and holding the ack on them would make the device
 * resend them forever. Returns the ack to publish per device.
 */
export const ADVANCE_ACKS_SQL = `
WITH d AS (
  SELECT x.device_id, GREATEST(coalesce(p.acked_seq, 0), x.folded) AS acked
    FROM unnest($1::text[], $2::bigint[]) AS x(device_id, folded)
    LEFT JOIN ingest_progress p ON p.device_id = x.device_id
),
present AS (
  SELECT e.device_id, e.seq FROM events e JOIN d ON e.device_id = d.device_id AND e.seq > d.acked
  UNION
  SELECT q.device_id, q.seq FROM (
    -- CASE, not WHERE, guards the cast: a quarantined seq may be beyond bigint (that may be why it is there).
    SELECT device_id, CASE WHEN seq ~ '^[0-9]{1,18}$' THEN seq::bigint END AS seq
      FROM ingest_quarantine WHERE channel = 'events' AND device_id = ANY($1::text[])) q
    JOIN d ON q.device_id = d.device_id AND q.seq > d.acked
),
r AS (
  SELECT p.device_id, p.seq, d.acked, p.seq - row_number() OVER (PARTITION BY p.device_id ORDER BY p.seq) AS g
    FROM present p JOIN d ON p.device_id = d.device_id
),
hi AS (
  SELECT d.device_id, coalesce(max(r.seq) FILTER (WHERE r.g = r.acked), d.acked) AS seq
    FROM d LEFT JOIN r ON r.device_id = d.device_id GROUP BY d.device_id, d.acked
)
INSERT INTO ingest_progress AS p (device_id, acked_seq)
SELECT device_id, seq FROM hi ORDER BY device_id
ON CONFLICT (device_id) DO UPDATE SET acked_seq = GREATEST(p.acked_seq, excluded.acked_seq), updated_at = now()
RETURNING device_id, acked_seq`;

/**
 * Device minute totals (the `buckets` channel) into the rollups: each minute's `device_count` becomes the larger of
 * the stored and the received total (a device's total for a minute only grows, so an older copy delivered late —
 * two instances, a resend — never lowers it: order does not matter), its `count` becomes max(raw events, device
 * total), and the change is propagated to
 * hours and days. $1 device, $2 site, then one array per column. The change is the new count minus
 * `counted_before`, which the upsert itself sets from the row it locked: exact even when an events statement
 * (this instance's or another's) committed to the same minute while this one waited for the lock.
 */
export const APPLY_BUCKETS_SQL = `
WITH input AS (
  SELECT DISTINCT ON (camera_id, rule_id, kind, direction, object_class, minute)
         $2::uuid AS site_id, to_timestamp(minute / 1000.0) AS bucket, $1::text AS device_id, camera_id, rule_id, kind,
         direction, object_class, n
    FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
      WITH ORDINALITY AS t(camera_id, rule_id, kind, direction, object_class, minute, n, i)
   ORDER BY camera_id, rule_id, kind, direction, object_class, minute, i DESC
),
up AS (
  INSERT INTO rollup_minute AS r (${KEY}, device_count, count, counted_before)
  SELECT ${KEY}, n, n, 0 FROM input ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (${KEY})
  DO UPDATE SET counted_before = r.count,
                device_count = GREATEST(r.device_count, excluded.device_count),
                count = GREATEST(r.raw_count, r.device_count, excluded.device_count)
  RETURNING ${KEY}, count, counted_before
),
d AS (
  SELECT site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class,
         count - counted_before AS delta
    FROM up
),${PROPAGATE_SQL}
SELECT coalesce(sum(delta), 0)::int AS delta FROM d`;

import type { BucketBatch, CommandResult, Heartbeat, OccupancyBatch, Status } from '@tally/proto';
import type { Database } from '../db/client';
import type { DeviceInfo } from './device-directory';
import { cameraStateChanges } from '../devices/state-changes';
import { APPLY_BUCKETS_SQL } from './event-statement';

/**
 * Writers for the low-rate device→cloud channels. Each is idempotent: a redelivered message leaves the same rows.
 */
type Query = Pick<Database, 'query'>;

/**
 * Online/offline on the devices row; an older status (a late retained copy) never overwrites a newer one. A
 * change of state is added to the device's history.
 */
export async function recordStatus(db: Query, status: Status): Promise<boolean> {
  const rows = await db.query<{ old_status: string | null }>(
    `UPDATE devices d SET status = $2, status_at = to_timestamp($3 / 1000.0),
            last_seen_at = GREATEST(coalesce(d.last_seen_at, to_timestamp(0)), now())
       FROM (SELECT status AS old_status FROM devices WHERE id = $1) o
      WHERE d.id = $1 AND (d.status_at IS NULL OR d.status_at <= to_timestamp($3 / 1000.0))
      RETURNING o.old_status`,
    [status.deviceId, status.state, status.ts],
  );
  if (rows.length > 0 && rows[0]!.old_status !== status.state) {
    await db.query(
      `INSERT INTO device_state_changes (org_id, site_id, device_id, camera_id, state, at)
       SELECT org_id, site_id, id, '', $2, to_timestamp($3 / 1000.0) FROM devices WHERE id = $1`,
      [status.deviceId, status.state, status.ts],
    );
  }
  return rows.length > 0;
}

export async function recordHeartbeat(db: Query, device: DeviceInfo, heartbeat: Heartbeat): Promise<void> {
  // Heartbeats of one device arrive in order on one subscription: the stored one is the previous one.
  const [previous] = await db.query<{ heartbeat: Heartbeat; ts_ms: number }>(
    `SELECT heartbeat, (extract(epoch FROM heartbeat_at) * 1000)::float8 AS ts_ms
       FROM device_health WHERE device_id = $1`,
    [device.deviceId],
  );
  await db.query(
    `INSERT INTO device_health (device_id, org_id, site_id, heartbeat, heartbeat_at, last_seen_at)
     VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), now())
     ON CONFLICT (device_id) DO UPDATE SET org_id = excluded.org_id, site_id = excluded.site_id,
       heartbeat = excluded.heartbeat, heartbeat_at = excluded.heartbeat_at, last_seen_at = now()
     WHERE device_health.heartbeat_at IS NULL OR device_health.heartbeat_at <= excluded.heartbeat_at`,
    [device.deviceId, device.orgId, device.siteId, JSON.stringify(heartbeat), heartbeat.ts],
  );
  await db.query(`UPDATE devices SET last_seen_at = now() WHERE id = $1`, [device.deviceId]);
  if (previous && Number(previous.ts_ms) > heartbeat.ts) return; // a late copy: not news
  const changes = cameraStateChanges(previous?.heartbeat.cameras ?? null, heartbeat.cameras);
  for (const c of changes) {
    await db.query(
      `INSERT INTO device_state_changes (org_id, site_id, device_id, camera_id, state, reason, at)
       VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0))`,
      [device.orgId, device.siteId, device.deviceId, c.cameraId, c.state, c.reason, heartbeat.ts],
    );
  }
}

export async function recordCommandResult(db: Query, result: CommandResult): Promise<void> {
  await db.query(
    `INSERT INTO command_results (device_id, command_id, ok, result, ts)
     VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0))
     ON CONFLICT (device_id, command_id) DO UPDATE SET ok = excluded.ok, result = excluded.result, ts = excluded.ts`,
    [result.deviceId, result.commandId, String(result.ok), JSON.stringify(result), result.ts],
  );
}

/**
 * Device minute totals: a resent bucket merges into its row by GREATEST (the device's count is a running total,
 * not a delta, so an older copy arriving late cannot lower a newer one, whatever the order), and the
 * rollups take max(raw events, device total) per minute, so minutes whose raw events were folded away on the
 * device are counted, and minutes whose raw events also arrived are not counted twice. Returns the net change.
 */
export async function recordBuckets(db: Query, device: DeviceInfo, batch: BucketBatch): Promise<number> {
  const b = batch.buckets;
  const columns = [
    b.map((x) => x.cameraId),
    b.map((x) => x.ruleId),
    b.map((x) => x.kind),
    b.map((x) => x.direction ?? ''),
    b.map((x) => x.objectClass),
    b.map((x) => x.minute),
    b.map((x) => x.count),
  ];
  const [applied] = await db.query<{ delta: number }>(APPLY_BUCKETS_SQL, [
    device.deviceId,
    device.siteId,
    ...columns,
  ]);
  await db.query(
    `INSERT INTO device_buckets (device_id, site_id, camera_id, rule_id, kind, direction, object_class, minute, count)
     SELECT $1, $2, camera_id, rule_id, kind, direction, object_class, to_timestamp(minute / 1000.0), count
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::int[])
         AS t(camera_id, rule_id, kind, direction, object_class, minute, count)
     ON CONFLICT (device_id, minute, camera_id, rule_id, kind, direction, object_class)
     DO UPDATE SET count = GREATEST(device_buckets.count, excluded.count)`,
    [device.deviceId, device.siteId, ...columns],
  );
  return Number(applied?.delta ?? 0);
}

/** Occupancy samples, one row per class; a replayed sample overwrites itself. */
export async function recordOccupancy(db: Query, device: DeviceInfo, batch: OccupancyBatch): Promise<void> {
  const cols: [string[], string[], string[], number[], number[]] = [[], [], [], [], []];
  for (const s of batch.samples) {
    for (const [objectClass, count] of Object.entries(s.counts)) {
      cols[0].push(s.cameraId);
      cols[1].push(s.zoneId);
      cols[2].push(objectClass);
      cols[3].push(s.ts);
      cols[4].push(count);
    }
  }
  if (cols[0].length === 0) return;
  await db.query(
    `INSERT INTO occupancy_samples (site_id, device_id, camera_id, zone_id, object_class, ts, count)
     SELECT $1, $2, camera_id, zone_id, object_class, to_timestamp(ts / 1000.0), count
       FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[])
         AS t(camera_id, zone_id, object_class, ts, count)
     ON CONFLICT (device_id, camera_id, zone_id, object_class, ts) DO UPDATE SET count = excluded.count`,
    [device.siteId, device.deviceId, ...cols],
  );
}
